//! Key syntax shared by the built-in table and config `[keys]`: `k`, `Q`, `?`, named keys
//! (`enter`, `esc`, `tab`, `up`, `down`, `left`, `right`, `pgup`, `pgdn`, `home`, `end`,
//! `backspace`, `space`, `f1`..`f12`) and the modifiers `ctrl-` / `alt-` in front.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key with its modifiers, normalised so a key event and a written key compare equal:
/// Shift is part of the character (`Q`), never a modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const NAMED: &[(&str, KeyCode, &str)] = &[
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("tab", KeyCode::Tab, "Tab"),
    ("up", KeyCode::Up, "↑"),
    ("down", KeyCode::Down, "↓"),
    ("left", KeyCode::Left, "←"),
    ("right", KeyCode::Right, "→"),
    ("pgup", KeyCode::PageUp, "PgUp"),
    ("pgdn", KeyCode::PageDown, "PgDn"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
    ("backspace", KeyCode::Backspace, "Backspace"),
    ("space", KeyCode::Char(' '), "Space"),
];

impl Chord {
    pub fn from_event(key: KeyEvent) -> Self {
        let mut mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match key.code {
            // Terminals report Ctrl-Shift-x and Ctrl-x alike; bindings are written lower case.
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            other => other,
        };
        Self { code, mods }
    }

    /// Parses `ctrl-u`, `alt-x`, `F1`, `enter`, `?`. The error says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            // A lone `-` is the minus key, not a modifier separator.
            if rest.len() > 5 && lower.starts_with("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[5..];
            } else if rest.len() > 4 && lower.starts_with("alt-") {
                mods |= KeyModifiers::ALT;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let code = key_code(rest).ok_or_else(|| {
            format!(
                "unknown key `{text}`: use one character, a named key (enter, esc, tab, up, down, \
                 left, right, pgup, pgdn, home, end, backspace, space, f1..f12), \
                 optionally after ctrl- or alt-"
            )
        })?;
        let code = match code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Ok(Self { code, mods })
    }

    /// How the help overlay shows it: `k`, `↑`, `Ctrl-U`, `F1`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                out.push(c.to_ascii_uppercase())
            }
            code => match NAMED.iter().find(|(_, k, _)| *k == code) {
                Some((_, _, shown)) => out.push_str(shown),
                None => match code {
                    KeyCode::Char(c) => out.push(c),
                    other => out.push_str(&format!("{other:?}")),
                },
            },
        }
        out
    }
}

fn key_code(text: &str) -> Option<KeyCode> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(KeyCode::Char(c));
    }
    let lower = text.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=12).contains(&n).then_some(KeyCode::F(n));
    }
    NAMED
        .iter()
        .find(|(name, _, _)| *name == lower)
        .map(|(_, code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chord(code: KeyCode, mods: KeyModifiers) -> Chord {
        Chord { code, mods }
    }

    #[test]
    fn written_keys_parse() {
        let none = KeyModifiers::NONE;
        assert_eq!(Chord::parse("s"), Ok(chord(KeyCode::Char('s'), none)));
        assert_eq!(Chord::parse("Q"), Ok(chord(KeyCode::Char('Q'), none)));
        assert_eq!(Chord::parse("-"), Ok(chord(KeyCode::Char('-'), none)));
        assert_eq!(Chord::parse("F1"), Ok(chord(KeyCode::F(1), none)));
        assert_eq!(Chord::parse("enter"), Ok(chord(KeyCode::Enter, none)));
        assert_eq!(Chord::parse("PgDn"), Ok(chord(KeyCode::PageDown, none)));
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(Chord::parse("ctrl-U"), Ok(chord(KeyCode::Char('u'), ctrl)));
        assert_eq!(
            Chord::parse("alt-x"),
            Ok(chord(KeyCode::Char('x'), KeyModifiers::ALT))
        );
        assert_eq!(Chord::parse("ctrl--"), Ok(chord(KeyCode::Char('-'), ctrl)));
    }

    #[test]
    fn unknown_keys_are_refused() {
        for bad in ["", "f13", "f0", "enterr", "ctrl-", "shift-x", "ctrl-foo"] {
            let e = Chord::parse(bad).unwrap_err();
            assert!(e.contains("unknown key"), "{bad}: {e}");
        }
    }

    #[test]
    fn events_match_written_keys() {
        let shifted = KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT);
        assert_eq!(Chord::from_event(shifted), Chord::parse("Q").unwrap());
        let ctrl = KeyEvent::new(KeyCode::Char('U'), KeyModifiers::CONTROL);
        assert_eq!(Chord::from_event(ctrl), Chord::parse("ctrl-u").unwrap());
        assert_eq!(Chord::parse("ctrl-u").unwrap().label(), "Ctrl-U");
        assert_eq!(Chord::parse("pgup").unwrap().label(), "PgUp");
        assert_eq!(Chord::parse("up").unwrap().label(), "↑");
    }
}
