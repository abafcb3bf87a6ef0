//! No surprises on disk or in the environment: the log file and cache directory respect what
//! the user set up, the federation endpoint must be HTTPS, and `--offline` inside an orgnav
//! shell only reads the cache.
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use support::{Sandbox, run};

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// Whether `text` has every one of `words`.
fn says(text: &str, words: &[&str]) -> bool {
    words.iter().all(|w| text.contains(w))
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_relative_log_file_is_a_usage_error() {
    let s = Sandbox::new();
    let mut cmd = s.orgnav(None);
    cmd.env("ORGNAV_LOG_FILE", "orgnav.log");
    let out = run(cmd.args(["--demo", "ls"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        says(&out.stderr, &["ORGNAV_LOG_FILE", "absolute"]),
        "{}",
        out.stderr
    );
}

#[test]
fn a_log_in_the_users_own_directory_leaves_the_directory_alone_and_is_made_private() {
    let s = Sandbox::new();
    let dir = s.path("logs");
    std::fs::create_dir(&dir).unwrap();
    set_mode(&dir, 0o755);
    let log = dir.join("orgnav.log");
    std::fs::write(&log, "earlier line\n").unwrap();
    set_mode(&log, 0o644);
    let mut cmd = s.orgnav(None);
    cmd.env("ORGNAV_LOG_FILE", &log).env("ORGNAV_LOG", "trace");
    let out = run(cmd.args(["--demo", "ls"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(mode(&dir), 0o755, "a directory orgnav did not create");
    assert_eq!(mode(&log), 0o600);
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .starts_with("earlier line\n")
    );
}

#[test]
fn a_log_file_that_is_a_symlink_is_not_followed() {
    let s = Sandbox::new();
    let target = s.path("elsewhere.txt");
    std::fs::write(&target, "untouched\n").unwrap();
    let link = s.path("orgnav.log");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut cmd = s.orgnav(None);
    cmd.env("ORGNAV_LOG_FILE", &link).env("ORGNAV_LOG", "trace");
    let out = run(cmd.args(["--demo", "ls"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched\n");
    assert!(
        says(&out.stderr, &["warning", "orgnav.log"]),
        "{}",
        out.stderr
    );
}

#[test]
fn a_cache_directory_made_read_only_is_respected() {
    let moto = &support::seeded_org().0;
    let s = Sandbox::new();
    let cache = s.cache_dir();
    std::fs::create_dir_all(&cache).unwrap();
    set_mode(&cache, 0o500);
    // `refresh` exists to write the cache: not writing it is its failure (issue 11).
    let out = run(s.orgnav(Some(moto)).arg("refresh"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(mode(&cache), 0o500, "no chmod of the user's directory");
    assert!(
        says(&out.stderr, &["cannot write", "read-only"]),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 0);
}

#[test]
fn the_federation_endpoint_must_be_https_unless_loopback() {
    let s = Sandbox::new();
    let with_env = |url: &str| {
        let mut cmd = s.orgnav(None);
        cmd.env("ORGNAV_FEDERATION_URL", url);
        run(cmd.args(["--demo", "ls"]))
    };
    let out = with_env("http://signin.example.com/federation");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        says(&out.stderr, &["ORGNAV_FEDERATION_URL", "https://"]),
        "{}",
        out.stderr
    );
    for fine in [
        "https://signin.example.com/federation",
        "http://127.0.0.1:9/federation",
        "http://localhost:9/federation",
        "http://[::1]:9/federation",
    ] {
        assert_eq!(with_env(fine).code, 0, "{fine}");
    }
    s.write_config("[console]\nfederation_url = \"http://signin.example.com/federation\"\n");
    let out = run(s.orgnav(None).args(["--demo", "ls"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        says(&out.stderr, &["line 2", "console.federation_url"]),
        "{}",
        out.stderr
    );
}

/// `orgnav --offline ARGS` inside an orgnav shell, with the environment that wrote the cache.
fn offline_in_a_shell(s: &Sandbox, args: &[&str]) -> support::Output {
    let mut cmd = s.orgnav(Some(&support::seeded_org().0));
    cmd.env("ORGNAV_ACCOUNT_ID", "111111111111")
        .env("ORGNAV_ACCOUNT_NAME", "payments-prod")
        .arg("--offline")
        .args(args);
    run(&mut cmd)
}

#[test]
fn offline_inside_an_orgnav_shell_reads_but_never_calls_sts() {
    let moto = &support::seeded_org().0;
    let s = Sandbox::new();
    assert_eq!(run(s.orgnav(Some(moto)).arg("refresh")).code, 0);
    for args in [
        &["shell", "payments-dev"][..],
        &["exec", "payments-dev", "--", "true"],
        &["env", "payments-dev"],
        &["credential-process", "payments-dev", "--role", "Admin"],
        &["console", "payments-dev", "--print"],
        &["quotas", "payments-dev"],
        &["login"],
    ] {
        let out = offline_in_a_shell(&s, args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("Exit the shell"),
            "{args:?}: {}",
            out.stderr
        );
    }
    for args in [&["ls"][..], &["tree"], &["roles", "payments-dev"]] {
        let out = offline_in_a_shell(&s, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
}
