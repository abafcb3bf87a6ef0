//! The TUI's "enter an account" flow without a terminal or AWS: role picker, production
//! confirmation, MFA prompt, and the effects each step asks for.
#![allow(clippy::unwrap_used)]

mod support;

use orgnav::access::Assumed;
use orgnav::access::history::EntryKind;
use orgnav::model::Node;
use orgnav::quotas::{AccountQuotas, QuotaUsage};
use orgnav::tui::action::{Action, Effect, Loaded, Purpose};
use orgnav::tui::state::{Modal, State};
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

/// A sweep with one quota of payments-dev in ap-southeast-2, open and selected.
fn sweep_with_one_quota(s: &mut State) {
    let effects = update(s, Action::OpenSweep);
    let Some(Effect::StartSweep { generation, .. }) = effects.last() else {
        panic!("{effects:?}")
    };
    let quota = QuotaUsage {
        service_code: "lambda".into(),
        quota_code: "L-B99A9384".into(),
        quota_name: "Concurrent executions".into(),
        value: 1000.0,
        usage: Some(950.0),
        utilization: Some(0.95),
        adjustable: true,
        unit: "None".into(),
        region: "ap-southeast-2".into(),
        has_usage_metric: true,
    };
    let results = vec![AccountQuotas {
        account_id: PAYMENTS_DEV.into(),
        account_name: "payments-dev".into(),
        region: "ap-southeast-2".into(),
        result: Ok(vec![quota]),
    }];
    let generation = *generation;
    update(
        s,
        Action::Loaded(Loaded::SweepProgress {
            generation,
            results,
            done: 1,
        }),
    );
    assert!(s.quotas.sweep_open);
}

/// The console opening that follows the entry in flight: (assumed, destination).
fn console_opened(s: &mut State, effects: &[Effect], role_choice: bool) -> (Box<Assumed>, String) {
    let effects = if role_choice {
        // Nothing but the end of an earlier console opening still in flight.
        assert!(
            effects
                .iter()
                .all(|e| matches!(e, Effect::StopConsole { .. })),
            "{effects:?}"
        );
        update(s, Action::ModalConfirm)
    } else {
        effects.to_vec()
    };
    let request = request_of(&effects);
    let effects = update(
        s,
        Action::Loaded(Loaded::Assumed {
            request,
            assumed: Box::new(assumed(PAYMENTS_DEV, "payments-dev")),
        }),
    );
    match effects.as_slice() {
        [
            Effect::RecordHistory { .. },
            Effect::OpenConsole {
                assumed,
                destination,
                ..
            },
        ] => (assumed.clone(), destination.clone()),
        other => panic!("{other:?}"),
    }
}

/// The console opening that follows lands in payments-dev, in `region`, on `destination`.
fn lands_on(s: &mut State, effects: &[Effect], region: &str, destination: &str) {
    let (assumed, dest) = console_opened(s, effects, true);
    let session = &assumed.session;
    assert_eq!(
        (session.account_id.as_str(), session.region.as_str()),
        (PAYMENTS_DEV, region)
    );
    assert_eq!(dest, destination);
}

/// `c` in the quota sweep enters the quota's account (by ID, through the role picker) and the
/// console lands on the quota's Service Quotas page in the quota's region; a later plain `c`
/// lands on the console home in the session's region again.
#[test]
fn c_in_the_sweep_opens_the_quotas_page_in_its_account_and_region() {
    let mut s = state();
    sweep_with_one_quota(&mut s);
    assert_eq!(
        orgnav::tui::keymap::map_key(
            &s,
            crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('c'))
        ),
        Some(Action::OpenQuotaConsole)
    );
    let effects = update(&mut s, Action::OpenQuotaConsole);
    let Some(Modal::PickRole { account, .. }) = &s.modal else {
        panic!("{:?}", s.modal)
    };
    assert_eq!(account.id, PAYMENTS_DEV);
    lands_on(
        &mut s,
        &effects,
        "ap-southeast-2",
        "https://ap-southeast-2.console.aws.amazon.com/servicequotas/home/services/lambda/quotas/L-B99A9384?region=ap-southeast-2",
    );
    update(&mut s, Action::CloseSweep);
    select(&mut s, "payments-dev");
    let effects = update(&mut s, Action::Enter(Purpose::Console));
    let (assumed, destination) = console_opened(&mut s, &effects, true);
    assert_eq!(assumed.session.region, "eu-west-1");
    assert_eq!(
        destination,
        "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
    );
}

/// A deep link belongs to its own entry: Esc on the role picker, then `c` on another account
/// in the tree, lands on that account's console home.
#[test]
fn a_cancelled_quota_link_does_not_leak_into_the_next_entry() {
    let mut s = state();
    sweep_with_one_quota(&mut s);
    update(&mut s, Action::OpenQuotaConsole);
    update(&mut s, Action::ModalCancel);
    assert!(s.modal.is_none());
    update(&mut s, Action::CloseSweep);
    select(&mut s, "payments-dev");
    let effects = update(&mut s, Action::Enter(Purpose::Console));
    let (_, destination) = console_opened(&mut s, &effects, true);
    assert!(
        destination.contains("/console/home?region=eu-west-1"),
        "{destination}"
    );
}

/// `c` with the Quotas tab showing lands on the account's Service Quotas page in the tab's
/// region (`R` chose it), not on the console home.
#[test]
fn c_on_the_quotas_tab_opens_service_quotas_in_the_tab_region() {
    let mut s = state();
    s.quotas = orgnav::tui::quota_state::QuotaView::new(
        orgnav::config::QuotasConfig {
            regions: vec!["us-west-2".into()],
            ..Default::default()
        },
        "eu-west-1",
    );
    select(&mut s, "payments-dev");
    update(&mut s, Action::ToggleDetailsTab);
    update(&mut s, Action::CycleQuotaRegion);
    assert_eq!(s.quotas.current_region(), "us-west-2");
    let effects = update(&mut s, Action::Enter(Purpose::Console));
    lands_on(
        &mut s,
        &effects,
        "us-west-2",
        "https://us-west-2.console.aws.amazon.com/servicequotas/home?region=us-west-2",
    );
}
