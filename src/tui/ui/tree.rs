//! The OU/account tree: only the visible window is turned into lines.
//!
//! Account rows put the name on the left and their columns on the right edge (email and tags
//! on wide screens, then the ID). When a row is too narrow the name is shortened first and
//! whole columns go next (tags, email, then the ID): an ID is never cut, since a cut ID looks
//! like another account's. Production accounts carry a `PROD` badge and, without colour
//! (`NO_COLOR`), the selected row a `▶`: neither relies on colour.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{node_style, pane};
use crate::model::Node;
use crate::model::tree::{Group, Place, Row};
use crate::text::fit;
use crate::tui::layout::{WIDE_TREE, WIDER_TREE, scroll_window};
use crate::tui::state::{OrgView, Status};
use crate::tui::theme;

/// A name keeps at least this many columns (or its whole width) before columns are dropped.
pub(super) const MIN_NAME: usize = 6;
/// The widest the email column gets; longer emails end in `…`.
const MAX_EMAIL: usize = 34;
const TAGS_WIDTH: usize = 30;
pub(super) const PROD_BADGE: &str = " PROD";

/// Widths of the extra columns this screen has room for (0: not shown).
#[derive(Debug, Clone, Copy, Default)]
struct Extras {
    email: usize,
    tags: usize,
}

pub fn render(frame: &mut Frame, area: Rect, org: &OrgView, status: &Status) {
    let rows = usize::from(area.height.saturating_sub(2));
    let inner_width = usize::from(area.width.saturating_sub(2));
    let selected = org.tree.selected();
    let all = org.tree.rows();
    let offset = scroll_window(org.offset, selected, rows, all.len());
    let window = &all[offset.min(all.len())..(offset + rows).min(all.len())];
    let gutter = if status.no_color { 2 } else { 0 };
    let extras = extras(org, window, gutter, inner_width, frame.area().width);
    let lines: Vec<Line> = window
        .iter()
        .enumerate()
        .map(|(n, row)| {
            let is_selected = offset + n == selected;
            let mut spans = Vec::new();
            if status.no_color {
                spans.push(Span::raw(if is_selected { "▶ " } else { "  " }));
            }
            spans.push(Span::raw("  ".repeat(row.depth)));
            match (row.place, row.node) {
                (Place::Header(g), _) => spans.extend(group_spans(org, g)),
                (_, Node::Ou(o)) => spans.extend(ou_spans(org, o)),
                (_, Node::Account(a)) => {
                    let lead: usize = spans.iter().map(Span::width).sum();
                    let width = inner_width.saturating_sub(lead);
                    spans.extend(account_spans(org, a, width, extras));
                }
            }
            let line = Line::from(spans);
            if is_selected {
                line.style(theme::selected_row(status.no_color))
            } else {
                line
            }
        })
        .collect();
    let title = format!(
        "Organization · {}",
        crate::text::plural(org.h.account_count(), "account")
    );
    frame.render_widget(Paragraph::new(lines).block(pane(&title)), area);
}

/// The extra columns every visible account row has room for beside its whole name, so the
/// columns line up: email from `WIDE_TREE`, tags too from `WIDER_TREE`.
fn extras(org: &OrgView, window: &[Row], gutter: usize, inner: usize, screen: u16) -> Extras {
    if screen < WIDE_TREE {
        return Extras::default();
    }
    let accounts = || {
        window.iter().filter_map(|r| match r.node {
            Node::Account(a) => Some((r.depth, a)),
            Node::Ou(_) => None,
        })
    };
    let email = accounts()
        .map(|(_, a)| org.h.account(a).email.width())
        .max()
        .unwrap_or(0)
        .min(MAX_EMAIL);
    let tags = if screen >= WIDER_TREE { TAGS_WIDTH } else { 0 };
    // Name, badge and ID of the widest row, plus each column's two-space gap.
    let needs = |columns: usize| {
        accounts().all(|(depth, a)| {
            let acc = org.h.account(a);
            let badge = if org.is_production(a) {
                PROD_BADGE.width()
            } else {
                0
            };
            let row = gutter + 2 * depth + 2 + acc.name.width() + badge + 2 + acc.id.len();
            row + columns <= inner
        })
    };
    let with = |w: usize| if w > 0 { w + 2 } else { 0 };
    if tags > 0 && needs(with(email) + with(tags)) {
        Extras { email, tags }
    } else if needs(with(email)) {
        Extras { email, tags: 0 }
    } else {
        Extras::default()
    }
}

/// ★ Favourites / Recent: a header that opens and closes like an OU.
fn group_spans(org: &OrgView, g: Group) -> Vec<Span<'static>> {
    let marker = if org.tree.is_group_open(g) {
        "▾ "
    } else {
        "▸ "
    };
    vec![
        Span::styled(marker, theme::muted()),
        Span::styled(g.title(), theme::label()),
        Span::styled(
            format!(" ({})", org.tree.group_members(g).len()),
            theme::muted(),
        ),
    ]
}

fn ou_spans(org: &OrgView, o: usize) -> Vec<Span<'static>> {
    let marker = if org.tree.is_expanded(o) {
        "▾ "
    } else {
        "▸ "
    };
    let mut spans = vec![
        Span::styled(marker, theme::muted()),
        Span::styled(org.h.ou(o).name.clone(), node_style(org, Node::Ou(o))),
        Span::styled(format!(" ({})", org.h.total_accounts(o)), theme::muted()),
    ];
    if org.h.ou(o).incomplete.is_some() {
        spans.push(Span::styled(" ⚠ partial", theme::warning()));
    }
    spans
}

/// An account's row in `width` columns: name, badge, then the columns that fit (email, tags,
/// ID), right-aligned.
fn account_spans(org: &OrgView, a: usize, width: usize, extras: Extras) -> Vec<Span<'static>> {
    let acc = org.h.account(a);
    let mut id = format!("  {}", acc.id);
    if acc.status.is_inactive() {
        id.push_str(&format!(" {}", acc.status.as_str().to_lowercase()));
    }
    let email = (extras.email > 0).then(|| format!("  {}", fit(&acc.email, extras.email)));
    let tags = (extras.tags > 0).then(|| format!("  {}", fit(&tags_text(&acc.tags), extras.tags)));
    let badge = if org.is_production(a) { PROD_BADGE } else { "" };
    let avail = width.saturating_sub(2 + badge.width());
    let name_w = acc.name.width();
    let room = |cols: &[&Option<String>]| {
        let right: usize = cols
            .iter()
            .filter_map(|c| c.as_ref())
            .map(|c| c.width())
            .sum();
        avail.saturating_sub(right + id.width())
    };
    // The extra columns show only beside the whole name: tags go first, then the email.
    let (email, tags) = if room(&[&email, &tags]) >= name_w {
        (email, tags)
    } else if room(&[&email]) >= name_w {
        (email, None)
    } else {
        (None, None)
    };
    // Then the name is shortened for the ID, down to MIN_NAME; below that the ID goes.
    let id = if room(&[]) >= name_w.min(MIN_NAME) {
        id
    } else {
        String::new()
    };
    let right = [email, tags].into_iter().flatten().collect::<String>() + &id;
    let room = avail.saturating_sub(right.width());
    let name = match room {
        0 => String::new(),
        r if name_w > r => fit(&acc.name, r).trim_end().to_string(),
        _ => acc.name.clone(),
    };
    let style = node_style(org, Node::Account(a));
    let pad = avail.saturating_sub(name.width() + right.width());
    let mut spans = vec![Span::raw("  "), Span::styled(name, style)];
    if !badge.is_empty() {
        spans.push(Span::styled(badge, theme::production_badge()));
    }
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(right, theme::muted()));
    spans
}

fn tags_text(tags: &crate::model::Tags) -> String {
    tags.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}
