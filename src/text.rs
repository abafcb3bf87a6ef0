//! Text in fixed-width columns, shared by the CLI's tables and the TUI's panes.

use unicode_width::UnicodeWidthStr;

/// `s` padded with spaces to `width` columns (never cut).
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

/// Exactly `width` columns: cut with `…` when longer, padded when shorter.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return pad(s, width);
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
    out.push('…');
    pad(&out, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_and_pads() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("日本語", 4), "日… ");
    }
}
