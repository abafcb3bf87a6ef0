//! The access effects of the TUI: assume (or Identity Center credentials), console hand-off,
//! Identity Center sign-in. Each answer carries the request id `update` gave it, so an answer
//! the user has since superseded or cancelled is dropped there.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded};
use super::clipboard::SignInLink;
use super::console_menu::ConsoleHow;
use super::runner::Pending;
use crate::access::browser::open_secret_url_watched_in;
use crate::access::history::{EntryKind, History};
use crate::access::{Access, AccessError, Assumed};
use crate::aws::roles::RoleOption;
use crate::model::Account;
use crate::sso::IdentityCenter;

/// How long the console waits for a browser before offering to copy the sign-in link (a
/// machine without one, over SSH, would otherwise spin for the hand-off's whole minute).
const BROWSER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// Told the sign-in link and why when no browser took it in time.
pub type Stuck = Box<dyn FnOnce(secrecy::SecretString, String) + Send>;

/// What entering accounts needs: AWS, the browser and the history file in the navigator
/// (`Access`), a fake in tests.
pub trait AccountAccess: Send + Sync + 'static {
    /// Credentials still valid from an earlier entry, without a call.
    fn cached(&self, account_id: &str, role_arn: &str) -> Option<Assumed>;
    fn assume<'a>(
        &'a self,
        account: &'a Account,
        option: &'a RoleOption,
        production: bool,
        mfa_code: Option<&'a str>,
    ) -> Pending<'a, Result<Assumed, AccessError>>;
    /// Opens the console (or, on the demo, says where it is): the status-bar message. When no
    /// browser takes the link in time, `stuck` gets it, so it can be offered for copying.
    fn open_console<'a>(
        &'a self,
        assumed: &'a Assumed,
        destination: &'a str,
        how: &'a ConsoleHow,
        stuck: Stuck,
    ) -> Pending<'a, Result<String, String>>;
    fn identity_center(&self) -> Option<Arc<IdentityCenter>>;
    /// Writes the entry to the history file (the demo's own file for `demo`); blocking, so it
    /// runs off the event loop.
    fn record(&self, demo: bool, account_id: &str, role: &str, kind: EntryKind);
    /// Marks or unmarks a favourite in the history file; blocking, like `record`.
    fn set_favourite(&self, demo: bool, account_id: &str, favourite: bool);
}

impl AccountAccess for Access {
    fn cached(&self, account_id: &str, role_arn: &str) -> Option<Assumed> {
        Access::cached(self, account_id, role_arn)
    }

    fn assume<'a>(
        &'a self,
        account: &'a Account,
        option: &'a RoleOption,
        production: bool,
        mfa_code: Option<&'a str>,
    ) -> Pending<'a, Result<Assumed, AccessError>> {
        Box::pin(Access::assume(self, account, option, production, mfa_code))
    }

    fn open_console<'a>(
        &'a self,
        assumed: &'a Assumed,
        destination: &'a str,
        how: &'a ConsoleHow,
        stuck: Stuck,
    ) -> Pending<'a, Result<String, String>> {
        Box::pin(async move {
            let url = self
                .console_url(assumed, destination)
                .await
                .map_err(|e| e.to_string())?;
            let choice = match how {
                ConsoleHow::CopyLink => {
                    // Handed back as when no browser comes: `update` copies it.
                    stuck(url, "copy requested".into());
                    return Ok(String::new());
                }
                ConsoleHow::Open(choice) => choice,
            };
            if self.is_demo() {
                // The demo's address is no sign-in and holds no secret: shown, not opened.
                use secrecy::ExposeSecret;
                return Ok(crate::access::demo::console_notice(url.expose_secret()));
            }
            open_secret_url_watched_in(url, choice, BROWSER_PATIENCE, stuck).await?;
            Ok(format!(
                "console opened for {} as {}",
                assumed.session.account_name, assumed.session.role
            ))
        })
    }

    fn identity_center(&self) -> Option<Arc<IdentityCenter>> {
        Access::identity_center(self).cloned()
    }

    fn record(&self, demo: bool, account_id: &str, role: &str, kind: EntryKind) {
        History::record_for(demo, account_id, role, kind);
    }

    fn set_favourite(&self, demo: bool, account_id: &str, favourite: bool) {
        if let Err(e) = History::store_favourite(demo, account_id, favourite) {
            tracing::warn!(error = %e, "cannot store the favourite");
        }
    }
}

pub fn run(access: &Arc<dyn AccountAccess>, tx: &UnboundedSender<Action>, effect: Effect) {
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
        Effect::OpenConsole {
            request,
            assumed,
            destination,
            how,
        } => open_console(access, tx, request, assumed, destination, how),
        Effect::OpenPortal { url, choice } => {
            // Detached and quick: no hand-off to wait for, the link holds no secret.
            if let Err(e) = crate::access::browser::open_public_url(&url, &choice) {
                let message = format!("cannot start a browser: {e}");
                let _ = tx.send(Action::Loaded(Loaded::ConsoleFailed(message)));
            }
        }
        Effect::StopConsole { request } => {
            // Dropping the opening closes the hand-off's listener and removes its page.
            consoles_opening().retain(|(r, handle)| {
                if *r == request {
                    handle.abort();
                }
                *r != request && !handle.is_finished()
            });
        }
        Effect::Login { request } => {
            tokio::spawn(login(access, tx, request));
        }
        Effect::RecordHistory {
            account_id,
            role,
            kind,
            demo,
        } => {
            in_order(move || access.record(demo, &account_id, &role, kind));
        }
        Effect::SetFavourite {
            account_id,
            favourite,
            demo,
        } => {
            // A failure is logged; the mark stays on screen for this session.
            in_order(move || access.set_favourite(demo, &account_id, favourite));
        }
        _ => tracing::error!("a non-access effect reached the access runner"),
    }
}

/// Opens the console for entry `request` on a task of its own, which `StopConsole` can end.
fn open_console(
    access: Arc<dyn AccountAccess>,
    tx: UnboundedSender<Action>,
    request: u64,
    assumed: Box<Assumed>,
    destination: String,
    how: ConsoleHow,
) {
    let opening = tokio::spawn(async move {
        let stuck_tx = tx.clone();
        let stuck: Stuck = Box::new(move |url: secrecy::SecretString, why| {
            let link = SignInLink::from(url);
            let stuck = Loaded::ConsoleStuck { request, link, why };
            let _ = stuck_tx.send(Action::Loaded(stuck));
        });
        let loaded = match access
            .open_console(&assumed, &destination, &how, stuck)
            .await
        {
            Ok(message) => Loaded::ConsoleOpened { request, message },
            Err(message) => Loaded::AccessFailed { request, message },
        };
        let _ = tx.send(Action::Loaded(loaded));
    });
    consoles_opening().push((request, opening.abort_handle()));
}

/// The console openings under way, by request: `StopConsole` ends one.
fn consoles_opening() -> std::sync::MutexGuard<'static, Vec<(u64, tokio::task::AbortHandle)>> {
    static OPENING: std::sync::Mutex<Vec<(u64, tokio::task::AbortHandle)>> =
        std::sync::Mutex::new(Vec::new());
    OPENING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

type Job = Box<dyn FnOnce() + Send>;

/// History writes run one at a time, in the order they were asked for (a favourite marked then
/// unmarked must end unmarked; entries keep their order), on a thread of their own: off the
/// event loop, and never two at once.
fn in_order(job: impl FnOnce() + Send + 'static) {
    static WRITER: std::sync::OnceLock<Option<std::sync::mpsc::Sender<Job>>> =
        std::sync::OnceLock::new();
    let writer = WRITER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("orgnav-history".into())
            .spawn(move || rx.into_iter().for_each(|job| job()));
        spawned.ok().map(|_| tx)
    });
    match writer {
        Some(tx) => {
            let _ = tx.send(Box::new(job));
        }
        None => job(),
    }
}

/// Waits (at most `limit`) until the history writes asked for so far are done: the navigator
/// calls it on its way out, so a last `f` is not lost.
pub fn finish_history_writes(limit: std::time::Duration) {
    let (done, finished) = std::sync::mpsc::channel();
    in_order(move || {
        let _ = done.send(());
    });
    let _ = finished.recv_timeout(limit);
}

async fn login(access: Arc<dyn AccountAccess>, tx: UnboundedSender<Action>, request: u64) {
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

#[cfg(test)]
#[path = "runner_access_tests.rs"]
mod tests;
