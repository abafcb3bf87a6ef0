//! The `?` overlay: every key, generated from the keymap (the table with config `[keys]`
//! applied). Taller than the screen, it scrolls.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::pane;
use crate::tui::keymap::HelpLine;
use crate::tui::layout::help_rows;
use crate::tui::state::State;
use crate::tui::theme;

const WIDTH: u16 = 64;

fn line(help: &HelpLine) -> Line<'static> {
    match help {
        HelpLine::Section(title) => Line::styled(title.to_string(), theme::label()),
        HelpLine::Keys { keys, what } => Line::from(vec![
            Span::styled(format!(" {keys:<18}"), theme::label()),
            Span::raw(what.to_string()),
        ]),
        HelpLine::Blank => Line::raw(""),
    }
}

pub fn render(frame: &mut Frame, screen: Rect, state: &State) {
    let help = state.keymap.help();
    let rows = help_rows(screen.height, help.len());
    let first = state.help_scroll.min(help.len() - rows);
    // One row more than the keys: where the list is and how to move in it.
    let area = super::centered(screen, WIDTH, rows + 1);
    frame.render_widget(Clear, area);
    frame.render_widget(pane("Keys"), area);
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    let mut lines: Vec<Line> = help[first..first + rows].iter().map(line).collect();
    let hint = if rows < help.len() {
        format!(
            " lines {}–{} of {} · ↑↓ PgUp PgDn scroll · Esc closes",
            first + 1,
            first + rows,
            help.len()
        )
    } else {
        " Esc closes".to_string()
    };
    lines.push(Line::styled(hint, theme::hint()));
    frame.render_widget(Paragraph::new(lines), inner);
}
