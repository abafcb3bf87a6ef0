//! An inline, fzf-like picker on the terminal (a few lines on stderr, not the full screen):
//! typing filters, ↑/↓ (Ctrl-P/N, Tab) move, Enter accepts, Esc / Ctrl-C abort. stdout stays
//! free, so `eval "$(orgnav env)"` can pick.

use std::io::{IsTerminal, Write};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, queue, style, terminal};

use super::CliError;

/// Rows shown at most: enough to see the neighbours, little enough to keep the prompt close.
const MAX_ROWS: usize = 8;

/// Whether a person can answer: stdin and stderr are a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Raw mode for as long as the picker runs, left on every path (errors and panics included).
struct RawMode;

impl RawMode {
    fn enter() -> std::io::Result<Self> {
        terminal::enable_raw_mode()?;
        Ok(Self)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
        let _ = queue!(std::io::stderr(), cursor::Show);
        let _ = std::io::stderr().flush();
    }
}

#[derive(Debug, PartialEq)]
enum Step {
    Move(isize),
    Type(char),
    Erase,
    Clear,
    Accept,
    Abort,
    Ignore,
}

fn step(key: KeyEvent) -> Step {
    if key.kind == KeyEventKind::Release {
        return Step::Ignore;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c' | 'd' | 'g') if ctrl => Step::Abort,
        KeyCode::Char('p' | 'k') if ctrl => Step::Move(-1),
        KeyCode::Char('n' | 'j') if ctrl => Step::Move(1),
        KeyCode::Char('u') if ctrl => Step::Clear,
        KeyCode::Char(_) if ctrl || key.modifiers.contains(KeyModifiers::ALT) => Step::Ignore,
        KeyCode::Char(c) => Step::Type(c),
        KeyCode::Backspace => Step::Erase,
        KeyCode::Up | KeyCode::BackTab => Step::Move(-1),
        KeyCode::Down | KeyCode::Tab => Step::Move(1),
        KeyCode::Enter => Step::Accept,
        KeyCode::Esc => Step::Abort,
        _ => Step::Ignore,
    }
}

/// What the picker shows: the query, the rows that match it, the selection and the window.
struct View {
    query: String,
    selected: usize,
    /// First row shown: the window follows the selection.
    top: usize,
    height: usize,
}

impl View {
    fn move_by(&mut self, delta: isize, count: usize) {
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(count.saturating_sub(1));
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + self.height {
            self.top = self.selected + 1 - self.height;
        }
    }

    /// The block's height on screen: title, query, rows, key hints.
    fn lines(&self) -> usize {
        self.height + 3
    }
}

/// Columns and rows; a terminal that does not know its size (0×0) counts as 80×24.
fn screen_size() -> (usize, usize) {
    match terminal::size() {
        Ok((w, h)) if w > 0 && h > 0 => (usize::from(w), usize::from(h)),
        _ => (80, 24),
    }
}

/// Draws the block; the cursor ends on its last line.
fn draw(out: &mut impl Write, title: &str, view: &View, rows: &[String]) -> std::io::Result<()> {
    queue!(
        out,
        cursor::MoveToColumn(0),
        terminal::Clear(terminal::ClearType::FromCursorDown)
    )?;
    // One screen line each, never wrapped: the redraw moves up by the number of lines.
    let width = screen_size().0.saturating_sub(1);
    let line = |text: &str| crate::text::fit(text, width).trim_end().to_string();
    write!(out, "{}\r\n", line(title))?;
    let count = format!(
        "  ({}{})",
        rows.len(),
        if rows.is_empty() { " — no match" } else { "" }
    );
    write!(out, "{}\r\n", line(&format!("> {}▏{count}", view.query)))?;
    for i in view.top..view.top + view.height {
        match rows.get(i) {
            Some(row) if i == view.selected => {
                queue!(out, style::SetAttribute(style::Attribute::Reverse))?;
                write!(out, "{}", line(&format!("▶ {row}")))?;
                queue!(out, style::SetAttribute(style::Attribute::Reset))?;
            }
            Some(row) => write!(out, "{}", line(&format!("  {row}")))?,
            None => {}
        }
        write!(out, "\r\n")?;
    }
    write!(
        out,
        "{}",
        line("type to filter · ↑/↓ choose · Enter confirm · Esc cancel")
    )?;
    out.flush()
}

/// Lets the user pick one of the values `filter` offers for the query typed (best first; the
/// query starts as `query`). None when the user aborted.
pub fn pick<T: Clone>(
    title: &str,
    query: &str,
    mut filter: impl FnMut(&str) -> Vec<(T, String)>,
) -> Result<Option<T>, CliError> {
    let failed = |e: std::io::Error| CliError::runtime(format!("the picker failed: {e}"));
    let mut matches = filter(query);
    let screen_rows = screen_size().1;
    let all = if query.is_empty() {
        matches.len()
    } else {
        filter("").len()
    };
    let mut view = View {
        query: query.to_string(),
        selected: 0,
        top: 0,
        height: all
            .clamp(1, MAX_ROWS)
            .min(screen_rows.saturating_sub(4).max(1)),
    };
    let _raw = RawMode::enter().map_err(failed)?;
    let mut err = std::io::stderr();
    queue!(err, cursor::Hide).map_err(failed)?;
    loop {
        let labels: Vec<String> = matches.iter().map(|(_, label)| label.clone()).collect();
        draw(&mut err, title, &view, &labels).map_err(failed)?;
        let mut edited = true;
        let answer = match event::read().map_err(failed)? {
            Event::Key(key) => match step(key) {
                Step::Type(c) => {
                    view.query.push(c);
                    None
                }
                Step::Erase => {
                    view.query.pop();
                    None
                }
                Step::Clear => {
                    view.query.clear();
                    None
                }
                Step::Move(d) => {
                    edited = false;
                    view.move_by(d, matches.len());
                    None
                }
                Step::Accept if !matches.is_empty() => Some(Some(matches[view.selected].0.clone())),
                Step::Abort => Some(None),
                Step::Accept | Step::Ignore => {
                    edited = false;
                    None
                }
            },
            _ => {
                edited = false;
                None
            }
        };
        if edited && answer.is_none() {
            matches = filter(&view.query);
            (view.selected, view.top) = (0, 0);
        }
        // Back to the block's first line, to redraw it or to clear it for good.
        let up = u16::try_from(view.lines() - 1).unwrap_or(u16::MAX);
        queue!(err, cursor::MoveUp(up), cursor::MoveToColumn(0)).map_err(failed)?;
        if let Some(answer) = answer {
            queue!(err, terminal::Clear(terminal::ClearType::FromCursorDown)).map_err(failed)?;
            err.flush().map_err(failed)?;
            return Ok(answer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Step {
        step(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn letters_type_and_control_keys_move_or_abort() {
        let none = KeyModifiers::NONE;
        assert_eq!(key(KeyCode::Char('q'), none), Step::Type('q'));
        assert_eq!(key(KeyCode::Char('j'), none), Step::Type('j'));
        assert_eq!(
            key(KeyCode::Char('n'), KeyModifiers::CONTROL),
            Step::Move(1)
        );
        assert_eq!(key(KeyCode::Char('c'), KeyModifiers::CONTROL), Step::Abort);
        assert_eq!(key(KeyCode::Esc, none), Step::Abort);
        assert_eq!(key(KeyCode::Backspace, none), Step::Erase);
    }

    #[test]
    fn the_window_follows_the_selection() {
        let mut v = View {
            query: String::new(),
            selected: 0,
            top: 0,
            height: 3,
        };
        for _ in 0..5 {
            v.move_by(1, 10);
        }
        assert_eq!((v.selected, v.top), (5, 3));
        v.move_by(-4, 10);
        assert_eq!((v.selected, v.top), (1, 1));
        v.move_by(100, 10);
        assert_eq!((v.selected, v.top), (9, 7));
    }
}
