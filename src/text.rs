//! Text in fixed-width columns, shared by the CLI's tables and the TUI's panes.

use unicode_width::UnicodeWidthStr;

/// `s` padded with spaces to `width` columns (never cut).
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

/// Exactly `width` columns: cut with `…` when longer, padded when shorter.
pub fn fit(s: &str, width: usize) -> String {
    pad(&cut(s, width), width)
}

/// At most `width` columns: cut with `…` when longer, unpadded.
pub fn cut(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// At most `width` columns: the end of `s`, after `…` when it is longer.
pub fn cut_start(s: &str, width: usize) -> String {
    if s.width() <= width || width == 0 {
        return cut(s, width);
    }
    let mut tail = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        tail.push(c);
        used += w;
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

/// `1 account`, `2 accounts`, `0 accounts`: counts read as English.
pub fn plural(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else if thing.ends_with("ch") || thing.ends_with('s') {
        format!("{n} {thing}es")
    } else {
        format!("{n} {thing}s")
    }
}

/// Whether output to a stream may be coloured: a terminal, and `NO_COLOR` unset or empty
/// (<https://no-color.org>).
pub fn colour_allowed(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_and_pads() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("日本語", 4), "日… ");
        assert_eq!(cut("日本語", 4), "日…");
        assert_eq!(cut_start("Workloads/Prod", 6), "…/Prod");
        assert_eq!(cut_start("日本語", 4), "…語");
    }

    #[test]
    fn counts_of_one_are_singular() {
        assert_eq!(plural(1, "account"), "1 account");
        assert_eq!(plural(0, "account"), "0 accounts");
        assert_eq!(plural(1, "match"), "1 match");
        assert_eq!(plural(3, "match"), "3 matches");
    }
}
