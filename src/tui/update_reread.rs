//! Reading parts of the organization again: `r` on one account or OU, and the retry of a
//! refresh (or tag read) that AWS's throttling or absence cut short — later, backing off,
//! while the cached tree stays on screen marked stale.

use super::action::{Effect, TagReads};
use super::state::{Retry, State};
use super::update_org::{install, refresh};
use crate::model::{Account, Node};

/// The first retry comes this long after a failure; each further one twice as long, capped.
pub const FIRST_RETRY_SECS: i64 = 60;
pub const LAST_RETRY_SECS: i64 = 15 * 60;

/// Why nothing can be called (demo, offline), said in the status bar.
pub fn no_aws(state: &mut State) -> bool {
    let why = if state.status.demo {
        "demo organization: nothing to refresh"
    } else if state.status.offline {
        "offline mode: not calling AWS"
    } else {
        return false;
    };
    state.status.notice = Some(why.into());
    true
}

/// `r` on an account or OU: its tags (and an account's details) now; on the root, the tree.
pub fn refresh_item(state: &mut State) -> Vec<Effect> {
    if no_aws(state) {
        return vec![];
    }
    let node = state.selected_node();
    let (Some(view), Some(node)) = (state.org.as_mut(), node) else {
        return refresh(state);
    };
    let (id, name, account) = match node {
        Node::Account(i) => {
            let a = view.h.account(i);
            (a.id.clone(), a.name.clone(), true)
        }
        Node::Ou(i) if i != view.h.root() => {
            let o = view.h.ou(i);
            (o.id.clone(), o.name.clone(), false)
        }
        Node::Ou(_) => return refresh(state),
    };
    // Unread until the answer comes: a refresh in between reads it too.
    view.h.org.tags_read.remove(&id);
    let generation = state.generation;
    state.status.loading_tags = true;
    state.status.notice = Some(format!("re-reading {name} ({id})"));
    let mut effects = vec![Effect::FetchTags {
        generation,
        reads: TagReads::One(id.clone()),
    }];
    if account {
        effects.push(Effect::DescribeAccount { generation, id });
    }
    effects
}

/// An account's details re-read: name, email, status and joining date replace the cached
/// ones; its place in the tree and its tags stay.
pub fn on_account_read(state: &mut State, result: Result<Box<Account>, String>) -> Vec<Effect> {
    let fresh = match result {
        Ok(a) => a,
        Err(message) => {
            state.status.last_error = Some(format!("account details not re-read: {message}"));
            return vec![];
        }
    };
    let Some(view) = &state.org else {
        return vec![];
    };
    let mut snapshot = view.snapshot();
    let Some(a) = snapshot.org.accounts.iter_mut().find(|a| a.id == fresh.id) else {
        return vec![];
    };
    a.name = fresh.name;
    a.email = fresh.email;
    a.status = fresh.status;
    a.joined = fresh.joined.or(a.joined);
    install(state, snapshot.clone());
    vec![Effect::SaveCache(Box::new(snapshot))]
}

/// AWS was out of reach: try again after a minute, then twice as long each time (capped).
/// Returns what the status bar adds to the error.
pub fn schedule_retry(state: &mut State, tags_only: bool) -> String {
    let delay_secs = state
        .status
        .retry
        .map_or(FIRST_RETRY_SECS, |r| r.delay_secs.saturating_mul(2))
        .min(LAST_RETRY_SECS);
    let at = state
        .now
        .checked_add(jiff::SignedDuration::from_secs(delay_secs))
        .ok();
    state.status.retry = Some(Retry {
        at,
        delay_secs,
        tags_only,
    });
    format!(" (trying again in {})", minutes(delay_secs))
}

fn minutes(secs: i64) -> String {
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min", secs / 60)
    }
}

/// The clock moved: start the retry that is due, if any.
pub fn on_clock(state: &mut State) -> Vec<Effect> {
    let Some(retry) = state.status.retry else {
        return vec![];
    };
    if retry.at.is_none_or(|at| state.now < at) || state.status.refreshing {
        return vec![];
    }
    state.status.retry = Some(Retry { at: None, ..retry });
    match (&state.org, retry.tags_only) {
        (Some(view), true) => {
            state.status.loading_tags = true;
            vec![Effect::FetchTags {
                generation: state.generation,
                reads: TagReads::Planned(Box::new(view.h.org.clone())),
            }]
        }
        _ => refresh(state),
    }
}
