//! The "enter an account" flow of the TUI: role picker → production confirmation → MFA →
//! assume → shell or console. Pure like `update`: it returns effects as data.

use super::action::{Effect, Loaded, Purpose};
use super::state::{Modal, State};
use crate::aws::roles::RoleOption;
use crate::model::Node;

/// `s`, `c`, or Enter on an account.
pub fn enter(state: &mut State, purpose: Purpose) -> Vec<Effect> {
    let (Some(Node::Account(i)), Some(org)) = (state.selected_node(), &state.org) else {
        state.status.notice = Some("select an account first".into());
        return vec![];
    };
    if state.status.demo {
        state.status.notice =
            Some("demo organization: no AWS credentials to enter accounts".into());
        return vec![];
    }
    let account = org.h.account(i);
    if account.status.is_inactive() {
        state.status.last_error = Some(format!(
            "{} is {}: it cannot be entered",
            account.name,
            account.status.as_str()
        ));
        return vec![];
    }
    let options = state.access.options(org, i);
    match options.len() {
        0 => {
            state.status.last_error = Some(format!(
                "no role to assume in {}: add a [[roles]] rule or an AWS profile with role_arn",
                account.name
            ));
            vec![]
        }
        1 => proceed(state, i, options.into_iter().next(), purpose),
        _ => {
            state.modal = Some(Modal::PickRole {
                account: i,
                options,
                selected: 0,
                purpose,
            });
            vec![]
        }
    }
}

fn proceed(
    state: &mut State,
    account: usize,
    option: Option<RoleOption>,
    purpose: Purpose,
) -> Vec<Effect> {
    let (Some(option), Some(org)) = (option, &state.org) else {
        return vec![];
    };
    if org.is_production(account) {
        state.modal = Some(Modal::ConfirmProduction {
            account,
            option,
            purpose,
        });
        return vec![];
    }
    start(state, account, option, purpose, None)
}

fn start(
    state: &mut State,
    account: usize,
    option: RoleOption,
    purpose: Purpose,
    mfa: Option<String>,
) -> Vec<Effect> {
    let Some(org) = &state.org else { return vec![] };
    let a = org.h.account(account).clone();
    let production = org.is_production(account);
    state.pending = Some(format!("assuming {} in {}", option.name, a.name));
    state.status.last_error = None;
    vec![Effect::Assume {
        purpose,
        account: Box::new(a),
        option: Box::new(option),
        production,
        mfa_code: mfa,
    }]
}

pub fn confirm(state: &mut State) -> Vec<Effect> {
    match state.modal.take() {
        // Enter in the login modal changes nothing: the browser approves.
        Some(m @ Modal::Login { .. }) => {
            state.modal = Some(m);
            vec![]
        }
        Some(Modal::PickRole {
            account,
            options,
            selected,
            purpose,
        }) => proceed(state, account, options.into_iter().nth(selected), purpose),
        Some(Modal::ConfirmProduction {
            account,
            option,
            purpose,
        }) => start(state, account, option, purpose, None),
        Some(Modal::Mfa {
            account,
            option,
            purpose,
            serial,
            code,
        }) => {
            if code.is_empty() {
                state.modal = Some(Modal::Mfa {
                    account,
                    option,
                    purpose,
                    serial,
                    code,
                });
                return vec![];
            }
            let production = state.production_rule.is_production(&account);
            state.pending = Some(format!("assuming {} in {}", option.name, account.name));
            vec![Effect::Assume {
                purpose,
                account,
                option,
                production,
                mfa_code: Some(code),
            }]
        }
        None => vec![],
    }
}

pub fn cancel(state: &mut State) {
    state.modal = None;
}

/// A character in a modal: MFA digits, y/n in the confirmation, j/k in the picker.
pub fn input(state: &mut State, c: char) -> Vec<Effect> {
    match &mut state.modal {
        Some(Modal::Login { .. }) => vec![],
        Some(Modal::Mfa { code, .. }) => {
            if c.is_ascii_alphanumeric() && code.len() < 12 {
                code.push(c);
            }
            vec![]
        }
        Some(Modal::ConfirmProduction { .. }) => match c {
            'y' | 'Y' => confirm(state),
            'n' | 'N' | 'q' => {
                cancel(state);
                vec![]
            }
            _ => vec![],
        },
        Some(Modal::PickRole { .. }) => {
            match c {
                'j' => move_selection(state, 1),
                'k' => move_selection(state, -1),
                'q' => {
                    cancel(state);
                    true
                }
                _ => false,
            };
            vec![]
        }
        None => vec![],
    }
}

pub fn backspace(state: &mut State) {
    if let Some(Modal::Mfa { code, .. }) = &mut state.modal {
        code.pop();
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
        Some(_) => true,
        None => false,
    }
}

pub fn on_loaded(state: &mut State, loaded: Loaded) -> Vec<Effect> {
    match loaded {
        Loaded::Profiles(profiles) => {
            state.access.profiles = profiles;
            vec![]
        }
        Loaded::Assumed { purpose, assumed } => {
            state.pending = None;
            let s = &assumed.session;
            state
                .access
                .last_roles
                .insert(s.account_id.clone(), s.role.clone());
            match purpose {
                Purpose::Shell => vec![Effect::RunShell(assumed)],
                Purpose::Console => {
                    state.pending = Some(format!("opening the console for {}", s.account_name));
                    vec![Effect::OpenConsole(assumed)]
                }
            }
        }
        Loaded::MfaNeeded {
            purpose,
            account,
            option,
            serial,
        } => {
            state.pending = None;
            state.modal = Some(Modal::Mfa {
                account,
                option,
                purpose,
                serial,
                code: String::new(),
            });
            vec![]
        }
        Loaded::AccessFailed(message) => {
            state.pending = None;
            state.status.last_error = Some(super::update::with_login_hint(message));
            vec![]
        }
        Loaded::ConsoleOpened(message) => {
            state.pending = None;
            state.status.notice = Some(message);
            vec![]
        }
        _ => vec![],
    }
}
