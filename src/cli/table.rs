//! The CLI's tables: a header row, columns aligned by display width (CJK names take two
//! columns a character), fitted to a terminal by shortening names and paths — never IDs — and
//! coloured only on a terminal without `NO_COLOR`.

use std::io::IsTerminal;

use unicode_width::UnicodeWidthStr;

use crate::text::{cut, cut_start};

/// How output is shown: where it goes decides, never the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    /// ANSI colour (a terminal, and `NO_COLOR` unset or empty).
    pub colour: bool,
    /// The terminal's width; `None` when piped: scripts get every character.
    pub width: Option<usize>,
}

pub use crate::text::colour_allowed;

impl Look {
    /// For what goes to stdout.
    pub fn stdout() -> Self {
        let terminal = std::io::stdout().is_terminal();
        Self {
            colour: colour_allowed(terminal),
            width: if terminal {
                width_of(libc::STDOUT_FILENO)
            } else {
                None
            },
        }
    }

    /// For what goes to stderr (messages that list accounts).
    pub fn stderr() -> Self {
        let terminal = std::io::stderr().is_terminal();
        Self {
            colour: colour_allowed(terminal),
            width: if terminal {
                width_of(libc::STDERR_FILENO)
            } else {
                None
            },
        }
    }

    /// `text` in `paint`, when colour is on.
    pub fn paint(&self, text: &str, paint: Paint) -> String {
        match (self.colour, paint.code()) {
            (true, Some(code)) if !text.is_empty() => format!("\x1b[{code}m{text}\x1b[0m"),
            _ => text.to_string(),
        }
    }
}

/// The columns of the terminal `fd` is, if it says.
fn width_of(fd: libc::c_int) -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills a zeroed winsize for a descriptor this process holds.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut size) };
    (rc == 0 && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

/// What a cell's colour means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paint {
    #[default]
    Plain,
    /// Over the critical threshold.
    Critical,
    /// Over the warning threshold.
    Warn,
    /// A production account.
    Production,
    /// Quiet detail (inactive accounts, counts).
    Dim,
}

impl Paint {
    fn code(self) -> Option<&'static str> {
        match self {
            Self::Plain => None,
            Self::Critical => Some("31"),
            Self::Warn => Some("33"),
            Self::Production => Some("1;31"),
            Self::Dim => Some("2"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One column: its header, alignment, and whether it may be shortened to fit (IDs may not)
/// or left out when shortening is not enough (what another column repeats, like a bar).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub align: Align,
    /// Shortened first when lower; `None`: never shortened.
    pub shrink: Option<u8>,
    /// Left out on a narrow terminal before names are shortened to the bone.
    pub droppable: bool,
    /// Shortened at the start (`…Prod/Payments`): a path's end says most.
    pub keep_end: bool,
}

impl Column {
    pub const fn fixed(header: &'static str) -> Self {
        Self {
            header,
            align: Align::Left,
            shrink: None,
            droppable: false,
            keep_end: false,
        }
    }
    pub const fn right(header: &'static str) -> Self {
        Self {
            align: Align::Right,
            ..Self::fixed(header)
        }
    }
    /// A name or path: cut with `…` when the terminal is too narrow, `order` first.
    pub const fn shrinkable(header: &'static str, order: u8) -> Self {
        Self {
            shrink: Some(order),
            ..Self::fixed(header)
        }
    }
    /// An OU path: cut at the start, `order` as for `shrinkable`.
    pub const fn path(header: &'static str, order: u8) -> Self {
        Self {
            keep_end: true,
            ..Self::shrinkable(header, order)
        }
    }
    /// Shown only when the terminal has room for it.
    pub const fn droppable(header: &'static str) -> Self {
        Self {
            droppable: true,
            ..Self::fixed(header)
        }
    }
}

/// Names are shortened to this before droppable columns go...
const COMFORTABLE: usize = 16;
/// ...and then to this at most: enough to recognise a name.
const MIN_SHRUNK: usize = 8;
const GAP: &str = "  ";

pub struct Table {
    columns: Vec<Column>,
    rows: Vec<Vec<(String, Paint)>>,
}

impl Table {
    pub fn new(columns: &[Column]) -> Self {
        Self {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<(String, Paint)>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Plain cells.
    pub fn push_plain(&mut self, row: Vec<String>) {
        self.push(row.into_iter().map(|c| (c, Paint::Plain)).collect());
    }

    /// Natural widths; on a terminal, shortened (lowest `shrink` first) to a comfortable
    /// width, then droppable columns left out (`None`), then shortened further, each only
    /// while the line is wider than `width`.
    fn widths(&self, width: Option<usize>) -> Vec<Option<usize>> {
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.header.width()).collect();
        for row in &self.rows {
            for (w, (cell, _)) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        let mut shown: Vec<Option<usize>> = widths.iter().copied().map(Some).collect();
        let Some(limit) = width else {
            return shown;
        };
        let over = |ws: &[Option<usize>]| {
            let cells = ws.iter().flatten();
            let line = cells.clone().sum::<usize>() + GAP.len() * cells.count().saturating_sub(1);
            line.saturating_sub(limit)
        };
        let mut order: Vec<(u8, usize)> = (self.columns.iter().enumerate())
            .filter_map(|(i, c)| Some((c.shrink?, i)))
            .collect();
        order.sort_unstable();
        let shrink = |shown: &mut Vec<Option<usize>>, least: usize| {
            for &(_, i) in &order {
                let now = shown[i].unwrap_or(0);
                let floor = least.max(self.columns[i].header.width()).min(now);
                shown[i] = Some(now - over(shown).min(now - floor));
            }
        };
        shrink(&mut shown, COMFORTABLE);
        for (i, c) in self.columns.iter().enumerate().rev() {
            if c.droppable && over(&shown) > 0 {
                shown[i] = None;
            }
        }
        shrink(&mut shown, MIN_SHRUNK);
        shown
    }

    /// The header and every row, one line each.
    pub fn render(&self, look: &Look) -> String {
        let widths = self.widths(look.width);
        let header: Vec<(String, Paint)> = (self.columns.iter())
            .map(|c| (c.header.to_string(), Paint::Plain))
            .collect();
        let mut out = String::new();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            let mut first = true;
            let cells = row.iter().zip(&self.columns).zip(&widths);
            for (((cell, paint), column), width) in cells {
                let Some(width) = *width else { continue };
                let shown = if column.keep_end {
                    cut_start(cell, width)
                } else {
                    cut(cell, width)
                };
                let room = " ".repeat(width.saturating_sub(shown.width()));
                let painted = look.paint(&shown, *paint);
                if !std::mem::take(&mut first) {
                    line.push_str(GAP);
                }
                match column.align {
                    Align::Right => line.push_str(&format!("{room}{painted}")),
                    Align::Left => line.push_str(&format!("{painted}{room}")),
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(&[
            Column::shrinkable("NAME", 1),
            Column::fixed("ID"),
            Column::path("PATH", 0),
        ]);
        t.push_plain(vec![
            "決済-本番".into(),
            "156589576361".into(),
            "Workloads/Prod/Payments".into(),
        ]);
        t.push_plain(vec!["a".into(), "123456789012".into(), "/".into()]);
        t
    }

    #[test]
    fn columns_align_by_display_width() {
        let text = table().render(&Look::default());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "NAME       ID            PATH");
        assert_eq!(lines[1], "決済-本番  156589576361  Workloads/Prod/Payments");
        assert_eq!(lines[2], "a          123456789012  /");
    }

    #[test]
    fn fitting_shortens_paths_then_names_never_ids() {
        let look = Look {
            colour: false,
            width: Some(34),
        };
        let text = table().render(&look);
        for line in text.lines() {
            assert!(line.width() <= 34, "{line}");
        }
        assert!(text.contains("…Payments"), "{text}");
        assert!(text.contains("156589576361") && text.contains("123456789012"));
        assert!(
            text.contains("決済-本番"),
            "names shortened only after paths: {text}"
        );
    }

    #[test]
    fn droppable_columns_go_when_shortening_is_not_enough() {
        let mut t = Table::new(&[
            Column::fixed("ID"),
            Column::droppable("BAR"),
            Column::right("%"),
        ]);
        t.push_plain(vec!["123456789012".into(), "█████".into(), "50%".into()]);
        let narrow = Look {
            colour: false,
            width: Some(18),
        };
        assert_eq!(
            t.render(&narrow),
            format!("ID{}%\n123456789012  50%\n", " ".repeat(14))
        );
        assert!(t.render(&Look::default()).contains("█████"));
    }

    #[test]
    fn paint_only_with_colour() {
        let on = Look {
            colour: true,
            width: None,
        };
        assert_eq!(on.paint("CRIT", Paint::Critical), "\x1b[31mCRIT\x1b[0m");
        assert_eq!(Look::default().paint("CRIT", Paint::Critical), "CRIT");
    }
}
