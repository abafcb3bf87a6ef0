//! ★ Favourites and Recent in the TUI, driven through `update`: entering an account puts it in
//! Recent, entering from a group enters that account (by ID, through a refresh that reorders
//! the tree), `f` toggles a favourite, and an empty search lists both first.
#![allow(clippy::unwrap_used)]

mod support;

use orgnav::access::history::{EntryKind, History};
use orgnav::model::Node;
use orgnav::model::tree::{Group, Place};
use orgnav::tui::action::{Action, Effect, Loaded, Purpose};
use orgnav::tui::state::{Modal, State};
use orgnav::tui::update::update;
use support::tui::*;

fn group_ids(s: &State, g: Group) -> Vec<String> {
    let org = s.org.as_ref().unwrap();
    org.tree
        .group_members(g)
        .iter()
        .map(|&i| org.h.account(i).id.clone())
        .collect()
}

/// The state with `history` installed, as at start.
fn with_history(history: History) -> State {
    let mut s = state();
    s.history = history;
    refresh_with(&mut s, |_| {});
    s
}

fn history(entries: &[&str], favourites: &[&str]) -> History {
    let mut h = History::default();
    for (at, id) in entries.iter().enumerate() {
        h.remember(id, "ReadOnly", EntryKind::Shell, at as i64 + 1_795_000_000);
    }
    for id in favourites {
        h.toggle_favourite(id);
    }
    h
}

/// The account the role picker (or the entry in flight) is for.
fn entering(s: &State) -> String {
    match &s.modal {
        Some(Modal::PickRole { account, .. }) => account.id.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_entered_account_leads_recent_and_entering_from_there_enters_it() {
    let mut s = state();
    assert!(group_ids(&s, Group::Recent).is_empty());
    select(&mut s, "payments-dev");
    update(&mut s, Action::Enter(Purpose::Shell));
    update(&mut s, Action::ModalConfirm);
    let request = s.entry.as_ref().unwrap().request;
    let assumed = Box::new(assumed(PAYMENTS_DEV, "payments-dev"));
    update(&mut s, Action::Loaded(Loaded::Assumed { request, assumed }));
    assert_eq!(group_ids(&s, Group::Recent), [PAYMENTS_DEV]);
    assert_eq!(s.history.last().unwrap().account_id, PAYMENTS_DEV);

    // A refresh reorders the accounts; the group still holds payments-dev, by ID.
    refresh_with(&mut s, |org| org.accounts.reverse());
    update(&mut s, Action::Top);
    assert_eq!(s.selected_node(), None, "on the Recent header");
    update(&mut s, Action::Expand); // onto its first account
    let row = *s.org.as_ref().unwrap().tree.selected_row().unwrap();
    assert_eq!(row.place, Place::Pinned(Group::Recent));
    update(&mut s, Action::Activate);
    assert_eq!(entering(&s), PAYMENTS_DEV);
    let effects = update(&mut s, Action::ModalConfirm);
    assert_eq!(assumed_account(&effects), PAYMENTS_DEV);
}

#[test]
fn f_toggles_a_favourite_and_asks_to_store_it() {
    let mut s = state();
    select(&mut s, "payments-prod");
    let effects = update(&mut s, Action::ToggleFavourite);
    let [
        Effect::SetFavourite {
            account_id,
            favourite: true,
            demo: false,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(account_id, PAYMENTS_PROD);
    assert_eq!(group_ids(&s, Group::Favourites), [PAYMENTS_PROD]);
    assert!(s.history.is_favourite(PAYMENTS_PROD));
    // Still on payments-prod in the tree, although a group appeared above it.
    let Some(Node::Account(i)) = s.selected_node() else {
        panic!()
    };
    assert_eq!(s.org.as_ref().unwrap().h.account(i).id, PAYMENTS_PROD);

    // Removed from inside the group: the group is gone.
    update(&mut s, Action::Top);
    update(&mut s, Action::MoveDown);
    let effects = update(&mut s, Action::ToggleFavourite);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::SetFavourite {
                favourite: false,
                ..
            }]
        ),
        "{effects:?}"
    );
    assert!(group_ids(&s, Group::Favourites).is_empty());
    let first = s.org.as_ref().unwrap().tree.rows()[0];
    assert_eq!(first.place, Place::Tree);

    // An OU cannot be a favourite.
    update(&mut s, Action::Top);
    assert!(update(&mut s, Action::ToggleFavourite).is_empty());
    assert!(
        s.status
            .notice
            .as_deref()
            .unwrap()
            .contains("only accounts")
    );
}

#[test]
fn groups_skip_accounts_no_longer_in_the_tree() {
    let gone = "999999999999";
    let s = with_history(history(
        &[PAYMENTS_DEV, gone, SANDBOX_MEI],
        &[gone, PAYMENTS_PROD],
    ));
    assert_eq!(group_ids(&s, Group::Recent), [SANDBOX_MEI, PAYMENTS_DEV]);
    assert_eq!(group_ids(&s, Group::Favourites), [PAYMENTS_PROD]);
}

#[test]
fn an_empty_search_lists_favourites_then_recents() {
    let mut s = with_history(history(&[PAYMENTS_DEV, SANDBOX_MEI], &[PAYMENTS_PROD]));
    update(&mut s, Action::OpenSearch);
    let org = s.org.as_ref().unwrap();
    let first: Vec<String> = s.search.as_ref().unwrap().hits[..3]
        .iter()
        .map(|hit| match hit.node {
            Node::Account(i) => org.h.account(i).id.clone(),
            Node::Ou(i) => org.h.ou(i).id.clone(),
        })
        .collect();
    assert_eq!(first, [PAYMENTS_PROD, SANDBOX_MEI, PAYMENTS_DEV]);
}
