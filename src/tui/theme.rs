//! Colours and styles in one place: production is red, inactive accounts are dim.

use ratatui::style::{Color, Modifier, Style};

pub fn ou() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
}
pub fn production() -> Style {
    Style::new().fg(Color::Red)
}
/// The `PROD` badge: a label, so production shows without colour too.
pub fn production_badge() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn inactive() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
/// The selected row of a list; bold too without colour (NO_COLOR), beside its `▶`.
pub fn selected_row(no_color: bool) -> Style {
    if no_color {
        selected().add_modifier(Modifier::BOLD)
    } else {
        selected()
    }
}
pub fn matched() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}
pub fn muted() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn label() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn warning() -> Style {
    Style::new().fg(Color::Yellow)
}
/// Key hints ("? help"): no colour of their own, so they stay readable on the status bar's
/// grey and on any terminal background.
pub fn hint() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn status_bar() -> Style {
    Style::new().bg(Color::DarkGray).fg(Color::White)
}
pub fn border() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
/// Keys in the hint line.
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
/// The header's DEMO badge (its word says it without colour too).
pub fn demo_badge() -> Style {
    Style::new()
        .bg(Color::Yellow)
        .fg(Color::Black)
        .add_modifier(Modifier::BOLD)
}
/// The header's OFFLINE badge.
pub fn offline_badge() -> Style {
    Style::new()
        .bg(Color::Red)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}
