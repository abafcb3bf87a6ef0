//! The OU/account tree: only the visible window is turned into lines.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{node_style, pane};
use crate::model::Node;
use crate::tui::layout::scroll_window;
use crate::tui::state::OrgView;
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, org: &OrgView) {
    let rows = usize::from(area.height.saturating_sub(2));
    let inner_width = usize::from(area.width.saturating_sub(2));
    let selected = org.tree.selected();
    let lines: Vec<Line> = org
        .tree
        .rows()
        .iter()
        .enumerate()
        .skip(scroll_window(
            org.offset,
            selected,
            rows,
            org.tree.rows().len(),
        ))
        .take(rows)
        .map(|(i, row)| {
            let mut spans = vec![Span::raw("  ".repeat(row.depth))];
            match row.node {
                Node::Ou(o) => {
                    let marker = if org.tree.is_expanded(o) {
                        "▾ "
                    } else {
                        "▸ "
                    };
                    spans.push(Span::styled(marker, theme::muted()));
                    spans.push(Span::styled(
                        org.h.ou(o).name.clone(),
                        node_style(org, row.node),
                    ));
                    spans.push(Span::styled(
                        format!(" ({})", org.h.total_accounts(o)),
                        theme::muted(),
                    ));
                    if org.h.ou(o).incomplete.is_some() {
                        spans.push(Span::styled(" ⚠ partial", theme::warning()));
                    }
                }
                Node::Account(a) => {
                    let acc = org.h.account(a);
                    spans.push(Span::raw("  "));
                    spans.push(Span::styled(acc.name.clone(), node_style(org, row.node)));
                    let mut right = format!("  {}", acc.id);
                    if acc.status.is_inactive() {
                        right.push_str(&format!(" {}", acc.status.as_str().to_lowercase()));
                    }
                    // IDs line up at the right edge when there is room, else follow the name.
                    let used: usize =
                        spans.iter().map(|s| s.width()).sum::<usize>() + right.width();
                    spans.push(Span::raw(" ".repeat(inner_width.saturating_sub(used))));
                    spans.push(Span::styled(right, theme::muted()));
                }
            }
            let line = Line::from(spans);
            if i == selected {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    let title = format!("Organization · {} accounts", org.h.account_count());
    frame.render_widget(Paragraph::new(lines).block(pane(&title)), area);
}
