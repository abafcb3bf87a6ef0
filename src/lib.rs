//! orgnav: navigate AWS Organizations from the terminal.

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
