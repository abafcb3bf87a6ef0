//! `[credentials] cache = "keyring"`: the entries of the credential cache (`cred_cache`) kept in
//! the platform's secret store instead of files — the kernel's keyutils on Linux (the user's
//! persistent keyring: in memory only, gone at reboot), the login Keychain on macOS, the
//! Credential Manager on Windows — through the `keyring` crate.
//!
//! Keyrings cannot be listed portably, so an index entry (names, account IDs and role ARNs; no
//! secret) in the same store tells `logout` what to delete. Every entry lives under one
//! service name per cache directory, so two orgnav setups never see each other's sessions.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Named secrets in some store. Err: one line saying why the store did not answer.
pub trait SecretSlots: Send + Sync {
    fn get(&self, name: &str) -> Result<Option<SecretString>, String>;
    fn set(&self, name: &str, secret: &SecretString) -> Result<(), String>;
    /// Deleting what is not there is no error.
    fn delete(&self, name: &str) -> Result<(), String>;
}

/// The platform's store: entry `name` of `service`.
struct Platform {
    service: String,
}

#[cfg(any(target_os = "linux", target_os = "macos", windows))]
impl Platform {
    fn entry(&self, name: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(&self.service, name).map_err(|e| e.to_string())
    }
}

#[cfg(any(target_os = "linux", target_os = "macos", windows))]
impl SecretSlots for Platform {
    fn get(&self, name: &str) -> Result<Option<SecretString>, String> {
        match self.entry(name)?.get_password() {
            Ok(secret) => Ok(Some(SecretString::from(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    fn set(&self, name: &str, secret: &SecretString) -> Result<(), String> {
        self.entry(name)?
            .set_password(secret.expose_secret())
            .map_err(|e| e.to_string())
    }

    fn delete(&self, name: &str) -> Result<(), String> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
impl SecretSlots for Platform {
    fn get(&self, _: &str) -> Result<Option<SecretString>, String> {
        Err("this build has no keyring for this platform".into())
    }
    fn set(&self, _: &str, _: &SecretString) -> Result<(), String> {
        Err("this build has no keyring for this platform".into())
    }
    fn delete(&self, _: &str) -> Result<(), String> {
        Ok(())
    }
}

/// One entry as the index lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indexed {
    pub name: String,
    pub account_id: String,
    pub role_arn: String,
}

const INDEX: &str = "index";

/// The cache's entries in a secret store.
#[derive(Clone)]
pub struct KeyringStore {
    slots: Arc<dyn SecretSlots>,
    /// A file whose lock serialises index changes across processes (`credential_process`
    /// runs start in parallel); None only in tests of one writer.
    lock: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyringStore")
    }
}

impl KeyringStore {
    /// The platform's store for `service`, if it answers (reading the index is the probe);
    /// Err: why not, in one line.
    pub fn open(service: &str) -> Result<Self, String> {
        Self::with_slots(Arc::new(Platform {
            service: service.to_string(),
        }))
    }

    /// The store `slots`, if it answers.
    pub fn with_slots(slots: Arc<dyn SecretSlots>) -> Result<Self, String> {
        let store = Self { slots, lock: None };
        store.index()?;
        Ok(store)
    }

    /// Index changes hold an exclusive lock on `file` (created 0600 when missing).
    pub fn locked_by(mut self, file: std::path::PathBuf) -> Self {
        self.lock = Some(file);
        self
    }

    /// Runs `change` under the lock, when there is one.
    fn locked<T>(&self, change: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
        let _held = match &self.lock {
            Some(path) => Some(lock_file(path)?),
            None => None,
        };
        change()
    }

    pub fn get(&self, name: &str) -> Result<Option<SecretString>, String> {
        self.slots.get(name)
    }

    /// Stores `secret` as `name`, listed in the index under its account and role.
    /// Listed first, then stored, both under the lock: a secret the store takes is always one
    /// `logout` can find (a `logout` in between would drop the line of a secret not yet there).
    pub fn put(&self, name: &str, secret: &SecretString, listed: Indexed) -> Result<(), String> {
        self.locked(|| {
            let mut index = self.index()?;
            if !index.contains(&listed) {
                index.retain(|i| i.name != name);
                index.push(listed);
                self.write_index(&index)?;
            }
            self.slots.set(name, secret)
        })
    }

    /// Deletes `name` and its line in the index.
    pub fn forget(&self, name: &str) -> Result<(), String> {
        self.locked(|| {
            self.slots.delete(name)?;
            let mut index = self.index()?;
            index.retain(|i| i.name != name);
            self.write_index(&index)
        })
    }

    /// Deletes every entry, or those of `account_id`; lists what went.
    pub fn remove(&self, account_id: Option<&str>) -> Result<Vec<Indexed>, String> {
        self.locked(|| {
            let (gone, kept): (Vec<Indexed>, Vec<Indexed>) = self
                .index()?
                .into_iter()
                .partition(|i| account_id.is_none_or(|id| id == i.account_id));
            for entry in &gone {
                self.slots.delete(&entry.name)?;
            }
            self.write_index(&kept)?;
            Ok(gone)
        })
    }

    /// What the index lists (nothing when there is none yet). An index that cannot be read is
    /// an error, never taken as empty: writing over it would hide every entry from `logout`.
    fn index(&self) -> Result<Vec<Indexed>, String> {
        match self.slots.get(INDEX)? {
            None => Ok(Vec::new()),
            Some(text) => serde_json::from_str(text.expose_secret()).map_err(|_| {
                "the keyring's index of orgnav entries cannot be read (left as it is; \
                 delete the entry `index` with your keyring's tool to start afresh)"
                    .to_string()
            }),
        }
    }

    fn write_index(&self, index: &[Indexed]) -> Result<(), String> {
        if index.is_empty() {
            return self.slots.delete(INDEX);
        }
        let text = serde_json::to_string(index).map_err(|e| e.to_string())?;
        self.slots.set(INDEX, &SecretString::from(text))
    }
}

/// An exclusive lock on `path` (0600), held until the file is dropped.
fn lock_file(path: &std::path::Path) -> Result<std::fs::File, String> {
    if let Some(dir) = path.parent() {
        crate::fsutil::ensure_private_dir(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    file.lock()
        .map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
    Ok(file)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// A store in memory; `broken`: every call fails, as a keyring that does not answer.
    #[derive(Default)]
    pub(crate) struct MemorySlots {
        pub map: Mutex<HashMap<String, String>>,
        pub broken: bool,
        /// Every secret but the index is refused (a full keyring).
        pub refuse_secrets: bool,
        pub slow_index: bool,
        /// Runs once, as a secret (not the index) is about to be stored.
        pub before_secret: Mutex<Option<Box<dyn FnOnce() + Send>>>,
    }

    impl SecretSlots for MemorySlots {
        fn get(&self, name: &str) -> Result<Option<SecretString>, String> {
            if self.broken {
                return Err("no keyring".into());
            }
            Ok(self
                .map
                .lock()
                .unwrap()
                .get(name)
                .cloned()
                .map(SecretString::from))
        }
        fn set(&self, name: &str, secret: &SecretString) -> Result<(), String> {
            if self.refuse_secrets && name != INDEX {
                return Err("Disk quota exceeded".into());
            }
            if name != INDEX
                && let Some(hook) = self.before_secret.lock().unwrap().take()
            {
                hook();
            }
            if self.slow_index && name == INDEX {
                // Widens the read–change–write window of the index, as a real keyring's IPC.
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            let mut map = self.map.lock().unwrap();
            map.insert(name.into(), secret.expose_secret().to_string());
            Ok(())
        }
        fn delete(&self, name: &str) -> Result<(), String> {
            self.map.lock().unwrap().remove(name);
            Ok(())
        }
    }

    fn listed(name: &str, account: &str) -> Indexed {
        Indexed {
            name: name.into(),
            account_id: account.into(),
            role_arn: format!("arn:aws:iam::{account}:role/Admin"),
        }
    }

    #[test]
    fn a_store_that_does_not_answer_is_not_opened() {
        let broken = MemorySlots {
            broken: true,
            ..Default::default()
        };
        assert_eq!(
            KeyringStore::with_slots(Arc::new(broken)).err().as_deref(),
            Some("no keyring")
        );
    }

    #[test]
    fn the_index_lets_remove_find_one_account_or_all_and_goes_with_the_last_entry() {
        let slots = Arc::new(MemorySlots::default());
        let store = KeyringStore::with_slots(slots.clone()).unwrap();
        let secret = SecretString::from("s3cret".to_string());
        store
            .put("a", &secret, listed("a", "111111111111"))
            .unwrap();
        store
            .put("b", &secret, listed("b", "222222222222"))
            .unwrap();
        store
            .put("b", &secret, listed("b", "222222222222"))
            .unwrap();
        assert_eq!(store.get("a").unwrap().unwrap().expose_secret(), "s3cret");
        let gone = store.remove(Some("222222222222")).unwrap();
        assert_eq!(gone, [listed("b", "222222222222")], "listed once");
        assert!(store.get("b").unwrap().is_none());
        store.forget("a").unwrap();
        assert!(slots.map.lock().unwrap().is_empty(), "no index left behind");
        assert!(store.remove(None).unwrap().is_empty());
    }

    #[test]
    fn an_unreadable_index_is_never_written_over() {
        let slots = Arc::new(MemorySlots::default());
        let store = KeyringStore::with_slots(slots.clone()).unwrap();
        slots
            .map
            .lock()
            .unwrap()
            .insert(INDEX.into(), "{not json".into());
        let secret = SecretString::from("s3cret".to_string());
        assert!(
            store
                .put("a", &secret, listed("a", "111111111111"))
                .is_err()
        );
        assert_eq!(slots.map.lock().unwrap()[INDEX], "{not json");
        assert!(store.get("a").unwrap().is_none(), "not stored unlisted");
    }

    #[test]
    fn a_secret_is_listed_before_it_is_stored_so_logout_finds_it() {
        let slots = Arc::new(MemorySlots {
            refuse_secrets: true,
            ..Default::default()
        });
        let store = KeyringStore::with_slots(slots.clone()).unwrap();
        let secret = SecretString::from("s3cret".to_string());
        assert!(
            store
                .put("a", &secret, listed("a", "111111111111"))
                .is_err()
        );
        assert_eq!(store.remove(None).unwrap(), [listed("a", "111111111111")]);
    }

    #[test]
    fn writers_at_the_same_time_lose_no_index_line() {
        let dir = tempfile::tempdir().unwrap();
        let slots = Arc::new(MemorySlots {
            slow_index: true,
            ..Default::default()
        });
        let writers: Vec<_> = (0..6)
            .map(|w| {
                let store = KeyringStore::with_slots(slots.clone())
                    .unwrap()
                    .locked_by(dir.path().join("keyring.lock"));
                std::thread::spawn(move || {
                    let secret = SecretString::from("s3cret".to_string());
                    for n in 0..5 {
                        let name = format!("{w}-{n}");
                        store
                            .put(&name, &secret, listed(&name, "111111111111"))
                            .unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let store = KeyringStore::with_slots(slots).unwrap();
        assert_eq!(store.remove(None).unwrap().len(), 30);
    }

    #[test]
    fn a_logout_while_a_secret_is_stored_leaves_none_unlisted() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("keyring.lock");
        let slots = Arc::new(MemorySlots::default());
        let logout = KeyringStore::with_slots(slots.clone())
            .unwrap()
            .locked_by(lock.clone());
        let running: Arc<Mutex<Option<std::thread::JoinHandle<()>>>> = Arc::default();
        let handle = running.clone();
        *slots.before_secret.lock().unwrap() = Some(Box::new(move || {
            // `logout` between listing and storing; given time to finish unless it must wait.
            let (done_tx, done_rx) = std::sync::mpsc::channel();
            *handle.lock().unwrap() = Some(std::thread::spawn(move || {
                logout.remove(None).unwrap();
                let _ = done_tx.send(());
            }));
            let _ = done_rx.recv_timeout(std::time::Duration::from_millis(300));
        }));
        let store = KeyringStore::with_slots(slots.clone())
            .unwrap()
            .locked_by(lock);
        let secret = SecretString::from("s3cret".to_string());
        store
            .put("a", &secret, listed("a", "111111111111"))
            .unwrap();
        running.lock().unwrap().take().unwrap().join().unwrap();
        let stored: Vec<String> = (slots.map.lock().unwrap().keys())
            .filter(|k| *k != INDEX)
            .cloned()
            .collect();
        let listed_now: Vec<String> = (store.index().unwrap().into_iter())
            .map(|i| i.name)
            .collect();
        assert!(
            stored.iter().all(|n| listed_now.contains(n)),
            "stored {stored:?}, listed {listed_now:?}: a secret logout cannot find"
        );
    }
}
