//! The TUI's state on the demo organization, driven without a terminal: shared by the tests
//! of the "enter an account" flow.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use orgnav::access::Assumed;
use orgnav::access::launch::AccountSession;
use orgnav::aws::credentials::Credentials;
use orgnav::config::RoleRule;
use orgnav::model::Node;
use orgnav::source::demo_snapshot;
use orgnav::tui::action::{Action, Effect, Loaded};
use orgnav::tui::state::{AccessView, State, Status};
use orgnav::tui::ui::render;
use orgnav::tui::update::{install, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const PAYMENTS_DEV: &str = "272569912085";
pub const PAYMENTS_PROD: &str = "718172762479";
pub const SANDBOX_MEI: &str = "967866623129";

pub fn rule(name: &str, ou: Option<&str>) -> RoleRule {
    RoleRule {
        name: name.into(),
        ou: ou.map(Into::into),
        account: None,
        tag: None,
    }
}

/// A non-demo state on the demo organization with two role rules for Workloads/Dev.
pub fn state() -> State {
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

/// The demo organization as `orgnav --demo` shows it, on a `width` × `height` screen.
pub fn demo_state(width: u16, height: u16) -> State {
    let status = Status {
        demo: true,
        profile: "demo".into(),
        region: "us-east-1".into(),
        ..Status::default()
    };
    let mut state = State::new(status, Default::default());
    state.now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    install(&mut state, demo_snapshot().unwrap());
    // The demo's own roles, as `orgnav --demo` sets them up.
    let roles = orgnav::access::demo::roles();
    state.access = orgnav::tui::state::AccessView {
        rules: roles.rules,
        profiles: roles.profiles,
        default_role: roles.default_role,
        region: "us-east-1".into(),
    };
    update(&mut state, Action::Resize { width, height });
    state
}

pub fn select(s: &mut State, name: &str) {
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

pub fn draw(s: &State) -> String {
    let mut t = Terminal::new(TestBackend::new(s.width, s.height)).unwrap();
    t.draw(|f| render(f, s)).unwrap();
    t.backend().to_string()
}

pub fn assumed(id: &str, name: &str) -> Assumed {
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
            demo: false,
        },
        chained: false,
    }
}

/// A background refresh answered with `org`: the generation the refresh asked for.
pub fn refresh_with(s: &mut State, edit: impl FnOnce(&mut orgnav::model::Org)) {
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

pub fn assumed_account(effects: &[Effect]) -> String {
    match effects {
        [Effect::Assume { account, .. }] => account.id.clone(),
        other => panic!("expected one Assume, got {other:?}"),
    }
}

pub fn request_of(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::Assume { request, .. }] => *request,
        other => panic!("expected one Assume, got {other:?}"),
    }
}

pub fn answer(s: &mut State, request: u64, id: &str, name: &str) -> Vec<Effect> {
    update(
        s,
        Action::Loaded(Loaded::Assumed {
            request,
            assumed: Box::new(assumed(id, name)),
        }),
    )
}
