//! Shell completion and the manual. The scripts `orgnav completions SHELL` prints call orgnav
//! back with `ORGNAV_COMPLETE=SHELL` (clap_complete's dynamic completion); orgnav then answers
//! before anything else runs: subcommands and flags from clap, account names and IDs and role
//! names from the cache file, the config and the history. It never calls AWS nor reads the AWS
//! config chain: a Tab must not wait for a network.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::CompletionCandidate;

use super::{Cli, CliError};

/// The variable the generated scripts set when they ask for candidates.
pub const ENV_VAR: &str = "ORGNAV_COMPLETE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// Answers a completion request (and exits) when a generated script made this call.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(ENV_VAR)
        .complete();
}

/// `orgnav completions SHELL`: the script that registers orgnav's completion in the shell.
pub fn script(shell: Shell) -> Result<u8, CliError> {
    let name = match shell {
        Shell::Bash => "bash",
        Shell::Zsh => "zsh",
        Shell::Fish => "fish",
        Shell::Powershell => "powershell",
    };
    let shells = clap_complete::env::Shells::builtins();
    let completer = shells
        .completer(name)
        .ok_or_else(|| CliError::usage(format!("no completion for {name}")))?;
    let mut buf = Vec::new();
    completer
        .write_registration(ENV_VAR, "orgnav", "orgnav", &completer_path(), &mut buf)
        .map_err(|e| CliError::runtime(format!("cannot write the script: {e}")))?;
    super::output::emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}

/// How the script calls orgnav back: as it was called now (`orgnav` through PATH, or the path
/// typed, made absolute), as clap_complete does.
fn completer_path() -> String {
    let argv0 = PathBuf::from(
        std::env::args_os()
            .next()
            .unwrap_or_else(|| "orgnav".into()),
    );
    let path = match std::env::current_dir() {
        Ok(dir) if argv0.components().count() > 1 => dir.join(argv0),
        _ => argv0,
    };
    path.to_string_lossy().into_owned()
}

/// `orgnav man`: the manual page (roff) on stdout.
pub fn manual() -> Result<u8, CliError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| CliError::runtime(format!("cannot write the manual: {e}")))?;
    super::output::emit(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}

/// Only what completion needs from the cache: serde skips the rest without building it.
#[derive(serde::Deserialize)]
struct CachedNames {
    org: CachedOrg,
}

#[derive(serde::Deserialize)]
struct CachedOrg {
    accounts: Vec<CachedAccount>,
    #[serde(default)]
    sso_roles: BTreeMap<String, Vec<String>>,
}

#[derive(serde::Deserialize)]
struct CachedAccount {
    id: String,
    name: String,
}

fn quiet_config() -> crate::config::Config {
    super::load_config_at(std::env::var_os("ORGNAV_CONFIG").map(PathBuf::from)).unwrap_or_default()
}

/// The cache the command would read (profile from the config or `AWS_PROFILE`, endpoint and
/// access key from the environment), else the newest cache file (an endpoint set only in
/// `~/.aws/config` changes the key, and that file is not read here).
fn cached(config: &crate::config::Config) -> Option<CachedOrg> {
    let source = crate::source::Source::new(config, None, None);
    let keyed = source.cache_path().map(Path::to_path_buf);
    let path = keyed.filter(|p| p.exists()).or_else(|| {
        let dir = crate::source::cache_dir()?.join("orgs");
        std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .filter(|e| e.path().extension() == Some(OsStr::new("json")))
            .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
            .map(|e| e.path())
    })?;
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice::<CachedNames>(&bytes)
        .ok()
        .map(|c| c.org)
}

/// Prefix matches (any case); when none, anything containing the text.
fn matching<'a>(
    values: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    current: &str,
) -> Vec<CompletionCandidate> {
    let current = current.to_lowercase();
    let candidate = |(value, help): (&str, &str)| {
        CompletionCandidate::new(value).help((!help.is_empty()).then(|| help.to_string().into()))
    };
    let prefixed: Vec<CompletionCandidate> = values
        .clone()
        .filter(|(v, _)| v.to_lowercase().starts_with(&current))
        .map(candidate)
        .collect();
    if !prefixed.is_empty() || current.is_empty() {
        return prefixed;
    }
    values
        .filter(|(v, _)| v.to_lowercase().contains(&current))
        .map(candidate)
        .collect()
}

/// ACCOUNT: names (IDs once a digit is typed), from the cache.
pub fn accounts(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(org) = cached(&quiet_config()) else {
        return Vec::new();
    };
    let current = current.to_string_lossy();
    if current.starts_with(|c: char| c.is_ascii_digit()) {
        let ids = org
            .accounts
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str()));
        return matching(ids, &current);
    }
    let names = org
        .accounts
        .iter()
        .map(|a| (a.name.as_str(), a.id.as_str()));
    matching(names, &current)
}

/// `--role`: the configured roles, the cached Identity Center roles and the roles used before.
pub fn roles(current: &OsStr) -> Vec<CompletionCandidate> {
    let config = quiet_config();
    let mut names: BTreeSet<String> = config.roles.iter().map(|r| r.name.clone()).collect();
    if !config.default_role.is_empty() {
        names.insert(config.default_role.clone());
    }
    if let Some(org) = cached(&config) {
        names.extend(org.sso_roles.into_values().flatten());
    }
    names.extend(
        crate::access::history::History::load()
            .last_roles()
            .into_values(),
    );
    matching(
        names.iter().map(|n| (n.as_str(), "")),
        &current.to_string_lossy(),
    )
}

/// `--region`: the region codes orgnav knows (shorthands are accepted too, but not offered).
pub fn regions(current: &OsStr) -> Vec<CompletionCandidate> {
    let known = crate::region::known();
    matching(known, &current.to_string_lossy())
}
