//! The `?` overlay: every key, generated from the keymap's table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::pane;
use crate::tui::keymap::HELP;
use crate::tui::theme;

pub fn render(frame: &mut Frame, screen: Rect) {
    let height = u16::try_from(HELP.len() + 3)
        .unwrap_or(u16::MAX)
        .min(screen.height);
    let width = 60.min(screen.width);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(keys, what)| {
            if what.is_empty() {
                Line::styled(keys.to_string(), theme::label())
            } else {
                Line::from(vec![
                    Span::styled(format!(" {keys:<15}"), theme::label()),
                    Span::raw(*what),
                ])
            }
        })
        .collect();
    lines.push(Line::styled(" any key closes", theme::muted()));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(pane("Keys")), area);
}
