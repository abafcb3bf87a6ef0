//! `shell`, `exec`, `env`, `credential-process`, `console`: entering an account from scripts
//! and terminals, once `access_cmds` has chosen the account and role and assumed.

use std::io::IsTerminal;

use super::access_cmds::{Entry, chosen_entry, enter, prepared, prepared_entry};
use super::args::ChildOptions;
use super::child::{launch_child, wants_endpoint};
use super::console_cmd;
use super::{CliError, Ctx};
use crate::access::Assumed;
use crate::access::console_dest::{Target, destination_url};
use crate::access::history::EntryKind;
use crate::access::launch::{self, EnvFormat};

/// Production asks unless `--yes`; fuzzy matches may be picked on a terminal.
fn asking(yes: bool, kind: EntryKind) -> Entry {
    Entry {
        production_guard: Some(yes),
        may_ask: true,
        kind,
    }
}

/// One line on stderr naming what was entered.
fn announce(assumed: &Assumed) {
    crate::note!(
        "orgnav: {}",
        launch::entered(&assumed.session, jiff::Timestamp::now())
    );
}

pub async fn shell(
    ctx: &Ctx,
    account: Option<&str>,
    role: Option<&str>,
    child: &ChildOptions,
) -> Result<u8, CliError> {
    let endpoint = wants_endpoint(ctx, child.refreshing).await?;
    let entered = prepared_entry(ctx, account, role, asking(child.yes, EntryKind::Shell)).await?;
    let assumed = &entered.assumed;
    crate::note!(
        "{}",
        launch::banner(
            &assumed.session,
            super::table::colour_allowed(std::io::stderr().is_terminal())
        )
    );
    let shell = launch::user_shell(ctx.config.shell.as_deref());
    launch_child(ctx, &entered, &shell, &[], endpoint).await
}

pub async fn exec(
    ctx: &Ctx,
    account: Option<&str>,
    role: Option<&str>,
    child: &ChildOptions,
    command: &[String],
) -> Result<u8, CliError> {
    let Some((program, args)) = command.split_first() else {
        return Err(CliError::usage("exec needs a command after --"));
    };
    let endpoint = wants_endpoint(ctx, child.refreshing).await?;
    let entered = prepared_entry(ctx, account, role, asking(child.yes, EntryKind::Exec)).await?;
    announce(&entered.assumed);
    launch_child(ctx, &entered, program, args, endpoint).await
}

pub async fn env(
    ctx: &Ctx,
    account: Option<&str>,
    role: Option<&str>,
    format: EnvFormat,
) -> Result<u8, CliError> {
    let entry = Entry {
        production_guard: None,
        may_ask: true,
        kind: EntryKind::Env,
    };
    let assumed = prepared(ctx, account, role, entry).await?;
    announce(&assumed);
    super::output::emit(&launch::format_env(&assumed.session, format))?;
    Ok(0)
}

pub async fn credential_process(ctx: &Ctx, account: &str, role: &str) -> Result<u8, CliError> {
    if account == "-" {
        // A profile's account must not change with whatever was entered last.
        return Err(CliError::usage(
            "credential-process needs an account ID or exact name, not `-`",
        ));
    }
    // Silent on success: SDKs pass this process's stderr through on every call.
    let entry = Entry {
        production_guard: None,
        may_ask: false,
        kind: EntryKind::CredentialProcess,
    };
    let assumed = prepared(ctx, Some(account), Some(role), entry).await?;
    super::output::emit(&launch::credential_process_json(
        &assumed.session.credentials,
    ))?;
    Ok(0)
}

pub async fn console(
    ctx: &Ctx,
    account: Option<&str>,
    role: Option<&str>,
    target: &Target,
    print: bool,
    yes: bool,
    via: Option<crate::config::ConsoleVia>,
) -> Result<u8, CliError> {
    let chosen = chosen_entry(ctx, account, role, asking(yes, EntryKind::Console)).await?;
    let choice = console_cmd::browser_choice(ctx, &chosen);
    if console_cmd::wants_portal(ctx, &chosen, via)? {
        return console_cmd::portal(ctx, &chosen, target, print, &choice);
    }
    let assumed = enter(ctx, chosen, EntryKind::Console).await?.assumed;
    // Checked before the credentials were fetched; what is left is the partition of --url.
    let destination = destination_url(&assumed.session.region, target)
        .map_err(|e| CliError::usage(e.to_string()))?;
    let access = ctx.access();
    let url = access
        .console_url(&assumed, &destination)
        .await
        .map_err(|e| CliError::runtime(e.to_string()))?;
    announce(&assumed);
    if access.is_demo() && !print {
        crate::note!(
            "orgnav: the demo console is not a real AWS sign-in: printing it instead of opening a browser"
        );
    }
    if print || access.is_demo() {
        use secrecy::ExposeSecret;
        super::output::emit(&format!("{}\n", url.expose_secret()))?;
        return Ok(0);
    }
    crate::access::browser::open_secret_url_in(url, &choice)
        .await
        .map_err(CliError::runtime)?;
    Ok(0)
}
