//! The Quotas tab of the details pane and the full-screen sweep view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::pane;
use crate::quotas::QuotaUsage;
use unicode_width::UnicodeWidthStr;

use crate::quotas::format::{Level, bar, level, percent, usage_of};
use crate::source::age_text;
use crate::text::fit;
use crate::tui::quota_state::{QuotaView, SweepLine, SweepView};
use crate::tui::state::State;
use crate::tui::theme;

const SPINNER: [&str; 4] = ["⠋", "⠙", "⠹", "⠸"];

pub(super) fn level_style(l: Level) -> Style {
    match l {
        Level::Critical => theme::error(),
        Level::Warn => theme::warning(),
        Level::Ok => Style::new(),
        Level::Unknown => theme::muted(),
    }
}

/// "Details  Quotas" with the active one marked; Tab flips.
pub fn tab_bar(quotas: &QuotaView) -> Line<'static> {
    use crate::tui::quota_state::DetailsTab;
    let (info, q) = match quotas.tab {
        DetailsTab::Info => (theme::selected(), theme::muted()),
        DetailsTab::Quotas => (theme::muted(), theme::selected()),
    };
    Line::from(vec![
        Span::styled(" Details ", info),
        Span::raw(" "),
        Span::styled(" Quotas ", q),
        Span::styled("  Tab", theme::muted()),
    ])
}

fn fixed_label(q: &QuotaUsage) -> &'static str {
    if q.adjustable { "" } else { " fixed" }
}

/// Columns a quota's second line needs besides its bar: indent, percentage, numbers, code.
fn beside_bar(q: &QuotaUsage) -> usize {
    let numbers = usage_of(q.usage, q.value);
    2 + 1 + 6 + numbers.width() + 1 + q.quota_code.width() + fixed_label(q).len()
}

/// One bar width for every quota on the tab (the widest neighbours decide), so equal
/// percentages draw equal bars.
fn bar_width(rows: &[&QuotaUsage], width: usize) -> usize {
    rows.iter()
        .filter(|q| q.utilization.is_some())
        .map(|q| width.saturating_sub(beside_bar(q)))
        .min()
        .unwrap_or(20)
        .clamp(4, 20)
}

fn quota_lines(q: &QuotaUsage, view: &QuotaView, width: usize, bar_w: usize) -> [Line<'static>; 2] {
    let l = level(q.utilization, &view.config);
    let style = level_style(l);
    let fixed = fixed_label(q);
    let second = if q.utilization.is_some() {
        let numbers = usage_of(q.usage, q.value);
        vec![
            Span::styled(format!("  {} ", bar(q.utilization, bar_w)), style),
            Span::styled(format!("{:>5} ", percent(q.utilization)), style),
            Span::raw(numbers),
            Span::styled(format!(" {}{fixed}", q.quota_code), theme::muted()),
        ]
    } else {
        let why = if q.has_usage_metric {
            "no recent usage data"
        } else {
            "no usage metric"
        };
        vec![
            Span::raw(format!(
                "  limit {}",
                crate::quotas::format::number(q.value)
            )),
            Span::styled(
                format!(" · {why} · {}{fixed}", q.quota_code),
                theme::muted(),
            ),
        ]
    };
    [
        Line::styled(
            fit(&format!("{} · {}", q.service_code, q.quota_name), width),
            if l == Level::Critical {
                theme::error()
            } else {
                Style::new()
            },
        ),
        Line::from(second),
    ]
}

/// The Quotas tab for account `account_id`: header, then two lines per quota.
pub fn tab_lines(state: &State, account_id: &str, width: usize) -> Vec<Line<'static>> {
    let view = &state.quotas;
    let mut lines = vec![tab_bar(view)];
    let entry = view.entry(account_id);
    let mut head = vec![Span::styled(
        format!("{}  ", view.current_region()),
        theme::label(),
    )];
    match entry {
        Some(e) if e.loading => head.push(Span::raw(format!(
            "{} reading quotas…",
            SPINNER[state.spinner % SPINNER.len()]
        ))),
        Some(e) => {
            if let Some(t) = e.fetched_at {
                head.push(Span::styled(
                    format!("read {}", age_text(t, state.now)),
                    theme::muted(),
                ));
            }
        }
        None => head.push(Span::styled("not read yet", theme::muted())),
    }
    if state.status.demo {
        head.push(Span::styled("  demo data", theme::warning()));
    }
    lines.push(Line::from(head));
    lines.push(Line::raw(""));
    let Some(e) = entry else { return lines };
    if let Some(err) = &e.error {
        lines.push(Line::styled(err.clone(), theme::error()));
        return lines;
    }
    let rows = view.visible(&e.rows);
    if rows.is_empty() && !e.loading {
        lines.push(Line::styled("no quotas for these services", theme::muted()));
    }
    let hidden = e.rows.len() - rows.len();
    let bar_w = bar_width(&rows, width);
    for q in rows {
        lines.extend(quota_lines(q, view, width, bar_w));
    }
    if hidden > 0 {
        lines.push(Line::styled(
            format!("{hidden} without usage metric hidden (u)"),
            theme::muted(),
        ));
    }
    lines
}

fn progress(s: &SweepView, state: &State) -> Line<'static> {
    let end = s.finished.unwrap_or(state.now);
    let secs = end.as_second().saturating_sub(s.started.as_second()).max(0);
    let share = (s.total > 0).then(|| s.done as f64 / s.total as f64);
    let state_text = if s.finished.is_some() {
        "done".to_string()
    } else {
        format!("{} sweeping", SPINNER[state.spinner % SPINNER.len()])
    };
    let mut spans = vec![
        Span::styled(format!("{} ", bar(share, 20)), theme::label()),
        Span::raw(format!(
            "{}/{} accounts · {secs}s · {state_text}",
            s.done, s.total
        )),
    ];
    if !s.ranked.failures.is_empty() {
        spans.push(Span::styled(
            format!(" · {} failed", s.ranked.failures.len()),
            theme::error(),
        ));
    }
    if state.status.demo {
        spans.push(Span::styled("  demo data", theme::warning()));
    }
    Line::from(spans)
}

/// Every line of the sweep: worst utilization first, failed accounts last.
pub fn render_sweep(frame: &mut Frame, area: Rect, state: &State, s: &SweepView) {
    let width = usize::from(area.width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(4));
    // account 24+1, quota name, usage 11+1, bar 16+1, code 12, percentage 5
    let name_w = width.saturating_sub(72).clamp(10, 70);
    let mut lines = vec![
        progress(s, state),
        Line::styled(
            fit(
                &format!(
                    "{:<24} {:<name_w$} {:>11} {:<16} {:<12}{:>5}",
                    "ACCOUNT", "QUOTA", "USAGE", "", "CODE", "UTIL"
                ),
                width,
            ),
            theme::label(),
        ),
    ];
    for (n, line) in s.lines.iter().enumerate().skip(s.offset).take(rows) {
        let selected = n == s.selected;
        // Without colour the reversed bar may not show: a ▶ marks the selected line.
        let account = |name: &str| match selected && state.status.no_color {
            true => format!("{} ", fit(&format!("▶ {name}"), 24)),
            false => format!("{} ", fit(name, 24)),
        };
        let mut l = match line {
            SweepLine::Quota(i) => {
                let Some(r) = s.ranked.rows.get(*i) else {
                    continue;
                };
                let q = &r.quota;
                let style = level_style(level(q.utilization, &state.quotas.config));
                Line::from(vec![
                    Span::raw(account(&r.account_name)),
                    Span::raw(format!(
                        "{} ",
                        fit(&format!("{} · {}", q.service_code, q.quota_name), name_w)
                    )),
                    Span::raw(format!("{:>11} ", usage_of(q.usage, q.value))),
                    Span::styled(format!("{:<16} ", bar(q.utilization, 16)), style),
                    Span::styled(format!("{:<12}", q.quota_code), theme::muted()),
                    Span::styled(format!("{:>5}", percent(q.utilization)), style),
                ])
            }
            SweepLine::Failure(i) => {
                let Some(f) = s.ranked.failures.get(*i) else {
                    continue;
                };
                Line::from(vec![
                    Span::raw(account(&f.account_name)),
                    Span::styled(
                        fit(&format!("✗ {}", f.error), width.saturating_sub(25)),
                        theme::error(),
                    ),
                ])
            }
        };
        if selected {
            l = l.patch_style(theme::selected_row(state.status.no_color));
        }
        lines.push(l);
    }
    if s.lines.is_empty() && s.finished.is_some() {
        lines.push(Line::styled(
            "no quota with known usage (u shows the others)",
            theme::muted(),
        ));
    }
    let title = format!("Quota sweep · {} · {}", s.scope, s.region);
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.render_widget(Paragraph::new(lines).block(pane(&title)), area);
}
