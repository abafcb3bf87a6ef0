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
    ("Enter", "OU: toggle; account: shell"),
    ("s", "shell (picks a role)"),
    ("c", "AWS console in the browser"),
    ("/", "search accounts and OUs"),
    ("Tab", "details ⇄ quotas of the account"),
    ("R", "quotas: next region"),
    ("u", "quotas: hide/show without usage"),
    ("Q", "quota sweep (OU: its subtree)"),
    ("y", "copy the selected ID (OSC 52)"),
    ("L", "sign in to IAM Identity Center"),
    ("r", "refresh (on Quotas tab: quotas)"),
    ("Esc", "cancel the entry in progress"),
    ("Ctrl-Z", "suspend orgnav (fg resumes)"),
    ("?", "this help"),
    ("q / Ctrl-C", "quit"),
    ("", ""),
    ("Search", ""),
    ("type", "fuzzy names; ID, email, path, tag"),
    ("↑/↓  Ctrl-P/N", "move through results"),
    ("Enter", "jump to the result in the tree"),
    ("Ctrl-U", "clear the query"),
    ("Esc", "close search"),
    ("", ""),
    ("Quota sweep", ""),
    ("↑/↓ PgUp/PgDn", "move"),
    ("Enter", "show the account in the tree"),
    ("u / r", "unknown usage / sweep again"),
    ("Esc / q", "back to the tree (it goes on)"),
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
    if let Some(m) = movement(key.code) {
        return Some(m);
    }
    if state.quotas.sweep_open {
        return sweep_key(key);
    }
    Some(match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Right | KeyCode::Char('l') => Action::Expand,
        KeyCode::Left | KeyCode::Char('h') => Action::Collapse,
        KeyCode::Enter => Action::Activate,
        KeyCode::Char('/') => Action::OpenSearch,
        KeyCode::Char('y') => Action::CopyId,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('s') => Action::Enter(Purpose::Shell),
        KeyCode::Char('c') => Action::Enter(Purpose::Console),
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Tab => Action::ToggleDetailsTab,
        KeyCode::Char('R') => Action::CycleQuotaRegion,
        KeyCode::Char('u') => Action::ToggleQuotaFilter,
        KeyCode::Char('Q') => Action::OpenSweep,
        KeyCode::Char('L') => Action::Login,
        KeyCode::Esc if state.entry.is_some() => Action::CancelPending,
        _ => return None,
    })
}

fn sweep_key(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('Q') => Action::CloseSweep,
        KeyCode::Enter => Action::SweepAccept,
        KeyCode::Char('u') => Action::ToggleQuotaFilter,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('?') => Action::ToggleHelp,
        _ => return None,
    })
}

/// The same movement keys in the tree and in the sweep.
fn movement(code: KeyCode) -> Option<Action> {
    Some(match code {
        KeyCode::Up | KeyCode::Char('k') => Action::MoveUp,
        KeyCode::Down | KeyCode::Char('j') => Action::MoveDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
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
