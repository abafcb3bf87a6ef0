//! `orgnav login`: the IAM Identity Center device login, shared with the AWS CLI's cache.

use super::{CliError, Ctx};
use crate::sso::device::DeviceCode;

/// Where to go and which code to confirm; the browser is opened when asked and possible.
fn show(code: &DeviceCode, open_browser: bool) {
    let url = code
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&code.verification_uri);
    crate::note!(
        "orgnav: sign in to IAM Identity Center at\n\n    {url}\n\nand confirm the code\n\n    {}\n",
        code.user_code
    );
    if open_browser && let Err(e) = crate::access::browser::spawn_browser(url) {
        crate::note!("orgnav: could not open a browser ({e}); open the address above yourself");
    }
    crate::note!("orgnav: waiting for the approval…");
}

pub async fn login(ctx: &Ctx, force: bool, no_browser: bool) -> Result<u8, CliError> {
    if ctx.cli.demo {
        return Err(CliError::usage("the demo organization needs no login"));
    }
    let Some(ic) = ctx.identity_center() else {
        return Err(CliError::usage(
            "no IAM Identity Center sign-in is configured: add an [sso-session NAME] (or a profile \
             with sso_start_url and sso_region) to ~/.aws/config, or name one with sso.session",
        ));
    };
    if !force && let Ok(t) = ic.token().await {
        crate::note!(
            "orgnav: already signed in to {} until {} (--force signs in again)",
            ic.settings.label(),
            t.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        );
        return Ok(0);
    }
    ic.login(|code| show(code, !no_browser))
        .await
        .map_err(|e| CliError::runtime(e.to_string()))?;
    crate::note!("orgnav: signed in to {}", ic.settings.label());
    Ok(0)
}
