//! The console without a browser: when none takes the sign-in link within a few seconds, a
//! dialog offers to copy it (OSC 52). The link is a secret: it is never drawn or logged, and
//! leaves orgnav only through `Effect::CopySecret`.

use super::action::Effect;
use super::clipboard::SignInLink;
use super::state::{Modal, State};
use super::update_access::cancel_pending;

/// The hand-off of entry `request` is stuck: offer its link, unless the user has moved on or
/// another dialog is open.
pub fn offer_link(state: &mut State, request: u64, link: SignInLink, why: String) {
    match &state.entry {
        Some(e) if e.request == request && state.modal.is_none() => {
            state.modal = Some(Modal::ConsoleLink {
                account_name: e.account_name.clone(),
                link,
                why,
            });
        }
        _ => {}
    }
}

/// The browser came after all: the dialog has nothing left to offer.
pub fn close_link_dialog(state: &mut State) {
    if matches!(state.modal, Some(Modal::ConsoleLink { .. })) {
        state.modal = None;
    }
}

/// `y` in the dialog: the link to the terminal's clipboard; orgnav stops waiting.
pub fn copy_link(state: &mut State) -> Vec<Effect> {
    let Some(Modal::ConsoleLink { link, .. }) = state.modal.take() else {
        return vec![];
    };
    let mut effects = cancel_pending(state);
    state.status.notice =
        Some("sent the console sign-in link to the terminal's clipboard (OSC 52)".into());
    effects.push(Effect::CopySecret(link));
    effects
}

/// The `c` menu's "copy the sign-in link": the link of entry `request` to the clipboard, no
/// browser, no dialog.
pub fn copy_requested(state: &mut State, request: u64, link: SignInLink) -> Vec<Effect> {
    match &state.entry {
        Some(e) if e.request == request => {}
        _ => return vec![],
    }
    let name = state
        .entry
        .take()
        .map(|e| e.account_name)
        .unwrap_or_default();
    state.status.notice = Some(format!(
        "sent the console sign-in link for {name} to the terminal's clipboard (OSC 52)"
    ));
    vec![Effect::CopySecret(link)]
}
