//! Whole-screen renders of the TUI on the demo organization (ratatui TestBackend + insta).
//! The state is driven only through `update` with the same actions the keymap produces.
#![allow(clippy::unwrap_used)]

use orgnav::model::Node;
use orgnav::source::demo_snapshot;
use orgnav::tui::action::{Action, Loaded};
use orgnav::tui::state::{State, Status};
use orgnav::tui::ui::render;
use orgnav::tui::update::{install, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn demo_state(width: u16, height: u16) -> State {
    let status = Status {
        demo: true,
        profile: "demo".into(),
        region: "us-east-1".into(),
        ..Status::default()
    };
    let mut state = State::new(status, Default::default());
    state.now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    install(&mut state, demo_snapshot().unwrap());
    update(&mut state, Action::Resize { width, height });
    state
}

fn apply(state: &mut State, actions: impl IntoIterator<Item = Action>) {
    for a in actions {
        update(state, a);
    }
}

fn type_query(state: &mut State, q: &str) {
    apply(
        state,
        std::iter::once(Action::OpenSearch).chain(q.chars().map(Action::SearchInput)),
    );
}

fn draw_only(state: &State) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal.draw(|f| render(f, state)).unwrap();
    terminal
}

fn draw(state: &State) -> String {
    draw_only(state).backend().to_string()
}

fn select_account(state: &mut State, name: &str) {
    type_query(state, name);
    apply(state, [Action::SearchAccept]);
    let org = state.org.as_ref().unwrap();
    match state.selected_node() {
        Some(Node::Account(i)) => assert_eq!(org.h.account(i).name, name),
        other => panic!("selected {other:?}"),
    }
}

#[test]
fn tree_first_screen() {
    let state = demo_state(100, 30);
    insta::assert_snapshot!(draw(&state));
}

#[test]
fn tree_expanded_with_account_details() {
    let mut state = demo_state(110, 34);
    select_account(&mut state, "payments-prod");
    let screen = draw(&state);
    assert!(screen.contains("payments-prod"));
    insta::assert_snapshot!(screen);
}

#[test]
fn ou_details_show_counts() {
    let mut state = demo_state(100, 30);
    apply(&mut state, [Action::MoveDown]);
    let screen = draw(&state);
    assert!(screen.contains("direct,"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn search_results_with_paths() {
    let mut state = demo_state(100, 30);
    type_query(&mut state, "pay");
    let s = state.search.as_ref().unwrap();
    assert!(!s.hits.is_empty());
    insta::assert_snapshot!(draw(&state));
}

#[test]
fn help_overlay_lists_keys() {
    let mut state = demo_state(100, 30);
    apply(&mut state, [Action::ToggleHelp]);
    let screen = draw(&state);
    for (keys, _) in orgnav::tui::keymap::HELP
        .iter()
        .filter(|(k, _)| !k.is_empty())
    {
        assert!(screen.contains(keys), "help lacks {keys}");
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn tiny_terminal_degrades() {
    let mut state = demo_state(30, 8);
    insta::assert_snapshot!("tiny_tree", draw(&state));
    type_query(&mut state, "data");
    insta::assert_snapshot!("tiny_search", draw(&state));
}

#[test]
fn every_size_renders_without_panicking() {
    for (w, h) in [
        (0, 0),
        (1, 1),
        (2, 3),
        (10, 2),
        (30, 8),
        (45, 12),
        (59, 20),
        (60, 5),
    ] {
        // TestBackend cannot print a zero-width buffer, so only draw here.
        let mut state = demo_state(w, h);
        draw_only(&state);
        apply(&mut state, [Action::ToggleHelp]);
        draw_only(&state);
        apply(&mut state, [Action::ToggleHelp]);
        type_query(&mut state, "é");
        draw_only(&state);
    }
}

#[test]
fn stale_cache_and_errors_show_in_the_status_bar() {
    let status = Status {
        profile: "mgmt".into(),
        region: "eu-west-1".into(),
        ..Status::default()
    };
    let mut state = State::new(status, Default::default());
    let mut snapshot = demo_snapshot().unwrap();
    snapshot.fetched_at = jiff::Timestamp::from_second(1_795_000_000 - 3 * 3600).unwrap();
    state.now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    install(&mut state, snapshot);
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 20,
        },
    );
    let effects = update(&mut state, Action::Refresh);
    assert_eq!(effects.len(), 1);
    let generation = state.generation;
    update(
        &mut state,
        Action::Loaded(Loaded::Failed {
            generation,
            message: "ListRoots: cannot reach AWS (connection refused)".into(),
            network: true,
        }),
    );
    let screen = draw(&state);
    assert!(screen.contains("cached 3h ago · stale"), "{screen}");
    insta::assert_snapshot!(screen);
}
