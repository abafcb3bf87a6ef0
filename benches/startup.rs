//! Budgets at 10,000 accounts / 300 OUs: cache load + first frame, `ls --json` from cache,
//! a keystroke's update + redraw, and building the tree.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use orgnav::cli::output::{ranked_accounts, write_json};
use orgnav::model::{Hierarchy, Snapshot, synthetic};
use orgnav::tui::action::Action;
use orgnav::tui::state::{State, Status};
use orgnav::tui::ui::render;
use orgnav::tui::update::{install, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn snapshot_bytes() -> Vec<u8> {
    let org = synthetic::org(10_000, 300);
    serde_json::to_vec(&Snapshot::new(org, jiff::Timestamp::UNIX_EPOCH)).unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let bytes = snapshot_bytes();
    let mut group = c.benchmark_group("10k_accounts");
    group.sample_size(20);

    group.bench_function("cache_load_and_first_frame", |b| {
        b.iter(|| {
            let snapshot = orgnav::source::cache::parse(&bytes).unwrap_or_else(|e| panic!("{e}"));
            let mut state = State::new(Status::default(), Default::default());
            install(&mut state, snapshot);
            update(
                &mut state,
                Action::Resize {
                    width: 160,
                    height: 50,
                },
            );
            let mut terminal =
                Terminal::new(TestBackend::new(160, 50)).unwrap_or_else(|e| panic!("{e}"));
            terminal
                .draw(|f| render(f, &state))
                .unwrap_or_else(|e| panic!("{e}"));
            black_box(terminal);
        })
    });

    group.bench_function("ls_json_from_cache", |b| {
        b.iter(|| {
            let snapshot = orgnav::source::cache::parse(&bytes).unwrap_or_else(|e| panic!("{e}"));
            let h = Hierarchy::new(snapshot.org);
            let accounts = ranked_accounts(&h, "");
            let mut out = Vec::with_capacity(4 << 20);
            write_json(&mut out, &h, &accounts).unwrap_or_else(|e| panic!("{e}"));
            black_box(out);
        })
    });

    let snapshot = orgnav::source::cache::parse(&bytes).unwrap_or_else(|e| panic!("{e}"));
    let mut state = State::new(Status::default(), Default::default());
    install(&mut state, snapshot.clone());
    update(
        &mut state,
        Action::Resize {
            width: 160,
            height: 50,
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap_or_else(|e| panic!("{e}"));
    group.bench_function("keystroke_move_and_redraw", |b| {
        b.iter(|| {
            update(&mut state, Action::MoveDown);
            terminal
                .draw(|f| render(f, &state))
                .unwrap_or_else(|e| panic!("{e}"));
        })
    });
    update(&mut state, Action::OpenSearch);
    group.bench_function("keystroke_search_and_redraw", |b| {
        b.iter(|| {
            update(&mut state, Action::SearchInput('p'));
            terminal
                .draw(|f| render(f, &state))
                .unwrap_or_else(|e| panic!("{e}"));
            update(&mut state, Action::SearchBackspace);
        })
    });
    group.bench_function("hierarchy_and_tree_build", |b| {
        b.iter(|| {
            let h = Hierarchy::new(snapshot.org.clone());
            black_box(orgnav::model::tree::TreeState::new(&h));
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
