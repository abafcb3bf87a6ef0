//! Search per keystroke: nucleo-matcher (shipped) vs fuzzy-matcher (the design card's pick) on
//! the same haystacks, at 1k / 10k / 50k (3,000 OUs) / 100k synthetic accounts. Each iteration types a query one
//! character at a time, as a user does, so per-keystroke cost = time / query length.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use orgnav::model::{Hierarchy, synthetic};
use orgnav::search::{Scope, SearchIndex, Searcher};

const QUERY: &str = "paymprod";

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("keystroke");
    group.sample_size(20);
    for (accounts, ous) in [
        (1_000usize, 30),
        (10_000, 303),
        (50_000, 3_000),
        (100_000, 3_030),
    ] {
        let h = Hierarchy::new(synthetic::org(accounts, ous));
        let mut index = SearchIndex::new(&h);
        // A user's history: one account in ten visited (frecency breaks ties), 20 leading.
        let lead: Vec<usize> = (0..20).collect();
        index.set_history(|i| if i % 10 == 0 { (i % 7) as f64 } else { 0.0 }, &lead);
        group.bench_with_input(
            BenchmarkId::new("nucleo_incremental", accounts),
            &index,
            |b, index| {
                b.iter(|| {
                    let mut s = Searcher::default();
                    for n in 1..=QUERY.len() {
                        black_box(s.search(index, &QUERY[..n], Scope::Everything, Some(200)));
                    }
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("nucleo_fresh", accounts),
            &index,
            |b, index| {
                b.iter(|| {
                    for n in 1..=QUERY.len() {
                        black_box(Searcher::default().search(
                            index,
                            &QUERY[..n],
                            Scope::Everything,
                            Some(200),
                        ));
                    }
                })
            },
        );
        // Same strategy as the shipped search: fuzzy on the name, substring on the rest.
        let hay: Vec<(String, String)> = index
            .haystacks()
            .map(|(n, r)| (n.to_string(), format!("{n} {r}").to_lowercase()))
            .collect();
        group.bench_with_input(
            BenchmarkId::new("fuzzy_matcher_skim", accounts),
            &hay,
            |b, hay| {
                let m = SkimMatcherV2::default().ignore_case();
                b.iter(|| {
                    for n in 1..=QUERY.len() {
                        let q = &QUERY[..n];
                        let mut hits: Vec<(i64, usize)> = hay
                            .iter()
                            .enumerate()
                            .filter_map(|(i, (name, all))| match m.fuzzy_match(name, q) {
                                Some(s) => Some((s + 64, i)),
                                None if all.contains(q) => Some((1, i)),
                                None => None,
                            })
                            .collect();
                        hits.sort_unstable_by(|a, b| b.cmp(a));
                        hits.truncate(200);
                        black_box(hits);
                    }
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
