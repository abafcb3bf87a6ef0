//! Rendering: a pure function of `State`. No I/O, no state changes.

mod details;
mod header;
mod help;
pub mod hints;
mod modal;
mod quotas;
mod search;
mod status;
mod tree;

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::layout::areas;
use super::state::State;
use super::theme;
use crate::model::Node;

pub fn render(frame: &mut Frame, state: &State) {
    let area = frame.area();
    let a = areas(area.width, area.height);
    match &state.org {
        None => {
            // First run without a cache: the whole screen explains what is happening.
            let text = match (&state.status.last_error, state.status.refreshing) {
                (Some(e), _) => {
                    vec![
                        Line::styled("Cannot read the organization", theme::error()),
                        Line::raw(""),
                        Line::raw(e.clone()),
                    ]
                }
                (None, true) => vec![Line::raw("Reading the organization from AWS…")],
                (None, false) => vec![Line::raw("No organization loaded.")],
            };
            let block = Block::new()
                .borders(Borders::ALL)
                .border_style(theme::border())
                .title(" orgnav ");
            let area = a.details.map_or(a.list, |d| a.list.union(d));
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(ratatui::widgets::Wrap { trim: false })
                    .block(block),
                area,
            );
        }
        Some(org) => match &state.search {
            Some(s) => search::render(frame, a.list, org, s, &state.status),
            None => tree::render(frame, a.list, org, &state.status),
        },
    }
    if let Some(s) = state
        .quotas
        .sweep
        .as_ref()
        .filter(|_| state.quotas.sweep_open)
    {
        let rect = super::layout::sweep_area(area.width, area.height);
        quotas::render_sweep(frame, rect, state, s);
    } else if let (Some(rect), Some(org)) = (a.details, &state.org) {
        let node = state.focused_node();
        details::render(frame, rect, state, org, node);
    }
    if let Some(rect) = a.status {
        status::render(frame, rect, state);
    }
    if let Some(rect) = a.header {
        header::render(frame, rect, state);
    }
    if let Some(rect) = a.hints {
        hints::render(frame, rect, state);
    }
    if let Some(m) = &state.modal {
        modal::render(frame, area, state, m);
    }
    if state.help {
        help::render(frame, area, state);
    }
}

/// A node's name with the characters at `matched` (char positions) highlighted.
pub(crate) fn highlighted_name(
    name: &str,
    matched: &[u32],
    base: ratatui::style::Style,
) -> Vec<Span<'static>> {
    if matched.is_empty() {
        return vec![Span::styled(name.to_string(), base)];
    }
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in name.chars().enumerate() {
        let hit = u32::try_from(i).is_ok_and(|i| matched.binary_search(&i).is_ok());
        if hit != run_hit && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hit {
                    base.patch(theme::matched())
                } else {
                    base
                },
            ));
        }
        run_hit = hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(
            run,
            if run_hit {
                base.patch(theme::matched())
            } else {
                base
            },
        ));
    }
    spans
}

/// The base style of a node in lists: OU, production, inactive.
pub(crate) fn node_style(org: &super::state::OrgView, node: Node) -> ratatui::style::Style {
    match node {
        Node::Ou(_) => theme::ou(),
        Node::Account(i) => {
            let mut style = ratatui::style::Style::new();
            if org.is_production(i) {
                style = style.patch(theme::production());
            }
            if org.h.account(i).status.is_inactive() {
                style = style.patch(theme::inactive());
            }
            style
        }
    }
}

/// A `width` × `rows`-line box (borders added) centred on the screen, clipped to it.
pub(crate) fn centered(
    screen: ratatui::layout::Rect,
    width: u16,
    rows: usize,
) -> ratatui::layout::Rect {
    let width = width.min(screen.width);
    let height = u16::try_from(rows + 2)
        .unwrap_or(u16::MAX)
        .min(screen.height);
    ratatui::layout::Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    )
}

pub(crate) fn pane(title: &str) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme::border())
        .title(Line::styled(format!(" {title} "), theme::title()))
}
