//! Snapshot persistence: one versioned JSON file per profile in the XDG cache dir, with a
//! binary twin beside it that loads faster (`cache_bin`).
//! A corrupt or old-version cache is discarded with a warning, never an error.

use std::path::{Path, PathBuf};

use crate::fsutil;
use crate::model::Snapshot;
use crate::model::org::SNAPSHOT_VERSION;

#[derive(Debug)]
pub enum Loaded {
    Fresh(Snapshot),
    Missing,
    /// The file existed but could not be used; the message says why.
    Discarded(String),
}

#[derive(Debug, Clone)]
pub struct Cache {
    path: PathBuf,
}

impl Cache {
    /// `key` names the credentials source (profile); it is reduced to a safe file name.
    pub fn for_key(cache_dir: &Path, key: &str) -> Self {
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let safe = if safe.is_empty() || safe.starts_with('.') {
            format!("_{safe}")
        } else {
            safe
        };
        Self {
            path: cache_dir.join("orgs").join(format!("{safe}.json")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Loaded {
        // Stated before reading: a listing stamped with it is then never taken for a newer file.
        let meta = std::fs::metadata(&self.path).ok();
        let loaded = self.load_snapshot();
        if let (Loaded::Fresh(snapshot), Some(meta)) = (&loaded, meta)
            && !super::listing_file::is_current(&self.path)
        {
            self.write_listing(&meta, snapshot);
        }
        loaded
    }

    /// The stored listing (`ls` reads it instead of the snapshot), when it was made from the
    /// snapshot now on disk.
    pub fn listing(&self) -> Option<super::listing::Listing> {
        super::listing_file::read(&self.path)
    }

    /// Writes the listing of `snapshot`, the content of the JSON whose metadata is `meta`: at
    /// every store, and at a load that finds none of that JSON (caches written before
    /// listings existed, or by an older orgnav).
    fn write_listing(&self, meta: &std::fs::Metadata, snapshot: &Snapshot) {
        let h = crate::model::Hierarchy::new(snapshot.org.clone());
        if let Err(e) = super::listing_file::write(&self.path, meta, &h, snapshot.fetched_at) {
            tracing::warn!(path = %self.path.display(), error = %e, "cannot write the listing");
        }
    }

    fn load_snapshot(&self) -> Loaded {
        if let Some(snapshot) = super::cache_bin::read(&self.path) {
            return Loaded::Fresh(snapshot);
        }
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
            Err(e) => {
                return Loaded::Discarded(format!("cannot read {}: {e}", self.path.display()));
            }
        };
        parse(&bytes).map_or_else(
            |why| Loaded::Discarded(format!("ignoring cache {}: {why}", self.path.display())),
            Loaded::Fresh,
        )
    }

    /// The cached organization's ID, reading nothing else of the snapshot into memory.
    pub fn org_id(&self) -> Option<String> {
        #[derive(serde::Deserialize)]
        struct Head {
            org: OrgHead,
        }
        #[derive(serde::Deserialize)]
        struct OrgHead {
            id: String,
        }
        let bytes = std::fs::read(&self.path).ok()?;
        serde_json::from_slice::<Head>(&bytes)
            .ok()
            .map(|h| h.org.id)
    }

    pub fn store(&self, snapshot: &Snapshot) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(snapshot).map_err(std::io::Error::other)?;
        let written = fsutil::write_private_atomic_stat(&self.path, &bytes)?;
        // Only a speed-up: without it the JSON just written is read (the old twin names
        // another JSON file and is ignored). Stamped with this JSON's own metadata: another
        // orgnav may already have put its JSON at the path.
        if let Err(e) = super::cache_bin::write(&self.path, &written, snapshot) {
            tracing::warn!(path = %self.path.display(), error = %e, "cannot write the binary cache");
        }
        self.write_listing(&written, snapshot);
        Ok(())
    }
}

/// Parses a snapshot in one pass; when that fails, an old schema version is reported as such
/// rather than as a confusing field error.
pub fn parse(bytes: &[u8]) -> Result<Snapshot, String> {
    #[derive(serde::Deserialize)]
    struct Version {
        version: u32,
    }
    let other_version =
        |v: u32| format!("schema version {v} (this orgnav reads version {SNAPSHOT_VERSION})");
    match serde_json::from_slice::<Snapshot>(bytes) {
        Ok(s) if s.version == SNAPSHOT_VERSION => Ok(s),
        Ok(s) => Err(other_version(s.version)),
        Err(e) => match serde_json::from_slice::<Version>(bytes) {
            Ok(v) if v.version != SNAPSHOT_VERSION => Err(other_version(v.version)),
            _ => Err(format!("corrupt ({e})")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hierarchy::tests::sample_org;

    fn snapshot() -> Snapshot {
        Snapshot::new(
            sample_org(),
            jiff::Timestamp::from_second(1_700_000_000).unwrap(),
        )
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::for_key(dir.path(), "my-profile");
        assert!(matches!(cache.load(), Loaded::Missing));
        assert_eq!(cache.org_id(), None);
        cache.store(&snapshot()).unwrap();
        assert_eq!(cache.org_id(), Some(snapshot().org.id));
        match cache.load() {
            Loaded::Fresh(s) => assert_eq!(s, snapshot()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn corrupt_and_old_versions_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::for_key(dir.path(), "p");
        std::fs::create_dir_all(cache.path().parent().unwrap()).unwrap();
        std::fs::write(cache.path(), b"{\"version\":1,\"org\":").unwrap();
        assert!(matches!(cache.load(), Loaded::Discarded(m) if m.contains("corrupt")));
        std::fs::write(cache.path(), b"{\"version\":0,\"whatever\":true}").unwrap();
        assert!(matches!(cache.load(), Loaded::Discarded(m) if m.contains("schema version 0")));
    }

    #[test]
    fn key_becomes_a_safe_file_name() {
        let c = Cache::for_key(Path::new("/c"), "../evil/../../x");
        assert_eq!(c.path().parent().unwrap(), Path::new("/c/orgs"));
        assert!(
            !c.path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .contains('/')
        );
    }
}
