//! The sessions kept between processes, as `Access` uses them: the key of an entry (who asks
//! for which account and role), reading it back while fresh, storing a new one.

use aws_config::SdkConfig;

use super::{Access, AccessError, cred_cache};
use crate::aws::assume::Caller;
use crate::aws::credentials::Credentials;
use crate::aws::roles::RoleOption;
use crate::model::Account;
use crate::sso::IdentityCenter;

/// The cache between processes (see `cred_cache`).
impl Access {
    /// Keeps assumed sessions in `cache` for later processes (set once, at start-up).
    pub fn use_credential_cache(&self, cache: cred_cache::CredentialCache) {
        let _ = self.disk.set(cache);
    }

    /// The entry's key: who asks (the caller ARN, and the endpoint when one is set).
    pub(super) fn disk_key(
        &self,
        account: &Account,
        option: &RoleOption,
        conf: &SdkConfig,
        who: &Caller,
    ) -> Option<cred_cache::CacheKey> {
        self.disk.get()?;
        let endpoint = conf.endpoint_url().unwrap_or_default();
        Some(cred_cache::CacheKey {
            account_id: account.id.clone(),
            role_arn: option.role_arn.clone(),
            base_identity: format!("{} {endpoint}", who.arn).trim_end().to_string(),
        })
    }

    /// The session an earlier run left for `key`, still good for five minutes.
    pub(super) fn cached_on_disk(&self, key: Option<&cred_cache::CacheKey>) -> Option<Credentials> {
        let key = key?;
        let credentials = self.disk.get()?.load(key, jiff::Timestamp::now())?;
        tracing::info!(account = %key.account_id, role = %key.role_arn, "credentials from the cache");
        Some(credentials)
    }

    /// A cache that cannot be written costs only the next process an AssumeRole.
    pub(super) fn keep_on_disk(
        &self,
        key: Option<&cred_cache::CacheKey>,
        credentials: &Credentials,
    ) {
        let (Some(cache), Some(key)) = (self.disk.get(), key) else {
            return;
        };
        if let Err(e) = cache.store(key, credentials) {
            tracing::warn!(dir = %cache.dir().display(), "cannot cache credentials: {e}");
        }
    }

    /// Identity Center role credentials: what an earlier run of the same sign-in left for the
    /// account and permission set (`reuse_disk`), else `GetRoleCredentials`, kept for the
    /// next run. The key's base identity is the sign-in and its token's fingerprint.
    pub(super) async fn identity_center_credentials(
        &self,
        ic: &IdentityCenter,
        account: &Account,
        option: &RoleOption,
        reuse_disk: bool,
    ) -> Result<Credentials, AccessError> {
        let token = ic.token().await?;
        let key = self.disk.get().map(|_| cred_cache::CacheKey {
            account_id: account.id.clone(),
            role_arn: option.role_arn.clone(),
            base_identity: ic.identity(&token),
        });
        if reuse_disk && let Some(credentials) = self.cached_on_disk(key.as_ref()) {
            return Ok(credentials);
        }
        tracing::info!(account = %account.id, role = %option.name, "Identity Center role credentials");
        let credentials = ic
            .credentials_with(&token, &account.id, &option.name)
            .await?;
        self.keep_on_disk(key.as_ref(), &credentials);
        Ok(credentials)
    }
}
