//! `--demo` walks the main path with fake credentials: roles and their sources, shell, exec,
//! env, credential-process and console, all without AWS and without any network.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::Stdio;

use support::net_trap::NetTrap;
use support::{Sandbox, run};

/// `orgnav --demo ARGS…` in a clean sandbox.
fn demo(s: &Sandbox, args: &[&str]) -> support::Output {
    run(s.orgnav(None).arg("--demo").args(args))
}

/// `orgnav --demo exec payments-dev --role ReadOnly -- sh -c SCRIPT`.
fn demo_sh(s: &Sandbox, script: &str) -> support::Output {
    let exec = [
        "exec",
        "payments-dev",
        "--role",
        "ReadOnly",
        "--",
        "sh",
        "-c",
    ];
    demo(s, &[&exec[..], &[script]].concat())
}

#[test]
fn roles_on_demo_accounts_show_their_sources() {
    let s = Sandbox::new();
    let out = demo(&s, &["roles", "payments-prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for (role, source) in [
        ("ReadOnly", "config rule"),
        ("Admin", "config rule"),
        ("BreakGlass", "profile demo-breakglass"),
    ] {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with(role) && l.contains(source)),
            "{role} from {source}: {}",
            out.stdout
        );
    }
    let out = demo(&s, &["roles", "sandbox-alice", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["source"]["type"], "identity_center", "{v}");
    // An account no rule reaches falls back to the default role.
    let out = demo(&s, &["roles", "log-archive"]);
    assert!(
        out.stdout.contains("OrganizationAccountAccessRole"),
        "{}",
        out.stdout
    );
}

#[test]
fn exec_runs_with_obviously_fake_credentials_and_says_demo() {
    let s = Sandbox::new();
    let out = demo_sh(
        &s,
        "echo DEMO=$ORGNAV_DEMO KEY=$AWS_ACCESS_KEY_ID SECRET=$AWS_SECRET_ACCESS_KEY ROLE=$ORGNAV_ROLE",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("DEMO=1 "), "{}", out.stdout);
    assert!(out.stdout.contains("KEY=ASIADEMO"), "{}", out.stdout);
    assert!(out.stdout.contains("ROLE=ReadOnly"), "{}", out.stdout);
    let secret = out.stdout.split("SECRET=").nth(1).unwrap();
    assert!(secret.contains("demo"), "{}", out.stdout);
    // The entry line on stderr carries the DEMO badge.
    assert!(out.stderr.contains("DEMO"), "{}", out.stderr);
    assert!(out.stderr.contains("payments-dev"), "{}", out.stderr);
    // exec's exit code is the command's.
    let out = demo_sh(&s, "exit 7");
    assert_eq!(out.code, 7, "{}", out.stderr);
}

#[test]
fn shell_is_a_real_subshell_with_the_session() {
    let s = Sandbox::new();
    let mut cmd = s.orgnav(None);
    cmd.env("SHELL", "/bin/sh")
        .args([
            "--demo",
            "shell",
            "payments-prod",
            "--role",
            "Admin",
            "--yes",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"echo DEMO=$ORGNAV_DEMO ENV=$ORGNAV_ENV ACC=$ORGNAV_ACCOUNT_ID\nexit 3\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stdout.contains("DEMO=1 ENV=prod ACC=718172762479"),
        "{stdout}"
    );
    assert!(stderr.contains("DEMO"), "{stderr}");
    assert!(stderr.contains("exit the shell to return"), "{stderr}");
}

#[test]
fn production_still_needs_a_confirmation_on_the_demo() {
    let s = Sandbox::new();
    let out = demo(&s, &["shell", "payments-prod", "--role", "Admin"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
}

#[test]
fn env_prints_every_format_with_fake_values() {
    let s = Sandbox::new();
    let env = |format: &str| {
        let out = demo(
            &s,
            &["env", "payments-dev", "--role", "Admin", "--format", format],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    for (format, wanted) in [
        ("sh", "export AWS_ACCESS_KEY_ID='ASIADEMO"),
        ("sh", "export ORGNAV_DEMO='1'"),
        ("fish", "set -gx ORGNAV_DEMO '1'"),
        ("powershell", "$Env:ORGNAV_DEMO = '1'"),
    ] {
        let out = env(format);
        assert!(out.contains(wanted), "{format}: {out}");
    }
    assert_fake_credentials_json(&env("json"));
}

/// The `credential_process` JSON, holding the demo's fake keys.
fn assert_fake_credentials_json(stdout: &str) {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap();
    assert_eq!(v["Version"], 1);
    assert!(
        v["AccessKeyId"].as_str().unwrap().starts_with("ASIADEMO"),
        "{v}"
    );
    assert!(
        v["SecretAccessKey"].as_str().unwrap().contains("demo"),
        "{v}"
    );
}

#[test]
fn credential_process_gives_fake_credentials_silently() {
    let s = Sandbox::new();
    let out = demo(
        &s,
        &["credential-process", "payments-dev", "--role", "Admin"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert_fake_credentials_json(&out.stdout);
}

#[test]
fn console_print_gives_a_demo_address_that_is_not_aws() {
    let s = Sandbox::new();
    let out = demo(
        &s,
        &[
            "console",
            "payments-dev",
            "--role",
            "Admin",
            "--service",
            "s3",
            "--print",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let url = out.stdout.trim();
    assert!(url.starts_with("https://demo.orgnav.invalid/"), "{url}");
    assert!(
        url.contains("272569912085") && url.contains("Admin") && url.contains("s3"),
        "{url}"
    );
    assert!(
        !url.contains("amazonaws") && !url.contains("aws.amazon"),
        "{url}"
    );
}

#[test]
fn an_mfa_profile_needs_a_terminal_for_its_code() {
    let s = Sandbox::new();
    let mut cmd = s.orgnav(None);
    // A new session: no controlling terminal to ask on, even when the tests run in one.
    // SAFETY: setsid is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let out = run(cmd.args(["--demo", "env", "payments-prod", "--role", "BreakGlass"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("MFA"), "{}", out.stderr);
}

#[test]
fn the_demo_makes_no_network_call() {
    let s = Sandbox::new();
    let trap = NetTrap::start();
    let commands: &[&[&str]] = &[
        &["roles", "payments-prod"],
        &["env", "payments-dev", "--role", "Admin"],
        &["exec", "payments-dev", "--role", "Admin", "--", "true"],
        &["credential-process", "payments-dev", "--role", "Admin"],
        &["console", "payments-dev", "--role", "Admin", "--print"],
        &["shell", "payments-prod", "--yes", "--role", "Admin"],
        &["quotas", "payments-prod"],
    ];
    for args in commands {
        let mut cmd = s.orgnav(None);
        trap.apply(&mut cmd);
        cmd.env("SHELL", "/bin/true").arg("--demo").args(*args);
        let out = run(&mut cmd);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    assert_eq!(trap.connections(), 0, "a demo command connected");
    // The control: without --demo, the same environment does reach the listener.
    let mut cmd = s.orgnav(None);
    trap.apply(&mut cmd);
    assert_eq!(run(cmd.arg("ls")).code, 1);
    assert!(trap.connections() > 0, "the trap caught nothing");
}

#[test]
fn demo_entries_do_not_touch_the_real_history() {
    let s = Sandbox::new();
    let real = s.path("state/orgnav/history.json");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, r#"{"last_role":{"111111111111":"Real"}}"#).unwrap();
    let out = demo(
        &s,
        &["exec", "payments-dev", "--role", "Admin", "--", "true"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        r#"{"last_role":{"111111111111":"Real"}}"#
    );
    // The demo remembers its own last role, in its own file.
    let demo_history = std::fs::read_to_string(s.path("state/orgnav/history-demo.json")).unwrap();
    assert!(demo_history.contains("272569912085"), "{demo_history}");
    let out = demo(&s, &["roles", "payments-dev"]);
    // The first row under the header is the role used last.
    let first = out.stdout.lines().nth(1).unwrap_or_default();
    assert!(first.starts_with("Admin"), "{}", out.stdout);
}

/// Deep links: an alias, a path, a quota-style page and `--region` reach the demo address as
/// the page the real sign-in would open; bad aliases, paths and URLs are usage errors.
#[test]
fn console_deep_links_land_on_the_page_asked_for() {
    let s = Sandbox::new();
    let base = ["console", "payments-dev", "--role", "Admin", "--print"];
    for (extra, page) in [
        (
            &["logs"][..],
            "page=%2Fcloudwatch%2Fhome%3Fregion=us-east-1%23logsV2%3Alog-groups",
        ),
        (&["--service", "iam"][..], "page=%2Fiam%2Fhome&"),
        (
            &["--path", "/ec2/home#Instances:"][..],
            "page=%2Fec2%2Fhome%3Fregion=us-east-1%23Instances%3A",
        ),
        (
            &["--region", "euw1", "sq"][..],
            "region=eu-west-1&page=%2Fservicequotas%2Fhome%3Fregion=eu-west-1",
        ),
        (
            &[
                "--url",
                "https://s3.console.aws.amazon.com/s3/buckets/my-bucket",
            ][..],
            "page=%2Fs3%2Fbuckets%2Fmy-bucket",
        ),
    ] {
        let out = demo(&s, &[&base[..], extra].concat());
        assert_eq!(out.code, 0, "{extra:?}: {}", out.stderr);
        let url = format!("{}&", out.stdout.trim());
        assert!(url.contains(page), "{extra:?}: {url}");
    }
    for (extra, says) in [
        (&["lamda"][..], "did you mean lambda"),
        (&["--path", "//evil.example.com/"][..], "single `/`"),
        (
            &["--url", "https://console.aws.amazon.com.evil.example.com/"][..],
            "not on an AWS console host",
        ),
        (&["--url", "http://console.aws.amazon.com/"][..], "https://"),
        (
            &["--url", "https://console.amazonaws.cn/ec2/home"][..],
            "partition aws-cn",
        ),
        (&["ec2", "--service", "s3"][..], "cannot be used with"),
    ] {
        let out = demo(&s, &[&base[..], extra].concat());
        assert_eq!(out.code, 2, "{extra:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{extra:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{extra:?}: {}", out.stdout);
    }
}

/// An unknown alias is refused before anything is read: no cache, no AWS, no account.
#[test]
fn a_bad_alias_is_a_usage_error_before_any_account_is_resolved() {
    let s = Sandbox::new();
    let out = run(s
        .orgnav(None)
        .args(["--offline", "console", "nosuch-account", "ec3"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown console service `ec3`"),
        "{}",
        out.stderr
    );
}

#[test]
fn list_services_lists_every_alias() {
    let s = Sandbox::new();
    let out = run(s.orgnav(None).args(["console", "--list-services"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.lines().count() >= 80, "{}", out.stdout);
    assert!(
        out.stdout.lines().any(|l| l.starts_with("sq, quotas")),
        "{}",
        out.stdout
    );
    let md = run(s
        .orgnav(None)
        .args(["console", "--list-services", "--markdown"]));
    assert!(md.stdout.starts_with("| Aliases |"), "{}", md.stdout);
}
