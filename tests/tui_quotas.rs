//! The Quotas tab and the sweep view without a terminal or AWS: which reads are asked for,
//! how answers land, and what the screens look like (demo data and loaded data).
#![allow(clippy::unwrap_used)]

use orgnav::config::QuotasConfig;
use orgnav::model::Node;
use orgnav::quotas::AccountQuotas;
use orgnav::quotas::QuotaUsage;
use orgnav::source::demo_snapshot;
use orgnav::tui::action::{Action, Effect, Loaded};
use orgnav::tui::quota_state::{DetailsTab, QuotaView};
use orgnav::tui::state::{AccessView, State, Status};
use orgnav::tui::ui::render;
use orgnav::tui::update::{install, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn state(demo: bool) -> State {
    let status = Status {
        profile: "mgmt".into(),
        region: "eu-west-1".into(),
        demo,
        ..Status::default()
    };
    let mut s = State::new(status, Default::default());
    s.now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    install(&mut s, demo_snapshot().unwrap());
    s.access = AccessView {
        default_role: "OrganizationAccountAccessRole".into(),
        region: "eu-west-1".into(),
        ..AccessView::default()
    };
    let config = QuotasConfig {
        role: Some("QuotaReader".into()),
        regions: vec!["us-east-1".into()],
        ..QuotasConfig::default()
    };
    s.quotas = QuotaView::new(config, "eu-west-1");
    update(
        &mut s,
        Action::Resize {
            width: 120,
            height: 30,
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
    let name_now = match s.selected_node() {
        Some(Node::Account(i)) => s.org.as_ref().unwrap().h.account(i).name.clone(),
        Some(Node::Ou(i)) => s.org.as_ref().unwrap().h.ou(i).name.clone(),
        None => String::new(),
    };
    assert_eq!(name_now, name);
}

fn draw(s: &State) -> String {
    let mut t = Terminal::new(TestBackend::new(s.width, s.height)).unwrap();
    t.draw(|f| render(f, s)).unwrap();
    t.backend().to_string()
}

fn quota(code: &str, value: f64, usage: Option<f64>) -> QuotaUsage {
    QuotaUsage {
        service_code: "ec2".into(),
        quota_code: code.into(),
        quota_name: format!("Quota {code}"),
        value,
        usage,
        utilization: usage.map(|u| u / value),
        adjustable: code != "L-FIXED",
        unit: "None".into(),
        region: "eu-west-1".into(),
        has_usage_metric: usage.is_some(),
    }
}

#[test]
fn the_quotas_tab_reads_the_selected_account_with_the_quota_role() {
    let mut s = state(false);
    select(&mut s, "payments-dev");
    let effects = update(&mut s, Action::ToggleDetailsTab);
    assert_eq!(s.quotas.tab, DetailsTab::Quotas);
    let [Effect::FetchQuotas { target, query }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(target.account.name, "payments-dev");
    let role = target.role.as_ref().unwrap();
    assert_eq!(role.name, "QuotaReader");
    assert!(role.role_arn.contains(&target.account.id));
    assert_eq!(query.regions, ["eu-west-1"]);
    assert_eq!(query.services, QuotasConfig::default().services);
    // While the read runs, the tab says so; a second Tab-Tab does not read again.
    assert!(draw(&s).contains("reading quotas"));
    update(&mut s, Action::ToggleDetailsTab);
    assert!(update(&mut s, Action::ToggleDetailsTab).is_empty());

    let id = target.account.id.clone();
    update(
        &mut s,
        Action::Loaded(Loaded::Quotas {
            account_id: id.clone(),
            region: "eu-west-1".into(),
            result: Ok(vec![
                quota("L-HOT", 10.0, Some(9.7)),
                quota("L-WARM", 100.0, Some(85.0)),
                quota("L-COOL", 100.0, Some(10.0)),
                quota("L-FIXED", 5.0, None),
            ]),
        }),
    );
    insta::assert_snapshot!("quotas_tab", draw(&s));
    // u hides quotas without a usage metric.
    update(&mut s, Action::ToggleQuotaFilter);
    let screen = draw(&s);
    assert!(
        !screen.contains("L-FIXED") && screen.contains("hidden (u)"),
        "{screen}"
    );
    // r reads again; R moves to the next region, which has not been read.
    let effects = update(&mut s, Action::Refresh);
    assert!(matches!(effects.as_slice(), [Effect::FetchQuotas { .. }]));
    update(
        &mut s,
        Action::Loaded(Loaded::Quotas {
            account_id: id.clone(),
            region: "eu-west-1".into(),
            result: Err("cannot assume QuotaReader: AccessDenied".into()),
        }),
    );
    assert!(draw(&s).contains("cannot assume QuotaReader"));
    let effects = update(&mut s, Action::CycleQuotaRegion);
    let [Effect::FetchQuotas { query, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(query.regions, ["us-east-1"]);
}

#[test]
fn scrolling_with_the_tab_open_reads_only_where_the_user_rests() {
    let mut s = state(false);
    select(&mut s, "payments-dev");
    assert_eq!(update(&mut s, Action::ToggleDetailsTab).len(), 1);
    // ledger-dev sits just above: moving there reads nothing yet, it is only wanted.
    assert!(update(&mut s, Action::MoveUp).is_empty());
    let ledger = match s.selected_node() {
        Some(Node::Account(i)) => s.org.as_ref().unwrap().h.account(i).clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(ledger.name, "ledger-dev");
    assert_eq!(s.quotas.wanted.as_deref(), Some(ledger.id.as_str()));
    // Back on payments-dev (already being read): nothing is wanted any more.
    assert!(update(&mut s, Action::MoveDown).is_empty());
    assert!(s.quotas.wanted.is_none());
    // Resting on ledger-dev for a tick reads it, once.
    update(&mut s, Action::MoveUp);
    let effects = update(&mut s, Action::SelectionRested);
    let [Effect::FetchQuotas { target, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(target.account.id, ledger.id);
    assert!(s.quotas.wanted.is_none());
    assert!(update(&mut s, Action::SelectionRested).is_empty());
}

#[test]
fn demo_quotas_and_sweep_render_without_aws() {
    let mut s = state(true);
    select(&mut s, "payments-prod");
    assert!(update(&mut s, Action::ToggleDetailsTab).is_empty());
    let screen = draw(&s);
    assert!(
        screen.contains("demo data") && screen.contains("L-1216C47A"),
        "{screen}"
    );

    select(&mut s, "Prod");
    let effects = update(&mut s, Action::OpenSweep);
    assert_eq!(effects, [Effect::CancelSweep]);
    let sweep = s.quotas.sweep.as_ref().unwrap();
    let org = s.org.as_ref().unwrap();
    let Some(Node::Ou(prod)) = s.selected_node() else {
        panic!()
    };
    let active = org
        .h
        .accounts_under(prod)
        .into_iter()
        .filter(|&i| !org.h.account(i).status.is_inactive())
        .count();
    assert_eq!((sweep.done, sweep.total), (active, active));
    assert_eq!(sweep.scope, "Workloads/Prod");
    // Worst first.
    let utils: Vec<f64> = sweep
        .ranked
        .rows
        .iter()
        .filter_map(|r| r.quota.utilization)
        .collect();
    assert!(utils.windows(2).all(|w| w[0] >= w[1]), "{utils:?}");
    insta::assert_snapshot!("sweep_demo", draw(&s));
}

#[test]
fn the_sweep_streams_results_and_enter_shows_the_account() {
    let mut s = state(false);
    let effects = update(&mut s, Action::OpenSweep);
    let [
        Effect::CancelSweep,
        Effect::StartSweep {
            generation,
            targets,
            concurrency: 8,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    let org = s.org.as_ref().unwrap();
    let active = org
        .h
        .org
        .accounts
        .iter()
        .filter(|a| a.status == orgnav::model::AccountStatus::Active)
        .count();
    assert_eq!(targets.len(), active);
    let generation = *generation;
    let (a, b) = (targets[0].account.clone(), targets[1].account.clone());
    let result = |acc: &orgnav::model::Account, r: Result<Vec<QuotaUsage>, String>| AccountQuotas {
        account_id: acc.id.clone(),
        account_name: acc.name.clone(),
        region: "eu-west-1".into(),
        result: r,
    };
    // A stale generation is ignored.
    update(
        &mut s,
        Action::Loaded(Loaded::SweepProgress {
            generation: generation + 7,
            results: vec![result(&a, Ok(vec![quota("L-X", 1.0, Some(1.0))]))],
            done: 1,
        }),
    );
    assert_eq!(s.quotas.sweep.as_ref().unwrap().done, 0);
    for (n, r) in [
        result(&a, Ok(vec![quota("L-LOW", 100.0, Some(20.0))])),
        result(&b, Ok(vec![quota("L-HIGH", 100.0, Some(96.0))])),
        result(&a, Err("cannot assume QuotaReader: AccessDenied".into())),
    ]
    .into_iter()
    .enumerate()
    {
        update(
            &mut s,
            Action::Loaded(Loaded::SweepProgress {
                generation,
                results: vec![r],
                done: n + 1,
            }),
        );
    }
    let sweep = s.quotas.sweep.as_ref().unwrap();
    assert_eq!(sweep.done, 3);
    assert_eq!(sweep.ranked.rows[0].account_id, b.id);
    assert_eq!(sweep.ranked.failures.len(), 1);
    let screen = draw(&s);
    assert!(
        screen.contains("3/") && screen.contains("1 failed"),
        "{screen}"
    );
    // Enter on the worst line shows that account in the tree; Q brings the sweep back.
    update(&mut s, Action::SweepAccept);
    assert!(!s.quotas.sweep_open);
    let Some(Node::Account(i)) = s.selected_node() else {
        panic!()
    };
    assert_eq!(s.org.as_ref().unwrap().h.account(i).id, b.id);
    update(&mut s, Action::Top);
    assert!(update(&mut s, Action::OpenSweep).is_empty());
    assert!(s.quotas.sweep_open);
    update(&mut s, Action::Loaded(Loaded::SweepDone { generation }));
    assert!(s.quotas.sweep.as_ref().unwrap().finished.is_some());
    update(&mut s, Action::CloseSweep);
    assert!(!s.quotas.sweep_open);
}

/// The bars of one screen share one width: equal percentages draw equal bars whatever the
/// lengths of the numbers and codes beside them, and a bar follows the percentage shown.
#[test]
fn equal_percentages_draw_equal_bars() {
    let mut s = state(false);
    select(&mut s, "payments-dev");
    let effects = update(&mut s, Action::ToggleDetailsTab);
    let [Effect::FetchQuotas { target, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let mut long = quota("L-0EA8095F", 100_000.0, Some(50_000.0));
    long.quota_code = "L-0EA8095F-LONGER-CODE".into();
    update(
        &mut s,
        Action::Loaded(Loaded::Quotas {
            account_id: target.account.id.clone(),
            region: "eu-west-1".into(),
            result: Ok(vec![
                quota("L-A", 10.0, Some(5.0)),
                long,
                // 12.4% and 12.5% both show as 12%.
                quota("L-B", 1000.0, Some(124.0)),
                quota("L-C", 1000.0, Some(125.0)),
            ]),
        }),
    );
    let screen = draw(&s);
    let bar_of = |code: &str| -> (usize, usize) {
        let line = screen
            .lines()
            .find(|l| l.contains(&format!(" {code}")) && l.contains('░'))
            .unwrap_or_else(|| panic!("no bar for {code}:\n{screen}"));
        (
            line.matches('█').count(),
            line.matches('█').count() + line.matches('░').count(),
        )
    };
    assert_eq!(bar_of("L-A"), bar_of("L-0EA8095F-LONGER-CODE"), "{screen}");
    assert_eq!(bar_of("L-B"), bar_of("L-C"), "{screen}");
}

#[test]
fn without_colour_the_selected_sweep_line_is_marked() {
    let mut s = state(true);
    s.status.no_color = true;
    update(&mut s, Action::OpenSweep);
    update(&mut s, Action::MoveDown);
    let screen = draw(&s);
    let marked: Vec<&str> = screen.lines().filter(|l| l.contains('▶')).collect();
    assert_eq!(marked.len(), 1, "{screen}");
}

#[test]
fn a_resize_refills_the_sweep() {
    let mut s = state(true);
    update(
        &mut s,
        Action::Resize {
            width: 120,
            height: 12,
        },
    );
    update(&mut s, Action::OpenSweep);
    update(&mut s, Action::Bottom);
    let before = s.quotas.sweep.as_ref().unwrap().offset;
    assert!(before > 0);
    update(
        &mut s,
        Action::Resize {
            width: 120,
            height: 200,
        },
    );
    let sweep = s.quotas.sweep.as_ref().unwrap();
    let rows = orgnav::tui::layout::sweep_rows(120, 200);
    assert_eq!(
        sweep.offset,
        sweep.lines.len().saturating_sub(rows),
        "window full"
    );
}
