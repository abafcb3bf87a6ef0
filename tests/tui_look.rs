//! The navigator's frame: the header (organization, profile, region, cache age, DEMO/OFFLINE),
//! the key-hint line made from the key table, the breadcrumb title of the details pane, the
//! quota summary, the region picker and the credentials' remaining time. Whole screens through
//! ratatui's TestBackend (insta snapshots); the state is driven only through `update`.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};
use orgnav::quotas::QuotaUsage;
use orgnav::source::demo_snapshot;
use orgnav::tui::action::{Action, Effect, Loaded, Purpose};
use orgnav::tui::keymap::{Keymap, map_key};
use orgnav::tui::state::State;
use orgnav::tui::update::{install, update};
use support::tui::{PAYMENTS_DEV, answer, demo_state, draw, request_of, select};

/// A live (non-demo) session on the demo organization, read from a cache 3 hours old.
fn live_state(width: u16, height: u16) -> State {
    let mut s = support::tui::state();
    s.status.profile = "mgmt".into();
    let mut snapshot = demo_snapshot().unwrap();
    snapshot.fetched_at = jiff::Timestamp::from_second(1_795_000_000 - 3 * 3600).unwrap();
    install(&mut s, snapshot);
    update(&mut s, Action::Resize { width, height });
    s
}

fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
    match map_key(state, KeyEvent::from(code)) {
        Some(action) => update(state, action),
        None => vec![],
    }
}

fn line(screen: &str, n: usize) -> String {
    screen.lines().nth(n).unwrap_or_default().to_string()
}

fn last_line(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn normal_screen_at_80x24_has_header_and_hints() {
    let state = demo_state(80, 24);
    let screen = draw(&state);
    let header = line(&screen, 0);
    for part in ["DEMO", "o-demo4x7k2p9q", "us-east-1"] {
        assert!(header.contains(part), "{part} not in the header: {header}");
    }
    let hints = last_line(&screen);
    for hint in ["/ search", "? help"] {
        assert!(hints.contains(hint), "{hint} not in the hints: {hints}");
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn normal_screen_at_160x45_on_an_account() {
    let mut state = live_state(160, 45);
    select(&mut state, "payments-prod");
    let screen = draw(&state);
    let header = line(&screen, 0);
    for part in ["mgmt", "eu-west-1", "cached 3h ago"] {
        assert!(header.contains(part), "{part} not in the header: {header}");
    }
    assert!(
        !header.contains("DEMO") && !header.contains("OFFLINE"),
        "{header}"
    );
    assert!(
        screen.contains("Root › Workloads › Prod › Payments › payments-prod"),
        "{screen}"
    );
    let hints = last_line(&screen);
    for hint in ["s shell", "c console", "/ search", "? help"] {
        assert!(hints.contains(hint), "{hint} not in the hints: {hints}");
    }
    insta::assert_snapshot!(screen);
}

/// `--offline` shows the badge; an unreachable AWS does too (tui_render's stale-cache test).
#[test]
fn offline_shows_a_badge_and_a_refresh_its_spinner() {
    let mut state = live_state(100, 30);
    let header = line(&draw(&state), 0);
    assert!(!header.contains("OFFLINE") && !header.contains("refreshing"));
    update(&mut state, Action::Refresh);
    let header = line(&draw(&state), 0);
    assert!(header.contains("⠋ refreshing"), "{header}");

    let mut offline = live_state(100, 30);
    offline.status.offline = true;
    assert!(line(&draw(&offline), 0).contains("OFFLINE"));
}

#[test]
fn search_mode_shows_its_own_hints() {
    let mut state = demo_state(100, 30);
    for c in std::iter::once('/').chain("pay".chars()) {
        press(&mut state, KeyCode::Char(c));
    }
    assert!(state.search.is_some());
    let screen = draw(&state);
    let hints = last_line(&screen);
    for hint in ["Enter jump", "Esc close"] {
        assert!(hints.contains(hint), "{hint} not in the hints: {hints}");
    }
    assert!(!hints.contains("/ search"), "{hints}");
    insta::assert_snapshot!(screen);
}

#[test]
fn rebinding_a_key_changes_the_hint_line() {
    let mut state = demo_state(100, 30);
    let keys = BTreeMap::from([("search".to_string(), vec!["ctrl-f".to_string()])]);
    state.keymap = Keymap::new(&keys).unwrap();
    let hints = last_line(&draw(&state));
    assert!(hints.contains("Ctrl-F search"), "{hints}");
    assert!(!hints.contains("/ search"), "{hints}");
    // Unbound: the hint goes.
    let keys = BTreeMap::from([("search".to_string(), vec![])]);
    state.keymap = Keymap::new(&keys).unwrap();
    let hints = last_line(&draw(&state));
    assert!(!hints.contains("search"), "{hints}");
}

#[test]
fn hints_never_wrap_at_narrow_widths() {
    for width in [20, 40, 61, 80] {
        let state = demo_state(width, 24);
        let screen = draw(&state);
        let hints = last_line(&screen);
        // The help key is the last to go.
        assert!(hints.contains("? help"), "{width}: {hints}");
        // The line above the hints is the status bar, not a wrapped hint.
        assert!(!line(&screen, 22).contains("quit"), "{width}: {screen}");
    }
}

#[test]
fn breadcrumb_is_shortened_from_the_left_at_narrow_widths() {
    let mut state = live_state(70, 24);
    select(&mut state, "payments-prod");
    let screen = draw(&state);
    let top = line(&screen, 1);
    assert!(top.contains("… › Payments › payments-prod"), "{top}");
    assert!(!top.contains("Root"), "{top}");
    insta::assert_snapshot!(screen);
}

fn usage(code: &str, name: &str, value: f64, used: f64, region: &str) -> QuotaUsage {
    QuotaUsage {
        service_code: "ec2".into(),
        quota_code: code.into(),
        quota_name: name.into(),
        value,
        usage: Some(used),
        utilization: Some(used / value),
        adjustable: true,
        unit: "None".into(),
        region: region.into(),
        has_usage_metric: true,
    }
}

#[test]
fn details_show_the_worst_quota_once_read() {
    let mut state = live_state(160, 34);
    select(&mut state, "payments-dev");
    assert!(!draw(&state).contains("quotas:"));
    for (region, rows) in [
        (
            "eu-west-1",
            vec![usage(
                "L-0263D0A3",
                "EC2-VPC Elastic IPs",
                5.0,
                2.0,
                "eu-west-1",
            )],
        ),
        (
            "us-east-1",
            vec![
                usage(
                    "L-1216C47A",
                    "EC2 On-Demand vCPUs",
                    100.0,
                    92.0,
                    "us-east-1",
                ),
                usage("L-0263D0A3", "EC2-VPC Elastic IPs", 5.0, 1.0, "us-east-1"),
            ],
        ),
    ] {
        update(
            &mut state,
            Action::Loaded(Loaded::Quotas {
                account_id: PAYMENTS_DEV.into(),
                region: region.into(),
                result: Ok(rows),
            }),
        );
    }
    let screen = draw(&state);
    assert!(
        screen.contains("quotas: 92% L-1216C47A EC2 On-Demand vCPUs (us-east-1)"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn region_picker_filters_and_the_pick_is_used_for_shells() {
    let mut state = live_state(100, 30);
    select(&mut state, "payments-dev");
    press(&mut state, KeyCode::Char('@'));
    let screen = draw(&state);
    assert!(screen.contains("Region"), "{screen}");
    // The session's region first.
    assert!(screen.contains("eu-west-1"), "{screen}");
    for c in "frankf".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    let screen = draw(&state);
    assert!(screen.contains("eu-central-1"), "{screen}");
    assert!(!screen.contains("us-west-2"), "{screen}");
    insta::assert_snapshot!(screen);
    press(&mut state, KeyCode::Enter);
    assert!(state.modal.is_none());
    let screen = draw(&state);
    assert!(line(&screen, 0).contains("eu-central-1"), "{screen}");

    // A shell entered now runs in the picked region.
    let effects = update(&mut state, Action::Enter(Purpose::Shell));
    let effects = match state.modal {
        Some(_) => update(&mut state, Action::ModalConfirm),
        None => effects,
    };
    let request = request_of(&effects);
    let effects = answer(&mut state, request, PAYMENTS_DEV, "payments-dev");
    let Some(Effect::RunShell(assumed)) = effects.last() else {
        panic!("{effects:?}")
    };
    assert_eq!(assumed.session.region, "eu-central-1");
}

#[test]
fn region_picker_esc_keeps_the_region() {
    let mut state = live_state(100, 30);
    press(&mut state, KeyCode::Char('@'));
    assert!(state.modal.is_some());
    press(&mut state, KeyCode::Down);
    press(&mut state, KeyCode::Esc);
    assert!(state.modal.is_none());
    assert!(line(&draw(&state), 0).contains("eu-west-1"));
}

#[test]
fn credentials_show_their_remaining_time() {
    let mut state = live_state(120, 34);
    select(&mut state, "payments-dev");
    let effects = update(&mut state, Action::Enter(Purpose::Shell));
    let effects = match state.modal {
        Some(_) => update(&mut state, Action::ModalConfirm),
        None => effects,
    };
    let request = request_of(&effects);
    answer(&mut state, request, PAYMENTS_DEV, "payments-dev");
    // The support session expires at 1_900_000_000; make "now" 59 minutes before.
    state.now = jiff::Timestamp::from_second(1_900_000_000 - 59 * 60).unwrap();
    let local = jiff::Timestamp::from_second(1_900_000_000)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%H:%M")
        .to_string();
    let screen = draw(&state);
    assert!(
        screen.contains(&format!("until {local} (59 min)")),
        "{screen}"
    );
}

/// The event loop sends `Clock` when the minute turns: ages and remaining times move on
/// without a key press.
#[test]
fn the_clock_moves_the_remaining_time_on() {
    let mut state = live_state(100, 30);
    let before = state.now;
    update(&mut state, Action::Clock);
    assert!(state.now > before, "{} !> {before}", state.now);
}
