//! Keys typed into the dialogs (role picker, production confirmation, MFA prompt, sign-in,
//! region picker, console link): characters, Backspace and ↑/↓. What a key completes (an entry,
//! a copy) is the business of `update_access` and `update_console`.

use super::action::Effect;
use super::state::{Modal, State};
use super::update_access::{cancel, confirm_production};
use super::update_console as console;

/// `y` does `yes`; `n` or `q` closes the dialog; other keys do nothing.
fn yes_or_no(state: &mut State, c: char, yes: fn(&mut State) -> Vec<Effect>) -> Vec<Effect> {
    match c {
        'y' | 'Y' => yes(state),
        'n' | 'N' | 'q' => cancel(state),
        _ => vec![],
    }
}

/// A character in a modal: MFA digits, y/n in the confirmation, j/k in the picker.
pub fn input(state: &mut State, c: char) -> Vec<Effect> {
    match &mut state.modal {
        Some(Modal::Login { .. }) => vec![],
        Some(Modal::Region(picker)) => {
            picker.input(c);
            vec![]
        }
        Some(Modal::ConsoleLink { .. }) => yes_or_no(state, c, console::copy_link),
        Some(Modal::ConsoleMenu { .. }) => super::console_menu::input(state, c),
        Some(Modal::Mfa { code, .. }) => {
            if c.is_ascii_alphanumeric() && code.len() < 12 {
                code.push(c);
            }
            vec![]
        }
        Some(Modal::ConfirmProduction { .. }) => yes_or_no(state, c, confirm_production),
        Some(Modal::PickRole { .. }) => match c {
            'j' => {
                move_selection(state, 1);
                vec![]
            }
            'k' => {
                move_selection(state, -1);
                vec![]
            }
            'q' => cancel(state),
            _ => vec![],
        },
        None => vec![],
    }
}

pub fn backspace(state: &mut State) {
    match &mut state.modal {
        Some(Modal::Mfa { code, .. }) => {
            code.pop();
        }
        Some(Modal::Region(picker)) => picker.backspace(),
        _ => {}
    }
}

/// ↑/↓ in the role picker. Returns false when no modal took the movement.
pub fn move_selection(state: &mut State, delta: isize) -> bool {
    match &mut state.modal {
        Some(Modal::PickRole {
            options, selected, ..
        }) => {
            *selected = selected
                .saturating_add_signed(delta)
                .min(options.len().saturating_sub(1));
            true
        }
        Some(Modal::Region(picker)) => {
            picker.move_by(delta);
            true
        }
        Some(Modal::ConsoleMenu { .. }) => {
            super::console_menu::move_by(state, delta);
            true
        }
        Some(_) => true,
        None => false,
    }
}
