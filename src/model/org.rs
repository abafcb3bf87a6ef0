//! The organization as plain data: no AWS or UI types, so the cache, the demo asset, the
//! search index and the tree all share one shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Bumped whenever the on-disk shape changes; older caches are discarded and recrawled.
pub const SNAPSHOT_VERSION: u32 = 1;

pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountStatus {
    Active,
    Suspended,
    PendingActivation,
    PendingClosure,
    Closed,
    #[serde(other)]
    Unknown,
}

impl AccountStatus {
    /// Accepts both the newer `State` values and the legacy `Status` values.
    pub fn parse(s: &str) -> Self {
        match s {
            "ACTIVE" => Self::Active,
            "SUSPENDED" => Self::Suspended,
            "PENDING_ACTIVATION" => Self::PendingActivation,
            "PENDING_CLOSURE" => Self::PendingClosure,
            "CLOSED" => Self::Closed,
            _ => Self::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Suspended => "SUSPENDED",
            Self::PendingActivation => "PENDING_ACTIVATION",
            Self::PendingClosure => "PENDING_CLOSURE",
            Self::Closed => "CLOSED",
            Self::Unknown => "UNKNOWN",
        }
    }

    /// Accounts that can no longer be used are dimmed in the tree.
    pub fn is_inactive(self) -> bool {
        matches!(self, Self::Suspended | Self::PendingClosure | Self::Closed)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub email: String,
    pub status: AccountStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<jiff::Timestamp>,
    pub parent_id: String,
    #[serde(default)]
    pub tags: Tags,
}

/// An organizational unit, or the root (which has no parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ou {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub tags: Tags,
    /// Set when listing this OU's children failed (e.g. AccessDenied): the subtree is partial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Org {
    pub id: String,
    #[serde(default)]
    pub management_account_id: Option<String>,
    pub root_id: String,
    /// The root first, then every OU (order otherwise irrelevant).
    pub ous: Vec<Ou>,
    pub accounts: Vec<Account>,
    /// False while tags are still being fetched (the tree is usable without them).
    #[serde(default)]
    pub tags_loaded: bool,
    /// IAM Identity Center role names per account ID (empty without a sign-in).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub sso_roles: std::collections::BTreeMap<String, Vec<String>>,
    /// When each account's and OU's tags were last read (Unix seconds), by ID. An ID missing
    /// here has tags to read on the next refresh: new, moved, or its last read failed.
    #[serde(default)]
    pub tags_read: BTreeMap<String, i64>,
}

/// What the cache stores and what `assets/demo-org.json` contains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub fetched_at: jiff::Timestamp,
    pub org: Org,
}

impl Snapshot {
    pub fn new(org: Org, fetched_at: jiff::Timestamp) -> Self {
        Self {
            version: SNAPSHOT_VERSION,
            fetched_at,
            org,
        }
    }
}

impl Account {
    /// Why the account cannot be entered (SUSPENDED, CLOSED, PENDING_CLOSURE), if it cannot:
    /// the same words in the TUI and the CLI.
    pub fn entry_refusal(&self) -> Option<String> {
        self.status.is_inactive().then(|| {
            format!(
                "{} ({}) is {}: it cannot be entered",
                self.name,
                self.id,
                self.status.as_str()
            )
        })
    }
}

/// Is `id` a 12-digit AWS account ID?
pub fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_state_and_legacy_values() {
        assert_eq!(AccountStatus::parse("ACTIVE"), AccountStatus::Active);
        assert_eq!(
            AccountStatus::parse("PENDING_CLOSURE"),
            AccountStatus::PendingClosure
        );
        assert_eq!(AccountStatus::parse("whatever"), AccountStatus::Unknown);
        assert!(AccountStatus::Suspended.is_inactive());
        assert!(!AccountStatus::Active.is_inactive());
    }

    #[test]
    fn unknown_status_in_json_does_not_fail() {
        let s: AccountStatus = serde_json::from_str("\"SOMETHING_NEW\"").unwrap();
        assert_eq!(s, AccountStatus::Unknown);
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
    }
}
