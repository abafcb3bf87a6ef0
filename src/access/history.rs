//! The last role used per account, so it can be offered first. Stored in the XDG state dir
//! (0600, atomic); it holds role names only, never credentials.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct History {
    /// account id → role name
    #[serde(default)]
    pub last_role: BTreeMap<String, String>,
}

/// The history file's name: `history-demo.json` once `use_demo_file` was called.
static FILE_NAME: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// Entries into the demo organization go to their own file, next to the real one: they must
/// never mix with the accounts a person really uses. Called once, at start-up, for `--demo`.
pub fn use_demo_file() {
    let _ = FILE_NAME.set("history-demo.json");
}

pub fn path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "orgnav")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .join(FILE_NAME.get().copied().unwrap_or("history.json")),
    )
}

impl History {
    /// A missing or unreadable history is simply empty.
    pub fn load() -> Self {
        path()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn remember(&mut self, account_id: &str, role: &str) {
        self.last_role
            .insert(account_id.to_string(), role.to_string());
    }

    pub fn store(&self) {
        let Some(p) = path() else { return };
        let Ok(bytes) = serde_json::to_vec(self) else {
            return;
        };
        if let Err(e) = crate::fsutil::write_private_atomic(&p, &bytes) {
            tracing::warn!(error = %e, "cannot write history");
        }
    }

    /// Loads, records one use and stores: what the CLI does after a successful assume.
    pub fn record(account_id: &str, role: &str) {
        let mut h = Self::load();
        h.remember(account_id, role);
        h.store();
    }
}
