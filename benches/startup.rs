//! Budgets at 10,000 accounts / 300 OUs and 50,000 accounts / 3,000 OUs: cache load (the
//! binary twin orgnav reads, and the JSON it falls back to) + first frame, `ls --json` from
//! the cache, `ls QUERY` from the stored listing, a keystroke's update + redraw, and building
//! the tree.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use orgnav::cli::output::{ranked_accounts, search_index, write_json, write_json_views};
use orgnav::model::{Hierarchy, Snapshot, synthetic};
use orgnav::search::Scope;
use orgnav::source::cache_bin;
use orgnav::source::{listing::Listing, listing_file};
use orgnav::tui::action::Action;
use orgnav::tui::state::{State, Status};
use orgnav::tui::ui::render;
use orgnav::tui::update::{install, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(usize, usize); 2] = [(10_000, 300), (50_000, 3_000)];

fn first_frame(snapshot: Snapshot) -> Terminal<TestBackend> {
    let mut state = State::new(Status::default(), Default::default());
    install(&mut state, snapshot);
    update(
        &mut state,
        Action::Resize {
            width: 160,
            height: 50,
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap_or_else(|e| panic!("{e}"));
    terminal
        .draw(|f| render(f, &state))
        .unwrap_or_else(|e| panic!("{e}"));
    terminal
}

fn from_json(bytes: &[u8]) -> Snapshot {
    orgnav::source::cache::parse(bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn from_binary(bytes: &[u8]) -> Snapshot {
    cache_bin::decode(bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    for (accounts, ous) in SIZES {
        let org = synthetic::org(accounts, ous);
        let snapshot = Snapshot::new(org, jiff::Timestamp::UNIX_EPOCH);
        let json = serde_json::to_vec(&snapshot).unwrap_or_default();
        let binary = cache_bin::encode(&snapshot).unwrap_or_default();
        let mut group = c.benchmark_group(format!("{}k_accounts", accounts / 1000));
        group.sample_size(10);

        group.bench_function("cache_load_and_first_frame", |b| {
            b.iter(|| black_box(first_frame(from_binary(&binary))))
        });
        group.bench_function("cache_load_json_and_first_frame", |b| {
            b.iter(|| black_box(first_frame(from_json(&json))))
        });
        group.bench_function("cache_load_binary", |b| {
            b.iter(|| black_box(from_binary(&binary)))
        });
        group.bench_function("cache_load_json", |b| {
            b.iter(|| black_box(from_json(&json)))
        });
        group.bench_function("ls_json_from_cache", |b| {
            b.iter(|| {
                let h = Hierarchy::new(from_binary(&binary).org);
                let accounts = ranked_accounts(&h, "");
                let mut out = Vec::with_capacity(4 << 20);
                write_json(&mut out, &h, &accounts).unwrap_or_else(|e| panic!("{e}"));
                black_box(out);
            })
        });

        let mut listing = Vec::new();
        let h = Hierarchy::new(snapshot.org.clone());
        listing_file::encode(&Listing::of(&h, snapshot.fetched_at), &mut listing);
        let from_listing = |query: &str| {
            let l = listing_file::decode(&listing).unwrap_or_else(|| panic!("listing"));
            let rows = search_index(l.index(), query, Scope::AccountsOnly);
            let mut out = Vec::with_capacity(4 << 20);
            let views = rows.iter().filter_map(|n| match n {
                orgnav::model::Node::Account(i) => Some(l.view(*i)),
                orgnav::model::Node::Ou(_) => None,
            });
            write_json_views(&mut out, views.collect()).unwrap_or_else(|e| panic!("{e}"));
            black_box(out);
        };
        // `ls QUERY --json` as `ls` runs it from the stored listing: decode, search, print.
        group.bench_function("ls_query_from_listing", |b| {
            b.iter(|| from_listing("paymprod"))
        });
        group.bench_function("listing_decode", |b| {
            b.iter(|| black_box(listing_file::decode(&listing)))
        });

        let mut state = State::new(Status::default(), Default::default());
        install(&mut state, snapshot.clone());
        update(
            &mut state,
            Action::Resize {
                width: 160,
                height: 50,
            },
        );
        let mut terminal =
            Terminal::new(TestBackend::new(160, 50)).unwrap_or_else(|e| panic!("{e}"));
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
