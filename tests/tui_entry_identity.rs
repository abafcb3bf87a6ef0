//! The right account or none: TUI dialogs and entries in flight hold the account by ID
//! through background refreshes; one entry at a time, stale answers dropped.
#![allow(clippy::unwrap_used)]

mod support;

use crossterm::event::{KeyCode, KeyEvent};
use orgnav::tui::action::{Action, Effect, Loaded, Purpose};
use orgnav::tui::keymap::map_key;
use orgnav::tui::state::Modal;
use orgnav::tui::update::update;
use support::tui::*;

#[test]
fn a_refresh_that_reorders_the_tree_under_the_role_picker_keeps_the_chosen_account() {
    let mut s = state();
    select(&mut s, "payments-dev");
    update(&mut s, Action::Activate);
    assert!(matches!(s.modal, Some(Modal::PickRole { .. })));
    refresh_with(&mut s, |org| {
        org.accounts.reverse();
        for a in &mut org.accounts {
            if a.id == PAYMENTS_DEV {
                a.name = "payments-development".into();
            }
        }
    });
    let screen = draw(&s);
    assert!(
        screen.contains("in payments-development (272569912085)"),
        "{screen}"
    );
    let effects = update(&mut s, Action::ModalConfirm);
    assert_eq!(assumed_account(&effects), PAYMENTS_DEV);
}

#[test]
fn a_refresh_under_the_production_confirmation_enters_the_same_account() {
    let mut s = state();
    select(&mut s, "payments-prod");
    update(&mut s, Action::Enter(Purpose::Shell));
    assert!(matches!(s.modal, Some(Modal::ConfirmProduction { .. })));
    refresh_with(&mut s, |org| org.accounts.rotate_left(7));
    let screen = draw(&s);
    assert!(
        screen.contains("payments-prod (718172762479) is a PRODUCTION"),
        "{screen}"
    );
    let effects = update(&mut s, Action::ModalInput('y'));
    assert_eq!(assumed_account(&effects), PAYMENTS_PROD);
}

#[test]
fn a_dialog_whose_account_left_the_organization_closes_with_a_message() {
    let mut s = state();
    select(&mut s, "payments-prod");
    update(&mut s, Action::Enter(Purpose::Shell));
    assert!(matches!(s.modal, Some(Modal::ConfirmProduction { .. })));
    // The account is gone and the list is shorter than its old row.
    refresh_with(&mut s, |org| {
        org.accounts.retain(|a| a.name != "payments-prod");
        org.accounts.truncate(10);
    });
    assert!(s.modal.is_none(), "{:?}", s.modal);
    let shown = s.status.last_error.clone().unwrap_or_default();
    assert!(shown.contains("payments-prod"), "{shown}");
    assert!(update(&mut s, Action::ModalInput('y')).is_empty());
    draw(&s);
}

#[test]
fn a_dialog_whose_account_was_suspended_closes_with_its_state() {
    let mut s = state();
    select(&mut s, "payments-dev");
    update(&mut s, Action::Activate);
    assert!(matches!(s.modal, Some(Modal::PickRole { .. })));
    refresh_with(&mut s, |org| {
        for a in &mut org.accounts {
            if a.name == "payments-dev" {
                a.status = orgnav::model::org::AccountStatus::Suspended;
            }
        }
    });
    assert!(s.modal.is_none(), "{:?}", s.modal);
    let shown = s.status.last_error.clone().unwrap_or_default();
    assert!(
        shown.contains("payments-dev") && shown.contains("SUSPENDED"),
        "{shown}"
    );
    assert!(update(&mut s, Action::ModalConfirm).is_empty());
}

#[test]
fn a_second_entry_replaces_the_first_whose_answer_never_opens_a_shell() {
    let mut s = state();
    select(&mut s, "sandbox-mei");
    let first = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    let second = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    assert_ne!(first, second);
    assert!(answer(&mut s, first, SANDBOX_MEI, "sandbox-mei").is_empty());
    assert!(s.entry.is_some(), "the second entry is still awaited");
    let effects = answer(&mut s, second, SANDBOX_MEI, "sandbox-mei");
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::RecordHistory { .. }, Effect::RunShell(_)]
        ),
        "{effects:?}"
    );
    assert!(
        answer(&mut s, second, SANDBOX_MEI, "sandbox-mei").is_empty(),
        "answered once"
    );
}

#[test]
fn esc_cancels_the_entry_in_flight() {
    let mut s = state();
    select(&mut s, "sandbox-mei");
    let request = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    let esc = KeyEvent::from(KeyCode::Esc);
    let action = map_key(&s, esc).unwrap();
    assert_eq!(action, Action::CancelPending);
    update(&mut s, action);
    assert!(s.entry.is_none());
    assert!(answer(&mut s, request, SANDBOX_MEI, "sandbox-mei").is_empty());
    let failed = Loaded::AccessFailed {
        request,
        message: "late".into(),
    };
    update(&mut s, Action::Loaded(failed));
    assert_ne!(s.status.last_error.as_deref(), Some("late"));
}

#[test]
fn credentials_for_another_account_than_the_one_asked_for_are_refused() {
    let mut s = state();
    select(&mut s, "sandbox-mei");
    let request = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    assert!(answer(&mut s, request, PAYMENTS_DEV, "payments-dev").is_empty());
    let shown = s.status.last_error.clone().unwrap_or_default();
    assert!(
        shown.contains("refusing") && shown.contains("sandbox-mei"),
        "{shown}"
    );
}

#[test]
fn the_production_confirmation_defaults_to_no() {
    let mut s = state();
    select(&mut s, "payments-prod");
    // The keys as typed, through the key table: Enter and Esc both decline.
    for (key, what) in [(KeyCode::Enter, "Enter"), (KeyCode::Esc, "Esc")] {
        update(&mut s, Action::Enter(Purpose::Shell));
        assert!(matches!(s.modal, Some(Modal::ConfirmProduction { .. })));
        let action = map_key(&s, KeyEvent::from(key)).unwrap();
        assert!(update(&mut s, action).is_empty(), "{what} declines");
        assert!(s.modal.is_none() && s.entry.is_none(), "{what} closes it");
    }
    update(&mut s, Action::Enter(Purpose::Shell));
    assert_eq!(
        assumed_account(&update(&mut s, Action::ModalInput('y'))),
        PAYMENTS_PROD
    );
}

#[test]
fn a_refresh_that_removes_the_account_of_an_entry_in_flight_cancels_it() {
    let mut s = state();
    select(&mut s, "sandbox-mei");
    let request = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    refresh_with(&mut s, |org| {
        org.accounts.retain(|a| a.name != "sandbox-mei")
    });
    assert!(s.entry.is_none());
    assert!(answer(&mut s, request, SANDBOX_MEI, "sandbox-mei").is_empty());
}

#[test]
fn a_refresh_that_reads_another_organization_replaces_the_tree_and_says_so() {
    let mut s = state();
    select(&mut s, "payments-prod");
    update(&mut s, Action::Enter(Purpose::Shell));
    refresh_with(&mut s, |org| {
        org.id = "o-other0000".into();
        for a in &mut org.accounts {
            a.id = format!("9{}", &a.id[1..]);
        }
    });
    let notice = s.status.notice.clone().unwrap_or_default();
    assert!(notice.contains("o-other0000"), "{notice}");
    assert!(
        s.modal.is_none(),
        "the dialog's account is not in this organization"
    );
}

#[test]
fn role_options_follow_the_selection_and_what_they_depend_on() {
    let mut s = state();
    select(&mut s, "payments-dev");
    let names = |s: &orgnav::tui::state::State| {
        let r = s.selected_roles.as_ref().expect("computed on selection");
        assert_eq!(r.account_id, PAYMENTS_DEV);
        r.options.iter().map(|o| o.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&s), ["ReadOnly", "Developer"]);
    // New AWS profiles change the options: computed again, once.
    let profile = orgnav::aws::roles::ProfileRole {
        profile: "dev-admin".into(),
        role_arn: format!("arn:aws:iam::{PAYMENTS_DEV}:role/DevAdmin"),
        source_profile: None,
        mfa_serial: None,
        duration_seconds: None,
        external_id: None,
    };
    update(&mut s, Action::Loaded(Loaded::Profiles(vec![profile])));
    assert!(
        names(&s).contains(&"DevAdmin".to_string()),
        "{:?}",
        names(&s)
    );
    let screen = draw(&s);
    assert!(screen.contains("DevAdmin"), "{screen}");
}

#[test]
fn a_sign_in_and_an_account_entry_run_side_by_side_without_hiding_each_other() {
    let mut s = state();
    let [Effect::Login { request: login }] = update(&mut s, Action::Login)[..] else {
        panic!()
    };
    update(&mut s, Action::ModalCancel);
    // Wide enough for both on the status bar.
    let (width, height) = (200, 32);
    update(&mut s, Action::Resize { width, height });
    select(&mut s, "sandbox-mei");
    let entry = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    let screen = draw(&s);
    assert!(
        screen.contains("signing in") && screen.contains("assuming ReadOnly in sandbox-mei"),
        "{screen}"
    );
    // The entry's answer leaves the sign-in on screen, and the sign-in's end leaves the entry.
    answer(&mut s, entry, SANDBOX_MEI, "sandbox-mei");
    assert!(draw(&s).contains("signing in"));
    let entry = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    let done = Loaded::LoginDone {
        request: login,
        result: Err("denied".into()),
    };
    update(&mut s, Action::Loaded(done));
    assert!(draw(&s).contains("assuming ReadOnly in sandbox-mei"));
    assert!(s.busy());
    assert!(!answer(&mut s, entry, SANDBOX_MEI, "sandbox-mei").is_empty());
}
