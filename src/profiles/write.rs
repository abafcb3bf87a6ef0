//! Writing the config file: atomically, with its mode, after keeping the previous version as
//! `FILE.bak`; and the unified diff `--dry-run` prints instead.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The file a path stands for: a symlinked `~/.aws/config` (dotfile managers) is updated
/// where it points, so the link survives.
fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename,
/// with `mode`: readers see the old file or the new one, never half of it.
fn replace(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `path` with `.bak` appended to its file name.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Replaces the file at `path` with `text`. The previous version, if any, is first saved
/// as `FILE.bak` with the same mode; a new file is 0600 (credentials may follow into it),
/// in a directory created when missing.
pub fn write_config(path: &Path, text: &str) -> std::io::Result<()> {
    let path = real_path(path);
    let old = match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let mode = match &old {
        Some(_) => std::fs::metadata(&path)?.permissions().mode() & 0o7777,
        None => 0o600,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    if let Some(old) = &old {
        replace(&backup_path(&path), old, mode)?;
    }
    replace(&path, text.as_bytes(), mode)
}

/// A unified diff (3 lines of context) from `old` to `new`, headed with the file's name;
/// empty when nothing changes.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&name, &name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_keeps_mode_and_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "old\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_config(&path, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(
            std::fs::read_to_string(backup_path(&path)).unwrap(),
            "old\n"
        );
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o640);
        assert_eq!(mode(&backup_path(&path)), 0o640);
        let fresh = dir.path().join("sub/new");
        write_config(&fresh, "x\n").unwrap();
        assert_eq!(mode(&fresh), 0o600);
        assert!(!backup_path(&fresh).exists());
    }

    #[test]
    fn diff_names_the_file_and_marks_lines() {
        let d = unified_diff(Path::new("c"), "a\nb\n", "a\nc\n");
        assert!(d.starts_with("--- c\n+++ c\n"), "{d}");
        assert!(d.contains("-b\n+c\n"), "{d}");
        assert_eq!(unified_diff(Path::new("c"), "a\n", "a\n"), "");
    }
}
