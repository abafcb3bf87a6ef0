//! Serving an entered session from the loopback credential endpoint (`cred_server`), renewed
//! with the same account and role until the child ends — shared by `shell|exec --refreshing`
//! and the navigator's `s` (config `[credentials] refreshing = true`).

use std::sync::Arc;

use super::cred_server::CredentialEndpoint;
use super::launch::{self, AccountSession};
use super::{Access, Assumed};
use crate::aws::roles::RoleOption;
use crate::model::Account;

/// How a session was made, so that it can be made again: what the navigator's `s` renews with
/// (its shell effect carries only the session).
#[derive(Clone)]
pub(super) struct Recipe {
    account: Account,
    option: RoleOption,
    production: bool,
}

/// Settings in a profile that give AWS tools credentials of their own.
const PROFILE_CREDENTIAL_KEYS: &[&str] = &[
    "aws_access_key_id",
    "role_arn",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
];

/// The setting of the `[default]` profile that gives it credentials of its own, if any: every
/// SDK and the CLI read those before a credential endpoint, so a child served from one would
/// act as that profile instead, in another account.
pub async fn default_profile_credentials() -> Option<&'static str> {
    let profiles = crate::aws::profiles::profile_set().await.ok()?;
    let default = profiles.get_profile("default")?;
    PROFILE_CREDENTIAL_KEYS
        .iter()
        .find(|k| default.get(k).is_some())
        .copied()
}

impl Access {
    /// Remembers how `assumed` was made (see [`Recipe`]).
    pub(super) fn note_recipe(
        &self,
        account: &Account,
        option: &RoleOption,
        production: bool,
        assumed: &Assumed,
    ) {
        let key = (
            assumed.session.account_id.clone(),
            assumed.session.role.clone(),
        );
        if let Ok(mut recipes) = self.recipes.lock() {
            let recipe = Recipe {
                account: account.clone(),
                option: option.clone(),
                production,
            };
            recipes.insert(key, recipe);
        }
    }

    /// Serves `initial` on 127.0.0.1, renewed by assuming `option` in `account` anew before it
    /// expires. The second part: a line for the user when renewal cannot work (an MFA role:
    /// no code can be asked for while the child runs).
    pub async fn credential_endpoint(
        self: &Arc<Self>,
        account: Account,
        option: RoleOption,
        production: bool,
        initial: Arc<crate::aws::credentials::Credentials>,
    ) -> std::io::Result<(CredentialEndpoint, Option<String>)> {
        let note = option.mfa_serial().map(|_| {
            format!(
                "orgnav: {} needs an MFA code, which cannot be asked for while the command \
                 runs: these credentials are served {}",
                option.name,
                launch::until(initial.expiration, jiff::Timestamp::now())
            )
        });
        let access = Arc::clone(self);
        let renew = move || {
            let (access, account, option) = (access.clone(), account.clone(), option.clone());
            async move {
                let renewed = access.assume_anew(&account, &option, production).await;
                renewed
                    .map(|a| a.session.credentials)
                    .map_err(|e| e.to_string())
            }
        };
        let endpoint = CredentialEndpoint::start(initial, renew).await?;
        Ok((endpoint, note))
    }

    /// [`Self::credential_endpoint`] for a session this process made with `assume`.
    pub async fn endpoint_for(
        self: &Arc<Self>,
        session: &AccountSession,
    ) -> std::io::Result<(CredentialEndpoint, Option<String>)> {
        let key = (session.account_id.clone(), session.role.clone());
        let recipe = self
            .recipes
            .lock()
            .ok()
            .and_then(|r| r.get(&key).cloned())
            .ok_or_else(|| {
                std::io::Error::other(format!(
                    "orgnav does not know how {} in {} was entered",
                    session.role, session.account_name
                ))
            })?;
        let initial = Arc::clone(&session.credentials);
        self.credential_endpoint(recipe.account, recipe.option, recipe.production, initial)
            .await
    }
}
