//! An inline picker on the terminal (a few lines on stderr, not the full screen): the best
//! candidate preselected, ↑/↓ (or k/j, Ctrl-P/N) move, Enter accepts, Esc / q / Ctrl-C abort.

use std::io::{IsTerminal, Write};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, queue, style, terminal};

use super::CliError;

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

enum Step {
    Move(isize),
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
        KeyCode::Char('c') | KeyCode::Char('d') if ctrl => Step::Abort,
        KeyCode::Char('p') if ctrl => Step::Move(-1),
        KeyCode::Char('n') if ctrl => Step::Move(1),
        KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => Step::Move(-1),
        KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => Step::Move(1),
        KeyCode::Enter => Step::Accept,
        KeyCode::Esc | KeyCode::Char('q') => Step::Abort,
        _ => Step::Ignore,
    }
}

/// Draws the title and rows; the cursor ends on the line after the block.
fn draw(
    out: &mut impl Write,
    title: &str,
    rows: &[String],
    selected: usize,
) -> std::io::Result<()> {
    queue!(
        out,
        cursor::MoveToColumn(0),
        terminal::Clear(terminal::ClearType::FromCursorDown)
    )?;
    // One screen line each, never wrapped: the redraw moves up by the number of lines.
    let width = usize::from(terminal::size().map_or(80, |(w, _)| w)).saturating_sub(1);
    let line = |text: &str| crate::text::fit(text, width).trim_end().to_string();
    write!(out, "{}\r\n", line(title))?;
    for (i, row) in rows.iter().enumerate() {
        if i == selected {
            queue!(out, style::SetAttribute(style::Attribute::Reverse))?;
            write!(out, "{}", line(&format!("> {row}")))?;
            queue!(out, style::SetAttribute(style::Attribute::Reset))?;
        } else {
            write!(out, "{}", line(&format!("  {row}")))?;
        }
        write!(out, "\r\n")?;
    }
    write!(out, "{}", line("↑/↓ choose · Enter confirm · Esc cancel"))?;
    out.flush()
}

/// The chosen row, or None when the user aborted.
pub fn pick(title: &str, rows: &[String]) -> Result<Option<usize>, CliError> {
    let failed = |e: std::io::Error| CliError::runtime(format!("the account picker failed: {e}"));
    let _raw = RawMode::enter().map_err(failed)?;
    let mut err = std::io::stderr();
    let mut selected = 0usize;
    queue!(err, cursor::Hide).map_err(failed)?;
    loop {
        draw(&mut err, title, rows, selected).map_err(failed)?;
        let answer = match event::read().map_err(failed)? {
            Event::Key(key) => match step(key) {
                Step::Move(d) => {
                    selected = selected
                        .saturating_add_signed(d)
                        .min(rows.len().saturating_sub(1));
                    None
                }
                Step::Accept => Some(Some(selected)),
                Step::Abort => Some(None),
                Step::Ignore => None,
            },
            _ => None,
        };
        // Back to the block's first line, to redraw it or to clear it for good.
        let up = u16::try_from(rows.len() + 1).unwrap_or(u16::MAX);
        queue!(err, cursor::MoveUp(up), cursor::MoveToColumn(0)).map_err(failed)?;
        if let Some(answer) = answer {
            queue!(err, terminal::Clear(terminal::ClearType::FromCursorDown)).map_err(failed)?;
            err.flush().map_err(failed)?;
            return Ok(answer);
        }
    }
}
