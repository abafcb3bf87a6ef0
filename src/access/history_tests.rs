//! History: recents, frecency, favourites, the file.

use super::*;

const DAY: i64 = 24 * 3600;

fn with(entries: &[(&str, &str, i64)]) -> History {
    let mut h = History::default();
    for (id, role, at) in entries {
        h.remember(id, role, EntryKind::Shell, *at);
    }
    h
}

#[test]
fn recent_lists_distinct_accounts_most_recent_first() {
    let h = with(&[("1", "A", 1), ("2", "A", 2), ("1", "B", 3), ("3", "A", 4)]);
    assert_eq!(h.recent(8), vec!["3", "1", "2"]);
    assert_eq!(h.recent(2), vec!["3", "1"]);
    assert_eq!(h.last_role("1"), Some("B"));
    assert_eq!(h.last().map(|e| e.account_id.as_str()), Some("3"));
}

#[test]
fn frecency_weighs_frequency_and_recency() {
    let now = 100 * DAY;
    let h = with(&[
        ("often", "A", now - 20 * DAY),
        ("often", "A", now - 20 * DAY),
        ("often", "A", now - 20 * DAY),
        ("often", "A", now - 20 * DAY),
        ("often", "A", now - 20 * DAY),
        ("once-old", "A", now - 20 * DAY),
        ("yesterday", "A", now - DAY),
    ]);
    let f = h.frecency(now);
    assert!(f["often"] > f["once-old"]);
    assert!(f["yesterday"] > f["once-old"]);
}

#[test]
fn old_format_still_gives_the_last_role_until_the_account_is_entered_again() {
    let h: History = serde_json::from_str(r#"{"last_role":{"1":"Admin"}}"#).unwrap();
    assert_eq!(h.last_role("1"), Some("Admin"));
    let mut h = h;
    h.remember("1", "ReadOnly", EntryKind::Exec, 5);
    assert_eq!(h.last_role("1"), Some("ReadOnly"));
    assert!(!serde_json::to_string(&h).unwrap().contains("last_role"));
}

#[test]
fn unattended_entries_are_neither_last_nor_recent_nor_frecent() {
    let mut h = with(&[("shell-acct", "A", 1)]);
    for at in 2..50 {
        h.remember("billing", "ReadOnly", EntryKind::CredentialProcess, at);
    }
    // `-` means the account a person entered last, not a background credential_process.
    assert_eq!(
        h.last_interactive().map(|e| e.account_id.as_str()),
        Some("shell-acct")
    );
    assert_eq!(h.recent(8), vec!["shell-acct"]);
    assert!(!h.frecency(50).contains_key("billing"));
    // Repeated background entries keep one line per account and role, the newest.
    let billing: Vec<_> = h
        .entries
        .iter()
        .filter(|e| e.account_id == "billing")
        .collect();
    assert_eq!(billing.len(), 1);
    assert_eq!(billing[0].at, 49);
    assert_eq!(h.last_role("billing"), Some("ReadOnly"));
}

#[test]
fn a_kind_from_a_newer_orgnav_is_kept_as_other() {
    let h: History = serde_json::from_str(
        r#"{"entries":[{"account_id":"1","role":"A","kind":"ssm","at":5}],"favourites":["1"]}"#,
    )
    .unwrap();
    assert_eq!(h.entries[0].kind, EntryKind::Other);
    assert!(h.is_favourite("1"));
}

#[test]
fn a_history_that_cannot_be_read_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("history.json");
    let garbled = b"{\"favourites\":[\"123456789012\"], oops";
    std::fs::write(&p, garbled).unwrap();
    let changed = History::change_at(&p, |h| h.remember("1", "A", EntryKind::Shell, 1));
    assert!(changed.is_err());
    assert_eq!(std::fs::read(&p).unwrap(), garbled);
    // A missing file is simply a new history.
    let fresh = dir.path().join("new.json");
    History::change_at(&fresh, |h| h.remember("1", "A", EntryKind::Shell, 1)).unwrap();
    assert_eq!(History::load_from(&fresh).entries.len(), 1);
}

#[test]
fn the_file_is_capped() {
    let mut h = History::default();
    for i in 0..(MAX_ENTRIES as i64 + 10) {
        h.remember("1", "A", EntryKind::Env, i);
    }
    assert_eq!(h.entries.len(), MAX_ENTRIES);
    assert_eq!(h.entries[0].at, 10);
}

#[test]
fn favourites_toggle() {
    let mut h = History::default();
    assert!(h.toggle_favourite("1"));
    assert!(h.is_favourite("1"));
    assert!(!h.toggle_favourite("1"));
    assert!(!h.is_favourite("1"));
}

#[test]
fn favourites_in_tree_order_and_recents_skip_accounts_gone() {
    use crate::model::hierarchy::tests::sample_org;
    let h = Hierarchy::new(sample_org());
    let mut hist = with(&[
        ("111111111111", "A", 1),
        ("gone", "A", 2),
        ("333333333333", "A", 3),
    ]);
    for id in ["333333333333", "000000000001", "gone"] {
        hist.toggle_favourite(id);
    }
    let names = |v: Vec<usize>| -> Vec<String> {
        v.into_iter().map(|i| h.account(i).name.clone()).collect()
    };
    assert_eq!(
        names(hist.favourites_in(&h)),
        ["management", "payments-dev"]
    );
    assert_eq!(
        names(hist.recent_in(&h, 8)),
        ["payments-dev", "payments-prod"]
    );
    assert_eq!(names(hist.recent_in(&h, 1)), ["payments-dev"]);
}
