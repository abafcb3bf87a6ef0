//! `[[roles]]`: which roles to offer in which accounts (matched in `aws::roles`).

use serde::Deserialize;

/// A config rule: offer role `name` where every given condition holds.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    pub name: String,
    /// Glob over the account's OU path, e.g. `Workloads/Dev/**` (which also matches accounts
    /// directly in `Workloads/Dev`). Case-insensitive.
    pub ou: Option<String>,
    /// Glob over the account name, e.g. `payments-*`. Case-insensitive.
    pub account: Option<String>,
    /// `Key=Value` tag condition; the value may be a glob.
    pub tag: Option<String>,
}
