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
//! With `cache = "keyring"` the same entries go to the platform's secret store instead
//! (`keyring_store`), and to the files when that store does not answer.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use super::keyring_store::{Indexed, KeyringStore};
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
    /// The entry's name: a SHA-1 of the three parts (as the AWS CLI names its entries).
    fn name(&self) -> String {
        let mut h = Sha1::new();
        for part in [&self.account_id, &self.role_arn, &self.base_identity] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        hex::encode(h.finalize())
    }

    fn file_name(&self) -> String {
        format!("{}.json", self.name())
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

/// The file cache in one directory, or the keyring when one is used.
#[derive(Debug, Clone)]
pub struct CredentialCache {
    dir: PathBuf,
    keyring: Option<KeyringStore>,
    /// Why `keyring` was asked for but the files are used.
    keyring_unavailable: Option<String>,
}

impl CredentialCache {
    /// The cache for `mode` under orgnav's cache dir; None when off (or no home directory).
    /// `keyring` uses the files when the platform's store does not answer (see
    /// [`Self::keyring_unavailable`]).
    pub fn for_mode(mode: CredentialCacheMode) -> Option<Self> {
        match mode {
            CredentialCacheMode::Off => None,
            CredentialCacheMode::File => Self::default_dir(),
            CredentialCacheMode::Keyring => Self::default_dir().map(Self::with_keyring),
        }
    }

    /// What `logout` clears: the files, and the keyring's entries when it answers (whatever
    /// the setting now, since it may have been `keyring` before).
    pub fn for_logout() -> Option<Self> {
        Self::default_dir().map(Self::with_keyring)
    }

    /// The platform's keyring for this cache directory, if it answers.
    fn with_keyring(self) -> Self {
        let service = format!("orgnav credentials {}", self.dir.display());
        let lock = self.dir.join("keyring.lock");
        self.using_keyring(KeyringStore::open(&service).map(|k| k.locked_by(lock)))
    }

    /// `store` (or why there is none) in place of the files.
    pub fn using_keyring(mut self, store: Result<KeyringStore, String>) -> Self {
        match store {
            Ok(store) => self.keyring = Some(store),
            Err(why) => {
                tracing::info!(%why, "no keyring; credentials are cached in files");
                self.keyring_unavailable = Some(why);
            }
        }
        self
    }

    /// Why the keyring asked for is not used (the files are), if so.
    pub fn keyring_unavailable(&self) -> Option<&str> {
        self.keyring_unavailable.as_deref()
    }

    /// `<cache dir>/orgnav/credentials` (`$XDG_CACHE_HOME/orgnav/credentials` on Linux).
    pub fn default_dir() -> Option<Self> {
        crate::source::cache_dir().map(|d| Self::in_dir(d.join("credentials")))
    }

    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            keyring: None,
            keyring_unavailable: None,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `key` if it is still good for five minutes. A stale, unreadable or
    /// foreign entry is ignored (and a stale one removed): the caller assumes again.
    pub fn load(&self, key: &CacheKey, now: jiff::Timestamp) -> Option<Credentials> {
        let path = self.dir.join(key.file_name());
        let entry = match &self.keyring {
            Some(keyring) => match keyring.get(&key.name()) {
                Ok(text) => parse_entry(&text?)?,
                Err(why) => {
                    tracing::warn!(%why, "cannot read the keyring");
                    return None;
                }
            },
            None => read_entry(&path)?,
        };
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
            match &self.keyring {
                Some(keyring) => drop(keyring.forget(&key.name())),
                None => drop(std::fs::remove_file(&path)),
            }
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
        if let Some(keyring) = &self.keyring {
            let name = key.name();
            let listed = Indexed {
                name: name.clone(),
                account_id: key.account_id.clone(),
                role_arn: key.role_arn.clone(),
            };
            return keyring
                .put(&name, &text, listed)
                .map_err(std::io::Error::other);
        }
        crate::fsutil::ensure_private_dir(&self.dir)?;
        crate::fsutil::write_private_atomic(
            &self.dir.join(key.file_name()),
            text.expose_secret().as_bytes(),
        )
    }

    /// Removes every entry, or those of `account_id`, from the files and the keyring; lists
    /// what went. Files that are not orgnav entries are left alone.
    pub fn remove(&self, account_id: Option<&str>) -> std::io::Result<Vec<Removed>> {
        let mut removed = self.remove_files(account_id)?;
        if let Some(keyring) = &self.keyring {
            let gone = keyring.remove(account_id).map_err(std::io::Error::other)?;
            removed.extend(gone.into_iter().map(|i| Removed {
                account_id: i.account_id,
                role_arn: i.role_arn,
            }));
        }
        removed.sort_by(|a, b| (&a.account_id, &a.role_arn).cmp(&(&b.account_id, &b.role_arn)));
        Ok(removed)
    }

    fn remove_files(&self, account_id: Option<&str>) -> std::io::Result<Vec<Removed>> {
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
        Ok(removed)
    }
}

/// A regular file (never a symlink's target) parsed as an entry.
fn read_entry(path: &Path) -> Option<EntryIn> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    parse_entry(&SecretString::from(std::fs::read_to_string(path).ok()?))
}

fn parse_entry(text: &SecretString) -> Option<EntryIn> {
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

    #[test]
    fn with_a_keyring_entries_go_there_and_stale_ones_are_deleted_from_it() {
        use crate::access::keyring_store::tests::MemorySlots;
        let tmp = tempfile::tempdir().unwrap();
        let slots = std::sync::Arc::new(MemorySlots::default());
        let store = KeyringStore::with_slots(slots.clone());
        let cache = CredentialCache::in_dir(tmp.path()).using_keyring(store);
        let alice = key("111111111111", "alice");
        cache.store(&alice, &creds(3600)).unwrap();
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "no file");
        let now = jiff::Timestamp::now();
        assert!(cache.load(&alice, now).is_some());
        let later = jiff::Timestamp::from_second(now.as_second() + 3600).unwrap();
        assert!(cache.load(&alice, later).is_none());
        assert!(slots.map.lock().unwrap().is_empty(), "entry and index gone");
    }
}
