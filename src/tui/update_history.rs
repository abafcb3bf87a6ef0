//! Where the user has been, on screen: the ★ Favourites and Recent groups above the tree and
//! the search's tie-breaks, both from `state.history`; `f` marks favourites.

use super::action::Effect;
use super::state::State;
use crate::access::history::{self, EntryKind};
use crate::model::Node;

/// Accounts shown in the Recent group.
pub const RECENT_SHOWN: usize = 8;

/// Installs the history into the organization view: the groups' accounts (by ID; accounts no
/// longer in the tree are skipped) and the search's frecency and empty-query order. Runs when
/// the tree or the history changes, never per keystroke.
pub fn apply(state: &mut State) {
    let Some(org) = &mut state.org else { return };
    let (h, hist) = (&org.h, &state.history);
    let favourites = hist.favourites_in(h);
    let recent = hist.recent_in(h, RECENT_SHOWN);
    let lead: Vec<usize> = favourites.iter().chain(&recent).copied().collect();
    hist.rank_search(h, &mut org.index, &lead);
    org.tree.set_groups(h, favourites, recent);
}

/// An entry succeeded: it leads Recent now (the file gets it through `Effect::RecordHistory`).
pub fn entered(state: &mut State, account_id: &str, role: &str, kind: EntryKind) {
    state
        .history
        .remember(account_id, role, kind, history::now());
    apply(state);
}

/// `f`: the selected account (in the tree, a group or the search results) becomes a favourite,
/// or stops being one.
pub fn toggle_favourite(state: &mut State) -> Vec<Effect> {
    let (Some(Node::Account(i)), Some(org)) = (state.focused_node(), &state.org) else {
        state.status.notice = Some("only accounts can be favourites".into());
        return vec![];
    };
    let a = org.h.account(i);
    let (id, name) = (a.id.clone(), a.name.clone());
    let favourite = state.history.toggle_favourite(&id);
    state.status.notice = Some(if favourite {
        format!("★ {name} added to favourites")
    } else {
        format!("{name} removed from favourites")
    });
    apply(state);
    vec![Effect::SetFavourite {
        account_id: id,
        favourite,
        demo: state.status.demo,
    }]
}
