//! Entering without naming the account: on a terminal an inline picker (type to filter, Enter
//! picks, Esc exits 2) and then a role picker; without a terminal a usage error. Regions by
//! shorthand on the entering commands. All against moto, pickers in a real pseudo-terminal.
#![allow(clippy::unwrap_used)]

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::time::Duration;

use pty::Pty;
use support::{Sandbox, run};

/// `script` (a `sh -c` line; `{orgnav}` is the binary) in a fresh terminal of the sandbox.
fn in_terminal(s: &Sandbox, script: &str) -> Pty {
    let script = script.replace("{orgnav}", &format!("'{}'", env!("CARGO_BIN_EXE_orgnav")));
    let mut cmd = s.command("sh", Some(&support::seeded_org().0));
    cmd.current_dir(s.dir.path()).args(["-c", &script]);
    Pty::spawn(cmd, true)
}

const SHOW_ENTRY: &str = "sh -c 'echo ENTERED=$ORGNAV_ACCOUNT_NAME/$ORGNAV_ROLE'";

#[test]
fn region_shorthands_are_taken_after_the_account() {
    let (moto, _) = support::seeded_org();
    let s = support::refreshed_sandbox();
    let out = run(s.orgnav(Some(moto)).args([
        "exec",
        "payments-dev",
        "--region",
        "euw1",
        "--",
        "sh",
        "-c",
        "printf %s \"$AWS_REGION\"",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "eu-west-1");
    let out = run(s
        .orgnav(Some(moto))
        .args(["env", "payments-dev", "--region", "apse2"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("ap-southeast-2"), "{}", out.stdout);
    for cmd in ["shell", "console", "env"] {
        let out = run(s
            .orgnav(Some(moto))
            .args([cmd, "payments-dev", "--region", "ue9"]));
        assert_eq!(out.code, 2, "{cmd}: {}", out.stderr);
        assert!(
            out.stderr.contains("unknown region `ue9`"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn without_a_terminal_a_missing_account_is_a_usage_error_with_a_hint() {
    let (moto, _) = support::seeded_org();
    let s = support::refreshed_sandbox();
    for args in [&["env"][..], &["exec", "--", "true"], &["shell", "-y"]] {
        let out = run(s.orgnav(Some(moto)).args(args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("name an ACCOUNT") && out.stderr.contains("orgnav ls"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn without_an_account_the_picker_filters_and_enters_the_pick() {
    let s = support::refreshed_sandbox();
    let mut p = in_terminal(&s, &format!("{{orgnav}} exec -- {SHOW_ENTRY}"));
    p.expect("Esc cancel");
    p.send("paymnts-dev");
    p.settle();
    p.send("\r");
    p.expect("ENTERED=payments-dev/OrganizationAccountAccessRole");
    assert!(p.wait_exit(Duration::from_secs(30)).unwrap().success());
}

#[test]
fn a_terminal_without_a_size_still_shows_the_rows() {
    let (moto, seed) = support::seeded_org();
    let s = support::refreshed_sandbox();
    let mut cmd = s.orgnav(Some(moto));
    cmd.arg("env");
    let mut p = Pty::spawn_sized(cmd, true, None, (0, 0));
    p.expect("Esc cancel");
    p.send("payments-dev");
    p.expect(&seed.account("payments-dev").id);
    p.send("\x1b");
    assert_eq!(
        p.wait_exit(Duration::from_secs(30)).unwrap().code(),
        Some(2)
    );
}

#[test]
fn escape_in_the_picker_exits_2_without_entering() {
    let s = support::refreshed_sandbox();
    let mut p = in_terminal(&s, "{orgnav} env > env.out; echo ORGNAV_EXIT=$?");
    p.expect("Esc cancel");
    p.send("\x1b");
    p.expect("ORGNAV_EXIT=2");
    assert_eq!(std::fs::read_to_string(s.path("env.out")).unwrap(), "");
}

#[test]
fn the_role_picker_follows_when_the_account_has_several_roles() {
    let s = support::refreshed_sandbox();
    s.write_config("[[roles]]\nname = \"Admin\"\n[[roles]]\nname = \"ReadOnly\"\n");
    let mut p = in_terminal(&s, &format!("{{orgnav}} exec -- {SHOW_ENTRY}"));
    p.expect("Esc cancel");
    p.send("payments-dev");
    p.settle();
    p.send("\r");
    p.expect("role");
    p.expect("ReadOnly");
    p.expect("Esc cancel");
    p.send("read");
    p.settle();
    p.send("\r");
    p.expect("ENTERED=payments-dev/ReadOnly");
    assert!(p.wait_exit(Duration::from_secs(30)).unwrap().success());
    // `--role` given: no role picker, the role named is used.
    let mut p = in_terminal(&s, &format!("{{orgnav}} exec --role Admin -- {SHOW_ENTRY}"));
    p.expect("Esc cancel");
    p.send("payments-dev");
    p.settle();
    p.send("\r");
    p.expect("ENTERED=payments-dev/Admin");
}
