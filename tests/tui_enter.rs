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

fn assumed(name: &str) -> Assumed {
    Assumed {
        session: AccountSession {
            account_id: "111111111111".into(),
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
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::Assumed {
            purpose: Purpose::Shell,
            assumed: Box::new(assumed("payments-dev")),
        }),
    );
    assert!(matches!(effects.as_slice(), [Effect::RunShell(_)]));
    assert_eq!(s.access.last_roles["111111111111"], "Developer");
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
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::Assumed {
            purpose: Purpose::Console,
            assumed: Box::new(assumed("payments-prod")),
        }),
    );
    assert!(matches!(effects.as_slice(), [Effect::OpenConsole(_)]));
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
    update(
        &mut s,
        Action::Loaded(Loaded::MfaNeeded {
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
    update(
        &mut s,
        Action::Loaded(Loaded::AccessFailed("AssumeRole was denied".into())),
    );
    assert_eq!(
        s.status.last_error.as_deref(),
        Some("AssumeRole was denied")
    );
    assert_eq!(update(&mut s, Action::Suspend), vec![Effect::SuspendSelf]);
}
