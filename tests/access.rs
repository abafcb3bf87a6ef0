//! Entering accounts from the CLI against moto: exec, env, credential-process, console, guards,
//! and no secret in logs, caches or error output.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use support::seed::Seeded;
use support::{Moto, Sandbox, python, run};

fn org() -> &'static (Moto, Seeded) {
    support::seeded_org()
}

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    // A fresh cache for this sandbox, read by every later command.
    assert_eq!(run(s.orgnav(Some(&org().0)).arg("refresh")).code, 0);
    s
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
    ] {
        assert!(vars.contains_key(k), "{k} missing");
    }
    assert!(!vars.contains_key("AWS_PROFILE"));
    assert_eq!(vars["ORGNAV_ACCOUNT_ID"], seed.account("payments-dev").id);
    assert_eq!(vars["ORGNAV_ROLE"], "OrganizationAccountAccessRole");
    assert_eq!(vars["ORGNAV_ENV"], "nonprod");
    let expiry: jiff::Timestamp = vars["AWS_CREDENTIAL_EXPIRATION"].parse().unwrap();
    assert!(expiry > jiff::Timestamp::now(), "RFC 3339, in the future");
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
fn ambiguous_and_unknown_accounts_exit_2() {
    let (moto, seed) = org();
    let s = sandbox();
    let out = run(s.orgnav(Some(moto)).args(["env", "shared-tools"]));
    assert_eq!(out.code, 2);
    for a in seed.accounts.iter().filter(|a| a.name == "shared-tools") {
        assert!(out.stderr.contains(&a.id), "{}", out.stderr);
    }
    assert_eq!(
        run(s
            .orgnav(Some(moto))
            .args(["env", "no-such-account-anywhere"]))
        .code,
        2
    );
    assert_eq!(
        run(s.orgnav(Some(moto)).args(["env", "000000000042"])).code,
        2
    );
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

/// A one-request-at-a-time federation endpoint that records each request line.
fn federation_server(token: &'static str) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/federation", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut line = String::new();
            BufReader::new(&conn).read_line(&mut line).unwrap();
            let body = format!("{{\"SigninToken\":\"{token}\"}}");
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tx.send(line);
        }
    });
    (url, rx)
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
        "https://console.aws.amazon.com/ec2/home?region=eu-west-1"
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
    let out = run(cmd.args([
        "exec",
        "payments-dev",
        "--",
        "sh",
        "-c",
        "echo $AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let secrets: Vec<String> = out.stdout.split_whitespace().map(String::from).collect();
    assert_eq!(secrets.len(), 2);
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
        ("stderr", out.stderr),
        ("console stderr", console.stderr),
        ("error", failed.stderr),
    ];
    for entry in walk(&s.cache_dir()) {
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
fn console_opens_the_browser_through_a_one_shot_redirect() {
    let (moto, _) = org();
    let s = sandbox();
    let (federation, _requests) = federation_server("tok-SECRET-789");
    // A stand-in browser: records its argv and the redirect it is given.
    let record = s.path("browser.txt");
    let fetch = s.path("browser.py");
    let script = [
        "import sys, http.client, urllib.parse",
        "u = urllib.parse.urlparse(sys.argv[1])",
        "c = http.client.HTTPConnection(u.hostname, u.port)",
        "c.request('GET', u.path)",
        "r = c.getresponse()",
        "loc = r.getheader('Location', '')",
        &format!(
            "open({:?}, 'w').write(repr(sys.argv) + chr(10) + str(r.status) + ' ' + loc)",
            record.display().to_string()
        ),
    ]
    .join("\n");
    std::fs::write(&fetch, script).unwrap();
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("ORGNAV_FEDERATION_URL", &federation).env(
        "BROWSER",
        format!("{} {} %s", python().display(), fetch.display()),
    );
    let out = run(cmd.args(["console", "payments-dev"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // orgnav returns once the browser fetched the link; the stand-in writes right after.
    let mut text = String::new();
    for _ in 0..100 {
        text = std::fs::read_to_string(&record).unwrap_or_default();
        if text.contains('\n') {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (argv, answer) = text.split_once('\n').expect("the browser ran");
    assert!(
        argv.contains("http://127.0.0.1:") && !argv.contains("tok-SECRET-789"),
        "argv: {argv}"
    );
    let (status, location) = answer.split_once(' ').unwrap();
    assert_eq!(status, "302");
    assert_eq!(query_params(location)["SigninToken"], "tok-SECRET-789");
    assert!(!out.stderr.contains("tok-SECRET-789"));
}

#[test]
fn console_print_into_a_closed_pipe_ends_quietly() {
    let (moto, _) = org();
    let s = sandbox();
    let (federation, _requests) = federation_server("tok-SECRET-789");
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("ORGNAV_FEDERATION_URL", &federation)
        .args(["console", "payments-dev", "--print"]);
    let out = support::run_with_stdout_closed(&mut cmd);
    // A reader that stopped reading is not an error: exit 0, nothing said.
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
}
