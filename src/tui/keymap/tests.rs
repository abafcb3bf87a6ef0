//! `map_key` per mode, the `[keys]` config, and the table against the help overlay.

use std::collections::BTreeMap;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::config::Config;
use crate::tui::action::{HelpScroll, Purpose};
use crate::tui::state::{Modal, PendingEntry, SearchState, Status};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::from(code)
}
fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}
fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}
fn state() -> State {
    State::new(Status::default(), Default::default())
}

#[test]
fn browse_keys() {
    let s = state();
    assert_eq!(map_key(&s, ch('s')), Some(Action::Enter(Purpose::Shell)));
    assert_eq!(map_key(&s, ch('c')), Some(Action::Enter(Purpose::Console)));
    assert_eq!(map_key(&s, ch('f')), Some(Action::ToggleFavourite));
    assert_eq!(map_key(&s, ch('j')), Some(Action::MoveDown));
    assert_eq!(map_key(&s, key(KeyCode::Home)), Some(Action::Top));
    assert_eq!(map_key(&s, ch('Q')), Some(Action::OpenSweep));
    assert_eq!(map_key(&s, ch('?')), Some(Action::ToggleHelp));
    assert_eq!(map_key(&s, ch('q')), Some(Action::Quit));
    assert_eq!(map_key(&s, ctrl('c')), Some(Action::Quit));
    assert_eq!(map_key(&s, ctrl('z')), Some(Action::Suspend));
    assert_eq!(map_key(&s, ch('x')), None);
    // Esc and the next key read together under load arrive as Alt-key.
    let alt_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT);
    assert_eq!(map_key(&s, alt_q), Some(Action::Quit));
    let release = KeyEvent {
        kind: crossterm::event::KeyEventKind::Release,
        ..ch('q')
    };
    assert_eq!(map_key(&s, release), None);
}

#[test]
fn esc_in_browse_cancels_only_an_entry_in_flight() {
    let mut s = state();
    assert_eq!(map_key(&s, key(KeyCode::Esc)), None);
    s.entry = Some(PendingEntry {
        request: 1,
        account_id: "111111111111".into(),
        account_name: "a".into(),
        role: "R".into(),
        purpose: Purpose::Shell,
        opening_console: false,
    });
    assert_eq!(map_key(&s, key(KeyCode::Esc)), Some(Action::CancelPending));
}

#[test]
fn search_keys_type_letters() {
    let mut s = state();
    s.search = Some(SearchState::default());
    assert_eq!(map_key(&s, ch('q')), Some(Action::SearchInput('q')));
    assert_eq!(map_key(&s, ch('s')), Some(Action::SearchInput('s')));
    assert_eq!(map_key(&s, ch(' ')), Some(Action::SearchInput(' ')));
    assert_eq!(map_key(&s, ctrl('p')), Some(Action::MoveUp));
    assert_eq!(map_key(&s, ctrl('u')), Some(Action::SearchClear));
    assert_eq!(map_key(&s, ctrl('y')), Some(Action::CopyId));
    assert_eq!(map_key(&s, key(KeyCode::Esc)), Some(Action::CloseSearch));
    assert_eq!(map_key(&s, key(KeyCode::Enter)), Some(Action::SearchAccept));
    assert_eq!(
        map_key(&s, key(KeyCode::Backspace)),
        Some(Action::SearchBackspace)
    );
    assert_eq!(map_key(&s, ctrl('c')), Some(Action::Quit));
    assert_eq!(map_key(&s, ctrl('x')), None);
}

#[test]
fn every_kind_of_dialog_takes_characters_as_input() {
    let snapshot = crate::source::demo_snapshot().unwrap();
    let account = Box::new(snapshot.org.accounts[0].clone());
    let option = crate::aws::roles::RoleOption {
        name: "Admin".into(),
        role_arn: "arn:aws:iam::111111111111:role/Admin".into(),
        source: crate::aws::roles::RoleSource::Default,
        via_profile: None,
    };
    let modals = [
        Modal::Login { code: None },
        Modal::PickRole {
            account: account.clone(),
            options: vec![option.clone()],
            selected: 0,
            purpose: Purpose::Shell,
        },
        Modal::ConfirmProduction {
            account: account.clone(),
            option: option.clone(),
            purpose: Purpose::Console,
        },
        Modal::Mfa {
            account,
            option: Box::new(option),
            purpose: Purpose::Shell,
            serial: "arn:aws:iam::111111111111:mfa/me".into(),
            code: String::new(),
        },
    ];
    for modal in modals {
        let mut s = state();
        s.help = true; // a dialog takes the keys even over the help
        s.modal = Some(modal);
        assert_eq!(map_key(&s, ch('q')), Some(Action::ModalInput('q')));
        assert_eq!(map_key(&s, ch('y')), Some(Action::ModalInput('y')));
        assert_eq!(map_key(&s, key(KeyCode::Esc)), Some(Action::ModalCancel));
        assert_eq!(map_key(&s, key(KeyCode::Enter)), Some(Action::ModalConfirm));
        assert_eq!(map_key(&s, key(KeyCode::Up)), Some(Action::MoveUp));
        assert_eq!(
            map_key(&s, key(KeyCode::Backspace)),
            Some(Action::ModalBackspace)
        );
        assert_eq!(map_key(&s, ctrl('c')), Some(Action::Quit));
    }
}

#[test]
fn help_keys_scroll_and_close_and_others_do_nothing() {
    let mut s = state();
    s.help = true;
    assert_eq!(
        map_key(&s, key(KeyCode::Down)),
        Some(Action::ScrollHelp(HelpScroll::Down))
    );
    assert_eq!(
        map_key(&s, ch('k')),
        Some(Action::ScrollHelp(HelpScroll::Up))
    );
    assert_eq!(
        map_key(&s, key(KeyCode::PageDown)),
        Some(Action::ScrollHelp(HelpScroll::PageDown))
    );
    for close in [key(KeyCode::Esc), ch('q'), ch('?')] {
        assert_eq!(map_key(&s, close), Some(Action::ToggleHelp));
    }
    assert_eq!(map_key(&s, ch('s')), None);
    assert_eq!(map_key(&s, ctrl('c')), Some(Action::Quit));
}

#[test]
fn sweep_keys() {
    let mut s = state();
    s.quotas.sweep_open = true;
    assert_eq!(map_key(&s, ch('j')), Some(Action::MoveDown));
    assert_eq!(map_key(&s, ch('G')), Some(Action::Bottom));
    assert_eq!(map_key(&s, key(KeyCode::Enter)), Some(Action::SweepAccept));
    assert_eq!(map_key(&s, ch('r')), Some(Action::Refresh));
    assert_eq!(map_key(&s, ch('u')), Some(Action::ToggleQuotaFilter));
    for close in [key(KeyCode::Esc), ch('q'), ch('Q')] {
        assert_eq!(map_key(&s, close), Some(Action::CloseSweep));
    }
    assert_eq!(map_key(&s, ch('s')), None);
}

fn keys(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(n, k)| (n.to_string(), k.iter().map(|k| k.to_string()).collect()))
        .collect()
}

#[test]
fn rebinding_replaces_the_default_keys_everywhere_the_action_is() {
    let mut s = state();
    s.keymap = Keymap::new(&keys(&[("help", &["F1"]), ("shell", &["S", "alt-s"])])).unwrap();
    assert_eq!(map_key(&s, key(KeyCode::F(1))), Some(Action::ToggleHelp));
    assert_eq!(map_key(&s, ch('?')), None);
    assert_eq!(map_key(&s, ch('S')), Some(Action::Enter(Purpose::Shell)));
    let alt_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::ALT);
    assert_eq!(map_key(&s, alt_s), Some(Action::Enter(Purpose::Shell)));
    assert_eq!(map_key(&s, ch('s')), None);
    s.help = true;
    assert_eq!(map_key(&s, key(KeyCode::F(1))), Some(Action::ToggleHelp));
    assert_eq!(
        s.keymap
            .key_for(Mode::Browse, &Action::ToggleHelp)
            .as_deref(),
        Some("F1")
    );
    // An empty list unbinds.
    let unbound = Keymap::new(&keys(&[("quit", &[])])).unwrap();
    assert_eq!(unbound.action(Mode::Browse, ch('q')), None);
    assert_eq!(unbound.action(Mode::Browse, ctrl('c')), Some(Action::Quit));
}

fn config_error(text: &str) -> crate::config::ConfigError {
    Config::parse_checked(
        text,
        Path::new("/etc/orgnav.toml"),
        &[super::Keymap::check_config],
    )
    .unwrap_err()
}

#[test]
fn keys_are_read_from_config() {
    let c = Config::parse_checked(
        "[keys]\nshell = [\"s\", \"enter\"]\nactivate = []\n",
        Path::new("x"),
        &[super::Keymap::check_config],
    )
    .unwrap();
    assert_eq!(c.keys["shell"], ["s", "enter"]);
}

#[test]
fn config_key_errors_name_line_and_key() {
    let e = config_error("profile = \"p\"\n\n[keys]\nshel = [\"s\"]\n");
    assert_eq!((e.key.as_str(), e.line), ("keys.shel", 4));
    assert!(e.message.contains("unknown action `shel`"), "{e}");
    assert!(e.message.contains("copy_id"), "{e}");

    let e = config_error("[keys]\nhelp = [\"?\"]\nshell = [\"s\", \"ctrl-\"]\n");
    assert_eq!((e.key.as_str(), e.line), ("keys.shell", 3));
    assert!(e.message.contains("unknown key `ctrl-`"), "{e}");

    let e = config_error("[keys]\nshell = \"s\"\n");
    assert_eq!((e.key.as_str(), e.line), ("keys.shell", 2));
}

#[test]
fn a_rebound_key_leaves_the_defaults_of_other_actions() {
    let map = Keymap::new(&keys(&[("shell", &["s", "enter"])])).unwrap();
    let enter = key(KeyCode::Enter);
    assert_eq!(
        map.action(Mode::Browse, enter),
        Some(Action::Enter(Purpose::Shell))
    );
    // Only in the modes `shell` has: Enter still shows the sweep's account.
    assert_eq!(map.action(Mode::Sweep, enter), Some(Action::SweepAccept));
    assert!(!map.help().contains(&HelpLine::Keys {
        keys: "Enter".into(),
        what: "OU: toggle; account: shell"
    }));
    // Swapping two actions' keys is fine.
    let swapped = Keymap::new(&keys(&[("shell", &["c"]), ("console", &["s"])])).unwrap();
    assert_eq!(
        swapped.action(Mode::Browse, ch('c')),
        Some(Action::Enter(Purpose::Shell))
    );
}

#[test]
fn one_key_given_to_two_actions_is_a_config_error() {
    let e = config_error("[keys]\nconsole = [\"x\"]\n\nshell = [\"x\"]\n");
    assert_eq!((e.key.as_str(), e.line), ("keys.shell", 4));
    assert!(e.message.contains("`x`"), "{e}");
    assert!(
        e.message.contains("`console`") && e.message.contains("`shell`"),
        "{e}"
    );
    // Onto a key that is not rebindable: Ctrl-C quits everywhere.
    let e = config_error("[keys]\nquota_filter = [\"ctrl-c\"]\n");
    assert_eq!((e.key.as_str(), e.line), ("keys.quota_filter", 2));
    assert!(e.message.contains("the fixed key for \"quit\""), "{e}");
    // In the sweep, q is a fixed key.
    let e = config_error("[keys]\nrefresh = [\"q\"]\n");
    assert_eq!(e.key, "keys.refresh");
    assert!(e.message.contains("Quota sweep"), "{e}");
}

#[test]
fn the_public_action_names_exist() {
    let names = names();
    for n in [
        "quit",
        "help",
        "search",
        "shell",
        "console",
        "console_last",
        "favourite",
        "refresh",
        "copy_id",
        "quotas_tab",
        "sweep",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    for n in names {
        assert!(
            n.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{n} is not snake_case"
        );
    }
}

/// The help and the keys come from one table: every key of every row is listed under its
/// mode with its text, `map_key` does that row's action in that mode, and nothing else is
/// listed.
#[test]
fn help_lists_exactly_the_bound_keys() {
    let map = Keymap::default();
    let help = map.help();
    let mut listed: Vec<(Mode, String, &str)> = Vec::new();
    let mut mode = Mode::Browse;
    for line in &help {
        match line {
            HelpLine::Section(title) => {
                mode = Mode::ALL.into_iter().find(|m| m.title() == *title).unwrap();
            }
            HelpLine::Keys { keys, what } => {
                listed.extend(keys.split(' ').map(|k| (mode, k.to_string(), *what)));
            }
            HelpLine::Blank => {}
        }
    }
    let mut expected = Vec::new();
    for b in BINDINGS {
        assert!(!b.help.is_empty());
        match &b.does {
            Does::Type(_) => expected.push((b.mode, "type".to_string(), b.help)),
            Does::Act(action) => {
                assert!(!b.keys.is_empty(), "{action:?} has no default key");
                for k in b.keys {
                    let chord = Chord::parse(k).unwrap();
                    expected.push((b.mode, chord.label(), b.help));
                    let event = KeyEvent::new(chord.code, chord.mods);
                    let got = map.action(b.mode, event);
                    assert_eq!(got.as_ref(), Some(action), "{k} in {:?}", b.mode);
                }
            }
        }
    }
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
}

/// The README's example configuration, `[keys]` included, is a valid config.
#[test]
fn the_readme_example_config_is_valid() {
    let readme = include_str!("../../../README.md");
    let start = readme.find("```toml\nprofile").expect("the example") + "```toml\n".len();
    let len = readme[start..].find("```").expect("its end");
    let c = Config::parse_checked(
        &readme[start..start + len],
        Path::new("README.md"),
        &[super::Keymap::check_config],
    )
    .unwrap();
    assert_eq!(c.keys["help"], ["F1"]);
}
