//! `console --via portal` on the demo organization: the access portal's shortcut link for an
//! Identity Center role, a usage error (exit 2) for any other role. No network.
#![allow(clippy::unwrap_used)]

mod support;

use support::{Sandbox, run};

fn demo(s: &Sandbox, args: &[&str]) -> support::Output {
    run(s.orgnav(None).arg("--demo").args(args))
}

#[test]
fn an_identity_center_role_gets_the_portal_shortcut_link() {
    let s = Sandbox::new();
    let out = demo(
        &s,
        &[
            "console",
            "sandbox-alice",
            "--role",
            "ReadOnlyAccess",
            "--via",
            "portal",
            "--service",
            "s3",
            "--region",
            "eu-central-1",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "https://portal.demo.orgnav.invalid/start/#/console?account_id=626594012825\
         &role_name=ReadOnlyAccess\
         &destination=https%3A%2F%2Fs3.console.aws.amazon.com%2Fs3%2Fbuckets%3Fregion%3Deu-central-1"
    );
}

#[test]
fn config_via_portal_applies_to_identity_center_roles_only() {
    let s = Sandbox::new();
    s.write_config("[console]\nvia = \"portal\"\n");
    let out = demo(&s, &["console", "sandbox-alice", "--print"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("/start/#/console?account_id="),
        "{}",
        out.stdout
    );
    // A config-rule role in the same setup goes through federation as before.
    let out = demo(
        &s,
        &["console", "payments-dev", "--role", "Admin", "--print"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("#/console"), "{}", out.stdout);
}

#[test]
fn via_portal_for_another_role_is_a_usage_error() {
    let s = Sandbox::new();
    let out = demo(
        &s,
        &[
            "console",
            "payments-dev",
            "--role",
            "Admin",
            "--via",
            "portal",
            "--print",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("needs an IAM Identity Center role")
            && out.stderr.contains("--via federation"),
        "{}",
        out.stderr
    );
}
