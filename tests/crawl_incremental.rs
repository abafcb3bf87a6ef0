//! Incremental refresh against moto: after the first crawl a refresh reads the tags of new and
//! moved accounts and OUs, those whose last read failed, and a rolling share of the oldest —
//! nothing else. Each test has its own moto (they change the organization).
#![allow(clippy::unwrap_used)]

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::collections::BTreeSet;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::Tag;
use orgnav::aws::crawl::{CrawlOptions, call_budget};
use orgnav::aws::progress::{Progress, ProgressSink};
use orgnav::config::SsoConfig;
use orgnav::model::{Org, TagPlan, TagRefresh};
use orgnav::source::{Refresh, crawl_with_tags};
use support::Moto;

const HOUR: i64 = 3600;
const T0: i64 = 1_800_000_000;
const DAY: TagRefresh = TagRefresh {
    max_age_secs: 24 * HOUR,
    full: false,
};

struct Small {
    moto: Moto,
    client: Client,
    root: String,
    ous: [String; 2],
    /// Accounts at the root, in `ous[0]`, in `ous[1]`.
    accounts: [String; 3],
}

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

async fn account(client: &Client, name: &str, parent: Option<(&str, &str)>) -> String {
    let out = client
        .create_account()
        .account_name(name)
        .email(format!("{name}@example.com"))
        .tags(tag("Name", name))
        .send()
        .await
        .unwrap();
    let id = out.create_account_status().unwrap().account_id().unwrap();
    if let Some((root, to)) = parent {
        move_account(client, id, root, to).await;
    }
    id.to_string()
}

async fn move_account(client: &Client, id: &str, from: &str, to: &str) {
    client
        .move_account()
        .account_id(id)
        .source_parent_id(from)
        .destination_parent_id(to)
        .send()
        .await
        .unwrap();
}

/// Root ─ Apps (one account), Data (one account); one account at the root.
async fn small_org() -> Small {
    let moto = Moto::start();
    let client = moto.organizations().await;
    let (_, root) = support::seed::new_organization(&client).await;
    let mut ous = Vec::new();
    for name in ["Apps", "Data"] {
        let out = client
            .create_organizational_unit()
            .parent_id(&root)
            .name(name)
            .tags(tag("Team", name))
            .send()
            .await
            .unwrap();
        ous.push(out.organizational_unit().unwrap().id().unwrap().to_string());
    }
    let at_root = account(&client, "tools", None).await;
    let in_apps = account(&client, "app-prod", Some((&root, &ous[0]))).await;
    let in_data = account(&client, "lake", Some((&root, &ous[1]))).await;
    Small {
        moto,
        client,
        root,
        ous: [ous[0].clone(), ous[1].clone()],
        accounts: [at_root, in_apps, in_data],
    }
}

struct Refreshed {
    org: Org,
    plan: TagPlan,
    tag_calls: usize,
    calls: usize,
}

async fn refresh(s: &Small, previous: Option<&Org>, now: i64, tags: TagRefresh) -> Refreshed {
    refresh_with(s, previous, now, tags, ProgressSink::default()).await
}

async fn refresh_with(
    s: &Small,
    previous: Option<&Org>,
    now: i64,
    tags: TagRefresh,
    progress: ProgressSink,
) -> Refreshed {
    let conf = s.moto.sdk_config().await;
    let opts = CrawlOptions {
        concurrency: 4,
        page_size: 20,
    };
    let refresh = Refresh {
        previous,
        tags,
        now,
        progress,
    };
    let (report, read, plan) = crawl_with_tags(&conf, &opts, None, &SsoConfig::default(), &refresh)
        .await
        .unwrap();
    assert_eq!(read.failed, 0, "{:?}", read.first_error);
    Refreshed {
        calls: report.calls.values().sum::<usize>() + read.calls,
        org: report.org,
        plan,
        tag_calls: read.calls,
    }
}

fn ids(plan: &TagPlan) -> BTreeSet<&str> {
    plan.ids.iter().map(String::as_str).collect()
}

fn tags_of<'a>(org: &'a Org, id: &str) -> &'a orgnav::model::Tags {
    org.accounts
        .iter()
        .find(|a| a.id == id)
        .map(|a| &a.tags)
        .unwrap()
}

#[tokio::test]
async fn a_second_refresh_of_an_unchanged_org_reads_no_tags() {
    let s = small_org().await;
    let first = refresh(&s, None, T0, DAY).await;
    // Every account (moto's management account too) and both OUs; not the root.
    let items = first.org.accounts.len() + 2;
    assert_eq!(first.tag_calls, items);
    assert_eq!(tags_of(&first.org, &s.accounts[1])["Name"], "app-prod");

    let second = refresh(&s, Some(&first.org), T0 + 60, DAY).await;
    assert_eq!(second.tag_calls, 0, "{:?}", second.plan);
    // The crawl's order varies with its concurrency: compare by ID.
    let by_id = |org: &Org| {
        let mut accounts = org.accounts.clone();
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        accounts
    };
    assert_eq!(by_id(&second.org), by_id(&first.org), "tags carried over");
    let budget = call_budget(second.org.accounts.len(), 2, 20) + items.div_ceil(24);
    assert!(second.calls <= budget, "{} > {budget}", second.calls);
}

#[tokio::test]
async fn an_hour_later_only_the_oldest_share_is_read_and_a_day_later_all() {
    let s = small_org().await;
    let first = refresh(&s, None, T0, DAY).await;
    let items = first.org.accounts.len() + 2;
    let later = refresh(&s, Some(&first.org), T0 + HOUR, DAY).await;
    assert_eq!(later.tag_calls, items.div_ceil(24));
    let day = refresh(&s, Some(&later.org), T0 + 24 * HOUR, DAY).await;
    // Those read an hour later are 23 h old: not due yet.
    assert_eq!(day.tag_calls, items - later.tag_calls);
}

#[tokio::test]
async fn a_move_and_a_new_account_are_read_and_a_tag_change_shows_within_the_max_age() {
    let s = small_org().await;
    let first = refresh(&s, None, T0, DAY).await;

    move_account(&s.client, &s.accounts[1], &s.ous[0], &s.ous[1]).await;
    let new = account(&s.client, "brand-new", Some((&s.root, &s.ous[0]))).await;
    s.client
        .tag_resource()
        .resource_id(&s.accounts[2])
        .tags(tag("Name", "lake-renamed"))
        .send()
        .await
        .unwrap();

    let after = refresh(&s, Some(&first.org), T0 + 60, DAY).await;
    assert_eq!(
        ids(&after.plan),
        BTreeSet::from([s.accounts[1].as_str(), new.as_str()])
    );
    assert_eq!(after.tag_calls, 2);
    assert_eq!(tags_of(&after.org, &new)["Name"], "brand-new");
    // Not re-read yet: the old tag stays until its max age…
    assert_eq!(tags_of(&after.org, &s.accounts[2])["Name"], "lake");
    let day = refresh(&s, Some(&after.org), T0 + 24 * HOUR, DAY).await;
    assert_eq!(tags_of(&day.org, &s.accounts[2])["Name"], "lake-renamed");

    // …or at once with a full refresh.
    let full = TagRefresh { full: true, ..DAY };
    let at_once = refresh(&s, Some(&after.org), T0 + 120, full).await;
    assert_eq!(
        tags_of(&at_once.org, &s.accounts[2])["Name"],
        "lake-renamed"
    );
    assert_eq!(at_once.tag_calls, at_once.org.accounts.len() + 2);
}

#[tokio::test]
async fn progress_counts_accounts_and_tags() {
    let s = small_org().await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = {
        let seen = seen.clone();
        ProgressSink::new(move |p| seen.lock().unwrap().push(p))
    };
    let first = refresh_with(&s, None, T0, DAY, sink).await;
    let seen = seen.lock().unwrap().clone();
    let accounts = first.org.accounts.len();
    let items = accounts + 2;
    assert!(
        seen.contains(&Progress::Accounts { read: accounts }),
        "{seen:?}"
    );
    assert_eq!(
        seen.last(),
        Some(&Progress::Tags {
            read: items,
            total: items
        })
    );
    let tag_steps = seen
        .iter()
        .filter(|p| matches!(p, Progress::Tags { .. }))
        .count();
    assert_eq!(tag_steps, items + 1, "from 0 to {items}: {seen:?}");
}

/// "tags: N API calls, …" of `refresh --stats`.
fn tag_calls_of(stats: &str) -> usize {
    let line = stats.lines().find(|l| l.starts_with("tags: ")).unwrap();
    line["tags: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn the_cli_refresh_reads_no_tags_a_second_time_unless_full() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(small_org());
    let sandbox = support::Sandbox::new();
    let stats = |args: &[&str]| {
        let out = support::run(
            sandbox
                .orgnav(Some(&s.moto))
                .args(["refresh", "--stats"])
                .args(args),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        // Piped: no progress bar on stderr.
        assert_eq!(out.stderr, "", "nothing but warnings on stderr");
        tag_calls_of(&out.stdout)
    };
    let items = stats(&[]);
    assert!(items >= 6, "{items}");
    assert_eq!(stats(&[]), 0);
    assert_eq!(stats(&["--full"]), items);
    assert_eq!(stats(&[]), 0);
}

#[test]
fn refresh_on_a_terminal_draws_a_progress_bar() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(small_org());
    let sandbox = support::Sandbox::new();
    let mut cmd = sandbox.orgnav(Some(&s.moto));
    cmd.arg("refresh");
    let mut tty = pty::Pty::spawn_reading(cmd, false, Some(std::process::Stdio::null()));
    let status = tty
        .wait_exit(std::time::Duration::from_secs(60))
        .expect("ends");
    let screen = tty.rest();
    assert_eq!(status.code(), Some(0), "{screen}");
    // The bar's last state (tags, all read), then cleared before the result line.
    assert!(screen.contains("tags "), "{screen:?}");
    assert!(screen.contains("/6"), "{screen:?}");
    assert!(screen.contains("accounts, 2 OUs"), "{screen:?}");
}

/// `r` on an account in the navigator: its details from `DescribeAccount`.
#[tokio::test]
async fn describe_account_reads_one_accounts_details() {
    let s = small_org().await;
    let a = orgnav::aws::crawl::describe_account(&s.client, &s.accounts[1])
        .await
        .unwrap();
    assert_eq!(
        (a.id.as_str(), a.name.as_str()),
        (s.accounts[1].as_str(), "app-prod")
    );
    assert_eq!(a.email, "app-prod@example.com");
    assert_eq!(a.status, orgnav::model::AccountStatus::Active);
}

/// README's figures, not a check: `refresh --stats` three times on the crawl tests' seed
/// organization (first, second a moment later, `--full`). Run with
/// `cargo test --test crawl_incremental measure_ -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_refresh_calls_on_the_seed_org() {
    let (moto, _) = support::seeded_org();
    let sandbox = support::Sandbox::new();
    for args in [&[][..], &[][..], &["--full"][..]] {
        let out = support::run(
            sandbox
                .orgnav(Some(moto))
                .args(["refresh", "--stats"])
                .args(args),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        println!("refresh --stats {args:?}\n{}", out.stdout);
    }
}
