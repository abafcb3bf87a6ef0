//! Entering accounts from the CLI against moto: exec, env, credential-process, console, guards,
//! and no secret in logs, caches or error output.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::mpsc;

use support::seed::Seeded;
use support::{Moto, Sandbox, python, run};

fn org() -> &'static (Moto, Seeded) {
    support::seeded_org()
}

fn sandbox() -> Sandbox {
    support::refreshed_sandbox()
}

const CALLER: &str = "import boto3; print(boto3.client('sts').get_caller_identity()['Account'])";

#[test]
fn exec_runs_in_the_member_account_and_returns_its_exit_code() {
    let (moto, seed) = org();
    let s = sandbox();
    let target = seed.account("payments-dev");
    let py = python();
    let out = run(s.orgnav(Some(moto)).args([
        "exec",
        "payments-dev",
        "--",
        py.to_str().unwrap(),
        "-c",
        CALLER,
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), target.id);
    let out = run(s
        .orgnav(Some(moto))
        .args(["exec", &target.id, "--", "sh", "-c", "exit 7"]));
    assert_eq!(out.code, 7);
}

#[test]
fn env_exports_exactly_the_session_variables_in_sh() {
    let (moto, seed) = org();
    let s = sandbox();
    let bin = env!("CARGO_BIN_EXE_orgnav");
    let script = format!("eval \"$('{bin}' env payments-dev)\" && env");
    let mut cmd = s.command("sh", Some(moto));
    cmd.env("AWS_PROFILE", "should-be-removed")
        .args(["-c", &script]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let vars: std::collections::BTreeMap<&str, &str> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_once('='))
        .collect();
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_CREDENTIAL_EXPIRATION",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "ORGNAV_ACCOUNT_ID",
        "ORGNAV_ACCOUNT_NAME",
        "ORGNAV_ROLE",
        "ORGNAV_ENV",
        "ORGNAV_EXPIRES_AT",
    ] {
        assert!(vars.contains_key(k), "{k} missing");
    }
    assert!(!vars.contains_key("AWS_PROFILE"));
    assert_eq!(vars["ORGNAV_ACCOUNT_ID"], seed.account("payments-dev").id);
    assert_eq!(vars["ORGNAV_ROLE"], "OrganizationAccountAccessRole");
    assert_eq!(vars["ORGNAV_ENV"], "nonprod");
    let expiry: jiff::Timestamp = vars["AWS_CREDENTIAL_EXPIRATION"].parse().unwrap();
    assert!(expiry > jiff::Timestamp::now(), "RFC 3339, in the future");
    assert_eq!(
        vars["ORGNAV_EXPIRES_AT"],
        expiry.as_second().to_string(),
        "the same expiry, in epoch seconds for prompts"
    );
    assert_ne!(
        vars["AWS_ACCESS_KEY_ID"], "AKIAMOTOTESTING00000",
        "assumed, not the base key"
    );
}

#[test]
fn env_works_in_fish_when_installed() {
    let Ok(fish) = which("fish") else {
        eprintln!("fish is not installed: the fish check is skipped");
        return;
    };
    let (moto, seed) = org();
    let s = sandbox();
    let bin = env!("CARGO_BIN_EXE_orgnav");
    let script =
        format!("'{bin}' env payments-dev --format fish | source; echo $ORGNAV_ACCOUNT_ID");
    let out = run(s.command(&fish, Some(moto)).args(["-c", &script]));
    assert_eq!(
        out.stdout.trim(),
        seed.account("payments-dev").id,
        "{}",
        out.stderr
    );
}

fn which(name: &str) -> Result<String, ()> {
    let out = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map_err(|_| ())?;
    let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if p.is_empty() { Err(()) } else { Ok(p) }
}

#[test]
fn credential_process_prints_version_1() {
    let (moto, _) = org();
    let s = sandbox();
    let out = run(s.orgnav(Some(moto)).args([
        "credential-process",
        "payments-dev",
        "--role",
        "OrganizationAccountAccessRole",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "", "silent on success: SDKs show its stderr");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["Version"], 1);
    for k in [
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
    ] {
        assert!(v[k].as_str().is_some_and(|s| !s.is_empty()), "{k}");
    }
}

#[test]
fn production_needs_yes_without_a_terminal() {
    let (moto, _) = org();
    let s = sandbox();
    let out = run(s
        .orgnav(Some(moto))
        .args(["exec", "payments-prod", "--", "true"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert_eq!(
        run(s
            .orgnav(Some(moto))
            .args(["exec", "payments-prod", "--yes", "--", "true"]))
        .code,
        0
    );
}

#[test]
fn orgnav_inside_an_orgnav_shell_refuses() {
    let (moto, _) = org();
    let s = sandbox();
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("ORGNAV_ACCOUNT_ID", "111111111111")
        .env("ORGNAV_ACCOUNT_NAME", "payments-prod");
    let out = run(cmd.args(["env", "payments-dev"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("111111111111") && out.stderr.contains("Exit the shell"),
        "{}",
        out.stderr
    );
}

/// A federation endpoint that answers `token` and reports each request line.
fn federation_server(token: &'static str) -> (String, mpsc::Receiver<String>) {
    let body = format!("{{\"SigninToken\":\"{token}\"}}");
    let (base, requests) = support::http::serve(vec![("GET", "/federation", body)]);
    (format!("{base}/federation"), requests)
}

fn query_params(url: &str) -> std::collections::BTreeMap<String, String> {
    let parsed = reqwest::Url::parse(url).unwrap();
    parsed
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn console_signs_in_through_the_federation_endpoint() {
    let (moto, _) = org();
    let s = sandbox();
    let (federation, requests) = federation_server("tok-SECRET-123");
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("ORGNAV_FEDERATION_URL", &federation);
    let out = run(cmd.args([
        "console",
        "payments-dev",
        "--service",
        "ec2",
        "--region",
        "eu-west-1",
        "--print",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let request = requests.recv().unwrap();
    let path = request.split_whitespace().nth(1).unwrap();
    let q = query_params(&format!("http://x{path}"));
    assert_eq!(q["Action"], "getSigninToken");
    let session: serde_json::Value = serde_json::from_str(&q["Session"]).unwrap();
    for k in ["sessionId", "sessionKey", "sessionToken"] {
        assert!(session[k].as_str().is_some_and(|v| !v.is_empty()), "{k}");
    }
    assert_ne!(
        session["sessionId"], "AKIAMOTOTESTING00000",
        "the assumed session, not the base key"
    );
    assert_eq!(
        q.get("SessionDuration").map(String::as_str),
        Some("3600"),
        "base is not a role session"
    );
    let login = query_params(out.stdout.trim());
    assert!(out.stdout.starts_with(&federation));
    assert_eq!(login["Action"], "login");
    assert_eq!(login["Issuer"], "orgnav");
    assert_eq!(
        login["Destination"],
        "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Home:"
    );
    assert_eq!(login["SigninToken"], "tok-SECRET-123");
}

#[test]
fn secrets_never_reach_logs_caches_or_errors() {
    let (moto, _) = org();
    let s = sandbox();
    let with_trace = |cmd: &mut std::process::Command| {
        cmd.env("ORGNAV_LOG", "trace");
    };
    let mut cmd = s.orgnav(Some(moto));
    with_trace(&mut cmd);
    let (secrets, exec_stderr) = support::assumed_secrets(&mut cmd);
    let (federation, _requests) = federation_server("tok-SECRET-456");
    let mut cmd = s.orgnav(Some(moto));
    with_trace(&mut cmd);
    cmd.env("ORGNAV_FEDERATION_URL", &federation);
    let console = run(cmd.args(["console", "payments-dev", "--print"]));
    assert_eq!(console.code, 0, "{}", console.stderr);
    // An error path too: a federation endpoint that is down.
    let mut cmd = s.orgnav(Some(moto));
    with_trace(&mut cmd);
    cmd.env("ORGNAV_FEDERATION_URL", "http://127.0.0.1:9/federation");
    let failed = run(cmd.args(["console", "payments-dev", "--print"]));
    assert_eq!(failed.code, 1);

    let log = std::fs::read_to_string(s.log_file()).unwrap();
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "trace logging was on"
    );
    let mut haystacks = vec![
        ("log", log),
        ("stderr", exec_stderr),
        ("console stderr", console.stderr),
        ("error", failed.stderr),
    ];
    // The credential cache holds sessions on purpose (0600 files, tests/cred_cache.rs);
    // nothing else under the cache dir may.
    let credentials = s.cache_dir().join("credentials");
    for entry in walk(&s.cache_dir())
        .into_iter()
        .filter(|p| !p.starts_with(&credentials))
    {
        haystacks.push(("cache", std::fs::read_to_string(entry).unwrap_or_default()));
    }
    for secret in secrets.iter().map(String::as_str).chain(["tok-SECRET-456"]) {
        for (what, text) in &haystacks {
            assert!(!text.contains(secret), "a secret leaked into the {what}");
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

#[test]
fn console_print_into_a_closed_pipe_ends_quietly() {
    let (moto, _) = org();
    let s = sandbox();
    let (federation, _requests) = federation_server("tok-SECRET-789");
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("ORGNAV_FEDERATION_URL", &federation)
        .args(["console", "payments-dev", "--print"]);
    let out = support::run_with_closed(&mut cmd, support::Closed::Stdout);
    // A reader that stopped reading is not an error: exit 0, nothing said about it (the one
    // line on stderr names the account entered).
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("orgnav: payments-dev (") && !out.stderr.contains("ipe"),
        "{}",
        out.stderr
    );
}

#[test]
fn logout_first_puts_the_signin_behind_the_signout_redirect() {
    let (moto, _) = org();
    let s = sandbox();
    s.write_config("[console]\nlogout_first = true\n");
    let (federation, _requests) = federation_server("tok-SECRET-LOGOUT");
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("ORGNAV_FEDERATION_URL", &federation);
    let out = run(cmd.args(["console", "payments-dev", "--print"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let printed = out.stdout.trim();
    let origin = reqwest::Url::parse(&federation)
        .unwrap()
        .origin()
        .ascii_serialization();
    assert!(
        printed.starts_with(&format!("{origin}/oauth?Action=logout&redirect_uri=")),
        "{printed}"
    );
    let outer = query_params(printed);
    assert_eq!(outer.len(), 2, "{outer:?}");
    let login = query_params(&outer["redirect_uri"]);
    assert!(outer["redirect_uri"].starts_with(&federation));
    assert_eq!(login["Action"], "login");
    assert_eq!(login["SigninToken"], "tok-SECRET-LOGOUT");
}
