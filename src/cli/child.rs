//! Running a command or shell with an entered session: the keys in its environment, or
//! (`--refreshing`) a loopback endpoint serving them, renewed until the child exits.

use super::{CliError, Ctx};
use crate::access::Assumed;
use crate::access::cred_server::CredentialEndpoint;
use crate::access::launch;
use crate::aws::roles::RoleOption;

/// A session and what made it: `--refreshing` renews it with the same account and role.
pub(super) struct Entered {
    pub assumed: Assumed,
    pub account: crate::model::Account,
    pub option: RoleOption,
    pub production: bool,
}

/// Runs a child with the session; Ctrl-C reaches the child, not orgnav.
async fn run_child(mut cmd: tokio::process::Command) -> Result<u8, CliError> {
    let mut interrupts = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| CliError::runtime(e.to_string()))?;
    let mut child = cmd
        .spawn()
        .map_err(|e| CliError::runtime(format!("cannot start the command: {e}")))?;
    let status = loop {
        tokio::select! {
            status = child.wait() => break status.map_err(|e| CliError::runtime(e.to_string()))?,
            _ = interrupts.recv() => {}
        }
    };
    use std::os::unix::process::ExitStatusExt;
    Ok(status
        .code()
        .map_or_else(|| 128 + status.signal().unwrap_or(0) as u8, |c| c as u8))
}

/// Whether the child gets an endpoint (`--refreshing` or config) — refused when the child's
/// `[default]` profile has credentials of its own: every SDK and the CLI read those before a
/// credential endpoint, so the child would act as that profile, in another account.
pub(super) async fn wants_endpoint(ctx: &Ctx, refreshing: bool) -> Result<bool, CliError> {
    if !(refreshing || ctx.config.credentials.refreshing) {
        return Ok(false);
    }
    match crate::access::refreshing::default_profile_credentials().await {
        Some(key) => Err(CliError::usage(format!(
            "--refreshing cannot work here: the [default] profile has its own credentials \
             ({key}), which AWS tools use before a credential endpoint, so the command would act \
             as that profile; run without --refreshing, or move them to a named profile"
        ))),
        None => Ok(true),
    }
}

/// Runs `program` with the session: the keys in its environment, or with `endpoint` (see
/// [`wants_endpoint`]) a loopback endpoint serving them, renewed until it exits.
pub(super) async fn launch_child(
    ctx: &Ctx,
    entered: &Entered,
    program: &str,
    args: &[String],
    endpoint: bool,
) -> Result<u8, CliError> {
    let session = &entered.assumed.session;
    if !endpoint {
        return run_child(launch::command(program, args, session)).await;
    }
    let endpoint = serve_credentials(ctx, entered).await?;
    let code = run_child(launch::command_with_endpoint(
        program, args, session, &endpoint,
    ))
    .await;
    // The endpoint closes here, with the child gone.
    endpoint.stop().await;
    code
}

async fn serve_credentials(ctx: &Ctx, e: &Entered) -> Result<CredentialEndpoint, CliError> {
    let initial = std::sync::Arc::clone(&e.assumed.session.credentials);
    let (endpoint, note) = ctx
        .access()
        .credential_endpoint(e.account.clone(), e.option.clone(), e.production, initial)
        .await
        .map_err(|e| {
            CliError::runtime(format!(
                "cannot start the credential endpoint on 127.0.0.1: {e}; run without --refreshing"
            ))
        })?;
    if let Some(note) = note {
        crate::note!("{note}");
    }
    crate::note!(
        "orgnav: credentials served at {} and renewed until the command exits",
        endpoint.url()
    );
    Ok(endpoint)
}
