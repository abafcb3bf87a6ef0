//! The "enter an account" flow of the TUI: role picker → production confirmation → MFA →
//! assume → shell or console. Pure like `update`: it returns effects as data.
//!
//! Every step holds the account itself (by ID), never a row of the tree: a background refresh
//! may reorder or shorten the tree at any moment. One entry is in flight at a time; its answer
//! carries the request id and anything else is dropped.

use super::action::{Effect, Loaded, Purpose};
use super::state::{Modal, PendingEntry, State};
use super::update_console as console;
use crate::access::Assumed;
use crate::access::history::EntryKind;
use crate::aws::roles::RoleOption;
use crate::model::{Account, Node};

/// The entry of the account with this ID (not the selected row: from the quota sweep).
pub fn enter_account(state: &mut State, account_id: &str, purpose: Purpose) -> Vec<Effect> {
    let Some(org) = &state.org else {
        return vec![];
    };
    let Some(i) = org.h.account_index(account_id) else {
        state.status.last_error = Some(format!("account {account_id} is not in the tree"));
        return vec![];
    };
    let account = org.h.account(i).clone();
    let options = state.access.options(org, i, &state.history);
    let mut effects = cancel_pending(state);
    effects.extend(begin(state, account, options, purpose));
    effects
}

/// `s`, `c`, or Enter on an account. A new entry replaces one still in flight.
pub fn enter(state: &mut State, purpose: Purpose) -> Vec<Effect> {
    let (Some(Node::Account(i)), Some(org)) = (state.selected_node(), &state.org) else {
        state.status.notice = Some("select an account first".into());
        return vec![];
    };
    let account = org.h.account(i).clone();
    // Usually computed already, when the selection came to rest on this account.
    let options = match &state.selected_roles {
        Some(r) if r.account_id == account.id => r.options.clone(),
        _ => state.access.options(org, i, &state.history),
    };
    // A new entry replaces the one in flight (and stops its console hand-off).
    let mut effects = cancel_pending(state);
    effects.extend(begin(state, account, options, purpose));
    effects
}

/// The account's entry: refused, one role straight on, or the role picker.
fn begin(
    state: &mut State,
    account: Account,
    options: Vec<RoleOption>,
    purpose: Purpose,
) -> Vec<Effect> {
    // A deep link and a way chosen in the `c` menu belong to the entry that set them (after
    // this point: update_console::open_quota_page, console_menu::enter_as); a cancelled
    // entry's must not reach the next one.
    state.console_deep_link = None;
    state.console.chosen = None;
    if let Some(why) = account.entry_refusal() {
        state.status.last_error = Some(why);
        return vec![];
    }
    match options.len() {
        0 => {
            state.status.last_error = Some(format!(
                "no role to assume in {}: add a [[roles]] rule or an AWS profile with role_arn",
                account.name
            ));
            vec![]
        }
        1 => proceed(state, account, options.into_iter().next(), purpose),
        _ => {
            state.modal = Some(Modal::PickRole {
                account: Box::new(account),
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
    account: Account,
    option: Option<RoleOption>,
    purpose: Purpose,
) -> Vec<Effect> {
    let Some(option) = option else {
        return vec![];
    };
    if state.production_rule.is_production(&account) {
        state.modal = Some(Modal::ConfirmProduction {
            account: Box::new(account),
            option,
            purpose,
        });
        return vec![];
    }
    start(state, account, option, purpose, None)
}

fn start(
    state: &mut State,
    account: Account,
    option: RoleOption,
    purpose: Purpose,
    mfa: Option<String>,
) -> Vec<Effect> {
    if purpose == Purpose::Console
        && let Some(effects) = super::console_menu::via_portal(state, &account, &option)
    {
        return effects;
    }
    state.last_request += 1;
    let request = state.last_request;
    state.entry = Some(PendingEntry {
        request,
        account_id: account.id.clone(),
        account_name: account.name.clone(),
        role: option.name.clone(),
        purpose,
        opening_console: false,
    });
    state.status.last_error = None;
    let production = state.production_rule.is_production(&account);
    vec![Effect::Assume {
        request,
        account: Box::new(account),
        option: Box::new(option),
        production,
        mfa_code: mfa,
    }]
}

/// Enter in a dialog. The production confirmation answers only to `y`: Enter declines, as
/// the CLI's `[y/N]` does.
pub fn confirm(state: &mut State) -> Vec<Effect> {
    match state.modal.take() {
        Some(m @ Modal::ConsoleMenu { .. }) => {
            state.modal = Some(m);
            super::console_menu::confirm(state)
        }
        // Enter in the login modal changes nothing: the browser approves. In the console
        // link dialog only `y` copies: the link is a secret, not sent by a stray Enter.
        Some(m @ (Modal::Login { .. } | Modal::ConsoleLink { .. })) => {
            state.modal = Some(m);
            vec![]
        }
        Some(Modal::Region(picker)) => {
            super::region_picker::accept(state, picker);
            vec![]
        }
        Some(Modal::PickRole {
            account,
            options,
            selected,
            purpose,
        }) => proceed(state, *account, options.into_iter().nth(selected), purpose),
        Some(Modal::ConfirmProduction { account, .. }) => {
            state.status.notice = Some(format!("{} not entered", account.name));
            vec![]
        }
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
            start(state, *account, *option, purpose, Some(code))
        }
        None => vec![],
    }
}

/// `y` in the production confirmation: the only way in.
pub(super) fn confirm_production(state: &mut State) -> Vec<Effect> {
    match state.modal.take() {
        Some(Modal::ConfirmProduction {
            account,
            option,
            purpose,
        }) => start(state, *account, option, purpose, None),
        other => {
            state.modal = other;
            vec![]
        }
    }
}

pub fn cancel(state: &mut State) -> Vec<Effect> {
    // Closing the console link dialog stops waiting for the browser.
    if matches!(state.modal.take(), Some(Modal::ConsoleLink { .. })) {
        return cancel_pending(state);
    }
    vec![]
}

/// Esc outside dialogs, or a new entry: forget the entry in flight so its answer is dropped.
pub fn cancel_pending(state: &mut State) -> Vec<Effect> {
    let Some(entry) = state.entry.take() else {
        return vec![];
    };
    state.status.notice = Some(format!(
        "cancelled: {} as {}",
        entry.account_name, entry.role
    ));
    if entry.opening_console {
        vec![Effect::StopConsole {
            request: entry.request,
        }]
    } else {
        vec![]
    }
}

/// Takes the entry in flight if `request` is its id; otherwise the answer is stale.
fn take_current(state: &mut State, request: u64) -> Option<PendingEntry> {
    if state.entry.as_ref().is_some_and(|e| e.request == request) {
        state.entry.take()
    } else {
        tracing::debug!(request, "dropping the answer to a superseded entry");
        None
    }
}

pub fn on_loaded(state: &mut State, loaded: Loaded) -> Vec<Effect> {
    match loaded {
        Loaded::Profiles(profiles) => {
            state.access.profiles = profiles;
            state.selected_roles = None;
            vec![]
        }
        Loaded::Assumed { request, assumed } => on_assumed(state, request, assumed),
        Loaded::MfaNeeded {
            request,
            account,
            option,
            serial,
        } => {
            let Some(entry) = take_current(state, request) else {
                return vec![];
            };
            state.modal = Some(Modal::Mfa {
                account,
                option,
                purpose: entry.purpose,
                serial,
                code: String::new(),
            });
            vec![]
        }
        Loaded::AccessFailed { request, message } => {
            if take_current(state, request).is_some() {
                state.status.last_error = Some(super::update_login::with_login_hint(message));
            }
            vec![]
        }
        Loaded::ConsoleOpened { request, message } => {
            if take_current(state, request).is_some() {
                state.status.notice = Some(message);
                console::close_link_dialog(state);
            }
            vec![]
        }
        Loaded::ConsoleFailed(message) => {
            state.status.last_error = Some(message);
            vec![]
        }
        Loaded::ConsoleStuck { request, link, why } => {
            if state.console.copying.take_if(|r| *r == request).is_some() {
                return console::copy_requested(state, request, link);
            }
            console::offer_link(state, request, link, why);
            vec![]
        }
        _ => vec![],
    }
}

/// Credentials for the entry in flight: checked against the account asked for, remembered,
/// then the shell or the console.
fn on_assumed(state: &mut State, request: u64, mut assumed: Box<Assumed>) -> Vec<Effect> {
    let Some(entry) = take_current(state, request) else {
        return vec![];
    };
    // The region picked with `@` wins over the base profile's.
    if let Some(region) = &state.picked_region {
        assumed.session.region = region.clone();
    }
    let s = &assumed.session;
    if s.account_id != entry.account_id {
        state.status.last_error = Some(format!(
            "refusing credentials for {} ({}): {} ({}) was asked for",
            s.account_name, s.account_id, entry.account_name, entry.account_id
        ));
        return vec![];
    }
    state.expiries.insert(
        (s.account_id.clone(), s.role.clone()),
        s.credentials.expiration,
    );
    state.selected_roles = None;
    let kind = match entry.purpose {
        Purpose::Shell => EntryKind::Shell,
        Purpose::Console => EntryKind::Console,
    };
    super::update_history::entered(state, &s.account_id, &s.role, kind);
    let record = Effect::RecordHistory {
        account_id: s.account_id.clone(),
        role: s.role.clone(),
        kind,
        demo: state.status.demo,
    };
    match entry.purpose {
        Purpose::Shell => vec![record, Effect::RunShell(assumed)],
        Purpose::Console => {
            state.entry = Some(PendingEntry {
                opening_console: true,
                ..entry
            });
            let (account_id, role) = (
                assumed.session.account_id.clone(),
                assumed.session.role.clone(),
            );
            let how = super::console_menu::how_for(state, request, &account_id, &role);
            let destination = console::destination_for(state, &mut assumed);
            vec![
                record,
                Effect::OpenConsole {
                    request,
                    assumed,
                    destination,
                    how,
                },
            ]
        }
    }
}
