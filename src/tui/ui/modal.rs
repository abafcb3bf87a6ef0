//! Dialogs: the role picker, the production confirmation, the MFA prompt.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::pane;
use crate::aws::roles::RoleOption;
use crate::model::Account;
use crate::tui::action::Purpose;
use crate::tui::region_picker::{Origin, RegionPicker};
use crate::tui::state::{Modal, State};
use crate::tui::theme;

fn verb(p: Purpose) -> &'static str {
    match p {
        Purpose::Shell => "Open a shell",
        Purpose::Console => "Open the console",
    }
}

/// Dialogs are this wide (borders included), or the screen's width when narrower.
const WIDTH: u16 = 60;

const SPINNER: [&str; 4] = ["⠋", "⠙", "⠹", "⠸"];

/// The device login: where to go, the code to confirm, and that orgnav is waiting.
fn login_lines(state: &State, code: Option<&(String, String)>) -> Vec<Line<'static>> {
    let spin = SPINNER[state.spinner % SPINNER.len()];
    match code {
        None => vec![Line::raw(format!("{spin} starting the sign-in…"))],
        Some((user_code, url)) => vec![
            Line::raw("Confirm this code in the browser:"),
            Line::raw(""),
            Line::styled(format!("    {user_code}"), theme::label()),
            Line::raw(""),
            Line::styled(url.clone(), theme::muted()),
            Line::raw(""),
            Line::raw(format!("{spin} waiting for the approval…")),
            Line::styled("Esc hides this (the sign-in goes on)", theme::muted()),
        ],
    }
}

pub fn render(frame: &mut Frame, screen: Rect, state: &State, modal: &Modal) {
    let (title, lines) = match modal {
        Modal::Login { code } => (
            "IAM Identity Center sign-in",
            login_lines(state, code.as_ref()),
        ),
        Modal::PickRole {
            account,
            options,
            selected,
            purpose,
        } => (
            "Choose a role",
            picker_lines(account, options, *selected, *purpose, state.status.no_color),
        ),
        Modal::ConfirmProduction {
            account,
            option,
            purpose,
        } => (
            "Production account",
            vec![
                Line::styled(
                    format!("{} ({}) is a PRODUCTION account.", account.name, account.id),
                    theme::error(),
                ),
                Line::raw(""),
                Line::raw(format!("{} as {}?", verb(*purpose), option.name)),
                Line::raw(""),
                Line::styled("y: yes · n / Enter / Esc: no", theme::muted()),
            ],
        ),
        Modal::Mfa {
            account,
            option,
            serial,
            code,
            ..
        } => ("MFA code", mfa_lines(account, option, serial, code)),
        Modal::Region(picker) => ("Region for shells and the console", region_lines(picker)),
        Modal::ConsoleLink {
            account_name, why, ..
        } => ("AWS console", console_link_lines(state, account_name, why)),
        Modal::ConsoleMenu {
            account_name,
            items,
            selected,
        } => (
            "AWS console",
            console_menu_lines(account_name, items, *selected, state.status.no_color),
        ),
    };
    draw(frame, screen, title, lines);
}

fn picker_lines(
    account: &Account,
    options: &[RoleOption],
    selected: usize,
    purpose: Purpose,
    no_color: bool,
) -> Vec<Line<'static>> {
    let heading = format!("{} in {} ({}) as:", verb(purpose), account.name, account.id);
    let rows = options.iter().map(|o| {
        vec![
            Span::raw(format!("{} ", o.name)),
            Span::styled(format!(" {}", o.source_label()), theme::muted()),
        ]
    });
    choice_lines(
        heading,
        rows,
        selected,
        no_color,
        "↑/↓ choose · Enter confirm · Esc cancel",
    )
}

/// A heading, one row per choice (the selected one reversed; without colour, where the
/// reversed bar may not show, marked ▶), and a footer of keys.
fn choice_lines(
    heading: String,
    rows: impl Iterator<Item = Vec<Span<'static>>>,
    selected: usize,
    no_color: bool,
    footer: &'static str,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw(heading), Line::raw("")];
    lines.extend(rows.enumerate().map(|(i, spans)| {
        let mark = match (no_color, i == selected) {
            (false, _) => " ",
            (true, true) => "▶ ",
            (true, false) => "  ",
        };
        let line = Line::from([vec![Span::raw(mark)], spans].concat());
        if i == selected {
            line.style(theme::selected_row(no_color))
        } else {
            line
        }
    }));
    lines.push(Line::raw(""));
    lines.push(Line::styled(footer, theme::muted()));
    lines
}

fn mfa_lines(
    account: &Account,
    option: &RoleOption,
    serial: &str,
    code: &str,
) -> Vec<Line<'static>> {
    let demo_hint = (serial == crate::access::demo::MFA_SERIAL)
        .then(|| Line::styled("demo: any 6 digits", theme::warning()));
    let mut lines = vec![
        Line::raw(format!(
            "{} in {} needs an MFA code",
            option.name, account.name
        )),
        Line::styled(format!("device {serial}"), theme::muted()),
    ];
    lines.extend(demo_hint);
    lines.extend([
        Line::raw(""),
        // The code is short-lived but still a secret: show its length only.
        Line::from(vec![
            Span::styled("code: ", theme::label()),
            Span::raw("•".repeat(code.len())),
            Span::styled("▏", theme::muted()),
        ]),
        Line::raw(""),
        Line::styled("Enter submit · Esc cancel", theme::muted()),
    ]);
    lines
}

/// Rows of regions the picker shows at once (it scrolls with the selection).
const REGION_ROWS: usize = 10;

fn region_lines(picker: &RegionPicker) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(vec![
            Span::styled("filter: ", theme::label()),
            Span::raw(picker.query.clone()),
            Span::styled("▏", theme::muted()),
        ]),
        Line::raw(""),
    ];
    let matches = picker.matches();
    let first = picker.selected.saturating_sub(REGION_ROWS - 1);
    for (i, r) in matches.iter().enumerate().skip(first).take(REGION_ROWS) {
        let origin = match r.origin {
            Origin::Session => "session",
            Origin::Quotas => "quota region",
            Origin::Commercial => "",
        };
        let line = Line::from(vec![
            Span::raw(format!(" {:<15}", r.code)),
            Span::raw(format!("{:<27}", r.description())),
            Span::styled(origin, theme::muted()),
        ]);
        lines.push(if i == picker.selected {
            line.style(theme::selected())
        } else {
            line
        });
    }
    if matches.is_empty() {
        lines.push(Line::styled(" no region matches", theme::muted()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("{} of {} regions", matches.len(), picker.regions.len()),
        theme::muted(),
    ));
    lines
}

/// No browser took the sign-in link. The link itself is never drawn: it signs in to the
/// account, and a screen can be shared or recorded.
fn console_link_lines(state: &State, account_name: &str, why: &str) -> Vec<Line<'static>> {
    let spin = SPINNER[state.spinner % SPINNER.len()];
    let waiting = state.entry.is_some();
    let key = |k: &'static str, what: &'static str| {
        Line::from(vec![Span::styled(k, theme::hint()), Span::raw(what)])
    };
    let mut lines = vec![
        Line::styled(format!("Console for {account_name}"), theme::label()),
        Line::raw(format!("{why}.")),
        Line::raw(""),
        key("y    ", "copy the sign-in link (OSC 52 clipboard)"),
        key(
            "Esc  ",
            if waiting {
                "stop waiting for the browser"
            } else {
                "close"
            },
        ),
        Line::raw(""),
        Line::styled(
            "The link signs anyone in to the account: paste it",
            theme::muted(),
        ),
        Line::styled(
            "only into your own browser, then clear the clipboard.",
            theme::muted(),
        ),
    ];
    if waiting {
        lines.push(Line::raw(format!("{spin} still waiting for a browser…")));
    }
    lines
}

fn draw(frame: &mut Frame, screen: Rect, title: &str, lines: Vec<Line>) {
    // Rows as wrapped inside the box's borders, so a long line does not push the last off.
    let inner = usize::from(WIDTH.min(screen.width).saturating_sub(2)).max(1);
    let rows = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let area = super::centered(screen, WIDTH, rows);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane(title)),
        area,
    );
}

/// The `c` menu: one line per way, its key first.
fn console_menu_lines(
    account_name: &str,
    items: &[crate::tui::console_menu::MenuItem],
    selected: usize,
    no_color: bool,
) -> Vec<Line<'static>> {
    let rows = items.iter().map(|item| {
        vec![
            Span::styled(item.key.to_string(), theme::label()),
            Span::raw(format!("  {}", item.label)),
        ]
    });
    choice_lines(
        format!("Open the console for {account_name}:"),
        rows,
        selected,
        no_color,
        "key or ↑/↓ Enter · C later opens the same way · Esc cancel",
    )
}
