//! What the CLI says when things are not as asked: quota filters that match nothing, a cache
//! that cannot be written or read, the navigator without a terminal, flags without help.
#![allow(clippy::unwrap_used)]

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::process::Stdio;
use std::time::Duration;

use pty::Pty;
use support::{Sandbox, run};

const NEEDS_TERMINAL: &str = "orgnav needs a terminal (use `orgnav ls` in scripts)";

#[test]
fn an_unknown_service_code_is_named_and_exits_2() {
    let s = Sandbox::new();
    for args in [
        &["--demo", "quotas", "payments-prod", "--service", "nosuch"][..],
        &["--demo", "quotas", "--all-accounts", "--service", "nosuch"],
        &[
            "--demo",
            "quotas",
            "payments-prod",
            "--service",
            "lambda",
            "--service",
            "nosuch",
        ],
    ] {
        let out = run(s.orgnav(None).args(args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("`nosuch`"), "{}", out.stderr);
        assert!(out.stderr.contains("unknown service"), "{}", out.stderr);
        assert!(!out.stderr.contains("`lambda`"), "{}", out.stderr);
        // Only unknown services: no empty table before the error; with lambda its rows.
        let known = args.contains(&"lambda");
        assert_eq!(
            out.stdout.contains("QUOTA"),
            known,
            "{args:?}: {}",
            out.stdout
        );
    }
}

#[test]
fn a_quota_code_that_matches_nothing_is_warned_about() {
    let s = Sandbox::new();
    let out = run(s.orgnav(None).args([
        "--demo",
        "quotas",
        "payments-prod",
        "--quota",
        "L-XXXX",
        "--quota",
        "L-B99A9384",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("L-XXXX"), "{}", out.stderr);
    assert!(out.stderr.contains("no quota matched"), "{}", out.stderr);
    assert!(!out.stderr.contains("L-B99A9384"), "{}", out.stderr);
    assert!(out.stdout.contains("L-B99A9384"), "{}", out.stdout);
}

#[test]
fn the_navigator_without_a_terminal_says_so_and_exits_2() {
    let s = Sandbox::new();
    // stdout piped.
    let out = run(s.orgnav(None).arg("--demo"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.trim_end(), format!("orgnav: {NEEDS_TERMINAL}"));
    // stdout a terminal, stdin not.
    let mut cmd = s.orgnav(None);
    cmd.arg("--demo");
    let mut tty = Pty::spawn_reading(cmd, false, Some(Stdio::null()));
    let status = tty.wait_exit(Duration::from_secs(60)).expect("ends");
    assert_eq!(status.code(), Some(2), "{}", tty.rest());
    assert!(tty.rest().contains(NEEDS_TERMINAL), "{}", tty.rest());
}

#[test]
fn offline_with_a_corrupt_cache_says_it_is_corrupt() {
    let s = Sandbox::new();
    let file = s.cache_file(None);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "{ not json").unwrap();
    let out = run(s.orgnav(None).args(["--offline", "ls"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("corrupt"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&file.display().to_string()),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("orgnav refresh"), "{}", out.stderr);
    assert_eq!(out.stderr.trim_end().lines().count(), 1, "{}", out.stderr);
}

#[test]
fn refresh_exits_1_when_the_cache_cannot_be_written() {
    let (moto, _) = support::seeded_org();
    let s = Sandbox::new();
    // A file where the cache directory should be: not writable, even for root.
    std::fs::create_dir_all(s.path("cache")).unwrap();
    std::fs::write(s.cache_dir(), "in the way").unwrap();
    let out = run(s.orgnav(Some(moto)).arg("refresh"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("orgnav: cannot write"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].contains(&s.cache_dir().display().to_string()),
        "{}",
        out.stderr
    );
}

#[test]
fn exec_names_the_account_on_stderr_only() {
    let (moto, _) = support::seeded_org();
    let s = support::refreshed_sandbox();
    let out = run(s
        .orgnav(Some(moto))
        .args(["exec", "payments-dev", "--", "echo", "child"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "child\n");
    assert!(
        out.stderr.contains("orgnav: payments-dev ("),
        "{}",
        out.stderr
    );
}

#[test]
fn the_roles_table_has_headers() {
    let (moto, _) = support::seeded_org();
    let s = support::refreshed_sandbox();
    let out = run(s.orgnav(Some(moto)).args(["roles", "payments-dev"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let header = out.stdout.lines().next().unwrap();
    assert!(header.starts_with("ROLE"), "{}", out.stdout);
    assert!(
        header.contains("SOURCE") && header.contains("ARN"),
        "{header}"
    );
}

#[test]
fn every_flag_and_argument_has_help() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&orgnav::cli::Cli::command(), "orgnav", &mut missing);
    assert!(missing.is_empty(), "without help text: {missing:?}");
}
