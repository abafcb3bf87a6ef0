//! orgnav: navigate AWS Organizations from the terminal.

// Unit tests may unwrap; everything else is denied `unwrap` by Cargo.toml.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod access;
pub mod aws;
pub mod browser;
pub mod cache;
pub mod cli;
pub mod config;
pub mod fsutil;
pub mod history;
pub mod launch;
pub mod logging;
pub mod model;
pub mod quota_demo;
pub mod quota_format;
pub mod quota_sweep;
pub mod redact;
pub mod search;
pub mod source;
pub mod sso;
pub mod tui;
