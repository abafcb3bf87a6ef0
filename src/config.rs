//! TOML configuration: defaults, loading, validation with file:line:key errors.

use std::path::{Path, PathBuf};

use serde::Deserialize;

mod console;
mod credentials;
mod location;
mod network;
mod quotas;
mod roles;

pub use console::{ConsoleRule, ConsoleVia};
pub use credentials::{CredentialCacheMode, CredentialsConfig};
pub use network::NetworkConfig;
pub use quotas::QuotasConfig;
pub use roles::RoleRule;

use crate::model::production::ProductionRule;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// AWS profile used when `--profile` / `AWS_PROFILE` are absent.
    pub profile: Option<String>,
    /// Region used when `--region` and the profile name none.
    #[serde(deserialize_with = "crate::region::deserialize_opt")]
    pub region: Option<String>,
    pub crawl: CrawlConfig,
    pub production: ProductionRule,
    /// Profile whose credentials assume roles into accounts (default: `--profile`/`profile`).
    pub base_profile: Option<String>,
    /// Shell for `s`/`orgnav shell` (default: `$SHELL`).
    pub shell: Option<String>,
    /// Role session length; capped at 3600 when chaining from an assumed role.
    pub duration_seconds: i32,
    /// Offered when no rule or profile gives a role; "" disables it.
    pub default_role: String,
    /// Role rules: `[[roles]] name = "ReadOnly"`, with optional `ou`, `account`, `tag`.
    pub roles: Vec<RoleRule>,
    pub console: ConsoleConfig,
    pub quotas: QuotasConfig,
    pub sso: SsoConfig,
    /// `[network]`: connect, attempt and operation timeouts for every AWS call.
    pub network: NetworkConfig,
    /// `[keys]`: action name → keys, replacing the action's default keys in the TUI.
    pub keys: std::collections::BTreeMap<String, Vec<String>>,
    /// `[credentials]`: the credential cache between runs, and how children get credentials.
    pub credentials: CredentialsConfig,
}

/// `[sso]`: IAM Identity Center.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SsoConfig {
    /// The `[sso-session NAME]` of `~/.aws/config` to use (default: the active profile's, or the
    /// only one in the file).
    pub session: Option<String>,
    pub mode: SsoMode,
    /// Groups for the flat Identity Center list: `[[sso.groups]] name = "Prod"
    /// account = "*-prod"`; an account goes to the first group whose name glob matches.
    pub groups: Vec<SsoGroup>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SsoGroup {
    pub name: String,
    /// Glob on the account name (case-insensitive).
    pub account: String,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SsoMode {
    /// Organizations when it can be read (Identity Center roles attached when signed in);
    /// otherwise the Identity Center accounts as a flat list.
    #[default]
    Auto,
    /// Only Identity Center: never call Organizations.
    Only,
    /// Never Identity Center.
    Off,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Federation endpoint override (also `ORGNAV_FEDERATION_URL`); default: the partition's.
    pub federation_url: Option<String>,
    /// The browser keeps several console sessions (AWS multi-session): sign-ins never sign out.
    pub multi_session: bool,
    /// Sign out of the browser's console session first, so a new sign-in replaces it.
    pub logout_first: bool,
    /// `federation` (default) or `portal` (Identity Center roles through the access portal).
    pub via: ConsoleVia,
    /// Browser command template with `{url}`, e.g. `firefox -P work {url}`.
    pub browser: Option<String>,
    /// Firefox container name template, e.g. `{account_name}`.
    pub container: Option<String>,
    /// Per-account overrides of `browser` / `container`.
    pub rules: Vec<ConsoleRule>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            crawl: CrawlConfig::default(),
            production: ProductionRule::default(),
            base_profile: None,
            shell: None,
            duration_seconds: 3600,
            default_role: "OrganizationAccountAccessRole".into(),
            roles: Vec::new(),
            console: ConsoleConfig::default(),
            quotas: QuotasConfig::default(),
            sso: SsoConfig::default(),
            network: Default::default(),
            keys: Default::default(),
            credentials: CredentialsConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CrawlConfig {
    /// Organizations calls in flight at once (the API throttles concurrent callers).
    pub concurrency: usize,
    /// SDK attempts per call, retries with backoff on throttling.
    pub max_attempts: u32,
    /// Items requested per page (AWS caps Organizations pages at 20).
    pub page_size: i32,
    /// CLI commands reuse a cached tree younger than this; older ones are recrawled first.
    pub cli_max_age_minutes: u64,
    /// A refresh re-reads each account's and OU's tags at least this often (new and moved
    /// ones at once); 0 re-reads every tag on every refresh.
    pub tag_max_age_hours: u64,
}

impl Default for CrawlConfig {
    fn default() -> Self {
        Self {
            concurrency: 4,
            max_attempts: 10,
            page_size: 20,
            cli_max_age_minutes: 24 * 60,
            tag_max_age_hours: 24,
        }
    }
}

/// A config error; `line` 0 and an empty `key` mean unknown (a read error) and are not shown.
#[derive(Debug, PartialEq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: usize,
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "config error in {}", self.file.display())?;
        if self.line > 0 {
            write!(f, ", line {}", self.line)?;
        }
        if !self.key.is_empty() {
            write!(f, ", key `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// A check that the parts of orgnav owning a setting run on the parsed config (the key table
/// checks `[keys]`, the console its federation URL): config itself knows none of them, yet
/// their errors still name file, line and key. `Err((dotted key, message))`.
pub type Check = fn(&Config) -> Result<(), (String, String)>;

impl Config {
    /// Loads `path`. A missing file is fine only when the path was not asked for explicitly.
    pub fn load(path: &Path, explicit: bool, checks: &[Check]) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse_checked(&text, path, checks),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Self::default()),
            Err(e) => Err(ConfigError {
                file: path.to_path_buf(),
                line: 0,
                key: String::new(),
                message: format!("cannot read: {e}"),
            }),
        }
    }

    pub fn parse(text: &str, file: &Path) -> Result<Self, ConfigError> {
        Self::parse_checked(text, file, &[])
    }

    /// Parses and validates, then runs `checks`.
    pub fn parse_checked(text: &str, file: &Path, checks: &[Check]) -> Result<Self, ConfigError> {
        let err = |line: usize, key: String, message: String| ConfigError {
            file: file.to_path_buf(),
            line,
            key,
            message,
        };
        let de = toml::de::Deserializer::parse(text).map_err(|e| {
            let span = e.span().unwrap_or_default();
            let key = location::key_at(text, &span);
            err(
                location::line_at(text, span.start),
                key,
                e.message().to_string(),
            )
        })?;
        let config: Config = serde_path_to_error::deserialize(de).map_err(|e| {
            let key = e.path().to_string();
            let inner = e.into_inner();
            let line = inner
                .span()
                .map(|s| location::line_at(text, s.start))
                .or_else(|| location::line_of_key(text, &key));
            err(line.unwrap_or(0), key, inner.message().to_string())
        })?;
        std::iter::once(Self::validate as Check)
            .chain(checks.iter().copied())
            .try_for_each(|check| check(&config))
            .map_err(|(key, message)| {
                let line = location::line_of_key(text, &key).unwrap_or(0);
                err(line, key, message)
            })?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), (String, String)> {
        let c = &self.crawl;
        if !(1..=64).contains(&c.concurrency) {
            return Err((
                "crawl.concurrency".into(),
                "must be between 1 and 64".into(),
            ));
        }
        if !(1..=50).contains(&c.max_attempts) {
            return Err((
                "crawl.max_attempts".into(),
                "must be between 1 and 50".into(),
            ));
        }
        if !(1..=20).contains(&c.page_size) {
            return Err((
                "crawl.page_size".into(),
                "must be between 1 and 20 (the AWS maximum)".into(),
            ));
        }
        if !(900..=43_200).contains(&self.duration_seconds) {
            return Err((
                "duration_seconds".into(),
                "must be between 900 and 43200".into(),
            ));
        }
        self.quotas.validate()?;
        self.network.validate()?;
        console::validate(&self.console)?;
        for (i, g) in self.sso.groups.iter().enumerate() {
            check_glob(&g.account, || format!("sso.groups[{i}].account"))?;
        }
        for (i, r) in self.roles.iter().enumerate() {
            if let Some(ou) = &r.ou {
                check_glob(ou, || format!("roles[{i}].ou"))?;
            }
            if let Some(account) = &r.account {
                check_glob(account, || format!("roles[{i}].account"))?;
            }
            if r.name.trim().is_empty() {
                return Err((
                    format!("roles[{i}].name"),
                    "a role rule needs a `name`".into(),
                ));
            }
        }
        Ok(())
    }
}

fn check_glob(glob: &str, key: impl FnOnce() -> String) -> Result<(), (String, String)> {
    globset::Glob::new(glob)
        .map(drop)
        .map_err(|e| (key(), format!("bad glob `{glob}`: {e}")))
}

/// `--config`, then `ORGNAV_CONFIG` (clap reads it), then `$XDG_CONFIG_HOME/orgnav/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "orgnav").map(|d| d.config_dir().join("config.toml"))
}

#[cfg(test)]
mod tests;
