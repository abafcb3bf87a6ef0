//! Bad input gets a clear error and the documented exit code, never a panic.
#![allow(clippy::unwrap_used)]

mod support;

use support::{Sandbox, run};

#[test]
fn no_credentials_explains_and_suggests_the_demo() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.orgnav(None).arg("ls"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("no AWS credentials"), "{}", out.stderr);
    assert!(out.stderr.contains("--demo"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("DispatchFailure"),
        "no Debug dumps: {}",
        out.stderr
    );
    assert_eq!(
        out.stderr.trim_end().lines().count(),
        1,
        "one line: {}",
        out.stderr
    );
}

#[test]
fn malformed_config_names_file_line_and_key() {
    let sandbox = Sandbox::new();
    sandbox.write_config("[crawl]\nconcurrency = 4\nmax_attempts = \"many\"\n");
    let out = run(sandbox.orgnav(None).args(["--demo", "ls"]));
    assert_eq!(out.code, 2);
    let file = sandbox.config_file();
    assert!(
        out.stderr.contains(&file.display().to_string()),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("line 3"), "{}", out.stderr);
    assert!(out.stderr.contains("crawl.max_attempts"), "{}", out.stderr);
}

#[test]
fn an_unknown_key_binding_names_file_line_and_key() {
    let sandbox = Sandbox::new();
    sandbox.write_config("[keys]\nhelp = [\"F1\"]\nshel = [\"s\"]\n");
    let out = run(sandbox.orgnav(None).arg("--demo"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("line 3"), "{}", out.stderr);
    assert!(out.stderr.contains("keys.shel"), "{}", out.stderr);
    assert!(out.stderr.contains("unknown action"), "{}", out.stderr);
}

#[test]
fn explicit_missing_config_is_an_error_but_default_missing_is_not() {
    let sandbox = Sandbox::new();
    let out =
        run(sandbox
            .orgnav(None)
            .args(["--demo", "--config", "/nonexistent/orgnav.toml", "ls"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("/nonexistent/orgnav.toml"),
        "{}",
        out.stderr
    );
    assert_eq!(run(sandbox.orgnav(None).args(["--demo", "ls"])).code, 0);
}

#[test]
fn usage_errors_exit_2() {
    let sandbox = Sandbox::new();
    assert_eq!(run(sandbox.orgnav(None).args(["ls", "--bogus"])).code, 2);
    assert_eq!(
        run(sandbox.orgnav(None).args(["--offline", "--refresh", "ls"])).code,
        2
    );
    assert_eq!(
        run(sandbox.orgnav(None).args(["--demo", "refresh"])).code,
        2
    );
}

#[test]
fn demo_ls_and_tree_work_without_aws() {
    let sandbox = Sandbox::new();
    let out = run(sandbox
        .orgnav(None)
        .args(["--demo", "ls", "--json", "zurich"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows[0]["name"], "Zürich-analytics-prod");
    let out = run(sandbox.orgnav(None).args(["--demo", "tree"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.lines().count() > 80, "every OU and account");
    assert!(
        !sandbox.cache_dir().exists(),
        "the demo never writes the cache"
    );
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    use std::io::Read;
    let sandbox = Sandbox::new();
    for args in [
        &["--demo", "quotas", "--all-accounts", "--json"][..],
        &["--demo", "ls", "--json"],
        &["--demo", "tree", "--json"],
        &["--demo", "ls"],
    ] {
        let mut child = sandbox
            .orgnav(None)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before orgnav writes anything: every write meets the closed pipe (`| head -0`).
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

#[test]
fn demo_quotas_work_from_the_command_line() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.orgnav(None).args([
        "--demo",
        "quotas",
        "payments-prod",
        "--service",
        "lambda",
        "--json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["service_code"] == "lambda"));
    let out = run(sandbox.orgnav(None).args([
        "--demo",
        "quotas",
        "--all-accounts",
        "--ou",
        "no-such-ou",
    ]));
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn identity_center_without_a_login_says_how_to_sign_in() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.orgnav(None).arg("login"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("sso-session"), "{}", out.stderr);

    support::write_sso_session_corp(&sandbox);
    sandbox.write_config("[sso]\nmode = \"only\"\n");
    let out = run(sandbox.orgnav(None).arg("ls"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("sso-session corp") && out.stderr.contains("orgnav login"),
        "{}",
        out.stderr
    );
    // A legacy profile (sso_start_url on the profile itself) is found too, keyed by its URL.
    std::fs::write(
        sandbox.path("aws/config"),
        "[profile legacy]\nsso_start_url = https://d-legacy.awsapps.com/start\n\
         sso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n",
    )
    .unwrap();
    let out = run(sandbox.orgnav(None).args(["--profile", "legacy", "ls"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("https://d-legacy.awsapps.com/start")
            && out.stderr.contains("orgnav login"),
        "{}",
        out.stderr
    );
    // A session named in the config must exist.
    sandbox.write_config("[sso]\nsession = \"nope\"\n");
    let out = run(sandbox.orgnav(None).arg("ls"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("sso-session nope"), "{}", out.stderr);
}
