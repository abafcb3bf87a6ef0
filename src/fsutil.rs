//! Private files under the user's cache/state dirs: 0700 directories, 0600 files, written
//! atomically (temp file in the same directory + rename) so a crash never leaves half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Creates `dir` and its missing parents 0700. A directory that already exists is the
/// user's: orgnav never changes its mode, and when `dir` or the nearest existing parent has
/// no write permission for its owner (made read-only on purpose) that is an error naming
/// it, even for root.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => return check_writable(dir, &meta),
        Ok(_) => {
            return Err(std::io::Error::other(format!(
                "{} is not a directory",
                dir.display()
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err())
        .map(Path::to_path_buf)
        .collect();
    // The nearest directory that exists is the user's; a read-only one is respected.
    if let Some(existing) = dir.ancestors().nth(missing.len())
        && let Ok(meta) = std::fs::metadata(existing)
    {
        check_writable(existing, &meta)?;
    }
    missing.reverse();
    for d in missing {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(&d) {
            Ok(()) => set_private_dir_mode(&d)?,
            // Someone made it meanwhile: theirs, not ours to chmod.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// 0700 on a directory orgnav just created (the umask may have taken bits away).
fn set_private_dir_mode(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let _ = dir;
    Ok(())
}

fn check_writable(dir: &Path, meta: &std::fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o200 == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "{} is read-only; orgnav leaves it as it is and writes nothing there",
                    dir.display()
                ),
            ));
        }
    }
    let _ = (dir, meta);
    Ok(())
}

pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_private_atomic_stat(path, bytes).map(|_| ())
}

/// As `write_private_atomic`; returns the metadata of the file written, read from its own
/// handle (a stat of `path` could already see another writer's file).
pub fn write_private_atomic_stat(path: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("path has no parent directory"))?;
    ensure_private_dir(dir)?;
    // tempfile creates the file with mode 0600 on unix.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    let file = tmp.persist(path).map_err(|e| e.error)?;
    file.metadata()
}

/// Opens `path` for appending, creating it 0600 (in a 0700 directory when orgnav creates
/// that too). A symlink is not followed; an existing file is made 0600.
pub fn open_private_append(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent() {
        ensure_private_dir(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: a FIFO planted at the path must not hang the open.
        opts.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return std::io::Error::other("it is a symbolic link, which orgnav does not follow");
        }
        e
    })?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Through the open file, so a rename in between cannot redirect the chmod.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn atomic_write_sets_private_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        let file = dir.join("x.json");
        write_private_atomic(&file, b"hello").unwrap();
        write_private_atomic(&file, b"again").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"again");
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temp files left behind"
        );
    }

    #[test]
    fn existing_directories_keep_their_mode_and_read_only_ones_are_respected() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mine");
        std::fs::create_dir(&dir).unwrap();
        let set = |mode| std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode));
        let mode = || std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        set(0o755).unwrap();
        write_private_atomic(&dir.join("x.json"), b"x").unwrap();
        assert_eq!(mode(), 0o755);
        set(0o500).unwrap();
        for path in [dir.join("y.json"), dir.join("sub/z.json")] {
            let e = write_private_atomic(&path, b"y").unwrap_err();
            assert!(e.to_string().contains("read-only"), "{e}");
        }
        assert_eq!(mode(), 0o500);
        assert!(!dir.join("sub").exists());
        set(0o700).unwrap();
    }
}
