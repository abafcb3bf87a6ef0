//! Quota headroom, shared by the CLI and the TUI. The AWS calls are in `crate::aws::quotas`;
//! here: the per-account/region rate limit (`rate_limit`), one account's quotas with usage
//! (`usage`), assuming the quota role and reading regions (`reader`), the organization-wide
//! sweep (`sweep`), ranking (`rank`), how numbers read (`format`) and the demo data (`demo`).

pub mod demo;
pub mod format;
pub mod rank;
pub mod rate_limit;
pub mod reader;
pub mod sweep;
pub mod usage;

pub use rank::{Ranked, SweepFailure, SweepRow, worst_first};
pub use reader::{AccountQuotas, QuotaQuery, QuotaReader, QuotaTarget, quota_role};
pub use sweep::{SweepProgress, sweep};
pub use usage::QuotaUsage;
