//! orgnav: navigate AWS Organizations from the terminal.

// Unit tests may unwrap; everything else is denied `unwrap` by Cargo.toml.
#![cfg_attr(test, allow(clippy::unwrap_used))]

/// `eprintln!` that never panics: a closed stderr (`2>&1 | head -c0`, a terminal that went
/// away) is no reason to die in the middle of a command.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see [`note!`]).
#[macro_export]
macro_rules! note_inline {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

pub mod access;
pub mod aws;
pub mod cli;
pub mod config;
pub mod fsutil;
pub mod logging;
pub mod model;
pub mod profiles;
pub mod quotas;
pub mod redact;
pub mod region;
pub mod search;
pub mod source;
pub mod sso;
pub mod text;
pub mod tui;
