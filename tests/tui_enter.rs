//! The TUI's "enter an account" flow without a terminal or AWS: role picker, production
//! confirmation, MFA prompt, and the effects each step asks for.
#![allow(clippy::unwrap_used)]

mod support;

use orgnav::access::history::EntryKind;
use orgnav::model::Node;
use orgnav::tui::action::{Action, Effect, Loaded, Purpose};
use orgnav::tui::state::Modal;
use orgnav::tui::update::update;
use support::tui::*;

#[test]
fn several_roles_open_a_picker_and_the_choice_is_assumed() {
    let mut s = state();
    select(&mut s, "payments-dev");
    let screen = draw(&s);
    assert!(
        screen.contains("Roles") && screen.contains("Developer") && screen.contains("config rule"),
        "{screen}"
    );
    assert!(update(&mut s, Action::Activate).is_empty());
    let Some(Modal::PickRole { options, .. }) = &s.modal else {
        panic!("{:?}", s.modal)
    };
    assert_eq!(
        options.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
        ["ReadOnly", "Developer"]
    );
    insta::assert_snapshot!("role_picker", draw(&s));
    update(&mut s, Action::MoveDown);
    let effects = update(&mut s, Action::ModalConfirm);
    let [
        Effect::Assume {
            option,
            production: false,
            mfa_code: None,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(option.name, "Developer");
    assert!(s.modal.is_none() && s.entry.is_some());
    let request = s.entry.as_ref().unwrap().request;
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::Assumed {
            request,
            assumed: Box::new(assumed(PAYMENTS_DEV, "payments-dev")),
        }),
    );
    let [
        Effect::RecordHistory {
            account_id,
            role,
            kind,
            ..
        },
        Effect::RunShell(_),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (account_id.as_str(), role.as_str(), *kind),
        (PAYMENTS_DEV, "Developer", EntryKind::Shell)
    );
    assert_eq!(s.history.last_role(PAYMENTS_DEV), Some("Developer"));
}

#[test]
fn production_asks_first_and_no_means_nothing_happens() {
    let mut s = state();
    select(&mut s, "payments-prod");
    assert!(update(&mut s, Action::Enter(Purpose::Console)).is_empty());
    assert!(matches!(
        s.modal,
        Some(Modal::ConfirmProduction {
            purpose: Purpose::Console,
            ..
        })
    ));
    insta::assert_snapshot!("production_confirmation", draw(&s));
    assert!(update(&mut s, Action::ModalInput('n')).is_empty());
    assert!(s.modal.is_none());
    update(&mut s, Action::Enter(Purpose::Console));
    let effects = update(&mut s, Action::ModalInput('y'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Assume {
            production: true,
            ..
        }]
    ));
    assert_eq!(s.entry.as_ref().unwrap().purpose, Purpose::Console);
    let request = s.entry.as_ref().unwrap().request;
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::Assumed {
            request,
            assumed: Box::new(assumed(PAYMENTS_PROD, "payments-prod")),
        }),
    );
    assert!(matches!(
        effects.as_slice(),
        [Effect::RecordHistory { .. }, Effect::OpenConsole { .. }]
    ));
}

#[test]
fn mfa_prompt_collects_a_code_and_retries() {
    let mut s = state();
    select(&mut s, "ledger-dev");
    let org = s.org.as_ref().unwrap();
    let Some(Node::Account(i)) = s.selected_node() else {
        panic!()
    };
    let option = s.access.options(org, i, &s.history).remove(0);
    let account = org.h.account(i).clone();
    let effects = update(&mut s, Action::Enter(Purpose::Shell));
    assert!(
        matches!(s.modal, Some(Modal::PickRole { .. })),
        "{effects:?}"
    );
    let effects = update(&mut s, Action::ModalConfirm);
    let [Effect::Assume { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        &mut s,
        Action::Loaded(Loaded::MfaNeeded {
            request: *request,
            account: Box::new(account),
            option: Box::new(option),
            serial: "arn:aws:iam::1:mfa/alice".into(),
        }),
    );
    for c in "12x3456".chars() {
        update(&mut s, Action::ModalInput(c));
    }
    update(&mut s, Action::ModalBackspace);
    let screen = draw(&s);
    assert!(
        screen.contains("MFA code") && !screen.contains("12x345"),
        "the code is masked: {screen}"
    );
    let effects = update(&mut s, Action::ModalConfirm);
    let [
        Effect::Assume {
            mfa_code: Some(code),
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(code, "12x345");
}

#[test]
fn suspended_accounts_cannot_be_entered_but_demo_ones_can() {
    let mut s = state();
    select(&mut s, "payments-legacy");
    assert!(update(&mut s, Action::Enter(Purpose::Shell)).is_empty());
    assert!(
        s.status
            .last_error
            .as_deref()
            .unwrap()
            .contains("PENDING_CLOSURE")
    );
    let mut s = state();
    s.status.demo = true;
    select(&mut s, "payments-dev");
    // Two roles: the demo shows the role picker like any organization.
    assert!(update(&mut s, Action::Activate).is_empty());
    assert!(
        matches!(&s.modal, Some(Modal::PickRole { options, .. }) if options.len() == 2),
        "{:?}",
        s.modal
    );
}

#[test]
fn failures_and_ctrl_z() {
    let mut s = state();
    select(&mut s, "sandbox-mei");
    let effects = update(&mut s, Action::Enter(Purpose::Shell));
    let request = request_of(&effects);
    update(
        &mut s,
        Action::Loaded(Loaded::AccessFailed {
            request,
            message: "AssumeRole was denied".into(),
        }),
    );
    assert_eq!(
        s.status.last_error.as_deref(),
        Some("AssumeRole was denied")
    );
    assert_eq!(update(&mut s, Action::Suspend), vec![Effect::SuspendSelf]);
}
