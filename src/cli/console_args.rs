//! Where `orgnav console` lands: SERVICE (positional or `--service`), `--path`, `--url`, and
//! `--list-services` (the alias table; `--markdown` for the README's).

use std::ffi::OsStr;

use clap_complete::{ArgValueCompleter, CompletionCandidate};

use super::CliError;
use crate::access::console_dest::{self, Target, services};

#[derive(Debug, clap::Args)]
pub struct ConsoleDestination {
    /// Console service alias to land on: ec2, s3, logs, iam, sq… (`--list-services`).
    #[arg(value_name = "SERVICE", conflicts_with_all = ["service", "path", "url"],
          add = ArgValueCompleter::new(service_aliases))]
    pub service_arg: Option<String>,
    /// Console service to land on, e.g. ec2, s3, cloudwatch (default: console home).
    #[arg(long, value_name = "SERVICE", conflicts_with_all = ["path", "url"],
          add = ArgValueCompleter::new(service_aliases))]
    pub service: Option<String>,
    /// Any console path, e.g. /ec2/home#Instances: (region added as `?region=`).
    #[arg(long, value_name = "PATH", conflicts_with = "url")]
    pub path: Option<String>,
    /// Any console URL on an AWS console host (https://…console.aws.amazon.com/…).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// List the service aliases and exit.
    #[arg(long)]
    pub list_services: bool,
    /// With --list-services: the README's Markdown table.
    #[arg(long, requires = "list_services")]
    pub markdown: bool,
}

impl ConsoleDestination {
    /// The destination asked for, checked before any credentials are fetched: a bad alias,
    /// path or URL is a usage error (exit 2).
    pub fn target(&self) -> Result<Target, CliError> {
        let service = self.service_arg.as_deref().or(self.service.as_deref());
        let target = Target::from_flags(service, self.path.as_deref(), self.url.as_deref());
        target.check().map_err(|e| CliError::usage(e.to_string()))?;
        Ok(target)
    }
}

/// `--list-services`: alias, page and path per line, or the README's Markdown table.
pub fn list_services(markdown: bool) -> Result<u8, CliError> {
    let text = if markdown {
        console_dest::services_markdown()
    } else {
        services::all()
            .iter()
            .map(|s| format!("{:<28} {:<38} {}\n", s.aliases.join(", "), s.name, s.path))
            .collect()
    };
    super::output::emit(&text)?;
    Ok(0)
}

/// SERVICE: the aliases that start with what is typed.
fn service_aliases(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy().to_ascii_lowercase();
    services::all()
        .iter()
        .flat_map(|s| s.aliases.iter().map(move |a| (a, &s.name)))
        .filter(|(a, _)| a.starts_with(&current))
        .map(|(a, name)| CompletionCandidate::new(a).help(Some(name.clone().into())))
        .collect()
}
