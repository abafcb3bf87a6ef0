//! The IAM Identity Center sign-in (`L`): one device flow at a time, its code kept so the
//! dialog can be shown again, answers of another request dropped.

use super::action::Effect;
use super::state::{Modal, State};

/// L: the device login, in a modal that shows the code once Identity Center sends it.
pub fn start(state: &mut State) -> Vec<Effect> {
    if state.status.demo {
        state.status.notice = Some("demo organization: nothing to sign in to".into());
        return vec![];
    }
    // A sign-in already under way keeps its device code: show it again, start nothing.
    if state.login.is_some() {
        if !matches!(state.modal, Some(Modal::Login { .. })) {
            state.modal = Some(Modal::Login {
                code: state.login_code.clone(),
            });
        }
        return vec![];
    }
    state.last_request += 1;
    state.login = Some(state.last_request);
    state.login_code = None;
    state.modal = Some(Modal::Login { code: None });
    vec![Effect::Login {
        request: state.last_request,
    }]
}

pub fn on_code(state: &mut State, request: u64, user_code: String, url: String) {
    if state.login != Some(request) {
        return;
    }
    state.login_code = Some((user_code, url));
    if let Some(Modal::Login { code }) = &mut state.modal {
        code.clone_from(&state.login_code);
    }
}

/// The sign-in ended. True when it succeeded: the organization is then read again.
pub fn on_done(state: &mut State, request: u64, result: Result<(), String>) -> bool {
    if state.login != Some(request) {
        return false;
    }
    if matches!(state.modal, Some(Modal::Login { .. })) {
        state.modal = None;
    }
    state.login = None;
    state.login_code = None;
    match result {
        Ok(()) => true,
        Err(e) => {
            state.status.last_error = Some(e);
            false
        }
    }
}

/// Errors a new sign-in would fix say how to get one.
pub fn with_login_hint(message: String) -> String {
    if message.contains("orgnav login") {
        format!("{message} — press L to sign in")
    } else {
        message
    }
}
