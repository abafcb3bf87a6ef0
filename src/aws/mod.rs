//! AWS access, one small module per concern; each takes an SDK client or `SdkConfig`.

pub mod calls;
pub mod crawl;
pub mod error;
pub mod session;
pub mod tags;
