//! The `?` overlay: every key, generated from the keymap's table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::pane;
use crate::tui::keymap::HELP;
use crate::tui::theme;

fn lines(entries: &[(&str, &str)]) -> Vec<Line<'static>> {
    entries
        .iter()
        .map(|(keys, what)| {
            if what.is_empty() {
                Line::styled(keys.to_string(), theme::label())
            } else {
                Line::from(vec![
                    Span::styled(format!(" {keys:<15}"), theme::label()),
                    Span::raw(what.to_string()),
                ])
            }
        })
        .collect()
}

/// One column when it fits the screen's height, else browse keys beside the others.
pub fn render(frame: &mut Frame, screen: Rect) {
    let split = HELP
        .iter()
        .position(|(k, w)| *k == "Search" && w.is_empty())
        .unwrap_or(HELP.len());
    let two = HELP.len() + 3 > usize::from(screen.height) && screen.width >= 100;
    let rows = if two {
        split.max(HELP.len() - split)
    } else {
        HELP.len()
    };
    // One more row than the keys: "any key closes".
    let area = super::centered(screen, if two { 100 } else { 60 }, rows + 1);
    frame.render_widget(Clear, area);
    frame.render_widget(pane("Keys"), area);
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    let mut left = lines(if two { &HELP[..split] } else { HELP });
    left.push(Line::styled(" any key closes", theme::muted()));
    if two {
        let half = inner.width / 2;
        let (l, r) = (
            Rect::new(inner.x, inner.y, half, inner.height),
            Rect::new(inner.x + half, inner.y, inner.width - half, inner.height),
        );
        frame.render_widget(Paragraph::new(left), l);
        frame.render_widget(Paragraph::new(lines(&HELP[split..])), r);
    } else {
        frame.render_widget(Paragraph::new(left), inner);
    }
}
