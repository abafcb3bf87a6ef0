//! The CLI's tables and tree, read as a person and a script would: headers, columns aligned by
//! display width (CJK names, long service codes), fitted to a terminal's width without ever
//! cutting an ID, colour only on a terminal without NO_COLOR, `tree --json` and `tree QUERY`.
#![allow(clippy::unwrap_used)]

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::time::Duration;

use pty::Pty;
use support::{Sandbox, run};
use unicode_width::UnicodeWidthStr;

const EXIT_BOUND: Duration = Duration::from_secs(60);

/// `args` run on a 100-column terminal; what it printed, escapes included.
fn on_terminal(sandbox: &Sandbox, args: &[&str], no_color: bool) -> String {
    let mut cmd = sandbox.orgnav(None);
    cmd.args(args);
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let mut tty = Pty::spawn(cmd, false);
    let status = tty.wait_exit(EXIT_BOUND).expect("ends");
    assert!(status.success(), "{}", tty.rest());
    tty.rest().replace("\r\n", "\n")
}

fn piped(args: &[&str]) -> String {
    let out = run(Sandbox::new().orgnav(None).args(args));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

/// Display column where `needle` starts in `line`.
fn column_of(line: &str, needle: &str) -> usize {
    line[..line.find(needle).unwrap()].width()
}

fn is_account_id(word: &str) -> bool {
    word.len() == 12 && word.bytes().all(|b| b.is_ascii_digit())
}

/// Every account ID of the demo organization, for checking none was cut.
fn demo_ids() -> Vec<String> {
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&piped(&["--demo", "ls", "--json"])).unwrap();
    rows.iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn ls_has_short_j_for_json() {
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&piped(&["--demo", "ls", "-j", "payments"])).unwrap();
    assert!(!rows.is_empty());
}

#[test]
fn sweep_and_quota_tables_have_headers_and_aligned_columns() {
    let sweep = piped(&["--demo", "quotas", "--all-accounts"]);
    let lines: Vec<&str> = sweep.lines().filter(|l| !l.starts_with('(')).collect();
    assert!(lines[0].starts_with("ACCOUNT"), "{}", lines[0]);
    assert!(lines[0].contains("QUOTA"), "{}", lines[0]);
    // The ID column starts at one display column on every row, CJK names included.
    let id_at = column_of(lines[0], "ID");
    assert!(sweep.contains("決済-本番"));
    for line in &lines[1..] {
        let id = line.split_whitespace().find(|w| is_account_id(w)).unwrap();
        assert_eq!(column_of(line, id), id_at, "{line}");
        // Long service codes (elasticloadbalancing) do not push the quota codes right.
        let code = line
            .split_whitespace()
            .find(|w| w.starts_with("L-"))
            .unwrap();
        assert_eq!(column_of(line, code), column_of(lines[0], "CODE"), "{line}");
    }
    let one = piped(&["--demo", "quotas", "payments-prod"]);
    let header = one.lines().nth(1).unwrap();
    assert!(header.starts_with("REGION"), "{one}");
}

#[test]
fn the_sweep_names_accounts_that_share_a_name_by_id() {
    let sweep = piped(&["--demo", "quotas", "--all-accounts"]);
    let ids: std::collections::BTreeSet<&str> = sweep
        .lines()
        .filter(|l| l.starts_with("shared-tools "))
        .filter_map(|l| l.split_whitespace().find(|w| is_account_id(w)))
        .collect();
    assert_eq!(ids.len(), 2, "{sweep}");
}

#[test]
fn a_narrow_sweep_drops_account_ids_unless_two_accounts_share_a_name() {
    let sandbox = Sandbox::new();
    let all = on_terminal(&sandbox, &["--demo", "quotas", "--all-accounts"], true);
    let ids: std::collections::BTreeSet<&str> = (all.lines())
        .filter(|l| l.starts_with("shared-tools "))
        .filter_map(|l| l.split_whitespace().find(|w| is_account_id(w)))
        .collect();
    assert_eq!(ids.len(), 2, "{all}");
    let security = ["--demo", "quotas", "--all-accounts", "--ou", "Security"];
    let unique = on_terminal(&sandbox, &security, true);
    assert!(!unique.lines().next().unwrap().contains(" ID "), "{unique}");
    assert!(!unique.split_whitespace().any(is_account_id), "{unique}");
    assert!(piped(&security).lines().next().unwrap().contains(" ID "));
}

#[test]
fn tables_on_a_terminal_fit_its_width_and_keep_every_id_whole() {
    let ids = demo_ids();
    let sandbox = Sandbox::new();
    for args in [
        &["--demo", "ls"][..],
        &["--demo", "quotas", "--all-accounts"],
        &["--demo", "tree"],
    ] {
        let text = on_terminal(&sandbox, args, true);
        for line in text.lines() {
            assert!(line.width() <= 100, "{args:?}: {line}");
        }
        for id in &ids {
            assert!(
                text.contains(id.as_str()) || args[1] == "quotas",
                "{args:?}: {id} missing"
            );
        }
        for word in text.split_whitespace().filter(|w| w.len() >= 9) {
            if word.bytes().all(|b| b.is_ascii_digit()) {
                assert!(ids.contains(&word.to_string()), "{args:?}: cut ID {word}");
            }
        }
    }
}

#[test]
fn colour_only_on_a_terminal_without_no_color() {
    let sandbox = Sandbox::new();
    let coloured = on_terminal(&sandbox, &["--demo", "quotas", "--all-accounts"], false);
    let crit = coloured.lines().find(|l| l.contains("CRIT")).unwrap();
    assert!(crit.contains("\x1b[31mCRIT"), "{crit:?}");
    let ls = on_terminal(&sandbox, &["--demo", "ls", "payments-prod"], false);
    let prod = ls.lines().find(|l| l.contains("718172762479")).unwrap();
    assert!(prod.contains("\x1b[1;31m"), "production marked: {prod:?}");
    for args in [
        &["--demo", "quotas", "--all-accounts"][..],
        &["--demo", "ls"],
    ] {
        let plain = on_terminal(&sandbox, args, true);
        assert!(!plain.contains('\x1b'), "NO_COLOR: {plain:?}");
        assert!(!piped(args).contains('\x1b'), "piped");
    }
}

#[test]
fn ls_without_query_lists_accounts_in_tree_order() {
    let listed: Vec<String> = piped(&["--demo", "ls"])
        .lines()
        .skip(1)
        .map(|l| {
            l.split_whitespace()
                .find(|w| is_account_id(w))
                .unwrap()
                .to_string()
        })
        .collect();
    let in_tree: Vec<String> = piped(&["--demo", "tree"])
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| is_account_id(w)))
        .map(String::from)
        .collect();
    assert_eq!(listed, in_tree);
}

fn accounts_in(ou: &serde_json::Value, out: &mut Vec<String>) {
    for child in ou["children"].as_array().unwrap() {
        accounts_in(child, out);
    }
    for a in ou["accounts"].as_array().unwrap() {
        out.push(a["id"].as_str().unwrap().to_string());
    }
}

#[test]
fn tree_json_nests_ous_with_children_and_accounts() {
    let root: serde_json::Value =
        serde_json::from_str(&piped(&["--demo", "tree", "--json"])).unwrap();
    assert_eq!(root["id"], "r-demo");
    assert_eq!(root["name"], "Root");
    let infra = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Infrastructure")
        .unwrap();
    assert_eq!(infra["path"], serde_json::json!(["Infrastructure"]));
    let networking = &infra["children"][0];
    assert_eq!(networking["accounts"][0]["name"], "network-nonprod");
    assert_eq!(networking["accounts"][0]["status"], "ACTIVE");
    let mut all = Vec::new();
    accounts_in(&root, &mut all);
    all.sort();
    let mut ids = demo_ids();
    ids.sort();
    assert_eq!(all, ids);
}

#[test]
fn tree_query_shows_the_matches_and_their_ancestors() {
    let text = piped(&["--demo", "tree", "network-prod"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Root/"), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with("Infrastructure/")),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.contains("network-prod")), "{text}");
    assert!(!text.contains("sandbox-alice"), "{text}");
    assert!(!text.contains("Policy Staging"), "{text}");
    let root: serde_json::Value =
        serde_json::from_str(&piped(&["--demo", "tree", "--json", "network-prod"])).unwrap();
    let mut ids = Vec::new();
    accounts_in(&root, &mut ids);
    assert!(ids.contains(&"290355792387".to_string()), "{root}");
    assert!(ids.len() < 10, "{root}");
}

#[test]
fn counts_of_one_are_singular() {
    let tree = piped(&["--demo", "tree"]);
    assert!(
        tree.contains("Identity/ (ou-demo-2hpoevb9, 1 account)"),
        "{tree}"
    );
    assert!(!tree.contains(" 1 accounts"), "{tree}");
}

#[test]
fn the_shell_banner_obeys_no_color() {
    let (moto, _) = support::seeded_org();
    let s = support::refreshed_sandbox();
    for no_color in [false, true] {
        let mut cmd = s.orgnav(Some(moto));
        cmd.env("SHELL", "/bin/true")
            .args(["shell", "payments-dev"]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let mut tty = Pty::spawn(cmd, false);
        let status = tty.wait_exit(EXIT_BOUND).expect("ends");
        assert!(status.success(), "{}", tty.rest());
        let banner = tty.rest();
        assert!(banner.contains("payments-dev"), "{banner:?}");
        assert_eq!(banner.contains('\x1b'), !no_color, "{banner:?}");
    }
}

#[test]
fn candidates_are_a_table_like_ls() {
    let out = run(Sandbox::new()
        .orgnav(None)
        .args(["--demo", "quotas", "payments"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().skip(1).collect();
    assert!(lines[0].trim_start().starts_with("NAME"), "{}", out.stderr);
    assert!(lines[0].contains("STATUS"), "{}", out.stderr);
    let id_at = column_of(lines[0], "ID");
    assert!(out.stderr.contains("決済-本番"), "{}", out.stderr);
    for line in &lines[1..] {
        let id = line.split_whitespace().find(|w| is_account_id(w)).unwrap();
        assert_eq!(column_of(line, id), id_at, "{line}");
    }
}
