//! Keys → actions, per mode: the table in `table.rs` with the user's config `[keys]` applied.
//! The help overlay lists `Keymap::help`, made from the same rows `map_key` reads.

mod chord;
mod table;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub use chord::Chord;
pub use table::{BINDINGS, Does, Mode};

use super::action::Action;
use super::state::State;

/// The bindings in force: the built-in table, rebound by config `[keys]`.
#[derive(Debug, Clone)]
pub struct Keymap {
    rows: Vec<Row>,
}

#[derive(Debug, Clone)]
struct Row {
    mode: Mode,
    name: Option<&'static str>,
    chords: Vec<Chord>,
    does: Does,
    help: &'static str,
}

/// A `[keys]` entry that cannot be used: its action name and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysError {
    pub name: String,
    pub message: String,
}

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Section(&'static str),
    Keys { keys: String, what: &'static str },
    Blank,
}

impl Default for Keymap {
    fn default() -> Self {
        Self::new(&BTreeMap::new()).expect("the built-in key table has no conflicts (tested)")
    }
}

impl Keymap {
    /// The table with `keys` (action name → keys) applied: the keys given replace the action's
    /// default keys in every mode it has, and leave other actions' defaults; `[]` unbinds it.
    /// Unknown names, unreadable keys and one key given to two actions of one mode (or to an
    /// action and a fixed key) are errors.
    /// The config check for `[keys]` (see `config::Check`): the key table knows the action
    /// names and the key syntax, so config does not keep a copy that could drift.
    pub fn check_config(config: &crate::config::Config) -> Result<(), (String, String)> {
        Self::new(&config.keys)
            .map(drop)
            .map_err(|e| (format!("keys.{}", e.name), e.message))
    }

    pub fn new(keys: &BTreeMap<String, Vec<String>>) -> Result<Self, KeysError> {
        let mut rows = Vec::with_capacity(BINDINGS.len());
        for b in BINDINGS {
            let chords = match b.name.and_then(|n| keys.get(n)) {
                Some(given) => parse_all(b.name.unwrap_or_default(), given)?,
                None => b.keys.iter().filter_map(|k| Chord::parse(k).ok()).collect(),
            };
            rows.push(Row {
                mode: b.mode,
                name: b.name,
                chords,
                does: b.does.clone(),
                help: b.help,
            });
        }
        if let Some(unknown) = keys
            .keys()
            .find(|k| !rows.iter().any(|r| r.name == Some(k)))
        {
            return Err(KeysError {
                name: unknown.clone(),
                message: format!(
                    "unknown action `{unknown}`; the actions are: {}",
                    names().join(", ")
                ),
            });
        }
        let mut map = Self { rows };
        map.take_keys_from_defaults(keys);
        map.check_conflicts(keys)?;
        Ok(map)
    }

    /// The action for `key` in `mode`, if any. Alt-x falls back to x when nothing takes Alt-x
    /// (a slow terminal can deliver Esc and the next key as one Alt chord).
    pub fn action(&self, mode: Mode, key: KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(key);
        let plain = Chord {
            mods: chord.mods - KeyModifiers::ALT,
            ..chord
        };
        let row = self
            .find(mode, chord)
            .or_else(|| self.find(mode, plain).filter(|_| plain != chord));
        if let Some(row) = row {
            return match &row.does {
                Does::Act(a) => Some(a.clone()),
                Does::Type(_) => None,
            };
        }
        let KeyCode::Char(c) = chord.code else {
            return None;
        };
        if chord.mods.contains(KeyModifiers::CONTROL) {
            return None;
        }
        self.in_mode(mode).find_map(|r| match r.does {
            Does::Type(f) => Some(f(c)),
            Does::Act(_) => None,
        })
    }

    /// The first key bound to `action` in `mode`, as the help shows it ("?" or "F1").
    pub fn key_for(&self, mode: Mode, action: &Action) -> Option<String> {
        self.in_mode(mode)
            .filter(|r| r.does.action() == Some(action))
            .find_map(|r| r.chords.first().map(Chord::label))
    }

    /// The help overlay's lines: per mode a section, one line per help text with every key
    /// that does it. Rows without keys (unbound) are left out.
    pub fn help(&self) -> Vec<HelpLine> {
        let mut lines = Vec::new();
        for mode in Mode::ALL {
            let mut entries: Vec<(Vec<String>, &'static str)> = Vec::new();
            for row in self.rows.iter().filter(|r| r.mode == mode) {
                let labels: Vec<String> = match row.does {
                    Does::Type(_) => vec!["type".into()],
                    Does::Act(_) => row.chords.iter().map(Chord::label).collect(),
                };
                match entries.iter_mut().find(|(_, what)| *what == row.help) {
                    Some((keys, _)) => keys.extend(labels),
                    None if !labels.is_empty() => entries.push((labels, row.help)),
                    None => {}
                }
            }
            if !lines.is_empty() {
                lines.push(HelpLine::Blank);
            }
            lines.push(HelpLine::Section(mode.title()));
            lines.extend(entries.into_iter().map(|(keys, what)| HelpLine::Keys {
                keys: keys.join(" "),
                what,
            }));
        }
        lines
    }

    fn in_mode(&self, mode: Mode) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(move |r| r.mode == mode || r.mode == Mode::Global)
    }

    fn find(&self, mode: Mode, chord: Chord) -> Option<&Row> {
        self.in_mode(mode).find(|r| r.chords.contains(&chord))
    }

    /// A key given in `[keys]` leaves the default keys of the other actions of its mode:
    /// `shell = ["s", "enter"]` takes Enter from `activate`. Fixed keys are not taken (that
    /// is a conflict).
    fn take_keys_from_defaults(&mut self, keys: &BTreeMap<String, Vec<String>>) {
        let given = |r: &Row| r.name.is_some_and(|n| keys.contains_key(n));
        let taken: Vec<(Mode, Chord, Option<Action>)> = (self.rows.iter().filter(|r| given(r)))
            .flat_map(|r| {
                r.chords
                    .iter()
                    .map(|c| (r.mode, *c, r.does.action().cloned()))
            })
            .collect();
        for row in self
            .rows
            .iter_mut()
            .filter(|r| r.name.is_some() && !given(r))
        {
            row.chords.retain(|c| {
                !taken
                    .iter()
                    .any(|(m, t, a)| *m == row.mode && t == c && a.as_ref() != row.does.action())
            });
        }
    }

    /// One key, two different actions in one mode: the later could never be reached.
    fn check_conflicts(&self, keys: &BTreeMap<String, Vec<String>>) -> Result<(), KeysError> {
        for mode in Mode::ALL.into_iter().filter(|m| *m != Mode::Global) {
            let rows: Vec<&Row> = self.in_mode(mode).collect();
            for (i, a) in rows.iter().enumerate() {
                for b in &rows[i + 1..] {
                    let Some(chord) = a.chords.iter().find(|c| b.chords.contains(c)) else {
                        continue;
                    };
                    if a.does.action() == b.does.action() {
                        continue;
                    }
                    // Blame the row the user rebound.
                    let (mine, other) = match a.name.is_some_and(|n| keys.contains_key(n)) {
                        true => (a, b),
                        false => (b, a),
                    };
                    let describe = |r: &Row| match r.name {
                        Some(n) => format!("`{n}`"),
                        None => format!("the fixed key for \"{}\"", r.help),
                    };
                    return Err(KeysError {
                        name: mine.name.unwrap_or_default().to_string(),
                        message: format!(
                            "key `{}` is bound to both {} and {} in {} mode; give one of them other keys",
                            chord.label(),
                            describe(mine),
                            describe(other),
                            mode.title()
                        ),
                    });
                }
            }
        }
        Ok(())
    }
}

fn parse_all(name: &str, given: &[String]) -> Result<Vec<Chord>, KeysError> {
    given
        .iter()
        .map(|k| Chord::parse(k))
        .collect::<Result<_, _>>()
        .map_err(|message| KeysError {
            name: name.to_string(),
            message,
        })
}

/// Every name `[keys]` accepts, sorted.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<_> = BINDINGS.iter().filter_map(|b| b.name).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Which keys apply now: dialogs over help over search over the sweep over the tree.
pub fn mode_of(state: &State) -> Mode {
    if state.modal.is_some() {
        Mode::Modal
    } else if state.help {
        Mode::Help
    } else if state.search.is_some() {
        Mode::Search
    } else if state.quotas.sweep_open {
        Mode::Sweep
    } else {
        Mode::Browse
    }
}

pub fn map_key(state: &State, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let action = state.keymap.action(mode_of(state), key)?;
    // Esc in the tree means something only while an entry is in flight.
    if action == Action::CancelPending && state.entry.is_none() {
        return None;
    }
    Some(action)
}
