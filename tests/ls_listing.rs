//! `ls` answers from the cache's stored listing (`orgs/KEY.idx`) when it was made from the
//! cache on disk, prints exactly what the snapshot would give, and never trusts a listing of
//! another file. Whole processes, no AWS.
#![allow(clippy::unwrap_used)]

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use orgnav::model::{Hierarchy, Snapshot, synthetic};
use orgnav::source::cache::Cache;
use orgnav::source::listing_file;
use support::cached::{renamed, run_ok as ls, sandbox_with};
use support::{Sandbox, run};

#[test]
fn ls_answers_from_the_listing_made_from_the_cache_on_disk() {
    let org = synthetic::org(200, 10);
    let (s, cache) = sandbox_with(&org);
    let idx = listing_file::path_for(cache.path());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&idx), 0o600, "written with the cache, private");
    // Only the listing knows this name: seeing it proves `ls` read the listing.
    let meta = std::fs::metadata(cache.path()).unwrap();
    let h = Hierarchy::new(renamed(&org, "only-in-the-listing"));
    listing_file::write(cache.path(), &meta, &h, jiff::Timestamp::now()).unwrap();
    for args in [
        &["--offline", "ls", "only-in-the"][..],
        &["ls", "only-in-the"],
        &["ls", "--json"],
        &["ls"],
    ] {
        let out = ls(&s, args);
        assert!(
            out.stdout.contains("only-in-the-listing"),
            "{args:?}: {}",
            out.stdout
        );
    }
    // Commands that need more than the listing read the snapshot.
    let out = ls(&s, &["--offline", "tree", "only-in-the"]);
    assert!(
        !out.stdout.contains("only-in-the-listing"),
        "{}",
        out.stdout
    );
}

#[test]
fn ls_from_the_listing_prints_what_the_snapshot_gives() {
    let org = synthetic::odd_org(300, 20);
    let (s, cache) = sandbox_with(&org);
    let idx = listing_file::path_for(cache.path());
    let queries: [&[&str]; 7] = [
        &["ls", "prod"],
        &["ls", "zürich"],
        &["ls", "--json", "Wert ß"],
        &["ls", "key=with"],
        &["ls"],
        &["ls", "--json"],
        &["--offline", "ls", "!prod ledg"],
    ];
    for args in queries {
        assert!(listing_file::is_current(cache.path()));
        let listed = ls(&s, args);
        std::fs::remove_file(&idx).unwrap();
        let decoded = ls(&s, args);
        assert!(!decoded.stdout.is_empty(), "{args:?}");
        assert_eq!(listed.stdout, decoded.stdout, "{args:?}");
        assert_eq!(
            listed.stderr, decoded.stderr,
            "{args:?}: the partial OU's warning"
        );
        assert!(decoded.stderr.contains("is partial"), "{}", decoded.stderr);
    }
}

#[test]
fn on_a_terminal_the_listing_paints_production_as_the_snapshot_does() {
    let org = synthetic::odd_org(60, 8);
    let (s, cache) = sandbox_with(&org);
    let on_terminal = || {
        let mut cmd = s.orgnav(None);
        cmd.args(["ls", "prod"]);
        let mut tty = pty::Pty::spawn(cmd, false);
        assert!(tty.wait_exit(Duration::from_secs(60)).unwrap().success());
        tty.rest()
    };
    let listed = on_terminal();
    std::fs::remove_file(listing_file::path_for(cache.path())).unwrap();
    let decoded = on_terminal();
    assert!(decoded.contains("\x1b["), "coloured: {decoded:?}");
    assert_eq!(listed, decoded);
}

#[test]
fn a_listing_of_another_cache_file_is_never_used_and_is_replaced() {
    let (s, cache) = sandbox_with(&renamed(&synthetic::org(200, 10), "from-the-old-cache"));
    // An older orgnav rewrites the cache: a new JSON file, no listing, no binary twin.
    let newer = Snapshot::new(
        renamed(&synthetic::org(200, 10), "from-the-new-cache"),
        jiff::Timestamp::now(),
    );
    let tmp = cache.path().with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_vec(&newer).unwrap()).unwrap();
    std::fs::rename(&tmp, cache.path()).unwrap();
    assert!(!listing_file::is_current(cache.path()));
    let out = ls(&s, &["--offline", "ls", "from-the"]);
    assert!(out.stdout.contains("from-the-new-cache"), "{}", out.stdout);
    assert!(!out.stdout.contains("from-the-old-cache"), "{}", out.stdout);
    assert!(
        listing_file::is_current(cache.path()),
        "a listing of the new cache is written"
    );
    let listing = cache.listing().unwrap();
    assert_eq!(listing.view(0).name, "from-the-new-cache");
}

#[test]
fn a_damaged_listing_is_passed_over_without_a_word() {
    let (s, cache) = sandbox_with(&renamed(&synthetic::org(200, 10), "listed-all-the-same"));
    let idx = listing_file::path_for(cache.path());
    let mut bytes = std::fs::read(&idx).unwrap();
    bytes.truncate(bytes.len() - 3);
    std::fs::write(&idx, bytes).unwrap();
    let out = ls(&s, &["--offline", "ls", "listed-all"]);
    assert!(out.stdout.contains("listed-all-the-same"), "{}", out.stdout);
    assert_eq!(out.stderr, "");
}

#[test]
fn a_stale_listing_is_not_enough_without_offline() {
    let s = Sandbox::new();
    let refusing = support::refusing_port::RefusingPort::new();
    let endpoint = format!("http://127.0.0.1:{}", refusing.port);
    let key = orgnav::source::cache_key("default", Some(&endpoint), Some(support::MOTO_ACCESS_KEY));
    let cache = Cache::for_key(&s.cache_dir(), &key);
    let org = renamed(&synthetic::org(50, 5), "cached-long-ago");
    let long_ago = jiff::Timestamp::from_second(1_600_000_000).unwrap();
    cache.store(&Snapshot::new(org, long_ago)).unwrap();
    assert!(listing_file::is_current(cache.path()));
    let ls_at = |offline: bool| {
        let mut cmd = s.orgnav(None);
        cmd.env("AWS_ENDPOINT_URL", &endpoint)
            .env("AWS_ACCESS_KEY_ID", support::MOTO_ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", "not-used")
            .env("AWS_REGION", "us-east-1");
        if offline {
            cmd.arg("--offline");
        }
        run(cmd.args(["ls", "cached-long"]))
    };
    // Too old for `ls`: it tries to crawl, then falls back to the cache and says so.
    let out = ls_at(false);
    assert!(out.stdout.contains("cached-long-ago"), "{}", out.stdout);
    assert!(
        out.stderr.contains("showing the cache from"),
        "{}",
        out.stderr
    );
    // `--offline` takes it as it is.
    let out = ls_at(true);
    assert!(out.stdout.contains("cached-long-ago"), "{}", out.stdout);
    assert_eq!(out.stderr, "");
}
