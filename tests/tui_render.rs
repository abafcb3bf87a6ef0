//! Whole-screen renders of the TUI on the demo organization (ratatui TestBackend + insta).
//! The state is driven only through `update` with the same actions the keymap produces.
#![allow(clippy::unwrap_used)]

use crossterm::event::{KeyCode, KeyEvent};
use orgnav::model::Node;
use orgnav::source::demo_snapshot;
use orgnav::tui::action::{Action, Loaded};
use orgnav::tui::keymap::map_key;
use orgnav::tui::state::{State, Status};
use orgnav::tui::ui::render;
use orgnav::tui::update::{install, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::tui::demo_state;

mod support;

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
    press(&mut state, KeyCode::Char('?'));
    let screen = draw(&state);
    assert!(screen.contains(" Keys "), "{screen}");
    insta::assert_snapshot!(screen);
}

fn press(state: &mut State, code: KeyCode) {
    if let Some(action) = map_key(state, KeyEvent::from(code)) {
        update(state, action);
    }
}

/// At 80×24 the help is taller than the screen: the arrow keys scroll it down to the quota
/// sweep's keys, and a key that is not one of the help's own leaves it open.
#[test]
fn help_scrolls_at_80x24_and_only_its_keys_close_it() {
    let mut state = demo_state(80, 24);
    press(&mut state, KeyCode::Char('?'));
    let first = draw(&state);
    assert!(first.contains("Keys"), "{first}");
    press(&mut state, KeyCode::Char('s'));
    assert!(state.help, "s closed the help");
    let mut seen = first.clone();
    for _ in 0..60 {
        press(&mut state, KeyCode::Down);
        seen.push_str(&draw(&state));
    }
    for text in ["Search", "clear the query", "Quota sweep", "sweep again"] {
        assert!(seen.contains(text), "{text} never shown:\n{seen}");
    }
    let last = draw(&state);
    assert!(last.contains("sweep again"), "{last}");
    insta::assert_snapshot!("help_scrolled_to_the_end_80x24", last);
    press(&mut state, KeyCode::PageUp);
    press(&mut state, KeyCode::PageUp);
    press(&mut state, KeyCode::PageUp);
    press(&mut state, KeyCode::PageUp);
    assert_eq!(draw(&state), first, "PgUp goes back to the top");
    press(&mut state, KeyCode::Esc);
    assert!(!state.help, "Esc closes the help");
}

/// The status bar's "? help" stands out from the bar (it was grey on grey).
#[test]
fn status_bar_help_hint_is_readable() {
    let state = demo_state(100, 30);
    let terminal = draw_only(&state);
    let buffer = terminal.backend().buffer();
    let y = state.height - 1;
    // Cells, not bytes: "·" in the bar is two bytes but one column.
    let cells: Vec<&str> = (0..state.width).map(|x| buffer[(x, y)].symbol()).collect();
    let at = cells
        .windows(6)
        .position(|w| w.concat() == "? help")
        .expect("a help hint in the status bar");
    let cell = &buffer[(u16::try_from(at).unwrap(), y)];
    assert_eq!(cell.symbol(), "?");
    assert_ne!(cell.fg, cell.bg, "hint colour equals its background");
    assert_ne!(cell.fg, ratatui::style::Color::DarkGray, "hint is grey");
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
    // The header says where the data comes from; the status bar keeps the error.
    let header = screen.lines().next().unwrap();
    assert!(
        header.contains("OFFLINE") && header.contains("cached 3h ago"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn favourites_and_recent_above_the_tree() {
    use orgnav::access::history::{EntryKind, History};
    let mut state = demo_state(100, 30);
    let mut history = History::default();
    // Long ago, payments-prod's console; then payments-dev, sandbox-mei, payments-prod, payments-dev
    // (demo IDs), oldest first, as the file keeps them.
    history.remember("718172762479", "Admin", EntryKind::Console, 1_794_000_000);
    for (at, id) in [
        "272569912085",
        "967866623129",
        "718172762479",
        "272569912085",
    ]
    .iter()
    .enumerate()
    {
        // Hours before the state's clock (1_795_000_000), the last one an hour ago.
        let at = 1_795_000_000 - 3600 * (4 - at as i64);
        history.remember(id, "ReadOnly", EntryKind::Shell, at);
    }
    history.toggle_favourite("718172762479");
    state.history = history;
    // Installing again applies the history, as at start.
    install(&mut state, demo_snapshot().unwrap());
    apply(&mut state, [Action::Top, Action::MoveDown]);
    insta::assert_snapshot!(draw(&state));
}
