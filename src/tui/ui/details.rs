//! Details of the selected account or OU.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane, quotas};
use unicode_width::UnicodeWidthStr;

use crate::model::{Hierarchy, Node};
use crate::quotas::QuotaUsage;
use crate::quotas::format::{level, percent};
use crate::quotas::rank::worst_first_order;
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
    let width = usize::from(area.width.saturating_sub(2));
    let lines = match node {
        Some(Node::Account(i)) if state.quotas.tab == DetailsTab::Quotas => {
            quotas::tab_lines(state, &org.h.account(i).id, width)
        }
        Some(Node::Account(i)) => {
            let mut lines = vec![quotas::tab_bar(&state.quotas)];
            lines.extend(account_lines(org, i));
            lines.push(Line::raw(""));
            lines.extend(role_lines(state, org, i));
            lines.extend(history_lines(state, &org.h.account(i).id));
            lines.extend(quota_summary(state, &org.h.account(i).id, width));
            lines.push(Line::raw(""));
            lines.extend(tag_lines(&org.h.account(i).tags, org.h.org.tags_loaded));
            lines
        }
        Some(Node::Ou(i)) => ou_lines(org, i),
        None => vec![],
    };
    // The pane's border, a space each side of the title.
    let title = match node {
        Some(n) => breadcrumb(&crumbs(org, n), width.saturating_sub(2)),
        None => "Details".to_string(),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane(&title)),
        area,
    );
}

/// Where the node is: the root's name, the OUs down to it, its own name.
fn crumbs(org: &OrgView, node: Node) -> Vec<&str> {
    let root = org.h.ou(org.h.root()).name.as_str();
    let (path, own) = match node {
        Node::Account(i) => (org.h.account_path(i), Some(org.h.account(i).name.as_str())),
        Node::Ou(i) => (org.h.ou_path(i), None),
    };
    std::iter::once(root)
        .chain(path.iter().map(String::as_str))
        .chain(own)
        .collect()
}

/// `Root › Workloads › Prod › payments-prod` in `width` columns: the outermost OUs give way
/// first (`… › Prod › payments-prod`); the node's own name is cut last.
pub fn breadcrumb(parts: &[&str], width: usize) -> String {
    let full = parts.join(" › ");
    if full.width() <= width {
        return full;
    }
    for skip in 1..parts.len() {
        let short = format!("… › {}", parts[skip..].join(" › "));
        if short.width() <= width {
            return short;
        }
    }
    let last = parts.last().copied().unwrap_or_default();
    crate::text::fit(last, width).trim_end().to_string()
}

/// How many of the account's last entries the details show.
const LAST_ENTRIES: usize = 3;

/// The last entries into the account, newest first (`2h ago  Admin  shell`): with the roles
/// above, what helps decide how to go in this time. Nothing when it was never entered.
fn history_lines(state: &State, account_id: &str) -> Vec<Line<'static>> {
    let entries = state.history.entries_for(account_id, LAST_ENTRIES);
    if entries.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::raw(""), Line::styled("Last entries", theme::label())];
    for e in entries {
        let when = jiff::Timestamp::from_second(e.at).map_or_else(
            |_| "?".to_string(),
            |at| crate::source::age_text(at, state.now),
        );
        lines.push(Line::from(vec![
            Span::raw(format!("  {when:<9} {}", e.role)),
            Span::styled(format!("  {}", e.kind.label()), theme::muted()),
        ]));
    }
    lines
}

/// One line once quotas were read for the account (any region): the worst utilization,
/// `quotas: 92% L-1216C47A EC2 On-Demand vCPUs (us-east-1)`.
fn quota_summary(state: &State, account_id: &str, width: usize) -> Option<Line<'static>> {
    let read: Vec<&QuotaUsage> = (state.quotas.entries.iter())
        .filter(|((id, _), e)| id == account_id && e.fetched_at.is_some())
        .flat_map(|(_, e)| &e.rows)
        .collect();
    if read.is_empty() {
        return None;
    }
    let worst = (read.iter().copied())
        .filter(|q| q.utilization.is_some())
        .min_by(|a, b| worst_first_order(a, b));
    const LABEL: &str = "quotas: ";
    let Some(q) = worst else {
        return Some(Line::from(vec![
            Span::styled(LABEL, theme::label()),
            Span::styled(
                format!("{} read, no usage data", read.len()),
                theme::muted(),
            ),
        ]));
    };
    // One line: the quota's name gives way, never the numbers, code or region.
    let head = format!("{} {} ", percent(q.utilization), q.quota_code);
    let tail = format!(" ({})", q.region);
    let room = width.saturating_sub(LABEL.len() + head.width() + tail.width());
    let name = crate::text::fit(&q.quota_name, room);
    let style = quotas::level_style(level(q.utilization, &state.quotas.config));
    Some(Line::from(vec![
        Span::styled(LABEL, theme::label()),
        Span::styled(format!("{head}{}{tail}", name.trim_end()), style),
    ]))
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
    let id = &org.h.account(i).id;
    for o in options {
        let mut spans = vec![
            Span::raw(format!("  {}", o.name)),
            Span::styled(format!("  {}", o.source_label()), theme::muted()),
        ];
        // Credentials entered in this run that still hold: how long they last.
        if let Some(&expiry) = state
            .expiries
            .get(&(id.clone(), o.name.clone()))
            .filter(|e| **e > state.now)
        {
            spans.push(Span::raw(format!(
                " · {}",
                crate::access::launch::until(expiry, state.now)
            )));
        }
        lines.push(Line::from(spans));
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
