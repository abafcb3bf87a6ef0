//! Where the user has been: every entry into an account (account ID, role, how, when) and the
//! accounts marked as favourites. It ranks recents and search ties (frecency) and offers the last
//! role first. Stored in the XDG state dir (0600, atomic); it holds IDs, role names and
//! timestamps only, never credentials or account names (names change; IDs do not).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::model::Hierarchy;
use crate::search::SearchIndex;

/// Enough for months of daily use while staying a small file read at every start.
const MAX_ENTRIES: usize = 1000;
/// An entry's weight halves every week: yesterday's account beats last month's favourite habit
/// only when the habit has faded.
const HALF_LIFE_SECS: f64 = 7.0 * 24.0 * 3600.0;

/// How an account was entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Shell,
    Exec,
    Env,
    Console,
    CredentialProcess,
    /// A kind written by a newer orgnav: kept, so its file is never lost to an older one.
    #[serde(other)]
    Other,
}

impl EntryKind {
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Shell => "shell",
            EntryKind::Exec => "exec",
            EntryKind::Env => "env",
            EntryKind::Console => "console",
            EntryKind::CredentialProcess => "credential-process",
            EntryKind::Other => "other",
        }
    }

    /// A person chose the account: `credential_process` runs unattended, on every AWS CLI
    /// call of a profile, so it must not decide what `-`, Recent or frecency mean.
    pub fn is_interactive(self) -> bool {
        !matches!(self, EntryKind::CredentialProcess)
    }
}

/// One entry into an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub account_id: String,
    pub role: String,
    pub kind: EntryKind,
    /// Seconds since the Unix epoch.
    pub at: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct History {
    /// Oldest first, at most `MAX_ENTRIES`.
    #[serde(default)]
    pub entries: Vec<Entry>,
    /// Account IDs.
    #[serde(default)]
    pub favourites: BTreeSet<String>,
    /// account id → role name: the format before entries were kept; still read so an upgrade
    /// keeps offering the last role, and dropped once that account has an entry.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    last_role: BTreeMap<String, String>,
}

/// The history file of real accounts.
pub fn path() -> Option<PathBuf> {
    file("history.json")
}

/// The demo organization's own history: entries into fake accounts must never mix with the
/// accounts a person really uses.
pub fn demo_path() -> Option<PathBuf> {
    file("history-demo.json")
}

fn file(name: &str) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "orgnav")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .join(name),
    )
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl History {
    /// A missing or unreadable history is simply empty.
    pub fn load() -> Self {
        path().map(|p| Self::load_from(&p)).unwrap_or_default()
    }

    pub fn load_from(p: &std::path::Path) -> Self {
        Self::read_from(p).unwrap_or_else(|e| {
            tracing::warn!(error = %e, path = %p.display(), "cannot read the history");
            Self::default()
        })
    }

    /// A missing file is an empty history; one that cannot be read or parsed is an error, so
    /// that nothing writes over it (its favourites would be lost).
    fn read_from(p: &std::path::Path) -> std::io::Result<Self> {
        match std::fs::read(p) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(e),
        }
    }

    pub fn store_to(&self, p: &std::path::Path) {
        if let Err(e) = self.write_to(p) {
            tracing::warn!(error = %e, "cannot write history");
        }
    }

    fn write_to(&self, p: &std::path::Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        crate::fsutil::write_private_atomic(p, &bytes)
    }

    /// The history of the demo organization or of real accounts.
    pub fn load_for(demo: bool) -> Self {
        Self::file_for(demo)
            .map(|p| Self::load_from(&p))
            .unwrap_or_default()
    }

    fn file_for(demo: bool) -> Option<PathBuf> {
        if demo { demo_path() } else { path() }
    }

    /// Reads the file, applies `change` and writes it back, one change at a time in this
    /// process: the TUI's writes run off its event loop and must not undo each other. Reading
    /// first keeps what another orgnav (a CLI in another terminal) wrote meanwhile.
    fn change_file(demo: bool, change: impl FnOnce(&mut Self)) -> std::io::Result<()> {
        let p = Self::file_for(demo)
            .ok_or_else(|| std::io::Error::other("no home directory for orgnav's state"))?;
        Self::change_at(&p, change)
    }

    fn change_at(p: &std::path::Path, change: impl FnOnce(&mut Self)) -> std::io::Result<()> {
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        // A writer that panicked leaves nothing half-done (files are replaced whole).
        let _turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let written = Self::read_from(p).and_then(|mut h| {
            change(&mut h);
            h.write_to(p)
        });
        written.inspect_err(|e| {
            tracing::warn!(error = %e, path = %p.display(), "cannot update the history");
        })
    }

    /// A history that cannot be written never stops an entry: it is logged and forgotten.
    pub fn record_for(demo: bool, account_id: &str, role: &str, kind: EntryKind) {
        let _ = Self::change_file(demo, |h| h.remember(account_id, role, kind, now()));
    }

    /// Marks (or unmarks) a favourite in the file: a set, not a toggle, so a change made
    /// from the file's older copy cannot flip it the wrong way.
    pub fn store_favourite(demo: bool, account_id: &str, favourite: bool) -> std::io::Result<()> {
        Self::change_file(demo, |h| h.set_favourite(account_id, favourite))
    }

    pub fn remember(&mut self, account_id: &str, role: &str, kind: EntryKind, at: i64) {
        self.last_role.remove(account_id);
        if !kind.is_interactive() {
            // One line per account and role: an AWS CLI calling credential_process all day
            // must not push a person's entries out of the file.
            self.entries.retain(|e| {
                e.kind.is_interactive() || e.account_id != account_id || e.role != role
            });
        }
        self.entries.push(Entry {
            account_id: account_id.to_string(),
            role: role.to_string(),
            kind,
            at,
        });
        let excess = self.entries.len().saturating_sub(MAX_ENTRIES);
        self.entries.drain(..excess);
    }

    /// The most recent entry of all.
    pub fn last(&self) -> Option<&Entry> {
        self.entries.last()
    }

    /// The most recent entry a person made (not a background `credential_process`): what `-`
    /// stands for.
    pub fn last_interactive(&self) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.kind.is_interactive())
    }

    fn interactive(&self) -> impl DoubleEndedIterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind.is_interactive())
    }

    /// The role last used in the account.
    pub fn last_role(&self, account_id: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.account_id == account_id)
            .map(|e| e.role.as_str())
            .or_else(|| self.last_role.get(account_id).map(String::as_str))
    }

    /// account id → last role, for every account entered.
    pub fn last_roles(&self) -> BTreeMap<String, String> {
        let mut roles = self.last_role.clone();
        for e in &self.entries {
            roles.insert(e.account_id.clone(), e.role.clone());
        }
        roles
    }

    /// Distinct account IDs, most recently entered first, at most `n`.
    pub fn recent(&self, n: usize) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        self.interactive()
            .rev()
            .map(|e| e.account_id.as_str())
            .filter(|id| seen.insert(*id))
            .take(n)
            .collect()
    }

    /// The account's entries, most recent first, at most `n`.
    pub fn entries_for(&self, account_id: &str, n: usize) -> Vec<&Entry> {
        self.entries
            .iter()
            .rev()
            .filter(|e| e.account_id == account_id)
            .take(n)
            .collect()
    }

    /// Recent and frequent: each entry adds a weight that halves every week, so ten visits last
    /// month and one yesterday both count.
    pub fn frecency(&self, now: i64) -> HashMap<&str, f64> {
        let mut scores: HashMap<&str, f64> = HashMap::new();
        for e in self.interactive() {
            let age = (now - e.at).max(0) as f64;
            *scores.entry(e.account_id.as_str()).or_default() += (-age / HALF_LIFE_SECS).exp2();
        }
        scores
    }

    /// The favourites among `h`'s accounts (indices), in tree order.
    pub fn favourites_in(&self, h: &Hierarchy) -> Vec<usize> {
        h.accounts_under(h.root())
            .into_iter()
            .filter(|&i| self.is_favourite(&h.account(i).id))
            .collect()
    }

    /// The last `n` accounts entered that `h` still has (indices), most recent first.
    pub fn recent_in(&self, h: &Hierarchy, n: usize) -> Vec<usize> {
        self.recent(usize::MAX)
            .into_iter()
            .filter_map(|id| h.account_index(id))
            .take(n)
            .collect()
    }

    /// Ranks `index` (built from `h`) by this history: frecency breaks ties, and `lead`
    /// (account indices, e.g. favourites then recents) comes first for an empty query.
    pub fn rank_search(&self, h: &Hierarchy, index: &mut SearchIndex, lead: &[usize]) {
        let scores = self.frecency(now());
        index.set_history(
            |i| scores.get(h.account(i).id.as_str()).copied().unwrap_or(0.0),
            lead,
        );
    }

    pub fn is_favourite(&self, account_id: &str) -> bool {
        self.favourites.contains(account_id)
    }

    pub fn set_favourite(&mut self, account_id: &str, favourite: bool) {
        if favourite {
            self.favourites.insert(account_id.to_string());
        } else {
            self.favourites.remove(account_id);
        }
    }

    /// Marks or unmarks the account; returns whether it is now a favourite.
    pub fn toggle_favourite(&mut self, account_id: &str) -> bool {
        if self.favourites.remove(account_id) {
            false
        } else {
            self.favourites.insert(account_id.to_string());
            true
        }
    }
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
