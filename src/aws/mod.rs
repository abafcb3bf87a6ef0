//! AWS access, one small module per concern; each takes an SDK client or `SdkConfig`.

pub mod assume;
pub mod calls;
pub mod connector;
pub mod console;
pub mod crawl;
pub mod credentials;
pub mod error;
pub mod network;
pub mod pacing;
pub mod profiles;
pub mod progress;
pub mod quotas;
pub mod roles;
pub mod session;
pub mod tags;
pub mod throttling;
