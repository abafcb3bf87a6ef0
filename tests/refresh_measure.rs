//! README's figures for a large organization (a measurement, not a test; ignored, run by
//! `scripts/measure-refresh`): the first and the second `orgnav refresh --stats` of the same
//! sandbox — the binary a user runs, the second one with the first one's cache — through a
//! loopback proxy that counts requests by operation, without added latency and with a 40 ms
//! round trip; then a third once the cached tags are an hour old (their read times moved back),
//! which reads the rolling share of the oldest. Each refresh must leave the exact seeded tree
//! and tags in the cache, and the later ones of the unchanged organization stay within the
//! issue's call budget.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use support::big_org::{self, Shape};
use support::throttle_proxy::{Faults, ThrottleProxy};
use support::{Moto, Sandbox};

struct Refreshed {
    elapsed: Duration,
    /// orgnav's own count (`refresh --stats`): tree calls, tag calls.
    calls: (usize, usize),
    stats: String,
}

/// The number before " API call" on the line starting with `prefix`.
fn calls_on(stats: &str, prefix: &str) -> usize {
    let line = stats.lines().find(|l| l.starts_with(prefix)).unwrap();
    let n = line[prefix.len()..].split_whitespace().next().unwrap();
    n.replace(',', "").parse().unwrap()
}

fn refresh(sandbox: &Sandbox, moto: &Moto, proxy: &ThrottleProxy) -> Refreshed {
    let mut cmd = sandbox.orgnav(Some(moto));
    cmd.env("AWS_ENDPOINT_URL", proxy.endpoint())
        .args(["refresh", "--stats"]);
    let started = Instant::now();
    let out = support::run(&mut cmd);
    let elapsed = started.elapsed();
    assert_eq!(out.code, 0, "{}", out.stderr);
    Refreshed {
        elapsed,
        calls: (
            calls_on(&out.stdout, "crawl: "),
            calls_on(&out.stdout, "tags: "),
        ),
        stats: out.stdout,
    }
}

fn cached_shape(sandbox: &Sandbox, proxy: &ThrottleProxy) -> Shape {
    let file = sandbox.cache_file(Some(&proxy.endpoint()));
    let snapshot = orgnav::source::cache::parse(&std::fs::read(file).unwrap()).unwrap();
    Shape::of(&snapshot.org)
}

/// An hour passes for the cache: every tag's read time moves an hour back (in the JSON, which
/// orgnav reads once its binary twin is gone), so the next refresh reads the rolling share.
fn age_tags_an_hour(sandbox: &Sandbox, proxy: &ThrottleProxy) {
    let file = sandbox.cache_file(Some(&proxy.endpoint()));
    let mut snapshot = orgnav::source::cache::parse(&std::fs::read(&file).unwrap()).unwrap();
    for at in snapshot.org.tags_read.values_mut() {
        *at -= 3600;
    }
    std::fs::write(&file, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    let _ = std::fs::remove_file(file.with_extension("bin"));
}

/// `accounts` accounts (`ORGNAV_MEASURE_ACCOUNTS`, default 2,000) in accounts / 10 OUs.
#[test]
#[ignore = "a measurement (minutes), run by scripts/measure-refresh"]
fn measure_first_and_second_refresh() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let seeded = rt.block_on(big_org::seed_for_measurement(&moto));
    let (accounts, ous) = (seeded.accounts.len(), seeded.ous.len());
    // The budget for a second refresh of an unchanged organization (the management
    // account is one more account).
    let a = accounts + 1;
    let budget = a.div_ceil(20) + 2 * (ous + 1) + 2 + (a + ous).div_ceil(24);
    println!(
        "| run | refresh | wall time | orgnav calls (tree + tags) | HTTP requests by operation |"
    );
    println!("|---|---|---|---|---|");
    for (label, latency) in [("no added latency", 0), ("40 ms round trip", 40)] {
        let faults = Faults {
            throttle: 0.0,
            latency: Duration::from_millis(latency),
            seed: 14,
        };
        let proxy = ThrottleProxy::start(moto.port, faults);
        let sandbox = Sandbox::new();
        for which in ["first", "second", "an hour later"] {
            if which == "an hour later" {
                age_tags_an_hour(&sandbox, &proxy);
            }
            let r = refresh(&sandbox, &moto, &proxy);
            let seen = proxy.take_counts().seen;
            let by_op: Vec<String> = seen.iter().map(|(op, n)| format!("{op} {n}")).collect();
            assert_eq!(cached_shape(&sandbox, &proxy), seeded, "{label}, {which}");
            let (tree, tags) = r.calls;
            assert_eq!(seen.values().sum::<usize>(), tree + tags, "{}", r.stats);
            if which != "first" {
                assert!(tree + tags <= budget, "{} > budget {budget}", tree + tags);
            }
            if which == "an hour later" {
                assert_eq!(
                    tags,
                    (a + ous).div_ceil(24),
                    "the rolling share\n{}",
                    r.stats
                );
            }
            eprintln!("{label}, {which} refresh:\n{}", r.stats);
            println!(
                "| {label} | {which} | {:.1} s | {} ({tree} + {tags}) | {} |",
                r.elapsed.as_secs_f64(),
                tree + tags,
                by_op.join(", ")
            );
        }
    }
    println!(
        "second-refresh budget ⌈A/20⌉ + 2·(OUs+1) + 2 + ⌈(A+OUs)/24⌉ = {budget} (A = {a}, OUs = {ous})"
    );
}
