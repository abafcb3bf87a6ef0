//! A crawl (tree and tags) through a loopback proxy in front of moto that throttles 30 % of the
//! requests with Organizations' `TooManyRequestsException` and adds a 40 ms round trip to every
//! answer: the result is the exact organization that was seeded, and nothing fails.
//!
//! `measure_crawl_through_faults` (ignored; run by `scripts/measure-throttled-crawl`) prints the
//! README's figures for a larger organization: wall time and requests by operation without
//! added latency, with 40 ms, and with 40 ms and 30 % throttling.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use orgnav::aws::crawl::{CrawlOptions, crawl_org};
use orgnav::aws::session::{SessionOptions, loader, organizations_client};
use orgnav::aws::tags::fetch_tags;
use orgnav::model::Org;
use support::Moto;
use support::big_org::{self, Shape};
use support::throttle_proxy::{Counts, Faults, ThrottleProxy};

struct Crawled {
    org: Org,
    shape: Shape,
    elapsed: Duration,
    /// Calls orgnav made (each counted once, however often it was retried), by operation.
    calls: BTreeMap<String, usize>,
    /// What the proxy saw.
    requests: Counts,
}

/// Crawls through `proxy` as orgnav does (its session settings, client and concurrency).
async fn crawl_through(proxy: &ThrottleProxy) -> Crawled {
    let conf = loader(&SessionOptions {
        max_attempts: 10,
        ..SessionOptions::default()
    })
    .endpoint_url(proxy.endpoint())
    .region(aws_config::Region::new("us-east-1"))
    .credentials_provider(Credentials::for_tests())
    .load()
    .await;
    let client = organizations_client(&conf);
    let opts = orgnav::config::Config::default().crawl;
    let opts = CrawlOptions {
        concurrency: opts.concurrency,
        page_size: opts.page_size,
    };
    let started = Instant::now();
    let report = crawl_org(&client, &opts).await.unwrap();
    let tag_report = fetch_tags(&client, &report.org, opts.concurrency)
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(tag_report.failed, 0, "{:?}", tag_report.first_error);
    assert!(tag_report.unread.is_empty() && !tag_report.interrupted);
    let mut calls: BTreeMap<String, usize> = report
        .calls
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    calls.insert("ListTagsForResource".into(), tag_report.calls);
    let mut org = report.org;
    org.apply_tags(&tag_report.tags, &tag_report.unread, 0);
    Crawled {
        shape: Shape::of(&org),
        org,
        elapsed,
        calls,
        requests: proxy.take_counts(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_through_throttling_and_latency_reads_the_exact_organization() {
    let moto = Moto::start();
    let seeded = big_org::seed_via_api(&moto.organizations().await, 60).await;
    let proxy = ThrottleProxy::start(
        moto.port,
        Faults {
            throttle: 0.3,
            latency: Duration::from_millis(40),
            seed: 14,
        },
    );
    let crawled = crawl_through(&proxy).await;
    assert_eq!(crawled.shape.accounts.len(), 60);
    assert_eq!(crawled.shape, seeded, "the tree and tags as seeded");
    // The faults happened: about 30 % of the requests were throttled, and retried.
    let seen: usize = crawled.requests.seen.values().sum();
    let calls: usize = crawled.calls.values().sum();
    assert_eq!(seen, calls + crawled.requests.throttled);
    assert!(
        crawled.requests.throttled * 5 >= seen && crawled.requests.throttled * 5 <= seen * 2,
        "{} of {seen} throttled",
        crawled.requests.throttled
    );
}

/// The organization without its IDs: every account and OU as name, parent's name and tags
/// (accounts also email and status), the management account left out.
fn described(org: &Org) -> Vec<String> {
    let name = |id: &str| org.ous.iter().find(|o| o.id == id).unwrap().name.clone();
    let management = org.management_account_id.as_deref();
    let mut items: Vec<String> = org
        .accounts
        .iter()
        .filter(|a| Some(a.id.as_str()) != management)
        .map(|a| {
            let parent = name(&a.parent_id);
            format!(
                "{} {} {:?} in {parent} {:?}",
                a.name, a.email, a.status, a.tags
            )
        })
        .chain(org.ous.iter().filter_map(|o| {
            let parent = name(o.parent_id.as_deref()?);
            Some(format!("OU {} in {parent} {:?}", o.name, o.tags))
        }))
        .collect();
    items.sort();
    items
}

/// The measurements seed through the launcher's bulk route: what a crawl reads from it is what
/// it reads from the same organization created through the API, IDs aside.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_seeding_builds_the_organization_the_api_builds() {
    let no_faults = Faults {
        throttle: 0.0,
        latency: Duration::ZERO,
        seed: 14,
    };
    let (api, bulk) = (Moto::start(), Moto::start());
    let via_api = big_org::seed_via_api(&api.organizations().await, 30).await;
    let in_bulk = big_org::seed_in_bulk(&bulk, &bulk.organizations().await, 30).await;
    let read_api = crawl_through(&ThrottleProxy::start(api.port, no_faults)).await;
    let read_bulk = crawl_through(&ThrottleProxy::start(bulk.port, no_faults)).await;
    assert_eq!(read_api.shape, via_api);
    assert_eq!(read_bulk.shape, in_bulk);
    assert_eq!(
        read_bulk.org.accounts.len(),
        31,
        "30 and the management account"
    );
    assert_eq!(described(&read_bulk.org), described(&read_api.org));
    assert_eq!(read_bulk.calls, read_api.calls);
}

fn table_row(label: &str, c: &Crawled) -> String {
    let seen: usize = c.requests.seen.values().sum();
    let by_op: Vec<String> = c
        .requests
        .seen
        .iter()
        .map(|(op, n)| format!("{op} {n}"))
        .collect();
    format!(
        "| {label} | {:.1} s | {} | {seen} ({} throttled) | {} |",
        c.elapsed.as_secs_f64(),
        c.calls.values().sum::<usize>(),
        c.requests.throttled,
        by_op.join(", ")
    )
}

/// README figures: `ORGNAV_MEASURE_ACCOUNTS` accounts (default 2,000), accounts / 10 OUs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement (minutes), run by scripts/measure-throttled-crawl"]
async fn measure_crawl_through_faults() {
    let moto = Moto::start();
    let seeded = big_org::seed_for_measurement(&moto).await;
    println!("| run | wall time | orgnav calls | HTTP requests | requests by operation |");
    println!("|---|---|---|---|---|");
    // `ORGNAV_MEASURE_RUNS`: which of the runs (by number, "1,3"), all by default.
    let runs = std::env::var("ORGNAV_MEASURE_RUNS").unwrap_or("1,2,3".into());
    let chosen = |n: &str| runs.split(',').any(|r| r.trim() == n);
    for (label, throttle, latency) in [
        ("1", "no added latency", 0.0, 0),
        ("2", "40 ms round trip", 0.0, 40),
        ("3", "40 ms, 30 % throttled", 0.3, 40),
    ]
    .into_iter()
    .filter(|run| chosen(run.0))
    .map(|(_, label, throttle, latency)| (label, throttle, latency))
    {
        let faults = Faults {
            throttle,
            latency: Duration::from_millis(latency),
            seed: 14,
        };
        let crawled = crawl_through(&ThrottleProxy::start(moto.port, faults)).await;
        assert_eq!(
            crawled.shape, seeded,
            "{label}: the tree and tags as seeded"
        );
        println!("{}", table_row(label, &crawled));
    }
}
