//! The command line's shape: global flags and subcommands, with the help text `--help`, the
//! manual page and the shell completions are made from.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use clap_complete::ArgValueCompleter;

use super::{complete, prompt_segment};

#[derive(Debug, Parser)]
#[command(name = "orgnav", version, about = "Navigate an AWS organization: accounts, OUs, roles, shells, consoles, quotas", long_about = None)]
pub struct Cli {
    /// AWS profile for the base credentials (default: AWS_PROFILE, then config, then the default chain).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region, as a code or a shorthand: ue1, euw1, apse2 (default: the profile's, else us-east-1).
    #[arg(long, global = true, value_name = "REGION", value_parser = crate::region::expand,
          add = ArgValueCompleter::new(complete::regions))]
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
    /// When ACCOUNT is not an exact name or ID, take the best match (named on stderr) instead
    /// of asking (terminal) or refusing with exit 2 (scripts).
    #[arg(long, global = true)]
    pub pick_best: bool,
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
        #[arg(long, short = 'j')]
        json: bool,
        /// Only the accounts entered lately, most recent first.
        #[arg(long, conflicts_with = "favourites")]
        recent: bool,
        /// Only the favourite accounts (`f` in the navigator), in tree order.
        #[arg(long, visible_alias = "favorites")]
        favourites: bool,
    },
    /// Print the OU/account tree as indented text (or nested JSON).
    Tree {
        /// Fuzzy query: show only the matching accounts and OUs, with the OUs above them.
        query: Vec<String>,
        /// Print the root OU as nested JSON (OUs with `children` and `accounts`).
        #[arg(long, short = 'j')]
        json: bool,
    },
    /// Crawl the organization now and update the cache.
    Refresh {
        /// Print API call counts and timings.
        #[arg(long)]
        stats: bool,
        /// Re-read every tag, not only those of new and moved accounts and OUs and the
        /// oldest (config `crawl.tag_max_age_hours`).
        #[arg(long)]
        full: bool,
    },
    /// The roles orgnav offers for an account, and where each comes from.
    Roles {
        /// 12-digit ID, exact name, or a fuzzy query with one clear best match.
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Start $SHELL with the account's credentials (exit it to come back).
    Shell {
        #[command(flatten)]
        target: EntryTarget,
        #[command(flatten)]
        child: ChildOptions,
    },
    /// Run one command with the account's credentials; its exit code is orgnav's.
    Exec {
        #[command(flatten)]
        target: EntryTarget,
        #[command(flatten)]
        child: ChildOptions,
        /// The command, after `--`.
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<String>,
    },
    /// Print the account's credentials as shell exports: eval "$(orgnav env ACCOUNT)".
    Env {
        #[command(flatten)]
        target: EntryTarget,
        /// Shell syntax of the exports.
        #[arg(long, value_enum, default_value = "sh")]
        format: crate::access::launch::EnvFormat,
    },
    /// Credentials in the `credential_process` format, for ~/.aws/config.
    CredentialProcess {
        /// 12-digit ID, exact name, or a fuzzy query with one clear best match.
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: String,
        /// Role name or ARN to assume (required: this runs unattended).
        #[arg(long, add = ArgValueCompleter::new(complete::roles))]
        role: String,
    },
    /// Open (or print) an AWS console sign-in URL for the account.
    Console {
        #[command(flatten)]
        target: EntryTarget,
        #[command(flatten)]
        dest: super::console_args::ConsoleDestination,
        /// Print the URL to stdout instead of opening the browser.
        #[arg(long)]
        print: bool,
        /// Skip the production confirmation (required without a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
        /// `portal`: the Identity Center access portal's shortcut link (no credentials
        /// here); `federation`: a sign-in URL from the role's credentials (default: config
        /// `console.via`).
        #[arg(long, value_enum)]
        via: Option<crate::config::ConsoleVia>,
    },
    /// Print the script that completes commands, accounts and roles in SHELL (see README).
    Completions {
        /// The shell the script is for.
        #[arg(value_enum)]
        shell: complete::Shell,
    },
    /// Print the manual page (roff): orgnav man > ~/.local/share/man/man1/orgnav.1
    Man,
    /// Mark an account as a favourite (★ in the navigator, `ls --favourites`), or unmark it.
    Fav {
        /// 12-digit ID, exact name, or a fuzzy query with one clear best match.
        account: String,
        /// Unmark it instead.
        #[arg(long)]
        remove: bool,
    },
    /// Sign in to IAM Identity Center (device login; shares the AWS CLI's token cache).
    Login {
        /// Sign in again even when the cached token is still valid.
        #[arg(long)]
        force: bool,
        /// Print the address instead of opening the browser.
        #[arg(long)]
        no_browser: bool,
    },
    /// Forget the credentials cached between runs: all of them, or one account's.
    Logout {
        /// 12-digit ID, exact name, or a fuzzy query with one clear best match.
        #[arg(add = ArgValueCompleter::new(complete::accounts))]
        account: Option<String>,
    },
    /// Quota usage of an account, or of every active account with --all-accounts.
    Quotas {
        /// 12-digit ID, exact name, or a fuzzy query with one clear best match.
        #[arg(required_unless_present = "all_accounts", add = ArgValueCompleter::new(complete::accounts))]
        account: Option<String>,
        /// Sweep every ACTIVE account (worst utilization first).
        #[arg(long, conflicts_with = "account")]
        all_accounts: bool,
        /// Only accounts under this OU (ID, path like Workloads/Prod, or name).
        #[arg(long, requires = "all_accounts", value_name = "OU")]
        ou: Option<String>,
        /// Service code, repeatable (default: config quotas.services).
        #[arg(long = "service", value_name = "CODE")]
        services: Vec<String>,
        /// Only this quota code (e.g. L-1216C47A), repeatable.
        #[arg(long = "quota", value_name = "CODE")]
        quotas: Vec<String>,
        /// Every region in config quotas.regions (default: --region, else the session's).
        #[arg(long, conflicts_with = "region")]
        all_regions: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write a named profile per (account, role) into ~/.aws/config, inside a managed block.
    Profiles {
        /// Only accounts under this OU (ID, path like Workloads/Prod, or name).
        #[arg(long, value_name = "OU")]
        ou: Option<String>,
        /// Only roles of this name or ARN, repeatable (default: every role offered).
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// Profile names: fields {account_name} {account_id} {role} {ou_path} {env} {tag:KEY}.
        #[arg(long, value_name = "TEMPLATE", default_value = crate::profiles::template::DEFAULT_TEMPLATE)]
        template: String,
        /// Print the change as a unified diff instead of writing it.
        #[arg(long)]
        dry_run: bool,
        /// Remove profiles of accounts and roles no longer offered (default: keep, list them).
        #[arg(long)]
        prune: bool,
        /// The AWS config file to write [default: AWS_CONFIG_FILE, else ~/.aws/config].
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// Profiles that run `orgnav credential-process` instead of the AWS CLI's own sign-in.
        #[arg(long)]
        credential_process: bool,
    },
    /// A short segment for the shell prompt naming this orgnav shell's account, role and time
    /// left (nothing outside one); reads only its environment (see README, Prompt).
    Prompt {
        /// What to print: text, the same text for a starship `custom` module, or JSON.
        #[arg(long, value_enum, default_value = "plain")]
        format: prompt_segment::PromptFormat,
        /// Colour `plain` (red for production); `NO_COLOR` always wins.
        #[arg(long, value_enum, default_value = "auto")]
        color: prompt_segment::PromptColor,
    },
}

/// How `shell` and `exec` start their child.
#[derive(Debug, clap::Args)]
pub struct ChildOptions {
    /// Skip the production confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Serve the credentials from a local endpoint and renew them before they expire,
    /// for as long as the child runs (config `[credentials] refreshing`).
    #[arg(long)]
    pub refreshing: bool,
}

/// ACCOUNT and `--role` of the commands that enter an account.
#[derive(Debug, clap::Args)]
pub struct EntryTarget {
    /// 12-digit ID, exact name, a search, or `-` for the account entered last; without it, a
    /// picker on a terminal.
    #[arg(add = ArgValueCompleter::new(complete::accounts))]
    pub account: Option<String>,
    /// Role name or ARN (default: the last one used, else the first option).
    #[arg(long, add = ArgValueCompleter::new(complete::roles))]
    pub role: Option<String>,
}

impl EntryTarget {
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    pub fn role(&self) -> Option<&str> {
        self.role.as_deref()
    }
}
