//! Details of the selected account or OU.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane, quotas};
use crate::model::{Hierarchy, Node};
use crate::tui::quota_state::DetailsTab;
use crate::tui::state::{OrgView, State};
use crate::tui::theme;

fn field(label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<9}"), theme::label()),
        Span::raw(value.into()),
    ])
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, org: &OrgView, node: Option<Node>) {
    let (title, lines) = match node {
        Some(Node::Account(i)) if state.quotas.tab == DetailsTab::Quotas => {
            let width = usize::from(area.width.saturating_sub(2));
            (
                "Quotas",
                quotas::tab_lines(state, &org.h.account(i).id, width),
            )
        }
        Some(Node::Account(i)) => {
            let mut lines = vec![quotas::tab_bar(&state.quotas)];
            lines.extend(account_lines(org, i));
            lines.push(Line::raw(""));
            lines.extend(role_lines(state, org, i));
            ("Account", lines)
        }
        Some(Node::Ou(i)) => (
            if i == org.h.root() {
                "Root"
            } else {
                "Organizational unit"
            },
            ou_lines(org, i),
        ),
        None => ("Details", vec![]),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane(title)),
        area,
    );
}

/// The roles `s`/`c` would offer, last used first, each with where it comes from.
fn role_lines(state: &State, org: &OrgView, i: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("Roles", theme::label())];
    // Computed by `update` when the selection changed; never per frame.
    let options = match &state.selected_roles {
        Some(r) if r.account_id == org.h.account(i).id => r.options.clone(),
        _ => Vec::new(),
    };
    if options.is_empty() {
        lines.push(Line::styled("  none configured", theme::muted()));
    }
    for o in options {
        lines.push(Line::from(vec![
            Span::raw(format!("  {}", o.name)),
            Span::styled(format!("  {}", o.source_label()), theme::muted()),
        ]));
    }
    lines
}

fn account_lines(org: &OrgView, i: usize) -> Vec<Line<'static>> {
    let a = org.h.account(i);
    let name_style = if org.is_production(i) {
        theme::production().patch(theme::label())
    } else {
        theme::label()
    };
    let mut lines = vec![Line::styled(a.name.clone(), name_style)];
    if org.is_production(i) {
        lines.push(Line::styled("production", theme::production()));
    }
    lines.push(Line::raw(""));
    lines.push(field("ID", a.id.clone()));
    lines.push(field("Email", a.email.clone()));
    let status_style = if a.status.is_inactive() {
        theme::warning()
    } else {
        ratatui::style::Style::new()
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{:<9}", "Status"), theme::label()),
        Span::styled(a.status.as_str(), status_style),
    ]));
    lines.push(field(
        "Joined",
        a.joined.map_or_else(
            || "unknown".to_string(),
            |t| t.strftime("%Y-%m-%d").to_string(),
        ),
    ));
    lines.push(field("Path", Hierarchy::path_string(org.h.account_path(i))));
    if org.h.org.management_account_id.as_deref() == Some(a.id.as_str()) {
        lines.push(Line::styled("management account", theme::muted()));
    }
    lines.push(Line::raw(""));
    lines.extend(tag_lines(&a.tags, org.h.org.tags_loaded));
    lines
}

fn ou_lines(org: &OrgView, i: usize) -> Vec<Line<'static>> {
    let o = org.h.ou(i);
    let mut lines = vec![Line::styled(o.name.clone(), theme::ou()), Line::raw("")];
    lines.push(field("ID", o.id.clone()));
    lines.push(field("Path", Hierarchy::path_string(org.h.ou_path(i))));
    lines.push(field(
        "OUs",
        format!(
            "{} direct, {} total",
            org.h.child_ous(i).len(),
            org.h.total_ous(i)
        ),
    ));
    lines.push(field(
        "Accounts",
        format!(
            "{} direct, {} total",
            org.h.child_accounts(i).len(),
            org.h.total_accounts(i)
        ),
    ));
    if let Some(why) = &o.incomplete {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!("⚠ partial: {why}"), theme::warning()));
    }
    if i != org.h.root() {
        lines.push(Line::raw(""));
        lines.extend(tag_lines(&o.tags, org.h.org.tags_loaded));
    }
    lines
}

fn tag_lines(tags: &crate::model::Tags, loaded: bool) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("Tags", theme::label())];
    if tags.is_empty() {
        lines.push(Line::styled(
            if loaded { "  none" } else { "  loading…" },
            theme::muted(),
        ));
    }
    let width = tags
        .keys()
        .map(|k| unicode_width::UnicodeWidthStr::width(k.as_str()))
        .max()
        .unwrap_or(0);
    for (k, v) in tags {
        let pad = width - unicode_width::UnicodeWidthStr::width(k.as_str());
        lines.push(Line::from(vec![
            Span::styled(format!("  {k}{}", " ".repeat(pad)), theme::muted()),
            Span::raw(format!("  {v}")),
        ]));
    }
    lines
}
