//! tracing to a private log file, never to the terminal (it would corrupt the TUI).
//! Level from `ORGNAV_LOG` (e.g. `debug`, `orgnav=trace`), default `info`. Every event passes
//! through [`crate::redact`] before it reaches the file, so no level writes a secret.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// `ORGNAV_LOG_FILE` (which must be absolute), else `orgnav.log` in the state directory.
pub fn log_path() -> Result<Option<PathBuf>, String> {
    if let Some(p) = std::env::var_os("ORGNAV_LOG_FILE").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        if p.is_relative() {
            return Err(format!(
                "ORGNAV_LOG_FILE must be an absolute path, not `{}`",
                p.display()
            ));
        }
        return Ok(Some(p));
    }
    let Some(dirs) = directories::ProjectDirs::from("", "", "orgnav") else {
        return Ok(None);
    };
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.cache_dir());
    Ok(Some(dir.join("orgnav.log")))
}

/// Starts logging. Err is a usage error (a relative `ORGNAV_LOG_FILE`); a log file that
/// cannot be opened only turns logging off, with a warning.
pub fn init() -> Result<(), String> {
    let Some(path) = log_path()? else {
        return Ok(());
    };
    // The directory is created 0700 when missing (an existing one is left as it is), the
    // file is never a symlink's target, and it is 0600 even if it existed before.
    let file = match crate::fsutil::open_private_append(&path) {
        Ok(file) => file,
        Err(e) => {
            crate::note!(
                "orgnav: warning: logging is off: cannot open the log file {}: {e}",
                path.display()
            );
            return Ok(());
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ORGNAV_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(RedactingLog(Mutex::new(file)))
        .try_init();
    Ok(())
}

/// Hands each event its own buffer and writes it, redacted, when the event is complete.
struct RedactingLog(Mutex<File>);

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for RedactingLog {
    type Writer = EventWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        EventWriter {
            file: &self.0,
            buf: Vec::new(),
        }
    }
}

struct EventWriter<'a> {
    file: &'a Mutex<File>,
    buf: Vec<u8>,
}

impl Write for EventWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for EventWriter<'_> {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.buf);
        let clean = crate::redact::redact(&text);
        if let Ok(mut file) = self.file.lock() {
            let _ = file.write_all(clean.as_bytes());
        }
    }
}
