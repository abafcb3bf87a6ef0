//! Counts on screen read as English: "1 match", "1 account" (issue 11's polish list).
#![allow(clippy::unwrap_used)]

mod support;

use orgnav::tui::action::Action;
use orgnav::tui::update::update;
use support::tui::{draw, state};

#[test]
fn one_search_match_is_singular() {
    let mut s = state();
    update(&mut s, Action::OpenSearch);
    // An account ID: exactly one account has it.
    for c in "156589576361".chars() {
        update(&mut s, Action::SearchInput(c));
    }
    let screen = draw(&s);
    assert!(screen.contains("Search · 1 match "), "{screen}");
    assert!(!screen.contains("1 matches"), "{screen}");
}

#[test]
fn an_organization_of_one_account_is_singular() {
    let mut s = state();
    support::tui::refresh_with(&mut s, |org| {
        let keep = org.accounts[0].clone();
        org.accounts = vec![keep];
    });
    let screen = draw(&s);
    assert!(screen.contains("1 account"), "{screen}");
    assert!(!screen.contains("1 accounts"), "{screen}");
}
