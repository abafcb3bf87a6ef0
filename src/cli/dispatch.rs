//! Runs the subcommand the command line names.

use super::{
    CliError, Command, Ctx, access_cmds, browse, complete, entry_cmds, login_cmd, logout_cmd,
    org_cmds, profiles_cmd, quota_cmds,
};

pub async fn dispatch(ctx: &Ctx) -> Result<u8, CliError> {
    let ok = |r: Result<(), CliError>| r.map(|()| 0);
    // These read the cache; when it is too old to use, the crawl looks for Identity Center.
    let cache_only = matches!(
        ctx.cli.command,
        Some(Command::Ls { .. } | Command::Tree { .. } | Command::Fav { .. })
            | Some(Command::Completions { .. } | Command::Man | Command::Prompt { .. })
    );
    if !cache_only {
        ctx.ensure_identity_center().await?;
    }
    match &ctx.cli.command {
        None => ok(browse::run(ctx).await),
        Some(Command::Ls {
            query,
            json,
            recent,
            favourites,
        }) => {
            let only = org_cmds::Only::new(*recent, *favourites);
            ok(org_cmds::ls(ctx, &query.join(" "), *json, only).await)
        }
        Some(Command::Tree { query, json }) => {
            ok(org_cmds::tree(ctx, &query.join(" "), *json).await)
        }
        // Answered before the context is made (see `run`); kept here for completeness.
        Some(Command::Completions { shell }) => complete::script(*shell),
        Some(Command::Man) => complete::manual(),
        Some(Command::Prompt { format, color }) => super::prompt_segment::run(*format, *color),
        Some(Command::Refresh { stats, full }) => ok(org_cmds::refresh(ctx, *stats, *full).await),
        Some(Command::Roles { account, json }) => access_cmds::roles(ctx, account, *json).await,
        Some(Command::Fav { account, remove }) => {
            ok(org_cmds::favourite(ctx, account, *remove).await)
        }
        Some(Command::Login { force, no_browser }) => {
            login_cmd::login(ctx, *force, *no_browser).await
        }
        Some(Command::Logout { account }) => logout_cmd::logout(ctx, account.as_deref()).await,
        Some(Command::Quotas {
            account,
            all_accounts,
            ou,
            services,
            quotas,
            all_regions,
            json,
        }) => {
            let args = quota_cmds::QuotaArgs {
                account: account.as_deref(),
                all_accounts: *all_accounts,
                ou: ou.as_deref(),
                services,
                codes: quotas,
                all_regions: *all_regions,
                json: *json,
            };
            quota_cmds::quotas(ctx, &args).await
        }
        Some(Command::Profiles {
            ou,
            roles,
            template,
            dry_run,
            prune,
            file,
            credential_process,
        }) => {
            let args = profiles_cmd::ProfilesArgs {
                ou: ou.as_deref(),
                roles,
                template,
                dry_run: *dry_run,
                prune: *prune,
                file: file.as_deref(),
                credential_process: *credential_process,
            };
            profiles_cmd::profiles(ctx, &args).await
        }
        Some(
            command @ (Command::Shell { .. }
            | Command::Exec { .. }
            | Command::Env { .. }
            | Command::CredentialProcess { .. }
            | Command::Console { .. }),
        ) => enter(ctx, command).await,
    }
}

/// The commands that enter an account.
async fn enter(ctx: &Ctx, command: &Command) -> Result<u8, CliError> {
    match command {
        Command::Shell { target, child } => {
            entry_cmds::shell(ctx, target.account(), target.role(), child).await
        }
        Command::Exec {
            target,
            child,
            command,
        } => entry_cmds::exec(ctx, target.account(), target.role(), child, command).await,
        Command::Env { target, format } => {
            entry_cmds::env(ctx, target.account(), target.role(), *format).await
        }
        Command::CredentialProcess { account, role } => {
            entry_cmds::credential_process(ctx, account, role).await
        }
        Command::Console {
            target,
            dest,
            print,
            yes,
            via,
        } => {
            if dest.list_services {
                return super::console_args::list_services(dest.markdown);
            }
            let dest = dest.target()?;
            let (account, role) = (target.account(), target.role());
            entry_cmds::console(ctx, account, role, &dest, *print, *yes, *via).await
        }
        _ => Err(CliError::usage("not a command that enters an account")),
    }
}
