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

/// A sandbox whose history holds `entries` (account name, role), oldest first, and
/// `favourites` (account names).
fn with_history(entries: &[(&str, &str)], favourites: &[&str]) -> Sandbox {
    let (_, seed) = support::seeded_org();
    let s = support::refreshed_sandbox();
    let mut h = History::default();
    for (at, (name, role)) in entries.iter().enumerate() {
        let id = &seed.account(name).id;
        h.remember(id, role, EntryKind::Shell, 1_795_000_000 + at as i64);
    }
    for name in favourites {
        h.toggle_favourite(&seed.account(name).id);
    }
    std::fs::create_dir_all(history_file(&s).parent().unwrap()).unwrap();
    h.store_to(&history_file(&s));
    s
}

fn ls_json(s: &Sandbox, args: &[&str]) -> Vec<serde_json::Value> {
    let moto = Some(&support::seeded_org().0);
    let out = run(s
        .orgnav(moto)
        .args(["--offline", "ls", "--json"])
        .args(args));
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn names(rows: &[serde_json::Value]) -> Vec<&str> {
    rows.iter().map(|r| r["name"].as_str().unwrap()).collect()
}

#[test]
fn ls_lists_recent_and_favourite_accounts() {
    let s = with_history(
        &[
            ("payments-dev", "A"),
            ("payments-prod", "A"),
            ("payments-dev", "B"),
        ],
        &["root-tools", "payments-prod"],
    );
    let recent = ls_json(&s, &["--recent"]);
    assert_eq!(names(&recent), ["payments-dev", "payments-prod"]);
    // The same shape as `ls --json`.
    let all = ls_json(&s, &[]);
    let dev = all.iter().find(|r| r["name"] == "payments-dev").unwrap();
    assert_eq!(&recent[0], dev);
    // Favourites in tree order: the order of `ls`.
    let favourites = ls_json(&s, &["--favourites"]);
    let tree_order: Vec<&str> = names(&all)
        .into_iter()
        .filter(|n| ["root-tools", "payments-prod"].contains(n))
        .collect();
    assert_eq!(names(&favourites), tree_order);
    // A query narrows them.
    assert_eq!(
        names(&ls_json(&s, &["--recent", "prod"])),
        ["payments-prod"]
    );
    let moto = Some(&support::seeded_org().0);
    let table = run(s.orgnav(moto).args(["--offline", "ls", "--favorites"]));
    assert!(table.stdout.contains("root-tools"), "{}", table.stdout);
}

#[test]
fn dash_enters_the_last_account_with_its_last_role() {
    let (moto, seed) = support::seeded_org();
    let empty = support::refreshed_sandbox();
    for args in [
        &["shell", "-"][..],
        &["exec", "-", "--", "true"],
        &["env", "-"],
        &["console", "-", "--print"],
    ] {
        let out = run(empty.orgnav(Some(moto)).args(args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("no account entered yet"),
            "{}",
            out.stderr
        );
        assert!(
            !out.stderr.contains("  "),
            "one clean line: {:?}",
            out.stderr
        );
    }

    let s = with_history(&[("payments-prod", "A"), ("payments-dev", "ReadOnly")], &[]);
    let show = "echo $ORGNAV_ACCOUNT_ID $ORGNAV_ROLE";
    let out = run(s
        .orgnav(Some(moto))
        .args(["exec", "-", "--", "sh", "-c", show]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dev = &seed.account("payments-dev").id;
    assert_eq!(out.stdout.trim(), format!("{dev} ReadOnly"));
    assert!(
        out.stderr
            .contains(&format!("payments-dev ({dev}) as ReadOnly")),
        "{}",
        out.stderr
    );
    // --role still decides; the entry is recorded like any other.
    let out = run(s.orgnav(Some(moto)).args(["env", "-", "--role", ROLE]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!("ORGNAV_ROLE='{ROLE}'")),
        "{}",
        out.stdout
    );
    let h = History::load_from(&history_file(&s));
    let kinds: Vec<EntryKind> = h.entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds[2..], [EntryKind::Exec, EntryKind::Env]);
    assert_eq!(h.last().unwrap().account_id, *dev);
}

/// `key` on payments-dev in the TUI (in a pseudo-terminal, against moto) records one entry of
/// `kind`; the test waits for the file, quits, and reads it back.
fn tui_entry_is_recorded(key: &str, kind: EntryKind) {
    use expectrl::Expect;
    let (moto, seed) = support::seeded_org();
    let s = support::refreshed_sandbox();
    s.write_config("shell = \"/bin/true\"\n");
    let body = "{\"SigninToken\":\"tok-SECRET-123\"}".to_string();
    let (base, _requests) = support::http::serve(vec![("GET", "/federation", body)]);
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("ORGNAV_FEDERATION_URL", format!("{base}/federation"))
        .env("BROWSER", "true");
    let mut p = expectrl::Session::spawn(cmd).unwrap();
    p.get_process_mut().set_window_size(110, 30).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    p.expect("Organization").unwrap();
    p.send("/payments-dev").unwrap();
    p.expect("match").unwrap();
    p.send("\r").unwrap();
    p.send(key).unwrap(); // one role, not production: no dialog
    let deadline = std::time::Instant::now() + support::PTY_TIMEOUT;
    while History::load_from(&history_file(&s)).entries.is_empty() {
        assert!(std::time::Instant::now() < deadline, "nothing recorded");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Ctrl-C quits in every mode: `q` would be typed into the no-browser dialog, which opens
    // after 5 s when the history write was slow.
    p.send("\x03").unwrap();
    p.expect(expectrl::Eof).unwrap();
    assert_private_and_bare(&s, &[]);
    let h = History::load_from(&history_file(&s));
    let [e] = h.entries.as_slice() else {
        panic!("{:?}", h.entries)
    };
    assert_eq!(e.account_id, seed.account("payments-dev").id);
    assert_eq!((e.role.as_str(), e.kind), (ROLE, kind));
}

#[test]
fn tui_shell_is_recorded() {
    tui_entry_is_recorded("s", EntryKind::Shell);
}

#[test]
fn tui_console_is_recorded() {
    tui_entry_is_recorded("c", EntryKind::Console);
}

#[test]
fn fav_marks_and_unmarks_a_favourite() {
    let (moto, _) = support::seeded_org();
    let s = support::refreshed_sandbox();
    let fav = |args: &[&str]| run(s.orgnav(Some(moto)).arg("--offline").arg("fav").args(args));
    let out = fav(&["payments-dev"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("payments-dev ("), "{}", out.stderr);
    assert_eq!(names(&ls_json(&s, &["--favourites"])), ["payments-dev"]);
    assert_private_and_bare(&s, &[]);
    assert_eq!(fav(&["payments-dev", "--remove"]).code, 0);
    assert!(ls_json(&s, &["--favourites"]).is_empty());
    assert_eq!(fav(&["no-such-account-at-all"]).code, 2);
}

/// `f` in the TUI (on the demo organization: its own history file) is stored, and the next
/// start shows the ★ Favourites group with the account.
#[test]
fn tui_favourite_is_stored_and_shown_at_the_next_start() {
    use expectrl::Expect;
    let s = Sandbox::new();
    let file = s.path("state/orgnav/history-demo.json");
    let start = || {
        let mut cmd = s.orgnav(None);
        cmd.arg("--demo");
        let mut p = expectrl::Session::spawn(cmd).unwrap();
        p.get_process_mut().set_window_size(110, 30).unwrap();
        p.set_expect_timeout(Some(support::PTY_TIMEOUT));
        p.expect("Organization").unwrap();
        p
    };
    let mut p = start();
    p.send("/identity-prod").unwrap();
    p.expect("match").unwrap();
    p.send("\r").unwrap();
    p.send("f").unwrap();
    let deadline = std::time::Instant::now() + support::PTY_TIMEOUT;
    while History::load_from(&file).favourites.is_empty() {
        assert!(std::time::Instant::now() < deadline, "never stored");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    p.send("q").unwrap();
    p.expect(expectrl::Eof).unwrap();
    assert!(
        !history_file(&s).exists(),
        "the demo never writes the real history"
    );
    let h = History::load_from(&file);
    assert_eq!(h.favourites.len(), 1);

    let mut p = start();
    p.expect("Favourites").unwrap();
    p.expect("identity-prod").unwrap();
    p.send("q").unwrap();
    p.expect(expectrl::Eof).unwrap();
}

/// `-` is the account a person entered last: a `credential_process` the AWS CLI ran in the
/// background since then does not count, and `credential-process -` is refused (a profile must
/// name its account).
#[test]
fn dash_skips_background_credential_process_entries() {
    let (moto, seed) = support::seeded_org();
    let s = with_history(&[("payments-dev", "ReadOnly")], &[]);
    let prod = seed.account("payments-prod").id.clone();
    let out = run(s
        .orgnav(Some(moto))
        .args(["credential-process", &prod, "--role", ROLE]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out =
        run(s
            .orgnav(Some(moto))
            .args(["exec", "-", "--", "sh", "-c", "echo $ORGNAV_ACCOUNT_ID"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), seed.account("payments-dev").id);
    let out = run(s
        .orgnav(Some(moto))
        .args(["credential-process", "-", "--role", ROLE]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("credential-process"), "{}", out.stderr);
}
