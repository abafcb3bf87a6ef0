//! How the navigator's `s` gives its shell credentials: the keys in its environment, or with
//! config `[credentials] refreshing = true` a loopback endpoint serving them, renewed until the
//! shell exits (as `orgnav shell --refreshing` does).

use std::sync::Arc;

use crate::access::Access;
use crate::access::cred_server::CredentialEndpoint;
use crate::access::launch::{self, AccountSession};

/// What `s` starts.
pub(super) struct Subshell {
    pub program: String,
    pub refreshing: bool,
    pub access: Arc<Access>,
}

/// A running endpoint and what to tell the user about it before the shell starts.
pub(super) struct Served {
    endpoint: CredentialEndpoint,
    notes: Vec<String>,
}

impl Served {
    /// The shell, reading its credentials from the endpoint; the notes go to the terminal
    /// first (it is the shell's by now).
    pub fn command(&self, program: &str, session: &AccountSession) -> tokio::process::Command {
        for note in &self.notes {
            crate::note!("{note}");
        }
        launch::command_with_endpoint(program, &[], session, &self.endpoint)
    }
}

impl Subshell {
    /// The endpoint for `session`'s shell when `refreshing` is set; Err: one line saying why
    /// there is no shell (the navigator shows it).
    pub async fn endpoint(&self, session: &AccountSession) -> Result<Option<Served>, String> {
        if !self.refreshing {
            return Ok(None);
        }
        if let Some(key) = crate::access::refreshing::default_profile_credentials().await {
            // Short enough for the status bar; the README says what to do.
            return Err(format!(
                "no shell: the [default] profile's {key} would beat the credential endpoint"
            ));
        }
        let (endpoint, note) = self.access.endpoint_for(session).await.map_err(|e| {
            format!("no shell: cannot start the credential endpoint on 127.0.0.1: {e}")
        })?;
        let served = format!(
            "orgnav: credentials served at {} and renewed until the shell exits",
            endpoint.url()
        );
        let notes = note.into_iter().chain([served]).collect();
        Ok(Some(Served { endpoint, notes }))
    }
}

/// Closes the endpoint, with its shell gone.
pub(super) async fn stop(served: Option<Served>) {
    if let Some(served) = served {
        served.endpoint.stop().await;
    }
}
