//! The snapshot's binary twin, `orgs/KEY.bin` beside `orgs/KEY.json`: the same serde model in
//! MessagePack with field names (rmp-serde). Being self-describing like JSON, it treats
//! `#[serde(default)]`, `skip_serializing_if` and `#[serde(other)]` as JSON does, so fields
//! added to the model need nothing here — a positional format (postcard, bincode) would misread
//! every record after a skipped field. It parses several times faster than JSON (README,
//! Performance).
//!
//! The JSON stays the cache of record (scripts read it). The binary file names the JSON it was
//! written beside (inode, length, modification time) and is used only while that JSON is still
//! the one on disk: a cache rewritten by anything else, a missing, corrupt or other-version
//! binary file all fall back to the JSON, silently.

use std::path::{Path, PathBuf};

use crate::fsutil;
use crate::model::Snapshot;
use crate::model::org::SNAPSHOT_VERSION;

/// File magic and format generation: a new layout of this file changes the last byte.
const MAGIC: &[u8; 8] = b"orgnavS\x01";

/// The binary file beside the JSON cache at `json`.
pub fn path_for(json: &Path) -> PathBuf {
    json.with_extension("bin")
}

/// Which JSON file the binary one was written beside: a rename (every atomic write) gives a
/// new inode, an in-place edit a new time or length.
fn stamp(meta: &std::fs::Metadata) -> [u64; 4] {
    #[cfg(unix)]
    let (inode, secs, nanos) = {
        use std::os::unix::fs::MetadataExt;
        (meta.ino(), meta.mtime() as u64, meta.mtime_nsec() as u64)
    };
    #[cfg(not(unix))]
    let (inode, secs, nanos) = {
        let since = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        (0, since.as_secs(), u64::from(since.subsec_nanos()))
    };
    [inode, meta.len(), secs, nanos]
}

fn encode_stamp(stamp: [u64; 4]) -> Vec<u8> {
    stamp.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The head of a file derived from the JSON whose metadata is `meta`: `magic` (the file's
/// kind and layout) and that JSON's stamp. A file whose head differs was made from another.
pub(super) fn head(magic: &[u8; 8], meta: &std::fs::Metadata) -> Vec<u8> {
    [magic.as_slice(), &encode_stamp(stamp(meta))].concat()
}

/// Writes the binary twin of `snapshot`, just written as JSON at `json` (whose metadata is
/// `meta`), atomically (0600).
pub fn write(json: &Path, meta: &std::fs::Metadata, snapshot: &Snapshot) -> std::io::Result<()> {
    let mut bytes = head(MAGIC, meta);
    bytes.extend_from_slice(&encode(snapshot)?);
    fsutil::write_private_atomic(&path_for(json), &bytes)
}

/// The snapshot in MessagePack, field names included (the file's body).
pub fn encode(snapshot: &Snapshot) -> std::io::Result<Vec<u8>> {
    rmp_serde::to_vec_named(snapshot).map_err(std::io::Error::other)
}

/// The snapshot from `encode`'s bytes, if it is of this orgnav's schema version.
pub fn decode(body: &[u8]) -> Result<Snapshot, String> {
    match rmp_serde::from_slice::<Snapshot>(body) {
        Ok(s) if s.version == SNAPSHOT_VERSION => Ok(s),
        Ok(s) => Err(format!("schema version {}", s.version)),
        Err(e) => Err(e.to_string()),
    }
}

/// The snapshot from the binary twin of `json`, when there is a usable one.
pub fn read(json: &Path) -> Option<Snapshot> {
    let meta = std::fs::metadata(json).ok()?;
    let bytes = std::fs::read(path_for(json)).ok()?;
    let body = bytes.strip_prefix(head(MAGIC, &meta).as_slice())?;
    decode(body)
        .inspect_err(|why| tracing::debug!(%why, "binary cache unusable: reading the JSON"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::cache::{Cache, Loaded};

    fn snapshot(second: i64) -> Snapshot {
        let mut org = crate::model::synthetic::org(300, 20);
        // Every optional and skipped-when-empty field, both ways.
        org.sso_roles
            .insert(org.accounts[0].id.clone(), vec!["Admin".into()]);
        org.accounts[1].joined = None;
        org.ous[3].incomplete = Some("AccessDenied".into());
        org.management_account_id = None;
        Snapshot::new(org, jiff::Timestamp::from_second(second).unwrap())
    }

    /// A cache of `snapshot(1)` in a fresh directory (kept alive by the returned guard).
    fn stored() -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::for_key(dir.path(), "p");
        cache.store(&snapshot(1)).unwrap();
        (dir, cache)
    }

    fn loaded(cache: &Cache) -> Snapshot {
        match cache.load() {
            Loaded::Fresh(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_and_binary_give_the_same_snapshot() {
        let s = snapshot(1_700_000_000);
        let from_json = crate::source::cache::parse(&serde_json::to_vec(&s).unwrap()).unwrap();
        let from_binary = decode(&encode(&s).unwrap()).unwrap();
        assert_eq!(from_binary, s);
        assert_eq!(from_binary, from_json);
        let tree = |s: Snapshot| {
            let h = crate::model::Hierarchy::new(s.org);
            crate::cli::output::ranked_accounts(&h, "")
        };
        assert_eq!(tree(from_binary), tree(from_json));
    }

    #[test]
    fn store_writes_a_private_binary_twin_that_load_prefers() {
        let (_dir, cache) = stored();
        let twin = path_for(cache.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&twin).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A twin naming the JSON on disk is what load returns (here: other contents).
        let meta = std::fs::metadata(cache.path()).unwrap();
        write(cache.path(), &meta, &snapshot(2)).unwrap();
        assert_eq!(loaded(&cache), snapshot(2));
    }

    #[test]
    fn a_corrupt_binary_twin_falls_back_to_the_json() {
        let (_dir, cache) = stored();
        let twin = path_for(cache.path());
        let good = std::fs::read(&twin).unwrap();
        let header = MAGIC.len() + 32;
        let mut truncated = good.clone();
        truncated.truncate(header + 100);
        let mut garbage = good[..header].to_vec();
        garbage.extend_from_slice(b"\xc1 not messagepack");
        let mut other_magic = good.clone();
        other_magic[7] = 0x7f;
        for bad in [truncated, garbage, other_magic, Vec::new()] {
            std::fs::write(&twin, bad).unwrap();
            assert_eq!(loaded(&cache), snapshot(1));
        }
    }

    #[test]
    fn a_binary_twin_of_another_version_falls_back_to_the_json() {
        let (_dir, cache) = stored();
        let mut old = snapshot(2);
        old.version = SNAPSHOT_VERSION + 1;
        let meta = std::fs::metadata(cache.path()).unwrap();
        write(cache.path(), &meta, &old).unwrap();
        assert_eq!(loaded(&cache), snapshot(1));
    }

    #[test]
    fn a_json_rewritten_by_another_writer_wins_over_the_old_twin() {
        let (_dir, cache) = stored();
        // An older orgnav (or a script) writes only the JSON.
        let newer = serde_json::to_vec(&snapshot(3)).unwrap();
        fsutil::write_private_atomic(cache.path(), &newer).unwrap();
        assert_eq!(loaded(&cache), snapshot(3));
        // Edited in place (same inode; within one clock tick only the length tells).
        cache.store(&snapshot(1)).unwrap();
        let mut edited = snapshot(4);
        edited.org.accounts.pop();
        std::fs::write(cache.path(), serde_json::to_vec(&edited).unwrap()).unwrap();
        assert_eq!(loaded(&cache), edited);
    }

    #[test]
    fn without_the_json_the_twin_alone_is_not_a_cache() {
        let (_dir, cache) = stored();
        std::fs::remove_file(cache.path()).unwrap();
        assert!(matches!(cache.load(), Loaded::Missing));
    }
}
