//! Assumed-role credentials kept between orgnav processes, so that every `credential_process`
//! call of the AWS CLI (or a second `exec`) does not run a fresh `AssumeRole`.
//!
//! The AWS CLI's own convention (`~/.aws/cli/cache`): one JSON file per entry, 0600, in a 0700
//! directory (`<cache dir>/orgnav/credentials/<sha1 of the key>.json`), written atomically.
//! An entry is keyed by (account ID, role ARN, base identity): the base identity is the
//! caller ARN of the base credentials as STS reports it plus the endpoint, so another user
//! (or other keys) behind the same profile name never gets someone else's session. Entries
//! are reused until five minutes before they expire ([`Credentials::is_fresh`]). The secret
//! parts live only in the file and in `secrecy` types in memory; nothing here logs them.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::aws::credentials::Credentials;
use crate::config::CredentialCacheMode;

/// What an entry is for. `base_identity`: the caller ARN of the base credentials, and the
/// endpoint when one is set (a test server's sessions are not AWS's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey {
    pub account_id: String,
    pub role_arn: String,
    pub base_identity: String,
}

impl CacheKey {
    /// The file name: a SHA-1 of the three parts (as the AWS CLI names its entries).
    fn file_name(&self) -> String {
        let mut h = Sha1::new();
        for part in [&self.account_id, &self.role_arn, &self.base_identity] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        format!("{}.json", hex::encode(h.finalize()))
    }
}

/// One entry as written: names in the clear (for `logout`), the secrets as the AWS CLI's
/// cache writes them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EntryOut<'a> {
    version: u32,
    account_id: &'a str,
    role_arn: &'a str,
    base_identity: &'a str,
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: &'a str,
    expiration: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EntryIn {
    version: u32,
    account_id: String,
    role_arn: String,
    base_identity: String,
    access_key_id: String,
    #[serde(deserialize_with = "secret")]
    secret_access_key: SecretString,
    #[serde(deserialize_with = "secret")]
    session_token: SecretString,
    expiration: jiff::Timestamp,
}

fn secret<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    String::deserialize(d).map(SecretString::from)
}

const VERSION: u32 = 1;

/// An entry `logout` removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub account_id: String,
    pub role_arn: String,
}

/// The file cache in one directory.
#[derive(Debug, Clone)]
pub struct CredentialCache {
    dir: PathBuf,
}

impl CredentialCache {
    /// The cache for `mode` under orgnav's cache dir; None when off (or no home directory).
    /// `keyring` is not built in: it uses the file cache (documented in the README).
    pub fn for_mode(mode: CredentialCacheMode) -> Option<Self> {
        match mode {
            CredentialCacheMode::Off => None,
            CredentialCacheMode::File | CredentialCacheMode::Keyring => Self::default_dir(),
        }
    }

    /// `<cache dir>/orgnav/credentials` (`$XDG_CACHE_HOME/orgnav/credentials` on Linux).
    pub fn default_dir() -> Option<Self> {
        crate::source::cache_dir().map(|d| Self::in_dir(d.join("credentials")))
    }

    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `key` if it is still good for five minutes. A stale, unreadable or
    /// foreign entry is ignored (and a stale one removed): the caller assumes again.
    pub fn load(&self, key: &CacheKey, now: jiff::Timestamp) -> Option<Credentials> {
        let path = self.dir.join(key.file_name());
        let entry = read_entry(&path)?;
        let matches = entry.version == VERSION
            && entry.account_id == key.account_id
            && entry.role_arn == key.role_arn
            && entry.base_identity == key.base_identity;
        if !matches {
            return None;
        }
        let credentials = Credentials {
            access_key_id: entry.access_key_id,
            secret_access_key: entry.secret_access_key,
            session_token: entry.session_token,
            expiration: entry.expiration,
        };
        if !credentials.is_fresh(now) {
            let _ = std::fs::remove_file(&path);
            return None;
        }
        Some(credentials)
    }

    /// Writes the entry for `key` (0600, atomically, in a 0700 directory).
    pub fn store(&self, key: &CacheKey, c: &Credentials) -> std::io::Result<()> {
        let entry = EntryOut {
            version: VERSION,
            account_id: &key.account_id,
            role_arn: &key.role_arn,
            base_identity: &key.base_identity,
            access_key_id: &c.access_key_id,
            secret_access_key: c.secret_access_key.expose_secret(),
            session_token: c.session_token.expose_secret(),
            expiration: c.expiration_rfc3339(),
        };
        let text =
            SecretString::from(serde_json::to_string(&entry).map_err(std::io::Error::other)?);
        crate::fsutil::ensure_private_dir(&self.dir)?;
        crate::fsutil::write_private_atomic(
            &self.dir.join(key.file_name()),
            text.expose_secret().as_bytes(),
        )
    }

    /// Removes every entry, or those of `account_id`; lists what went. Files that are not
    /// orgnav entries are left alone.
    pub fn remove(&self, account_id: Option<&str>) -> std::io::Result<Vec<Removed>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut removed = Vec::new();
        for path in entries.flatten().map(|e| e.path()) {
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let Some(entry) = read_entry(&path) else {
                continue;
            };
            if account_id.is_some_and(|id| id != entry.account_id) {
                continue;
            }
            std::fs::remove_file(&path)?;
            removed.push(Removed {
                account_id: entry.account_id,
                role_arn: entry.role_arn,
            });
        }
        removed.sort_by(|a, b| (&a.account_id, &a.role_arn).cmp(&(&b.account_id, &b.role_arn)));
        Ok(removed)
    }
}

/// A regular file (never a symlink's target) parsed as an entry.
fn read_entry(path: &Path) -> Option<EntryIn> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let text = SecretString::from(std::fs::read_to_string(path).ok()?);
    serde_json::from_str(text.expose_secret()).ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn key(account: &str, base: &str) -> CacheKey {
        CacheKey {
            account_id: account.into(),
            role_arn: format!("arn:aws:iam::{account}:role/Admin"),
            base_identity: base.into(),
        }
    }

    fn creds(expires_in: i64) -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: SecretString::from("secret-key-123".to_string()),
            session_token: SecretString::from("token-456".to_string()),
            expiration: jiff::Timestamp::from_second(
                jiff::Timestamp::now().as_second() + expires_in,
            )
            .unwrap(),
        }
    }

    #[test]
    fn an_entry_is_found_only_for_its_own_key_while_fresh() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = CredentialCache::in_dir(tmp.path().join("credentials"));
        let alice = key("111111111111", "arn:aws:iam::999999999999:user/alice");
        cache.store(&alice, &creds(3600)).unwrap();
        let now = jiff::Timestamp::now();
        let hit = cache.load(&alice, now).unwrap();
        assert_eq!(hit.secret_access_key.expose_secret(), "secret-key-123");
        assert!(
            !format!("{hit:?}").contains("secret-key-123"),
            "Debug is redacted"
        );
        let bob = key("111111111111", "arn:aws:iam::999999999999:user/bob");
        assert!(cache.load(&bob, now).is_none(), "another base identity");
        let later = jiff::Timestamp::from_second(now.as_second() + 3600 - 299).unwrap();
        assert!(
            cache.load(&alice, later).is_none(),
            "within five minutes of expiry"
        );
        assert!(
            cache.remove(None).unwrap().is_empty(),
            "the stale entry was removed"
        );
    }

    #[test]
    fn remove_takes_one_account_or_all_and_leaves_foreign_files() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = CredentialCache::in_dir(tmp.path());
        for account in ["111111111111", "222222222222"] {
            cache.store(&key(account, "me"), &creds(3600)).unwrap();
        }
        std::fs::write(tmp.path().join("notes.json"), "{}").unwrap();
        let gone = cache.remove(Some("222222222222")).unwrap();
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].account_id, "222222222222");
        assert_eq!(cache.remove(None).unwrap().len(), 1);
        assert!(tmp.path().join("notes.json").exists());
    }
}
