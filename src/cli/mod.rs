//! The command line: clap types, dispatch, exit codes (0 ok, 1 runtime/AWS error, 2 usage).

mod access_cmds;
mod account_picker;
mod args;
mod browse;
mod child;
pub mod complete;
mod console_args;
mod console_cmd;
mod dispatch;
mod entry_cmds;
mod login_cmd;
mod logout_cmd;
mod ls_listed;
mod org_cmds;
pub mod output;
mod picker;
mod profiles_cmd;
mod progress_bar;
mod prompt;
pub mod prompt_segment;
mod quota_cmds;
mod quota_table;
pub mod table;
mod target;
mod tree_out;

use std::path::PathBuf;
use std::process::ExitCode;

pub use args::{Cli, Command};

use crate::config::Config;
use crate::source::Source;

/// An error with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub code: u8,
}

impl CliError {
    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 1,
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 2,
        }
    }
}

pub struct Ctx {
    pub cli: Cli,
    pub config: Config,
    pub source: Source,
    /// The IAM Identity Center sign-in, when `~/.aws/config` has one (and `sso.mode` allows);
    /// set by [`Ctx::ensure_identity_center`], which commands that only read the cache skip.
    identity_center: std::sync::OnceLock<Option<std::sync::Arc<crate::sso::IdentityCenter>>>,
    /// Made on first use and shared: its session cache and federation client serve the
    /// assume and the console URL of one command alike.
    access: std::sync::OnceLock<std::sync::Arc<crate::access::Access>>,
}

impl Ctx {
    /// The Identity Center sign-in, once [`Self::ensure_identity_center`] has looked for it.
    pub fn identity_center(&self) -> Option<&std::sync::Arc<crate::sso::IdentityCenter>> {
        // A path that skipped `ensure_identity_center` would go on as if none were configured.
        debug_assert!(
            self.identity_center.get().is_some() || self.cli.demo,
            "identity_center() before ensure_identity_center()"
        );
        self.identity_center.get().and_then(Option::as_ref)
    }

    /// Looks for the Identity Center sign-in (the AWS config files, an SDK configuration):
    /// every command that calls AWS or enters an account does, first; `ls` and `tree` from
    /// the cache never need it. Required only by what cannot do without it.
    pub async fn ensure_identity_center(&self) -> Result<(), CliError> {
        if self.identity_center.get().is_some() {
            return Ok(());
        }
        let found = if self.cli.demo {
            None
        } else {
            let profile = self
                .cli
                .profile
                .as_deref()
                .or(self.config.profile.as_deref());
            let needed = matches!(self.cli.command, Some(Command::Login { .. }))
                || (self.config.sso.mode == crate::config::SsoMode::Only && !self.cli.offline);
            identity_center(&self.config, profile, &self.source, needed).await?
        };
        let _ = self.identity_center.set(found);
        Ok(())
    }

    /// Entering accounts: base credentials for AssumeRole, Identity Center for its roles.
    pub fn access(&self) -> std::sync::Arc<crate::access::Access> {
        let access = self.access.get_or_init(|| {
            let settings = crate::access::AccessSettings::new(
                &self.config,
                self.cli.profile.clone(),
                self.cli.region.clone(),
            );
            let access = if self.cli.demo {
                crate::access::Access::demo(settings)
            } else {
                crate::access::Access::new(settings)
            };
            if let Some(ic) = self.identity_center() {
                access.use_identity_center(std::sync::Arc::clone(ic));
            }
            if let Some(cache) = self.credential_cache() {
                access.use_credential_cache(cache);
            }
            access
        });
        std::sync::Arc::clone(access)
    }

    /// The cache between runs (none for the demo). A `keyring` that does not answer says so
    /// once (except to SDKs running `credential-process`, which show its stderr) and uses files.
    fn credential_cache(&self) -> Option<crate::access::cred_cache::CredentialCache> {
        use crate::access::cred_cache::CredentialCache;
        if self.cli.demo {
            return None;
        }
        let cache = CredentialCache::for_mode(self.config.credentials.cache)?;
        if let Some(why) = cache.keyring_unavailable()
            && !matches!(self.cli.command, Some(Command::CredentialProcess { .. }))
        {
            crate::note!(
                "orgnav: note: [credentials] cache = \"keyring\": no keyring answered ({why}); credentials are cached in {} (0600 files)",
                cache.dir().display()
            );
        }
        Some(cache)
    }
}

/// The Identity Center sign-in to use, if any: `sso.session`, the profile's, or the only one.
/// A broken one in `~/.aws/config` (a file other tools share) stops only commands that need
/// it (`needed`); the others go on without Identity Center after a warning.
async fn identity_center(
    config: &Config,
    profile: Option<&str>,
    source: &Source,
    needed: bool,
) -> Result<Option<std::sync::Arc<crate::sso::IdentityCenter>>, CliError> {
    if config.sso.mode == crate::config::SsoMode::Off {
        return Ok(None);
    }
    let settings = match crate::sso::settings::detect(config.sso.session.as_deref(), profile).await
    {
        Ok(settings) => settings,
        // Named in orgnav's own config: a bad setting like any other.
        Err(e) if needed || config.sso.session.is_some() => return Err(CliError::usage(e)),
        Err(e) => {
            use std::io::Write;
            tracing::warn!("{e}; going on without IAM Identity Center");
            let _ = writeln!(
                std::io::stderr(),
                "orgnav: warning: {e}; going on without IAM Identity Center"
            );
            return Ok(None);
        }
    };
    let Some(settings) = settings else {
        return Ok(None);
    };
    // The portal and OIDC APIs take the token, not AWS credentials, and live in the
    // Identity Center region: naming it skips the region chain (and its instance-metadata
    // probe), so every command — `ls` from the cache too — starts without a network wait.
    let base = crate::aws::session::loader(&source.session)
        .region(aws_config::Region::new(settings.region.clone()))
        .no_credentials()
        .load()
        .await;
    Ok(Some(std::sync::Arc::new(crate::sso::IdentityCenter::new(
        settings, &base,
    ))))
}

pub fn main_with(cli: Cli) -> ExitCode {
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Not eprintln!: it panics when stderr is gone (a closed terminal or pipe).
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "orgnav: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}

/// Inside an orgnav shell the "base" credentials would be the assumed role's: refuse, except
/// for the demo and for what only reads the cache (`--offline` ls, tree, roles); anything
/// else would call STS with the role's credentials.
fn refuse_nested(cli: &Cli) -> Result<(), CliError> {
    let reads_cache_only = cli.offline
        && matches!(
            cli.command,
            Some(Command::Ls { .. } | Command::Tree { .. } | Command::Roles { .. })
        );
    match std::env::var("ORGNAV_ACCOUNT_ID") {
        Ok(id) if !id.is_empty() && !cli.demo && !reads_cache_only => {
            Err(CliError::usage(format!(
                "this shell was started by orgnav for account {id} ({}); its credentials are that role's, \
             not your base credentials. Exit the shell first (ls, tree and roles also work with --offline)",
                std::env::var("ORGNAV_ACCOUNT_NAME").unwrap_or_default()
            )))
        }
        _ => Ok(()),
    }
}

/// `ORGNAV_FEDERATION_URL` obeys the same rule as `console.federation_url`.
fn check_federation_env() -> Result<(), CliError> {
    match std::env::var("ORGNAV_FEDERATION_URL") {
        Ok(url) if !url.is_empty() => crate::aws::console::federation_url_problem(&url)
            .map_or(Ok(()), |why| {
                Err(CliError::usage(format!("ORGNAV_FEDERATION_URL {why}")))
            }),
        _ => Ok(()),
    }
}

fn run(cli: Cli) -> Result<u8, CliError> {
    // Neither needs a config, the cache or AWS.
    match cli.command {
        Some(Command::Completions { shell }) => return complete::script(shell),
        Some(Command::Man) => return complete::manual(),
        // Runs before every shell prompt, inside orgnav shells: ahead of the nesting guard,
        // the config, logging and the runtime.
        Some(Command::Prompt { format, color }) => return prompt_segment::run(format, color),
        _ => {}
    }
    refuse_nested(&cli)?;
    let config = load_config(&cli)?;
    crate::logging::init().map_err(CliError::usage)?;
    check_federation_env()?;
    let source = Source::new(&config, cli.profile.clone(), cli.region.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::runtime(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let ctx = context(cli, config, source).await?;
        dispatch::dispatch(&ctx).await
    })
}

/// The checks of the parts that own a config setting (config itself depends on none of them).
pub const CONFIG_CHECKS: &[crate::config::Check] = &[
    crate::aws::console::check_config,
    crate::tui::keymap::Keymap::check_config,
    crate::access::browser::command::check_config,
];

/// `--config`, `ORGNAV_CONFIG` or the default path; a missing default file is the defaults.
fn load_config(cli: &Cli) -> Result<Config, CliError> {
    load_config_at(cli.config.clone())
}

/// The config at `explicit` (an error when missing), else at the default path.
fn load_config_at(explicit: Option<PathBuf>) -> Result<Config, CliError> {
    let (path, explicit) = match explicit {
        Some(p) => (Some(p), true),
        None => (crate::config::default_path(), false),
    };
    match path {
        Some(p) => {
            Config::load(&p, explicit, CONFIG_CHECKS).map_err(|e| CliError::usage(e.to_string()))
        }
        None => Ok(Config::default()),
    }
}

/// What every command needs: the cache keyed by the profile's endpoint too, and the Identity
/// Center sign-in when there is one (required only by what cannot do without it).
async fn context(cli: Cli, config: Config, source: Source) -> Result<Ctx, CliError> {
    // The demo has no cache to key.
    let source = if cli.demo {
        source
    } else {
        source.with_profile_endpoint().await
    };
    Ok(Ctx {
        cli,
        config,
        source,
        identity_center: std::sync::OnceLock::new(),
        access: std::sync::OnceLock::new(),
    })
}
