//! The command line: clap types, dispatch, exit codes (0 ok, 1 runtime/AWS error, 2 usage).

mod browse;
mod org_cmds;
pub mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::source::Source;

#[derive(Debug, Parser)]
#[command(name = "orgnav", version, about = "Navigate an AWS organization: accounts, OUs, tags", long_about = None)]
pub struct Cli {
    /// AWS profile for the base credentials (default: AWS_PROFILE, then config, then the default chain).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region (default: the profile's, else us-east-1).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Config file [default: $XDG_CONFIG_HOME/orgnav/config.toml].
    #[arg(long, global = true, env = "ORGNAV_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Never call AWS: use the cached organization only.
    #[arg(long, global = true, conflicts_with = "refresh")]
    pub offline: bool,
    /// Ignore the cache's age and crawl the organization now.
    #[arg(long, global = true)]
    pub refresh: bool,
    /// Use the built-in demo organization (no AWS needed).
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List accounts, filtered and ranked by the fuzzy search.
    Ls {
        /// Fuzzy query over name, ID, email, OU path and tags.
        query: Vec<String>,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the OU/account tree as indented text.
    Tree,
    /// Crawl the organization now and update the cache.
    Refresh {
        /// Print API call counts and timings.
        #[arg(long)]
        stats: bool,
    },
}

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
}

pub fn main_with(cli: Cli) -> ExitCode {
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orgnav: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    let (path, explicit) = match &cli.config {
        Some(p) => (Some(p.clone()), true),
        None => (crate::config::default_path(), false),
    };
    let config = match path {
        Some(p) => Config::load(&p, explicit).map_err(|e| CliError::usage(e.to_string()))?,
        None => Config::default(),
    };
    crate::logging::init();
    let source = Source::new(&config, cli.profile.clone(), cli.region.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::runtime(format!("cannot start the async runtime: {e}")))?;
    let ctx = Ctx {
        cli,
        config,
        source,
    };
    runtime.block_on(async {
        match &ctx.cli.command {
            None => browse::run(&ctx).await,
            Some(Command::Ls { query, json }) => org_cmds::ls(&ctx, &query.join(" "), *json).await,
            Some(Command::Tree) => org_cmds::tree(&ctx).await,
            Some(Command::Refresh { stats }) => org_cmds::refresh(&ctx, *stats).await,
        }
    })
}
