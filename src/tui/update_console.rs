//! The console's destination (the console home, or a quota's page from the sweep), and the
//! console without a browser: when none takes the sign-in link within a few seconds, a
//! dialog offers to copy it (OSC 52). The link is a secret: it is never drawn or logged, and
//! leaves orgnav only through `Effect::CopySecret`.

use super::action::{Effect, Purpose};
use super::clipboard::SignInLink;
use super::quota_state::SweepLine;
use super::state::{ConsoleDeepLink, Modal, State};
use super::update_access::{cancel_pending, enter, enter_account};
use crate::access::Assumed;
use crate::access::console_dest::{Target, destination_url, quota_destination};
use crate::model::Node;

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

/// `c` in the quota sweep: the selected quota's Service Quotas page (where an increase is
/// requested), in the quota's account and region, through the usual entry (role, production
/// confirmation, MFA).
pub fn open_quota_page(state: &mut State) -> Vec<Effect> {
    let Some(row) = state
        .quotas
        .sweep
        .as_ref()
        .filter(|_| state.quotas.sweep_open)
        .and_then(|s| match s.lines.get(s.selected)? {
            SweepLine::Quota(i) => s.ranked.rows.get(*i),
            SweepLine::Failure(_) => None,
        })
    else {
        state.status.notice = Some("select a quota first".into());
        return vec![];
    };
    let q = &row.quota;
    let link = ConsoleDeepLink {
        account_id: row.account_id.clone(),
        region: q.region.clone(),
        destination: quota_destination(&q.region, &q.service_code, &q.quota_code),
    };
    let account_id = link.account_id.clone();
    let effects = enter_account(state, &account_id, Purpose::Console);
    // Set after `begin` cleared the last one; only an entry for this account will take it.
    state.console_deep_link = Some(link);
    effects
}

/// `c` with the Quotas tab showing: the selected account's Service Quotas page in the tab's
/// region (the tab has no row selection: the page lists every quota of that region).
pub fn open_quotas_tab_page(state: &mut State) -> Vec<Effect> {
    let effects = enter(state, Purpose::Console);
    let region = state.quotas.current_region().to_string();
    if let (Some(Node::Account(i)), Some(org)) = (state.selected_node(), &state.org)
        && !region.is_empty()
    {
        // Set after `begin` cleared the last one; only an entry for this account will take it.
        state.console_deep_link = Some(ConsoleDeepLink {
            account_id: org.h.account(i).id.clone(),
            destination: destination_url(&region, &Target::Service("sq".into()))
                .unwrap_or_default(),
            region,
        });
    }
    effects
}

/// Where the console entry for `assumed` lands: the deep link it was begun with (its region
/// becomes the session's), else the console home in the session's region.
pub fn destination_for(state: &mut State, assumed: &mut Assumed) -> String {
    match state.console_deep_link.take() {
        Some(link) if link.account_id == assumed.session.account_id => {
            assumed.session.region = link.region;
            link.destination
        }
        _ => destination_url(&assumed.session.region, &Target::Home).unwrap_or_default(),
    }
}
