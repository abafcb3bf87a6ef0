//! Which profiles of the AWS config files name an `endpoint_url`, remembered while those files
//! are unchanged: the cache is keyed by the profile's endpoint, so `ls` from the cache needs
//! it, and parsing a `~/.aws/config` of a few thousand profiles (`orgnav profiles` writes them)
//! cost more than the whole listing. The files are still read only by aws-config's own
//! loader; this remembers its answer, keyed by the files' identity (path, inode, length,
//! modification time), in `endpoints.json` in the cache directory (0600).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fsutil;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Memo {
    /// Of the config file, then the credentials file ("missing" when there is none).
    files: Vec<String>,
    /// Profile name → its `endpoint_url`, for the profiles that name one.
    endpoints: BTreeMap<String, String>,
}

/// The config and credentials files aws-config reads: `AWS_CONFIG_FILE` /
/// `AWS_SHARED_CREDENTIALS_FILE`, else under `~/.aws`.
fn aws_files() -> [PathBuf; 2] {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let file = |var: &str, default: &str| match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(p) => expand_home(Path::new(&p), &home),
        None => home.join(".aws").join(default),
    };
    [
        file("AWS_CONFIG_FILE", "config"),
        file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
}

/// `~/x` as aws-config expands it.
fn expand_home(path: &Path, home: &Path) -> PathBuf {
    match path.strip_prefix("~") {
        Ok(rest) => home.join(rest),
        Err(_) => path.to_path_buf(),
    }
}

fn identity(path: &Path) -> String {
    match std::fs::metadata(path) {
        #[cfg(unix)]
        Ok(m) => {
            use std::os::unix::fs::MetadataExt;
            let (ino, len, secs, nanos) = (m.ino(), m.len(), m.mtime(), m.mtime_nsec());
            format!("{} {ino} {len} {secs}.{nanos}", path.display())
        }
        #[cfg(not(unix))]
        Ok(m) => format!("{} {} {:?}", path.display(), m.len(), m.modified().ok()),
        Err(_) => format!("{} missing", path.display()),
    }
}

fn memo_path(cache_dir: &Path) -> PathBuf {
    cache_dir.join("endpoints.json")
}

/// The `endpoint_url` of profile `name`: from the memo while the files are the ones it was
/// made from, else from `parse` (every profile's endpoint), remembered for next time.
pub async fn endpoint_of<F, Fut>(cache_dir: Option<&Path>, name: &str, parse: F) -> Option<String>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Option<BTreeMap<String, String>>>,
{
    let files: Vec<String> = aws_files().iter().map(|p| identity(p)).collect();
    let read = |dir: &Path| -> Option<Memo> {
        serde_json::from_slice(&std::fs::read(memo_path(dir)).ok()?).ok()
    };
    if let Some(memo) = cache_dir.and_then(read).filter(|m| m.files == files) {
        return memo.endpoints.get(name).cloned();
    }
    let endpoints = parse().await?;
    let found = endpoints.get(name).cloned();
    if let Some(dir) = cache_dir {
        let memo = Memo { files, endpoints };
        let written = serde_json::to_vec(&memo)
            .map_err(std::io::Error::other)
            .and_then(|bytes| fsutil::write_private_atomic(&memo_path(dir), &bytes));
        if let Err(e) = written {
            tracing::debug!(error = %e, "cannot remember the profiles' endpoints");
        }
    }
    found
}
