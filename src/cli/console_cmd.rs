//! `console`'s choices beyond the sign-in URL: the Identity Center portal instead of the
//! federation endpoint (`--via portal`), sign-out first, and which browser.

use super::access_cmds::Chosen;
use super::{CliError, Ctx};
use crate::access::browser::command::{AccountContext, BrowserChoice, browser_for};
use crate::access::console_dest::{Target, destination_url};
use crate::access::history::{EntryKind, History};
use crate::aws::roles::RoleSource;
use crate::config::ConsoleVia;

/// The demo's access portal: not AWS, never opened (the demo prints it).
const DEMO_START_URL: &str = "https://portal.demo.orgnav.invalid/start";

/// The browser and container configured for the chosen account.
pub(super) fn browser_choice(ctx: &Ctx, c: &Chosen) -> BrowserChoice {
    browser_for(
        &ctx.config.console,
        &AccountContext {
            account: c.account(),
            path: c.path(),
            role: &c.option.name,
            production: c.production(),
        },
    )
}

/// Whether to go through the portal: `--via portal` insists (a role from elsewhere is a
/// usage error); config `console.via = "portal"` applies to Identity Center roles only.
pub(super) fn wants_portal(
    ctx: &Ctx,
    c: &Chosen,
    flag: Option<ConsoleVia>,
) -> Result<bool, CliError> {
    let identity_center = c.option.source == RoleSource::IdentityCenter;
    match flag {
        Some(ConsoleVia::Portal) if !identity_center => Err(CliError::usage(format!(
            "--via portal needs an IAM Identity Center role; {} in {} comes from {}: \
             use --via federation, or pick an Identity Center role with --role",
            c.option.name,
            c.account().name,
            c.option.source_label()
        ))),
        Some(via) => Ok(via == ConsoleVia::Portal),
        None => Ok(identity_center && ctx.config.console.via == ConsoleVia::Portal),
    }
}

/// The portal's shortcut link for the chosen account and permission set: printed, or opened
/// in the configured browser. No credentials are fetched: the portal signs in itself.
pub(super) fn portal(
    ctx: &Ctx,
    c: &Chosen,
    target: &Target,
    print: bool,
    choice: &BrowserChoice,
) -> Result<u8, CliError> {
    let (start_url, sso_region) = match ctx.identity_center() {
        Some(ic) => (ic.settings.start_url.clone(), ic.settings.region.clone()),
        None if ctx.cli.demo => (DEMO_START_URL.to_string(), "eu-west-1".to_string()),
        None => {
            return Err(CliError::usage(
                "--via portal needs an IAM Identity Center sign-in: add an [sso-session] \
                 to ~/.aws/config or name one with sso.session",
            ));
        }
    };
    let region = ctx
        .cli
        .region
        .clone()
        .or_else(|| ctx.config.region.clone())
        .unwrap_or(sso_region);
    let destination =
        destination_url(&region, target).map_err(|e| CliError::usage(e.to_string()))?;
    let url = crate::access::console_links::portal_shortcut_url(
        &start_url,
        &c.account().id,
        &c.option.name,
        &destination,
    );
    History::record_for(
        ctx.cli.demo,
        &c.account().id,
        &c.option.name,
        EntryKind::Console,
    );
    crate::note!(
        "orgnav: {} as {} through the access portal ({})",
        c.account().name,
        c.option.name,
        start_url
    );
    if print || ctx.cli.demo {
        super::output::emit(&format!("{url}\n"))?;
        return Ok(0);
    }
    crate::access::browser::open_public_url(&url, choice)
        .map_err(|e| CliError::runtime(format!("cannot start a browser: {e}")))?;
    Ok(0)
}
