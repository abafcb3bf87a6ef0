//! The TUI's "enter an account" flow without a terminal or AWS: role picker, production
//! confirmation, MFA prompt, and the effects each step asks for.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use orgnav::access::Assumed;
use orgnav::aws::credentials::Credentials;
use orgnav::aws::roles::RoleRule;
use orgnav::launch::AccountSession;
use orgnav::model::Node;
use orgnav::source::demo_snapshot;
use orgnav::tui::action::{Action, Effect, Loaded, Purpose};
use orgnav::tui::state::{AccessView, Modal, State, Status};
use orgnav::tui::ui::render;
use orgnav::tui::update::{install, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const PAYMENTS_DEV: &str = "272569912085";
const PAYMENTS_PROD: &str = "718172762479";
const SANDBOX_MEI: &str = "967866623129";

fn rule(name: &str, ou: Option<&str>) -> RoleRule {
    RoleRule {
        name: name.into(),
        ou: ou.map(Into::into),
        account: None,
        tag: None,
    }
}

/// A non-demo state on the demo organization with two role rules for Workloads/Dev.
fn state() -> State {
    let status = Status {
        profile: "mgmt".into(),
        region: "eu-west-1".into(),
        ..Status::default()
    };
    let mut s = State::new(status, Default::default());
    s.now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    install(&mut s, demo_snapshot().unwrap());
    s.access = AccessView {
        rules: vec![
            rule("ReadOnly", None),
            rule("Developer", Some("Workloads/Dev/**")),
        ],
        default_role: "OrganizationAccountAccessRole".into(),
        region: "eu-west-1".into(),
        ..AccessView::default()
    };
    update(
        &mut s,
        Action::Resize {
            width: 110,
            height: 32,
        },
    );
    s
}

fn select(s: &mut State, name: &str) {
    update(s, Action::OpenSearch);
    for c in name.chars() {
        update(s, Action::SearchInput(c));
    }
    update(s, Action::SearchAccept);
    let org = s.org.as_ref().unwrap();
    let Some(Node::Account(i)) = s.selected_node() else {
        panic!("no account selected")
    };
    assert_eq!(org.h.account(i).name, name);
}

fn draw(s: &State) -> String {
    let mut t = Terminal::new(TestBackend::new(s.width, s.height)).unwrap();
    t.draw(|f| render(f, s)).unwrap();
    t.backend().to_string()
}

fn assumed(id: &str, name: &str) -> Assumed {
    Assumed {
        session: AccountSession {
            account_id: id.into(),
            account_name: name.into(),
            role: "Developer".into(),
            region: "eu-west-1".into(),
            production: false,
            credentials: Arc::new(Credentials {
                access_key_id: "ASIA".into(),
                secret_access_key: String::from("s").into(),
                session_token: String::from("t").into(),
                expiration: jiff::Timestamp::from_second(1_900_000_000).unwrap(),
            }),
        },
        chained: false,
    }
}

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
            purpose: Purpose::Shell,
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
    assert!(s.modal.is_none() && s.pending.is_some());
    let request = s.entry.as_ref().unwrap().request;
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::Assumed {
            request,
            purpose: Purpose::Shell,
            assumed: Box::new(assumed(PAYMENTS_DEV, "payments-dev")),
        }),
    );
    assert!(matches!(effects.as_slice(), [Effect::RunShell(_)]));
    assert_eq!(s.access.last_roles[PAYMENTS_DEV], "Developer");
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
            purpose: Purpose::Console,
            production: true,
            ..
        }]
    ));
    let request = s.entry.as_ref().unwrap().request;
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::Assumed {
            request,
            purpose: Purpose::Console,
            assumed: Box::new(assumed(PAYMENTS_PROD, "payments-prod")),
        }),
    );
    assert!(matches!(effects.as_slice(), [Effect::OpenConsole { .. }]));
}

#[test]
fn mfa_prompt_collects_a_code_and_retries() {
    let mut s = state();
    select(&mut s, "ledger-dev");
    let org = s.org.as_ref().unwrap();
    let Some(Node::Account(i)) = s.selected_node() else {
        panic!()
    };
    let option = s.access.options(org, i).remove(0);
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
            purpose: Purpose::Shell,
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
fn suspended_accounts_and_the_demo_cannot_be_entered() {
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
    assert!(update(&mut s, Action::Activate).is_empty());
    assert!(s.modal.is_none());
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

/// A background refresh answered with `org`: the generation the refresh asked for.
fn refresh_with(s: &mut State, edit: impl FnOnce(&mut orgnav::model::Org)) {
    let mut snapshot = demo_snapshot().unwrap();
    edit(&mut snapshot.org);
    let effects = update(s, Action::Refresh);
    let [Effect::Crawl { generation }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        s,
        Action::Loaded(Loaded::Org {
            generation: *generation,
            snapshot: Box::new(snapshot),
        }),
    );
}

fn assumed_account(effects: &[Effect]) -> String {
    match effects {
        [Effect::Assume { account, .. }] => account.id.clone(),
        other => panic!("expected one Assume, got {other:?}"),
    }
}

#[test]
fn a_refresh_that_reorders_the_tree_under_the_role_picker_keeps_the_chosen_account() {
    let mut s = state();
    select(&mut s, "payments-dev");
    update(&mut s, Action::Activate);
    assert!(matches!(s.modal, Some(Modal::PickRole { .. })));
    refresh_with(&mut s, |org| org.accounts.reverse());
    let screen = draw(&s);
    assert!(screen.contains("payments-dev"), "{screen}");
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

fn request_of(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::Assume { request, .. }] => *request,
        other => panic!("expected one Assume, got {other:?}"),
    }
}

fn answer(s: &mut State, request: u64, id: &str, name: &str) -> Vec<Effect> {
    update(
        s,
        Action::Loaded(Loaded::Assumed {
            request,
            purpose: Purpose::Shell,
            assumed: Box::new(assumed(id, name)),
        }),
    )
}

#[test]
fn a_second_entry_replaces_the_first_whose_answer_never_opens_a_shell() {
    let mut s = state();
    select(&mut s, "sandbox-mei");
    let first = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    let second = request_of(&update(&mut s, Action::Enter(Purpose::Shell)));
    assert_ne!(first, second);
    assert!(answer(&mut s, first, SANDBOX_MEI, "sandbox-mei").is_empty());
    assert!(s.pending.is_some(), "the second entry is still awaited");
    let effects = answer(&mut s, second, SANDBOX_MEI, "sandbox-mei");
    assert!(
        matches!(effects.as_slice(), [Effect::RunShell(_)]),
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
    let esc = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Esc);
    let action = orgnav::tui::keymap::map_key(&s, esc).unwrap();
    assert_eq!(action, Action::CancelPending);
    update(&mut s, action);
    assert!(s.pending.is_none() && s.entry.is_none());
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
    update(&mut s, Action::Enter(Purpose::Shell));
    assert!(
        update(&mut s, Action::ModalConfirm).is_empty(),
        "Enter declines"
    );
    assert!(s.modal.is_none() && s.pending.is_none());
    update(&mut s, Action::Enter(Purpose::Shell));
    assert!(
        update(&mut s, Action::ModalCancel).is_empty(),
        "Esc declines"
    );
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
    assert!(s.entry.is_none() && s.pending.is_none());
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
