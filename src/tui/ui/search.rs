//! The search pane: query line, then ranked results with matches highlighted and the OU path.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{highlighted_name, node_style, pane};
use crate::model::{Hierarchy, Node};
use crate::tui::state::{OrgView, SearchState};
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, org: &OrgView, s: &SearchState) {
    let rows = usize::from(area.height.saturating_sub(3));
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", theme::label()),
        Span::raw(s.query.clone()),
        Span::styled("▏", theme::muted()),
    ])];
    lines.extend(
        s.hits
            .iter()
            .enumerate()
            .skip(s.offset)
            .take(rows)
            .map(|(i, hit)| {
                let (name, path, kind) = match hit.node {
                    Node::Account(a) => {
                        (org.h.account(a).name.as_str(), org.h.account_path(a), "  ")
                    }
                    Node::Ou(o) => (org.h.ou(o).name.as_str(), org.h.ou_path(o), "▸ "),
                };
                let mut spans = vec![Span::styled(kind, theme::muted())];
                spans.extend(highlighted_name(
                    name,
                    &hit.name_indices,
                    node_style(org, hit.node),
                ));
                if let Node::Account(a) = hit.node {
                    spans.push(Span::styled(
                        format!("  {}", org.h.account(a).id),
                        theme::muted(),
                    ));
                }
                spans.push(Span::styled(
                    format!("  {}", Hierarchy::path_string(path)),
                    theme::muted(),
                ));
                let line = Line::from(spans);
                if i == s.selected {
                    line.style(theme::selected())
                } else {
                    line
                }
            }),
    );
    if s.hits.is_empty() {
        lines.push(Line::styled("  no match", theme::muted()));
    }
    let shown = if s.total > s.hits.len() {
        format!(
            "{} of {}",
            s.hits.len(),
            crate::text::plural(s.total, "match")
        )
    } else {
        crate::text::plural(s.total, "match")
    };
    frame.render_widget(
        Paragraph::new(lines).block(pane(&format!("Search · {shown}"))),
        area,
    );
}
