//! `[credentials]`: how shells and commands get their credentials.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CredentialsConfig {
    /// `shell`/`exec` always as with `--refreshing`: keys from a local endpoint, renewed.
    pub refreshing: bool,
}
