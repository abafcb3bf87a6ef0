//! The search pane: query line, then ranked results with matches highlighted and the OU path.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use unicode_width::UnicodeWidthStr;

use super::tree::{MIN_NAME, PROD_BADGE};
use super::{highlighted_name, node_style, pane};
use crate::model::{Hierarchy, Node};
use crate::search::SearchHit;
use crate::text::fit;
use crate::tui::state::{OrgView, SearchState, Status};
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, org: &OrgView, s: &SearchState, status: &Status) {
    let rows = usize::from(area.height.saturating_sub(3));
    let inner = usize::from(area.width.saturating_sub(2));
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
                let selected = i == s.selected;
                let line = Line::from(hit_spans(org, hit, inner, selected && status.no_color));
                if selected {
                    line.style(theme::selected_row(status.no_color))
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

/// One result in `width` columns: kind, name (shortened first), `PROD`, ID (whole or not at
/// all), then the OU path, cut at the edge.
fn hit_spans(org: &OrgView, hit: &SearchHit, width: usize, marked: bool) -> Vec<Span<'static>> {
    let (name, path, kind) = match hit.node {
        Node::Account(a) => (org.h.account(a).name.as_str(), org.h.account_path(a), "  "),
        Node::Ou(o) => (org.h.ou(o).name.as_str(), org.h.ou_path(o), "▸ "),
    };
    let (id, badge) = match hit.node {
        Node::Account(a) => (
            format!("  {}", org.h.account(a).id),
            if org.is_production(a) { PROD_BADGE } else { "" },
        ),
        Node::Ou(_) => (String::new(), ""),
    };
    let avail = width.saturating_sub(2 + badge.width());
    let id = if avail.saturating_sub(id.width()) >= name.width().min(MIN_NAME) {
        id
    } else {
        String::new()
    };
    let room = avail.saturating_sub(id.width());
    let shown = if name.width() > room {
        fit(name, room).trim_end().to_string()
    } else {
        name.to_string()
    };
    let mut spans = vec![Span::styled(
        if marked { "▶ " } else { kind },
        theme::muted(),
    )];
    spans.extend(highlighted_name(
        &shown,
        &hit.name_indices,
        node_style(org, hit.node),
    ));
    if !badge.is_empty() {
        spans.push(Span::styled(badge, theme::production_badge()));
    }
    spans.push(Span::styled(id, theme::muted()));
    spans.push(Span::styled(
        format!("  {}", Hierarchy::path_string(path)),
        theme::muted(),
    ));
    spans
}
