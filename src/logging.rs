//! tracing to a private log file, never to the terminal (it would corrupt the TUI).
//! Level from `ORGNAV_LOG` (e.g. `debug`, `orgnav=trace`), default `info`.

use std::path::PathBuf;
use std::sync::Mutex;

pub fn log_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ORGNAV_LOG_FILE") {
        return Some(PathBuf::from(p));
    }
    let dirs = directories::ProjectDirs::from("", "", "orgnav")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.cache_dir());
    Some(dir.join("orgnav.log"))
}

pub fn init() {
    let Some(path) = log_path() else { return };
    let Ok(file) = crate::fsutil::open_private_append(&path) else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ORGNAV_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}
