//! `[credentials]`: where assumed-role credentials rest between orgnav runs, and how shells
//! and commands get them.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CredentialsConfig {
    /// `cache = "file" | "keyring" | "off"`.
    pub cache: CredentialCacheMode,
    /// `shell`/`exec` always as with `--refreshing`: keys from a local endpoint, renewed.
    pub refreshing: bool,
}

/// How `credential-process`, `env`, `exec`, `shell` and `console` keep credentials for the
/// next process: files, the platform's keyring (files when none answers), or not at all.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CredentialCacheMode {
    #[default]
    File,
    Keyring,
    Off,
}
