//! One Identity Center sign-in for the whole process: its token (from the shared cache,
//! refreshed when it can be), login, the accounts and roles it grants, and role credentials.

use std::path::PathBuf;
use std::sync::Arc;

use aws_config::SdkConfig;

use super::portal::{PortalAccount, list_accounts, list_roles, role_credentials};
use super::{SsoError, SsoSettings, SsoToken, device, token};
use crate::aws::calls::CallCounter;
use crate::aws::credentials::Credentials;
use crate::aws::pacing;
use crate::model::{Account, AccountStatus, Org, Ou};

/// The flat organization's root when only the portal's accounts are known.
pub const SSO_ROOT_ID: &str = "r-identity-center";

/// Puts each account into the first group whose glob matches its name (an OU per group
/// that has accounts, under the root); the others stay at the root.
pub fn group_accounts(org: &mut Org, groups: &[crate::config::SsoGroup]) {
    let matchers: Vec<Option<globset::GlobMatcher>> = groups
        .iter()
        .map(|g| {
            globset::GlobBuilder::new(&g.account)
                .case_insensitive(true)
                .build()
                .ok()
                .map(|glob| glob.compile_matcher())
        })
        .collect();
    for (n, group) in groups.iter().enumerate() {
        let id = format!("ou-identity-center-{n}");
        let mut used = false;
        for a in org
            .accounts
            .iter_mut()
            .filter(|a| a.parent_id == SSO_ROOT_ID)
        {
            if matchers[n].as_ref().is_some_and(|m| m.is_match(&a.name)) {
                a.parent_id = id.clone();
                used = true;
            }
        }
        if used {
            org.ous.push(Ou {
                id,
                name: group.name.clone(),
                parent_id: Some(SSO_ROOT_ID.to_string()),
                tags: Default::default(),
                incomplete: None,
            });
        }
    }
}

/// The portal client in `region`: its requests (every `ListAccounts`, `ListAccountRoles` and
/// `GetRoleCredentials` of every portal client the process makes for the region, retries
/// included) are paced to the portal's 20 requests per second (slower while the portal
/// throttles), and throttled ones retried.
pub fn portal_client(base: &SdkConfig, region: aws_config::Region) -> aws_sdk_sso::Client {
    let max_attempts = base.retry_config().map_or(3, |r| r.max_attempts());
    let builder = aws_sdk_sso::config::Builder::from(base)
        .region(region.clone())
        .retry_config(crate::aws::session::retry_config(max_attempts));
    // The portal's host is per region (portal.sso.REGION.amazonaws.com).
    let budget = pacing::Pacer::shared(
        "portal",
        base.endpoint_url().unwrap_or(region.as_ref()),
        pacing::PORTAL_REQUESTS_PER_SECOND,
    );
    let mut builder = builder.interceptor(pacing::PacingInterceptor::new(Arc::clone(&budget)));
    if let Some(client) = pacing::paced_http_client(base.http_client(), budget) {
        builder = builder.http_client(client);
    }
    aws_sdk_sso::Client::from_conf(builder.build())
}

pub struct IdentityCenter {
    pub settings: SsoSettings,
    oidc: aws_sdk_ssooidc::Client,
    portal: aws_sdk_sso::Client,
    token_path: Option<PathBuf>,
    pub counter: CallCounter,
}

impl IdentityCenter {
    /// Clients in the Identity Center region, with `base`'s endpoint and retry settings.
    pub fn new(settings: SsoSettings, base: &SdkConfig) -> Self {
        let region = aws_config::Region::new(settings.region.clone());
        let oidc = aws_sdk_ssooidc::config::Builder::from(base)
            .region(region.clone())
            .build();
        let token_path = token::default_path(settings.cache_key());
        Self::with_clients(
            settings,
            aws_sdk_ssooidc::Client::from_conf(oidc),
            portal_client(base, region),
            token_path,
        )
    }

    pub fn with_clients(
        settings: SsoSettings,
        oidc: aws_sdk_ssooidc::Client,
        portal: aws_sdk_sso::Client,
        token_path: Option<PathBuf>,
    ) -> Self {
        Self {
            settings,
            oidc,
            portal,
            token_path,
            counter: CallCounter::default(),
        }
    }

    fn path(&self) -> Result<&PathBuf, SsoError> {
        self.token_path.as_ref().ok_or_else(|| SsoError::Cache {
            path: "~/.aws/sso/cache".into(),
            message: "no home directory".into(),
        })
    }

    fn store(&self, t: &SsoToken) -> Result<(), SsoError> {
        let path = self.path()?;
        token::store(path, t).map_err(|e| SsoError::Cache {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// A valid token: the cached one, or a refreshed one (written back). Never prompts.
    pub async fn token(&self) -> Result<SsoToken, SsoError> {
        let path = self.path()?;
        let cached = token::load(path).map_err(|message| SsoError::Cache {
            path: path.display().to_string(),
            message,
        })?;
        let now = jiff::Timestamp::now();
        match cached {
            Some(t) if t.is_valid(now) => Ok(t),
            Some(t) if self.settings.refreshable() && t.can_refresh(now) => {
                match device::refresh(&self.oidc, &t).await {
                    Ok(fresh) => {
                        self.store(&fresh)?;
                        tracing::info!("refreshed the Identity Center token");
                        Ok(fresh)
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "Identity Center token refresh failed");
                        Err(SsoError::LoginRequired(self.settings.label()))
                    }
                }
            }
            _ => Err(SsoError::LoginRequired(self.settings.label())),
        }
    }

    /// The device flow; the token is stored in the AWS CLI's cache.
    pub async fn login(&self, show: impl FnOnce(&device::DeviceCode)) -> Result<(), SsoError> {
        let t = device::login(&self.oidc, &self.settings, show).await?;
        self.store(&t)
    }

    pub async fn accounts(&self) -> Result<Vec<PortalAccount>, SsoError> {
        let t = self.token().await?;
        Ok(list_accounts(&self.portal, &t.access_token, &self.counter).await?)
    }

    /// Role names per account ID for every account the sign-in may use.
    pub async fn roles(
        &self,
        account_ids: &[String],
        concurrency: usize,
    ) -> Result<std::collections::BTreeMap<String, Vec<String>>, SsoError> {
        let t = self.token().await?;
        Ok(list_roles(
            &self.portal,
            &t.access_token,
            account_ids,
            concurrency,
            &self.counter,
        )
        .await?)
    }

    /// The portal's accounts as a flat organization (every account under one root), with
    /// their roles attached.
    pub async fn flat_org(&self, concurrency: usize) -> Result<Org, SsoError> {
        let accounts = self.accounts().await?;
        let ids: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
        let roles = self.roles(&ids, concurrency).await?;
        Ok(Org {
            id: format!("Identity Center ({})", self.settings.label()),
            management_account_id: None,
            root_id: SSO_ROOT_ID.to_string(),
            ous: vec![Ou {
                id: SSO_ROOT_ID.to_string(),
                name: "Identity Center".to_string(),
                parent_id: None,
                tags: Default::default(),
                incomplete: None,
            }],
            accounts: accounts
                .into_iter()
                .map(|a| Account {
                    id: a.id,
                    name: a.name,
                    email: a.email,
                    status: AccountStatus::Active,
                    joined: None,
                    parent_id: SSO_ROOT_ID.to_string(),
                    tags: Default::default(),
                })
                .collect(),
            // The portal has no tags to wait for.
            tags_loaded: true,
            sso_roles: roles,
            tags_read: Default::default(),
        })
    }

    pub async fn credentials(&self, account_id: &str, role: &str) -> Result<Credentials, SsoError> {
        let t = self.token().await?;
        self.credentials_with(&t, account_id, role).await
    }

    /// `GetRoleCredentials` with a token the caller already holds (see [`Self::token`]).
    pub async fn credentials_with(
        &self,
        t: &SsoToken,
        account_id: &str,
        role: &str,
    ) -> Result<Credentials, SsoError> {
        Ok(role_credentials(&self.portal, &t.access_token, account_id, role).await?)
    }

    /// Who signed in, as far as can be told without a call: the sign-in (session name or start
    /// URL) and a fingerprint of the bearer token `t`. The portal names no user, and the token
    /// is the only thing that tells one user's sign-in from another's on the same start URL
    /// (a new login, or a refresh, gives a new token and so a new identity).
    pub fn identity(&self, t: &SsoToken) -> String {
        use secrecy::ExposeSecret;
        use sha1::{Digest, Sha1};
        let mut h = Sha1::new();
        h.update(b"orgnav identity center token\0");
        h.update(t.access_token.expose_secret().as_bytes());
        let fingerprint = hex::encode(&h.finalize()[..12]);
        format!(
            "identity-center {} {} token:{fingerprint}",
            self.settings.label(),
            self.settings.start_url
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SsoGroup;

    fn account(id: &str, name: &str) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            email: String::new(),
            status: AccountStatus::Active,
            joined: None,
            parent_id: SSO_ROOT_ID.into(),
            tags: Default::default(),
        }
    }

    #[test]
    fn accounts_go_to_the_first_matching_group() {
        let mut org = Org {
            id: "sso".into(),
            management_account_id: None,
            root_id: SSO_ROOT_ID.into(),
            ous: vec![Ou {
                id: SSO_ROOT_ID.into(),
                name: "Identity Center".into(),
                parent_id: None,
                tags: Default::default(),
                incomplete: None,
            }],
            accounts: vec![
                account("1", "payments-PROD"),
                account("2", "payments-dev"),
                account("3", "tools"),
            ],
            tags_loaded: true,
            sso_roles: Default::default(),
            tags_read: Default::default(),
        };
        let group = |name: &str, glob: &str| SsoGroup {
            name: name.into(),
            account: glob.into(),
        };
        group_accounts(
            &mut org,
            &[
                group("Production", "*-prod"),
                group("Payments", "payments-*"),
                group("Empty", "zzz*"),
            ],
        );
        let h = crate::model::Hierarchy::new(org);
        let path = |id: &str| h.account_path(h.account_index(id).unwrap()).to_vec();
        assert_eq!(path("1"), ["Production"]);
        assert_eq!(path("2"), ["Payments"]);
        assert!(path("3").is_empty());
        assert_eq!(h.ou_count(), 3, "no OU for a group without accounts");
    }
}
