//! Keys → actions, per mode. The help overlay is generated from `HELP`, so the two never drift.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, Purpose};
use super::state::State;

/// (keys, what they do) in browse mode, then search mode.
pub const HELP: &[(&str, &str)] = &[
    ("↑/↓  k/j", "move"),
    ("PgUp/PgDn", "move a page"),
    ("g / G", "first / last row"),
    ("→ / l", "expand OU, or step into it"),
    ("← / h", "collapse OU, or go to parent"),
    ("Enter", "OU: expand / collapse; account: shell"),
    ("s", "shell in the account (picks a role)"),
    ("c", "AWS console in the browser"),
    ("/", "search accounts and OUs"),
    ("y", "copy the selected ID (OSC 52)"),
    ("r", "refresh from AWS"),
    ("Ctrl-Z", "suspend orgnav (fg resumes)"),
    ("?", "this help"),
    ("q / Ctrl-C", "quit"),
    ("", ""),
    ("Search", ""),
    ("type", "names fuzzy; ID, email, path, tags"),
    ("↑/↓  Ctrl-P/N", "move through results"),
    ("Enter", "jump to the result in the tree"),
    ("Ctrl-U", "clear the query"),
    ("Esc", "close search"),
];

pub fn map_key(state: &State, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if ctrl && key.code == KeyCode::Char('z') {
        return Some(Action::Suspend);
    }
    if state.modal.is_some() {
        return modal_key(key);
    }
    if state.help {
        return match key.code {
            KeyCode::Char('q') => Some(Action::Quit),
            _ => Some(Action::ToggleHelp),
        };
    }
    if state.search.is_some() {
        return search_key(key, ctrl);
    }
    Some(match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Up | KeyCode::Char('k') => Action::MoveUp,
        KeyCode::Down | KeyCode::Char('j') => Action::MoveDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Right | KeyCode::Char('l') => Action::Expand,
        KeyCode::Left | KeyCode::Char('h') => Action::Collapse,
        KeyCode::Enter => Action::Activate,
        KeyCode::Char('/') => Action::OpenSearch,
        KeyCode::Char('y') => Action::CopyId,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('s') => Action::Enter(Purpose::Shell),
        KeyCode::Char('c') => Action::Enter(Purpose::Console),
        KeyCode::Char('?') => Action::ToggleHelp,
        _ => return None,
    })
}

fn search_key(key: KeyEvent, ctrl: bool) -> Option<Action> {
    Some(match key.code {
        KeyCode::Esc => Action::CloseSearch,
        KeyCode::Enter => Action::SearchAccept,
        KeyCode::Up => Action::MoveUp,
        KeyCode::Down => Action::MoveDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Backspace => Action::SearchBackspace,
        KeyCode::Char('p') if ctrl => Action::MoveUp,
        KeyCode::Char('n') if ctrl => Action::MoveDown,
        KeyCode::Char('u') if ctrl => Action::SearchClear,
        KeyCode::Char('y') if ctrl => Action::CopyId,
        KeyCode::Char(c) if !ctrl => Action::SearchInput(c),
        _ => return None,
    })
}

fn modal_key(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Esc => Action::ModalCancel,
        KeyCode::Enter => Action::ModalConfirm,
        KeyCode::Up => Action::MoveUp,
        KeyCode::Down => Action::MoveDown,
        KeyCode::Backspace => Action::ModalBackspace,
        // In the role picker j/k move; in the confirmation y/n answer; in the MFA prompt
        // every character is input. `update` routes them by modal.
        KeyCode::Char(c) => Action::ModalInput(c),
        _ => return None,
    })
}
