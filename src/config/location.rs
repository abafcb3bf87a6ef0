//! Where in the file a config error is. Validation errors carry a key path such as
//! `crawl.concurrency` or `roles[1].ou` and no position: the line is found in the parsed
//! document, so `[quotas] concurrency` is not mistaken for `[crawl] concurrency`, and each
//! `[[roles]]` entry is told apart. Syntax errors have a position but no key: the key is read
//! from the text around it.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// 1-based line of byte `offset`.
pub fn line_at(text: &str, offset: usize) -> usize {
    let end = text.floor_char_boundary(offset.min(text.len()));
    text[..end].matches('\n').count() + 1
}

/// The line of the value at `path`; when the key is not in the file (a default that failed a
/// check), the line of the nearest entry around it that is (the `[[roles]]` header, the
/// `[quotas]` table). None when none of the path is in the file.
pub fn line_of_key(text: &str, path: &str) -> Option<usize> {
    let (doc, _) = DeTable::parse_recoverable(text);
    let mut table = doc.get_ref();
    let mut found: Option<Range<usize>> = None;
    for segment in path.split('.') {
        let (name, index) = split_index(segment);
        let Some((_, mut value)) = table.iter().find(|(k, _)| k.get_ref() == name) else {
            break;
        };
        found = Some(value.span());
        if let Some(i) = index {
            let DeValue::Array(items) = value.get_ref() else {
                break;
            };
            let Some(item) = items.get(i) else { break };
            value = item;
            found = Some(value.span());
        }
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => break,
        }
    }
    // A table that only exists implicitly (`[[sso.groups]]` without `[sso]`) has no text.
    found
        .filter(|span| !span.is_empty())
        .map(|span| line_at(text, span.start))
}

/// `roles[1]` → (`roles`, Some(1)); `crawl` → (`crawl`, None).
fn split_index(segment: &str) -> (&str, Option<usize>) {
    match segment.split_once('[') {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
        None => (segment, None),
    }
}

/// The dotted key a syntax error at `span` is about (e.g. a duplicate key): the key written
/// there, inside the table header above it (`[[roles]]` entries numbered from 0). Empty when
/// the error is outside any key.
pub fn key_at(text: &str, span: &Range<usize>) -> String {
    let line = line_at(text, span.start);
    let lines: Vec<&str> = text.lines().collect();
    let Some(here) = lines.get(line - 1) else {
        return String::new();
    };
    if let Some(header) = header_name(here) {
        return header.to_string();
    }
    let key = here
        .split_once('=')
        .map(|(k, _)| unquote(k.trim()))
        .unwrap_or_default();
    let table = lines[..line - 1]
        .iter()
        .rposition(|l| header_name(l).is_some())
        .map(|at| table_path(&lines[..=at]))
        .unwrap_or_default();
    match (table.is_empty(), key.is_empty()) {
        (_, true) => table,
        (true, false) => key,
        (false, false) => format!("{table}.{key}"),
    }
}

/// The path of the table opened by the last line of `lines` (a header), with the index of an
/// array-of-tables entry.
fn table_path(lines: &[&str]) -> String {
    let Some(last) = lines.last() else {
        return String::new();
    };
    let name = header_name(last).unwrap_or_default();
    if !last.trim_start().starts_with("[[") {
        return name.to_string();
    }
    let entries = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("[[") && header_name(l) == Some(name))
        .count();
    format!("{name}[{}]", entries.saturating_sub(1))
}

/// `[crawl]` → `crawl`, `[[sso.groups]]` → `sso.groups`; None for other lines.
fn header_name(line: &str) -> Option<&str> {
    let l = line.trim();
    let inner = l.strip_prefix('[')?;
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    let end = inner.find(']')?;
    Some(inner[..end].trim())
}

fn unquote(key: &str) -> String {
    key.trim_matches(|c| c == '"' || c == '\'').to_string()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{Config, ConfigError};

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/etc/orgnav.toml"))
    }

    /// The error as the user reads it: never `line 0`, never an empty key.
    fn located(text: &str) -> (String, usize, String) {
        let e = parse(text).unwrap_err();
        let shown = e.to_string();
        assert!(!shown.contains("line 0"), "{shown}");
        assert!(!shown.contains("key ``"), "{shown}");
        (e.key, e.line, shown)
    }

    #[test]
    fn a_bad_glob_names_the_role_rule_and_its_line() {
        let text =
            "[[roles]]\nname = \"A\"\nou = \"a/*\"\n\n[[roles]]\nname = \"B\"\nou = \"b/[\"\n";
        let (key, line, _) = located(text);
        assert_eq!((key.as_str(), line), ("roles[1].ou", 7));
        let (key, line, _) = located("[[roles]]\nname = \"A\"\naccount = \"x{\"\n");
        assert_eq!((key.as_str(), line), ("roles[0].account", 3));
    }

    #[test]
    fn a_bad_sso_group_glob_names_the_group_and_its_line() {
        let text = "[sso]\nmode = \"only\"\n\n[[sso.groups]]\nname = \"P\"\naccount = \"*-prod\"\n[[sso.groups]]\nname = \"Q\"\naccount = \"a[\"\n";
        let (key, line, _) = located(text);
        assert_eq!((key.as_str(), line), ("sso.groups[1].account", 9));
    }

    #[test]
    fn a_role_rule_without_a_name_points_at_its_entry() {
        let (key, line, _) = located("[[roles]]\nname = \"A\"\n[[roles]]\nname = \" \"\n");
        assert_eq!((key.as_str(), line), ("roles[1].name", 4));
        let (key, line, _) = located("[[roles]]\nname = \"A\"\n\n[[roles]]\nou = \"a\"\n");
        assert_eq!((key.as_str(), line), ("roles[1]", 4));
    }

    #[test]
    fn a_duplicate_key_is_named_with_its_table() {
        let (key, line, _) = located("[crawl]\nconcurrency = 1\nconcurrency = 2\n");
        assert_eq!((key.as_str(), line), ("crawl.concurrency", 3));
        let (key, line, _) =
            located("[[roles]]\nname = \"a\"\n[[roles]]\nname = \"b\"\nname = \"c\"\n");
        assert_eq!((key.as_str(), line), ("roles[1].name", 5));
        let (key, line, _) = located("profile = \"a\"\nprofile = \"b\"\n");
        assert_eq!((key.as_str(), line), ("profile", 2));
        let (key, line, _) = located("[crawl]\n[quotas]\n[crawl]\n");
        assert_eq!((key.as_str(), line), ("crawl", 3));
    }

    #[test]
    fn a_key_is_found_in_its_own_table() {
        // `concurrency` is in [crawl] too: the [quotas] one is meant.
        let text = "[crawl]\nconcurrency = 4\n[quotas]\nconcurrency = 0\n";
        let (key, line, _) = located(text);
        assert_eq!((key.as_str(), line), ("quotas.concurrency", 4));
    }

    #[test]
    fn a_default_that_fails_a_check_points_at_its_table() {
        // critical keeps its default (0.95), now below warn.
        let (key, line, _) = located("profile = \"x\"\n[quotas]\nwarn = 0.97\n");
        assert_eq!((key.as_str(), line), ("quotas.critical", 2));
    }

    #[test]
    fn a_read_error_shows_neither_line_nor_key() {
        let dir = tempfile::tempdir().unwrap();
        let e = Config::load(dir.path(), true, &[]).unwrap_err();
        let shown = e.to_string();
        assert!(!shown.contains("line"), "{shown}");
        assert!(!shown.contains("key"), "{shown}");
        assert!(shown.contains("cannot read"), "{shown}");
    }
}
