//! Crawl, `ls --json`, `tree`, `refresh --stats`, cache and offline behaviour against moto.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;

use orgnav::aws::crawl::{AccountListing, CrawlOptions, call_budget, crawl_org};
use orgnav::aws::tags::fetch_tags;
use orgnav::model::{AccountStatus, Hierarchy};
use support::seed::Seeded;
use support::{Moto, Sandbox, run};

fn org() -> &'static (Moto, Seeded) {
    support::seeded_org()
}

const PAGE: i32 = 3;

#[tokio::test]
async fn crawl_matches_the_seed_with_small_pages() {
    let (moto, seed) = org();
    let client = moto.organizations().await;
    let report = crawl_org(
        &client,
        &CrawlOptions {
            concurrency: 4,
            page_size: PAGE,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        report.listing,
        AccountListing::PerParent,
        "moto returns no Paths"
    );
    let h = Hierarchy::new(report.org.clone());
    assert_eq!(report.org.id, seed.org_id);
    assert_eq!(report.org.root_id, seed.root_id);
    // moto puts the management account in the org too.
    assert_eq!(h.account_count(), seed.accounts.len() + 1);
    for s in &seed.accounts {
        let i = h
            .account_index(&s.id)
            .unwrap_or_else(|| panic!("{} missing", s.name));
        let a = h.account(i);
        assert_eq!(a.name, s.name);
        assert_eq!(a.email, s.email);
        assert_eq!(h.account_path(i), s.path.as_slice(), "{}", s.name);
        assert_eq!(a.status.as_str(), s.status, "{}", s.name);
        assert!(a.joined.is_some());
    }
    for (path, id) in &seed.ous {
        let i = h.ou_index(id).unwrap();
        assert_eq!(h.ou_path(i).join("/"), *path);
    }
    assert_eq!(h.ou_count(), seed.ous.len() + 1);
    let deepest = h.ou_index(&seed.ous["L1/L2/L3/L4/L5"]).unwrap();
    assert_eq!(h.ou_path(deepest).len(), 5);
    let many = h.ou_index(&seed.ous["Many"]).unwrap();
    assert_eq!(h.child_ous(many).len(), 21);
    let sandbox = h.ou_index(&seed.ous["Sandbox"]).unwrap();
    assert_eq!(h.child_accounts(sandbox).len(), 23);
    let empty = h.ou_index(&seed.ous["Empty"]).unwrap();
    assert_eq!(h.total_accounts(empty) + h.total_ous(empty), 0);

    // Every parent was listed, some over several pages.
    assert_eq!(report.calls["ListRoots"], 1);
    assert!(
        report.calls["ListAccountsForParent"] > h.ou_count(),
        "{:?}",
        report.calls
    );
    assert!(
        report.calls["ListOrganizationalUnitsForParent"] > h.ou_count(),
        "{:?}",
        report.calls
    );
}

#[tokio::test]
async fn crawl_stays_within_the_call_budget_at_aws_page_size() {
    let (moto, _) = org();
    let client = moto.organizations().await;
    let report = crawl_org(
        &client,
        &CrawlOptions {
            concurrency: 4,
            page_size: 20,
        },
    )
    .await
    .unwrap();
    let (accounts, ous) = (report.org.accounts.len(), report.org.ous.len() - 1);
    let budget = call_budget(accounts, ous, 20);
    let calls: usize = report.calls.values().sum();
    assert!(
        calls <= budget,
        "{calls} calls > budget {budget}: {:?}",
        report.calls
    );
}

#[tokio::test]
async fn tags_of_accounts_and_ous_are_fetched() {
    let (moto, seed) = org();
    let client = moto.organizations().await;
    let report = crawl_org(
        &client,
        &CrawlOptions {
            concurrency: 2,
            page_size: 20,
        },
    )
    .await
    .unwrap();
    let tags = fetch_tags(&client, &report.org, 4).await.unwrap();
    assert_eq!(tags.failed, 0);
    for s in &seed.accounts {
        assert_eq!(
            tags.tags.get(&s.id).cloned().unwrap_or_default(),
            s.tags,
            "{}",
            s.name
        );
    }
    let prod = &seed.ous["Workloads/Prod"];
    assert_eq!(
        tags.tags[prod].get("Environment").map(String::as_str),
        Some("prod")
    );
    // one call per account and OU (the root is skipped)
    assert_eq!(
        tags.calls,
        report.org.accounts.len() + report.org.ous.len() - 1
    );
}

fn ls_json(sandbox: &Sandbox, args: &[&str]) -> Vec<serde_json::Value> {
    let (moto, _) = org();
    let out = run(sandbox.orgnav(Some(moto)).args(["ls", "--json"]).args(args));
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn ls_json_lists_every_account_with_its_path_and_tags() {
    let (_, seed) = org();
    let sandbox = Sandbox::new();
    sandbox.write_config("[crawl]\npage_size = 3\n");
    let rows = ls_json(&sandbox, &[]);
    let by_id: BTreeMap<&str, &serde_json::Value> = rows
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    for s in &seed.accounts {
        let r = by_id[s.id.as_str()];
        assert_eq!(r["name"], s.name.as_str());
        assert_eq!(r["email"], s.email.as_str());
        assert_eq!(r["status"], s.status);
        assert_eq!(r["path"], serde_json::json!(s.path));
        assert_eq!(r["tags"], serde_json::json!(s.tags));
    }
    let mut keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["email", "id", "name", "path", "status", "tags"]);
}

#[test]
fn ls_query_ranks_exact_names_first_and_filters() {
    let sandbox = Sandbox::new();
    let rows = ls_json(&sandbox, &["payments-dev"]);
    assert_eq!(rows[0]["name"], "payments-dev");
    let rows = ls_json(&sandbox, &["--offline", "zzqqxx-nothing"]);
    assert!(rows.is_empty());
}

#[test]
fn ls_text_is_an_aligned_table() {
    let (moto, seed) = org();
    let sandbox = Sandbox::new();
    let out = run(sandbox.orgnav(Some(moto)).args(["ls", "shared-tools"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("NAME"));
    let id_col = lines[0].find("ID").unwrap();
    for (line, name) in lines[1..3].iter().zip(["shared-tools", "shared-tools"]) {
        assert!(line.starts_with(name), "{line}");
        let ids: Vec<&str> = seed
            .accounts
            .iter()
            .filter(|a| a.name == name)
            .map(|a| a.id.as_str())
            .collect();
        assert!(ids.contains(&&line[id_col..id_col + 12]), "{line}");
    }
}

#[test]
fn tree_prints_the_hierarchy_indented() {
    let (moto, seed) = org();
    let sandbox = Sandbox::new();
    let out = run(sandbox.orgnav(Some(moto)).arg("tree"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("Root/ ("), "{}", lines[0]);
    let deep = seed.account("deep-stream-prod");
    let line = lines.iter().find(|l| l.contains(&deep.id)).unwrap();
    let indent = line.len() - line.trim_start().len();
    assert_eq!(indent, 2 * 6, "five OUs deep below the root: {line:?}");
    let suspended = seed.account("old-project");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&suspended.id) && l.contains("[SUSPENDED]"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with("Empty/ (") && l.contains("0 accounts"))
    );
}

#[test]
fn refresh_stats_counts_calls_and_writes_a_private_cache() {
    use std::os::unix::fs::PermissionsExt;
    let (moto, _) = org();
    let sandbox = Sandbox::new();
    sandbox.write_config("[crawl]\npage_size = 3\n");
    let out = run(sandbox.orgnav(Some(moto)).args(["refresh", "--stats"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("ListAccountsForParent"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("ListOrganizationalUnitsForParent"));
    let cache = sandbox.cache_file(Some(&moto.endpoint()));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cache), 0o600);
    assert_eq!(mode(cache.parent().unwrap()), 0o700);
    let snapshot = orgnav::source::cache::parse(&std::fs::read(&cache).unwrap()).unwrap();
    assert!(snapshot.org.tags_loaded);
}

#[test]
fn warnings_into_a_closed_stderr_end_quietly() {
    let (moto, _) = org();
    let sandbox = Sandbox::new();
    assert_eq!(run(sandbox.orgnav(Some(moto)).args(["refresh"])).code, 0);
    // A partial tree: `ls` warns about it on stderr, which nobody reads any more.
    let cache = sandbox.cache_file(Some(&moto.endpoint()));
    let mut snapshot = orgnav::source::cache::parse(&std::fs::read(&cache).unwrap()).unwrap();
    snapshot.org.ous[1].incomplete = Some("AccessDenied".into());
    std::fs::write(&cache, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    let mut cmd = sandbox.orgnav(Some(moto));
    let out = support::run_with_closed(cmd.args(["--offline", "ls"]), support::Closed::Stderr);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("payments-dev"), "{}", out.stdout);
}

#[test]
fn refresh_into_a_closed_pipe_ends_quietly() {
    let (moto, _) = org();
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.orgnav(Some(moto));
    let out = support::run_with_closed(cmd.args(["refresh", "--stats"]), support::Closed::Stdout);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
}

#[test]
fn a_dangling_sso_session_does_not_break_commands_that_can_do_without_it() {
    let (moto, seed) = org();
    let sandbox = Sandbox::new();
    assert_eq!(run(sandbox.orgnav(Some(moto)).args(["refresh"])).code, 0);
    // The active profile names an [sso-session] that the file does not have.
    std::fs::create_dir_all(sandbox.path("aws")).unwrap();
    std::fs::write(
        sandbox.path("aws/config"),
        "[default]\nregion = us-east-1\nsso_session = corp\n",
    )
    .unwrap();
    // From the cache they do not even look for it.
    for args in [&["--offline", "ls", "--json"][..], &["--offline", "tree"]] {
        let out = run(sandbox.orgnav(Some(moto)).args(args));
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert_eq!(out.stderr, "", "{args:?}");
    }
    // A crawl looks, says what is wrong, and goes on: credentials from elsewhere (here the
    // environment) still reach Organizations.
    let out = run(sandbox
        .orgnav(Some(moto))
        .args(["ls", "--refresh", "--json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("sso-session corp"), "{}", out.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.len(), seed.accounts.len() + 1);
    // What needs Identity Center says what is wrong.
    let out = run(sandbox.orgnav(None).arg("login"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("there is no [sso-session corp]"),
        "{}",
        out.stderr
    );
}

#[test]
fn offline_uses_the_cache_and_fails_cleanly_without_one() {
    let (moto, seed) = org();
    let sandbox = Sandbox::new();
    let out = run(sandbox.orgnav(None).args(["ls", "--offline"]));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("no cached organization"),
        "{}",
        out.stderr
    );
    assert_eq!(run(sandbox.orgnav(Some(moto)).args(["refresh"])).code, 0);
    // The same endpoint and credentials, but --offline: only the cache answers.
    let out = run(sandbox
        .orgnav(Some(moto))
        .args(["ls", "--offline", "--json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.len(), seed.accounts.len() + 1);
}

#[test]
fn corrupt_cache_is_discarded_and_recrawled() {
    let (moto, seed) = org();
    let sandbox = Sandbox::new();
    let cache = sandbox.cache_file(Some(&moto.endpoint()));
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::write(&cache, b"{\"version\": 1, \"org\": [").unwrap();
    let out = run(sandbox.orgnav(Some(moto)).args(["ls", "--json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("corrupt"), "{}", out.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.len(), seed.accounts.len() + 1);
    assert!(
        orgnav::source::cache::parse(&std::fs::read(&cache).unwrap()).is_ok(),
        "rewritten"
    );
}

#[test]
fn network_down_falls_back_to_the_stale_cache() {
    let (moto, seed) = org();
    let sandbox = Sandbox::new();
    assert_eq!(run(sandbox.orgnav(Some(moto)).args(["refresh"])).code, 0);
    // A closed port on loopback: connection refused, as when the network is down.
    let refusing = support::refusing_port::RefusingPort::new();
    let closed = refusing.port;
    // The same credentials at an endpoint that is down: its cache is this organization's.
    let down = format!("http://127.0.0.1:{closed}");
    std::fs::copy(
        sandbox.cache_file(Some(&moto.endpoint())),
        sandbox.cache_file(Some(&down)),
    )
    .unwrap();
    let mut cmd = sandbox.orgnav(Some(moto));
    cmd.env("AWS_ENDPOINT_URL", &down)
        .env("ORGNAV_CONFIG", sandbox.path("net.toml"));
    std::fs::write(sandbox.path("net.toml"), "[crawl]\nmax_attempts = 1\n").unwrap();
    let out = run(cmd.args(["ls", "--json", "--refresh"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("showing the cache from"),
        "{}",
        out.stderr
    );
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.len(), seed.accounts.len() + 1);
    // Without a cache the same failure is an error, exit 1.
    let empty = Sandbox::new();
    let mut cmd = empty.orgnav(Some(moto));
    cmd.env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{closed}"));
    let out = run(cmd
        .env("ORGNAV_CONFIG", sandbox.path("net.toml"))
        .args(["ls"]));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("cannot reach AWS"), "{}", out.stderr);
}

#[test]
fn the_cache_of_one_endpoint_or_key_is_never_served_for_another() {
    let (moto, _) = org();
    let sandbox = Sandbox::new();
    assert_eq!(run(sandbox.orgnav(Some(moto)).args(["refresh"])).code, 0);
    let other = "http://127.0.0.1:9";
    let mut cmd = sandbox.orgnav(Some(moto));
    let out = run(cmd.env("AWS_ENDPOINT_URL", other).args(["--offline", "ls"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr.contains("no cached organization"),
        "{}",
        out.stderr
    );
    let mut cmd = sandbox.orgnav(Some(moto));
    let out = run(cmd
        .env("AWS_ACCESS_KEY_ID", "AKIAANOTHERPERSON000")
        .args(["--offline", "ls"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    let out = run(sandbox.orgnav(Some(moto)).args(["--offline", "ls"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn an_endpoint_named_in_the_profile_selects_its_own_cache() {
    let (moto, _) = org();
    let sandbox = Sandbox::new();
    let profile_endpoint = |url: &str| {
        std::fs::create_dir_all(sandbox.path("aws")).unwrap();
        let text = format!("[default]\nregion = us-east-1\nendpoint_url = {url}\n");
        std::fs::write(sandbox.path("aws/config"), text).unwrap();
    };
    let orgnav = || {
        let mut cmd = sandbox.orgnav(Some(moto));
        cmd.env_remove("AWS_ENDPOINT_URL");
        cmd
    };
    profile_endpoint(&moto.endpoint());
    let out = run(orgnav().arg("refresh"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(run(orgnav().args(["--offline", "ls"])).code, 0);
    profile_endpoint("http://127.0.0.1:9");
    let out = run(orgnav().args(["--offline", "ls"]));
    assert_eq!(
        out.code, 1,
        "another endpoint's organization was served: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("no cached organization"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_crawl_of_another_organization_replaces_the_cache_and_says_so() {
    let (moto, seed) = org();
    let sandbox = Sandbox::new();
    assert_eq!(run(sandbox.orgnav(Some(moto)).args(["refresh"])).code, 0);
    let cache = sandbox.cache_file(Some(&moto.endpoint()));
    let mut snapshot = orgnav::source::cache::parse(&std::fs::read(&cache).unwrap()).unwrap();
    snapshot.org.id = "o-previous0000".into();
    std::fs::write(&cache, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    let out = run(sandbox.orgnav(Some(moto)).args(["refresh"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("o-previous0000") && out.stderr.contains(&seed.org_id),
        "{}",
        out.stderr
    );
    let stored = orgnav::source::cache::parse(&std::fs::read(&cache).unwrap()).unwrap();
    assert_eq!(stored.org.id, seed.org_id);
}

#[test]
fn suspended_accounts_keep_their_status() {
    let sandbox = Sandbox::new();
    let rows = ls_json(&sandbox, &["old-project"]);
    assert_eq!(rows[0]["status"], AccountStatus::Suspended.as_str());
}
