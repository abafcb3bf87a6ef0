//! Every entry is remembered: `shell`, `exec`, `env`, `console` and `credential-process`
//! against moto, each read back from `$XDG_STATE_HOME/orgnav/history.json` (account IDs, role
//! names and timestamps only; 0600 in a 0700 directory). Then what the history is for on the
//! command line: `ls --recent` / `--favourites` and ACCOUNT `-`.
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt;

use orgnav::access::history::{EntryKind, History};
use support::{Sandbox, run};

const ROLE: &str = "OrganizationAccountAccessRole";

fn history_file(s: &Sandbox) -> std::path::PathBuf {
    s.path("state/orgnav/history.json")
}

/// The file holds nothing but IDs, role names, kinds and times: no account name, no key.
fn assert_private_and_bare(s: &Sandbox, secrets: &[String]) -> serde_json::Value {
    let file = history_file(s);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    let text = std::fs::read_to_string(&file).unwrap();
    for word in [
        "payments-dev",
        "ASIA",
        "AKIA",
        "moto-secret",
        "Secret",
        "Token",
    ] {
        assert!(!text.contains(word), "{word} in {text}");
    }
    for secret in secrets {
        assert!(!text.contains(secret.as_str()), "a credential in {text}");
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["entries", "favourites"], "{text}");
    for e in v["entries"].as_array().unwrap() {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["account_id", "role", "kind", "at"], "{text}");
    }
    v
}

/// Runs `args` (an entry into payments-dev) and checks the one entry it recorded.
fn recorded(args: &[&str], kind: EntryKind, prepare: impl FnOnce(&mut std::process::Command)) {
    let (moto, seed) = support::seeded_org();
    let s = support::refreshed_sandbox();
    let mut cmd = s.orgnav(Some(moto));
    prepare(&mut cmd);
    let before = jiff::Timestamp::now().as_second();
    let out = run(cmd.args(args));
    let after = jiff::Timestamp::now().as_second();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let secrets: Vec<String> = out
        .stdout
        .split(['\n', ' ', '"', '\'', '='])
        // Keys, tokens, URLs: every long word printed but the role's name.
        .filter(|w| w.len() >= 16 && *w != ROLE)
        .map(str::to_string)
        .collect();
    assert_private_and_bare(&s, &secrets);
    let h = History::load_from(&history_file(&s));
    let [e] = h.entries.as_slice() else {
        panic!("{:?}", h.entries)
    };
    assert_eq!(e.account_id, seed.account("payments-dev").id);
    assert_eq!((e.role.as_str(), e.kind), (ROLE, kind));
    assert!(
        (before..=after).contains(&e.at),
        "{} not in {before}..={after}",
        e.at
    );
}

#[test]
fn exec_is_recorded() {
    let cmd = "echo $AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN";
    recorded(
        &["exec", "payments-dev", "--", "sh", "-c", cmd],
        EntryKind::Exec,
        |_| {},
    );
}

#[test]
fn shell_is_recorded() {
    // stdin is /dev/null: the shell ends at once.
    recorded(&["shell", "payments-dev"], EntryKind::Shell, |c| {
        c.env("SHELL", "/bin/sh");
    });
}

#[test]
fn env_is_recorded() {
    recorded(&["env", "payments-dev"], EntryKind::Env, |_| {});
}

#[test]
fn credential_process_is_recorded() {
    recorded(
        &["credential-process", "payments-dev", "--role", ROLE],
        EntryKind::CredentialProcess,
        |_| {},
    );
}

#[test]
fn console_is_recorded() {
    let body = "{\"SigninToken\":\"tok-SECRET-123\"}".to_string();
    let (base, _requests) = support::http::serve(vec![("GET", "/federation", body)]);
    recorded(
        &["console", "payments-dev", "--print"],
        EntryKind::Console,
        |c| {
            c.env("ORGNAV_FEDERATION_URL", format!("{base}/federation"));
        },
    );
}
