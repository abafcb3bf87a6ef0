//! The managed block of an AWS config file: found between two marker lines, everything
//! around it kept byte for byte.

pub const BEGIN: &str = "# >>> orgnav managed profiles (do not edit) >>>";
pub const END: &str = "# <<< orgnav managed profiles <<<";

/// An AWS config file cut around the managed block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// Everything before the begin marker (the whole file when there is no block).
    pub before: &'a str,
    /// The lines between the markers; None when the file has no block yet.
    pub inside: Option<&'a str>,
    /// Everything after the end marker's line.
    pub after: &'a str,
}

/// (start, end) byte offsets of each line, the end including its `\n`.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let line = (start, end);
        start = end;
        Some(line)
    })
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.trim_end_matches(['\n', '\r']).trim() == marker
}

/// Cuts `text` around the block. A second block, or one marker without the other, is an
/// error: the file was edited by hand and guessing could delete someone's profiles.
pub fn split(text: &str) -> Result<Split<'_>, String> {
    let mut begin = None;
    let mut end = None;
    for (s, e) in lines(text) {
        let line = &text[s..e];
        if is_marker(line, BEGIN) {
            if begin.is_some() {
                return Err("it has two orgnav managed blocks; delete one by hand".into());
            }
            begin = Some((s, e));
        } else if is_marker(line, END) {
            if begin.is_none() || end.is_some() {
                return Err(
                    "its orgnav end marker has no begin marker before it; fix the markers by hand"
                        .into(),
                );
            }
            end = Some((s, e));
        }
    }
    match (begin, end) {
        (None, None) => Ok(Split {
            before: text,
            inside: None,
            after: "",
        }),
        (Some((bs, be)), Some((es, ee))) => Ok(Split {
            before: &text[..bs],
            inside: Some(&text[be..es]),
            after: &text[ee..],
        }),
        _ => Err("its orgnav begin marker has no end marker; fix the markers by hand".into()),
    }
}

/// The profile a section header names: `[default]` and `[profile NAME]`; None for
/// `[sso-session …]`, `[services …]` and anything else.
fn header_profile(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner == "default" {
        return Some(inner);
    }
    let name = inner.strip_prefix("profile")?;
    name.starts_with(char::is_whitespace).then(|| name.trim())
}

fn is_header(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('[') && t.ends_with(']')
}

/// Profiles named in `text` (outside the block): generated names must not shadow them.
pub fn profile_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(header_profile)
        .map(str::to_string)
        .collect()
}

/// A `[profile NAME]` section inside the block, with its text from the header to the next
/// header (trailing blank lines dropped, one `\n` at the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub text: String,
}

/// The sections inside the block; lines before the first header are not kept (orgnav writes
/// none).
pub fn sections(inside: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for line in inside.split_inclusive('\n') {
        if is_header(line) {
            out.push(Section {
                name: header_profile(line).unwrap_or(line.trim()).to_string(),
                text: String::new(),
            });
        }
        if let Some(last) = out.last_mut() {
            last.text.push_str(line);
        }
    }
    for s in &mut out {
        let trimmed = s.text.trim_end().len();
        s.text.truncate(trimmed);
        s.text.push('\n');
    }
    out
}

/// One section as orgnav writes it.
pub fn render_section(name: &str, settings: &[(String, String)]) -> String {
    let mut out = format!("[profile {name}]\n");
    for (k, v) in settings {
        out.push_str(&format!("{k} = {v}\n"));
    }
    out
}

/// The whole file with `sections` as the block's content. A file without a block gets it
/// at the end, after a blank line (and the newline its last line lacked, if any).
pub fn assemble(split: &Split<'_>, sections: &[String]) -> String {
    let mut out = String::from(split.before);
    if split.inside.is_none() && !out.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
    }
    out.push_str(BEGIN);
    out.push('\n');
    out.push_str(&sections.join("\n"));
    out.push_str(END);
    out.push('\n');
    out.push_str(split.after);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_the_block_and_keeps_the_rest() {
        let text = format!("# mine\n[profile a]\n{BEGIN}\n[profile x]\nk = v\n\n{END}\n  tail");
        let s = split(&text).unwrap();
        assert_eq!(s.before, "# mine\n[profile a]\n");
        assert_eq!(s.inside, Some("[profile x]\nk = v\n\n"));
        assert_eq!(s.after, "  tail");
        let secs = sections(s.inside.unwrap());
        assert_eq!(secs[0].name, "x");
        assert_eq!(secs[0].text, "[profile x]\nk = v\n");
        assert_eq!(
            assemble(&s, &[secs[0].text.clone()]),
            text.replace("v\n\n", "v\n")
        );
    }

    #[test]
    fn broken_markers_are_refused() {
        assert!(split(&format!("{BEGIN}\n")).is_err());
        assert!(split(&format!("{END}\n")).is_err());
        assert!(split(&format!("{BEGIN}\n{END}\n{BEGIN}\n{END}\n")).is_err());
    }

    #[test]
    fn profile_names_reads_default_and_profile_headers_only() {
        let names = profile_names("[default]\n[profile  a.b ]\n[sso-session corp]\n[profilex]\n");
        assert_eq!(names, ["default", "a.b"]);
    }

    #[test]
    fn a_new_block_goes_after_a_blank_line() {
        let s = split("[default]\nregion = x").unwrap();
        let out = assemble(&s, &["[profile p]\n".into()]);
        assert_eq!(
            out,
            format!("[default]\nregion = x\n\n{BEGIN}\n[profile p]\n{END}\n")
        );
    }
}
