//! orgnav: navigate AWS Organizations from the terminal.

// Unit tests may unwrap; everything else is denied `unwrap` by Cargo.toml.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod aws;
pub mod cache;
pub mod cli;
pub mod config;
pub mod fsutil;
pub mod logging;
pub mod model;
pub mod search;
pub mod source;
pub mod tui;
