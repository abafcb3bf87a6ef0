//! Commands that only read the cache, as whole processes: `tree` reads the binary twin when it
//! matches the JSON, fall back to the JSON without a word when it does not, and never need the
//! AWS config files (a malformed one is no obstacle). No AWS anywhere.
#![allow(clippy::unwrap_used)]

#[path = "support/pty.rs"]
mod pty;
mod support;

use orgnav::model::{Snapshot, synthetic};
use orgnav::source::cache_bin;
use support::cached::{renamed, run_ok, sandbox_with};
use support::run;

#[test]
fn tree_reads_the_binary_twin_that_names_the_json_on_disk() {
    let org = synthetic::org(200, 10);
    let (s, cache) = sandbox_with(&org);
    // Only the twin knows this name: listing it proves the twin was read.
    let twin_only = renamed(&org, "only-in-the-binary-twin");
    cache_bin::write(
        cache.path(),
        &std::fs::metadata(cache.path()).unwrap(),
        &Snapshot::new(twin_only, jiff::Timestamp::now()),
    )
    .unwrap();
    // `tree` reads the snapshot (`ls` has a listing of its own: tests/ls_listing.rs).
    let out = run(s
        .orgnav(None)
        .args(["--offline", "tree", "only-in-the-binary"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("only-in-the-binary-twin"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_corrupt_binary_twin_falls_back_to_the_json_without_a_word() {
    let org = renamed(&synthetic::org(200, 10), "listed-from-the-json");
    let (s, cache) = sandbox_with(&org);
    let twin = cache_bin::path_for(cache.path());
    let mut bytes = std::fs::read(&twin).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&twin, bytes).unwrap();
    for offline in [true, false] {
        let mut cmd = s.orgnav(None);
        if offline {
            cmd.arg("--offline");
        }
        let out = run(cmd.args(["tree", "listed-from-the"]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains("listed-from-the-json"),
            "{}",
            out.stdout
        );
        assert_eq!(out.stderr, "", "no warning for a speed-up that is missing");
    }
}

#[test]
fn cache_only_commands_work_with_a_malformed_aws_config() {
    let org = synthetic::org(200, 10);
    let (s, _cache) = sandbox_with(&org);
    s.write_aws_config("[profile broken\nregion =\n= no key\n[sso-session\n");
    let name = &org.accounts[5].name;
    for args in [
        vec!["--offline", "ls", name.as_str()],
        vec!["ls", name.as_str()],
        vec!["ls", "--json"],
        vec!["--offline", "tree"],
    ] {
        let out = run_ok(&s, &args);
        assert!(
            out.stdout.contains(name.as_str()),
            "{args:?}: {}",
            out.stdout
        );
    }
}

#[test]
fn the_navigator_can_end_after_its_first_frame_for_timing() {
    let org = synthetic::org(200, 10);
    let (s, _cache) = sandbox_with(&org);
    let mut cmd = s.orgnav(None);
    cmd.arg("--offline")
        .env("ORGNAV_EXIT_AFTER_FIRST_FRAME", "1");
    let mut tty = pty::Pty::spawn(cmd, true);
    tty.expect("o-synthetic");
    let status = tty.wait_exit(std::time::Duration::from_secs(10));
    assert!(status.is_some_and(|s| s.success()), "{status:?}");
}

#[test]
fn listing_from_the_cache_does_not_set_up_identity_center() {
    let org = synthetic::org(200, 10);
    let (s, _cache) = sandbox_with(&org);
    // A sign-in `ls` would warn about if it set Identity Center up (parsing the AWS config
    // files and building its SDK configuration cost 10+ ms with a few thousand profiles).
    s.write_aws_config("[sso-session corp]\nsso_region = eu-west-1\n");
    let name = &org.accounts[5].name;
    for args in [
        vec!["ls", name.as_str()],
        vec!["ls", "--recent"],
        vec!["tree", name.as_str()],
        vec!["--offline", "ls", "--json"],
    ] {
        let out = run_ok(&s, &args);
        assert_eq!(out.stderr, "", "{args:?}");
    }
    // Commands that enter accounts still look, and say what is wrong.
    let out = run(s.orgnav(None).args(["roles", name.as_str()]));
    assert!(out.stderr.contains("no sso_start_url"), "{}", out.stderr);
}

#[test]
fn the_profiles_endpoints_are_remembered_while_the_aws_files_are_unchanged() {
    let s = support::Sandbox::new();
    let (first, second) = ("http://first.invalid", "http://second.invalid");
    for (endpoint, name) in [(first, "org-at-the-first"), (second, "org-at-the-second")] {
        let key = orgnav::source::cache_key("default", Some(endpoint), None);
        let org = renamed(&synthetic::org(30, 3), name);
        orgnav::source::cache::Cache::for_key(&s.cache_dir(), &key)
            .store(&orgnav::model::Snapshot::new(org, jiff::Timestamp::now()))
            .unwrap();
    }
    let listed = || run_ok(&s, &["--offline", "ls", "org-at"]).stdout;
    s.write_aws_config(&format!(
        "[default]\nregion = us-east-1\nendpoint_url = {first}\n"
    ));
    assert!(listed().contains("org-at-the-first"));
    // Only the memo says `second`: seeing its organization proves the files were not parsed.
    let memo = s.cache_dir().join("endpoints.json");
    let text = std::fs::read_to_string(&memo).unwrap();
    assert!(text.contains(first), "{text}");
    std::fs::write(&memo, text.replace(first, second)).unwrap();
    assert!(listed().contains("org-at-the-second"));
    // A changed file (here: without the region line) is parsed again.
    s.write_aws_config(&format!("[default]\nendpoint_url = {first}\n"));
    assert!(listed().contains("org-at-the-first"));
}
