//! Which account ACCOUNT names, from the CLI against moto: only IDs and exact names resolve
//! silently; fuzzy matches are picked on a terminal or refused with the candidates; accounts
//! that are not ACTIVE are refused; what was entered is named on stderr.
#![allow(clippy::unwrap_used)]

mod support;

use support::seed::Seeded;
use support::{Moto, Sandbox, run};

fn org() -> &'static (Moto, Seeded) {
    support::seeded_org()
}

fn sandbox() -> Sandbox {
    support::refreshed_sandbox()
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
fn fuzzy_accounts_are_never_entered_without_being_shown() {
    let (moto, seed) = org();
    let s = sandbox();
    // `payments-d` is a prefix of exactly one account: still not entered silently.
    for query in ["payments-d", "paymnts-dev"] {
        let out = run(s.orgnav(Some(moto)).args(["env", query]));
        assert_eq!(out.code, 2, "{query}: {}", out.stdout);
        assert_eq!(out.stdout, "", "no credentials printed");
        assert!(
            out.stderr.contains(&seed.account("payments-dev").id)
                && out.stderr.contains("--pick-best"),
            "{}",
            out.stderr
        );
    }
    let out = run(s
        .orgnav(Some(moto))
        .args(["env", "--pick-best", "paymnts-dev"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("AWS_SESSION_TOKEN"), "{}", out.stdout);
    assert!(
        out.stderr.contains("`paymnts-dev` → payments-dev"),
        "{}",
        out.stderr
    );
    // Candidates are listed best first, one aligned row each.
    let out = run(s.orgnav(Some(moto)).args(["exec", "shared", "--", "true"]));
    assert_eq!(out.code, 2);
    let mut rows: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(
        rows.remove(0).starts_with("  NAME"),
        "a header: {}",
        out.stderr
    );
    assert!(rows.len() >= 2, "{}", out.stderr);
    let columns: Vec<usize> = rows
        .iter()
        .map(|r| r.find(char::is_numeric).unwrap())
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{}", out.stderr);
}

#[test]
fn suspended_accounts_are_refused_with_their_state() {
    let (moto, seed) = org();
    let s = sandbox();
    let old = seed.account("old-project");
    for args in [
        vec!["exec", &old.id, "--", "true"],
        vec!["env", "old-project"],
        vec!["console", "old-project", "--print"],
    ] {
        let out = run(s.orgnav(Some(moto)).args(&args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.contains("old-project") && out.stderr.contains("SUSPENDED"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn entering_names_the_account_role_and_expiry_on_stderr() {
    let (moto, seed) = org();
    let s = sandbox();
    let dev = seed.account("payments-dev");
    let out = run(s.orgnav(Some(moto)).args(["exec", &dev.id, "--", "true"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = out.stderr.lines().next().unwrap_or_default();
    let expected = format!(
        "orgnav: payments-dev ({}) as OrganizationAccountAccessRole · until ",
        dev.id
    );
    assert!(line.starts_with(&expected), "{line}");
    assert!(line.ends_with(" min)"), "{line}");
    let out = run(s.orgnav(Some(moto)).args(["env", "payments-prod"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("payments-prod (") && out.stderr.contains(" · prod · until "),
        "{}",
        out.stderr
    );
}

/// `orgnav env QUERY > env.out` in a pseudo-terminal, as typed at a prompt.
fn env_in_a_terminal(s: &Sandbox, query: &str) -> expectrl::session::OsSession {
    let script = format!(
        "'{}' env {query} > env.out; echo ORGNAV_EXIT=$?",
        env!("CARGO_BIN_EXE_orgnav")
    );
    let mut cmd = s.command("sh", Some(&org().0));
    cmd.current_dir(s.dir.path()).args(["-c", &script]);
    let mut p = expectrl::Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    p
}

#[test]
fn on_a_terminal_a_fuzzy_account_is_picked_inline() {
    use expectrl::{Eof, Expect};
    let (_, seed) = org();
    let s = sandbox();
    let mut p = env_in_a_terminal(&s, "payments-d");
    p.expect("not an exact account name").unwrap();
    p.expect("payments-dev").unwrap();
    p.send("\r").unwrap();
    p.expect("ORGNAV_EXIT=0").unwrap();
    p.expect(Eof).unwrap();
    let exported = std::fs::read_to_string(s.path("env.out")).unwrap();
    assert!(
        exported.contains(&seed.account("payments-dev").id),
        "{exported}"
    );

    let mut p = env_in_a_terminal(&s, "paymnts");
    p.expect("Esc cancel").unwrap();
    p.send("\x1b").unwrap();
    p.expect("ORGNAV_EXIT=2").unwrap();
    p.expect(Eof).unwrap();
    assert_eq!(std::fs::read_to_string(s.path("env.out")).unwrap(), "");
}
