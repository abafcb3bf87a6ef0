//! The access effects of the TUI: assume (or Identity Center credentials), console hand-off,
//! Identity Center sign-in. Each answer carries the request id `update` gave it, so an answer
//! the user has since superseded or cancelled is dropped there.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded};
use super::clipboard::SignInLink;
use crate::access::browser::open_secret_url_watched;
use crate::access::history::History;
use crate::access::{Access, AccessError};

/// How long the console waits for a browser before offering to copy the sign-in link (a
/// machine without one, over SSH, would otherwise spin for the hand-off's whole minute).
const BROWSER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

pub fn run(access: &Arc<Access>, tx: &UnboundedSender<Action>, effect: Effect) {
    let (access, tx) = (Arc::clone(access), tx.clone());
    match effect {
        Effect::Assume {
            request,
            account,
            option,
            production,
            mfa_code,
        } => {
            if let Some(assumed) = access.cached(&account.id, &option.role_arn) {
                let _ = tx.send(Action::Loaded(Loaded::Assumed {
                    request,
                    assumed: Box::new(assumed),
                }));
                return;
            }
            tokio::spawn(async move {
                let loaded = match access
                    .assume(&account, &option, production, mfa_code.as_deref())
                    .await
                {
                    Ok(assumed) => Loaded::Assumed {
                        request,
                        assumed: Box::new(assumed),
                    },
                    Err(AccessError::MfaRequired { serial, .. }) => Loaded::MfaNeeded {
                        request,
                        account,
                        option,
                        serial,
                    },
                    Err(e) => Loaded::AccessFailed {
                        request,
                        message: e.to_string(),
                    },
                };
                let _ = tx.send(Action::Loaded(loaded));
            });
        }
        Effect::OpenConsole { request, assumed } => {
            tokio::spawn(async move {
                let stuck_tx = tx.clone();
                let stuck = move |url: secrecy::SecretString, why| {
                    let link = SignInLink::from(url);
                    let stuck = Loaded::ConsoleStuck { request, link, why };
                    let _ = stuck_tx.send(Action::Loaded(stuck));
                };
                let result = match access.console_url(&assumed, None).await {
                    Ok(url) => open_secret_url_watched(url, BROWSER_PATIENCE, stuck).await,
                    Err(e) => Err(e.to_string()),
                };
                let loaded = match result {
                    Ok(()) => Loaded::ConsoleOpened {
                        request,
                        message: format!(
                            "console opened for {} as {}",
                            assumed.session.account_name, assumed.session.role
                        ),
                    },
                    Err(message) => Loaded::AccessFailed { request, message },
                };
                let _ = tx.send(Action::Loaded(loaded));
            });
        }
        Effect::Login { request } => {
            tokio::spawn(login(access, tx, request));
        }
        Effect::RecordHistory {
            account_id,
            role,
            kind,
        } => {
            // A small file write, off the event loop.
            tokio::task::spawn_blocking(move || History::record(&account_id, &role, kind));
        }
        _ => tracing::error!("a non-access effect reached the access runner"),
    }
}

async fn login(access: Arc<Access>, tx: UnboundedSender<Action>, request: u64) {
    let done = |result| Action::Loaded(Loaded::LoginDone { request, result });
    let Some(ic) = access.identity_center() else {
        let _ = tx.send(done(Err(
            "no IAM Identity Center sign-in is configured: add an [sso-session] to \
             ~/.aws/config (or name one with sso.session)"
                .into(),
        )));
        return;
    };
    let code_tx = tx.clone();
    let result = ic
        .login(|code| {
            let url = code
                .verification_uri_complete
                .clone()
                .unwrap_or_else(|| code.verification_uri.clone());
            if let Err(e) = crate::access::browser::spawn_browser(&url) {
                tracing::warn!(error = %e, "cannot open a browser for the sign-in");
            }
            let _ = code_tx.send(Action::Loaded(Loaded::LoginCode {
                request,
                user_code: code.user_code.clone(),
                url,
            }));
        })
        .await
        .map_err(|e| e.to_string());
    let _ = tx.send(done(result));
}
