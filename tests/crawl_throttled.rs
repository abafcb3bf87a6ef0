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
use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::Tag;
use orgnav::aws::crawl::{CrawlOptions, crawl_org};
use orgnav::aws::session::{SessionOptions, loader, organizations_client};
use orgnav::aws::tags::fetch_tags;
use orgnav::model::Tags;
use support::Moto;
use support::throttle_proxy::{Counts, Faults, ThrottleProxy};
use tokio::task::JoinSet;

/// What was created: parent and tags per account and OU ID.
#[derive(Debug, Default, PartialEq)]
struct Shape {
    accounts: BTreeMap<String, (String, Tags)>,
    ous: BTreeMap<String, (String, Tags)>,
}

fn tags(pairs: &[(String, String)]) -> Vec<Tag> {
    pairs
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build().unwrap())
        .collect()
}

/// `accounts` accounts spread over `accounts / 10` OUs under the root (every tenth account
/// stays at the root), each account and OU tagged.
async fn seed(client: &Client, accounts: usize) -> Shape {
    let (_, root) = support::seed::new_organization(client).await;
    let mut shape = Shape::default();
    let mut ou_ids = Vec::new();
    for n in 0..(accounts / 10).max(1) {
        let pairs = vec![("CostCentre".to_string(), format!("cc-{n}"))];
        let out = client
            .create_organizational_unit()
            .parent_id(&root)
            .name(format!("unit-{n}"))
            .set_tags(Some(tags(&pairs)))
            .send()
            .await
            .unwrap();
        let id = out.organizational_unit().unwrap().id().unwrap().to_string();
        shape
            .ous
            .insert(id.clone(), (root.clone(), pairs.into_iter().collect()));
        ou_ids.push(id);
    }
    let mut tasks = JoinSet::new();
    for n in 0..accounts {
        let (client, root) = (client.clone(), root.clone());
        let parent = if n % 10 == 9 {
            root.clone()
        } else {
            ou_ids[n % ou_ids.len()].clone()
        };
        tasks.spawn(async move {
            let pairs = vec![("Team".to_string(), format!("team-{}", n % 7))];
            let out = client
                .create_account()
                .account_name(format!("acct-{n}"))
                .email(format!("acct-{n}@example.com"))
                .set_tags(Some(tags(&pairs)))
                .send()
                .await
                .unwrap();
            let id = out.create_account_status().unwrap().account_id().unwrap();
            if parent != root {
                client
                    .move_account()
                    .account_id(id)
                    .source_parent_id(&root)
                    .destination_parent_id(&parent)
                    .send()
                    .await
                    .unwrap();
            }
            (
                id.to_string(),
                (parent, pairs.into_iter().collect::<Tags>()),
            )
        });
        if tasks.len() >= 8 {
            let (id, entry) = tasks.join_next().await.unwrap().unwrap();
            shape.accounts.insert(id, entry);
        }
    }
    while let Some(joined) = tasks.join_next().await {
        let (id, entry) = joined.unwrap();
        shape.accounts.insert(id, entry);
    }
    shape
}

/// The management account moto creates with the organization (untagged, at the root).
fn without_management(mut shape: Shape, management: Option<&str>) -> Shape {
    if let Some(m) = management {
        shape.accounts.remove(m);
    }
    shape
}

struct Crawled {
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
    let root = org.root_id.clone();
    let shape = Shape {
        accounts: org
            .accounts
            .iter()
            .map(|a| (a.id.clone(), (a.parent_id.clone(), a.tags.clone())))
            .collect(),
        ous: org
            .ous
            .iter()
            .filter(|o| o.id != root)
            .map(|o| (o.id.clone(), (o.parent_id.clone().unwrap(), o.tags.clone())))
            .collect(),
    };
    Crawled {
        shape: without_management(shape, org.management_account_id.as_deref()),
        elapsed,
        calls,
        requests: proxy.take_counts(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_through_throttling_and_latency_reads_the_exact_organization() {
    let moto = Moto::start();
    let seeded = seed(&moto.organizations().await, 60).await;
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
    let accounts: usize = std::env::var("ORGNAV_MEASURE_ACCOUNTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let moto = Moto::start();
    let started = Instant::now();
    let seeded = seed(&moto.organizations().await, accounts).await;
    eprintln!(
        "seeded {accounts} accounts, {} OUs in moto in {:.0} s",
        seeded.ous.len(),
        started.elapsed().as_secs_f64()
    );
    println!("| run | wall time | orgnav calls | HTTP requests | requests by operation |");
    println!("|---|---|---|---|---|");
    for (label, throttle, latency) in [
        ("no added latency", 0.0, 0),
        ("40 ms round trip", 0.0, 40),
        ("40 ms, 30 % throttled", 0.3, 40),
    ] {
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
