//! Entering an account, shared by the CLI and the TUI: base credentials → caller identity →
//! `AssumeRole` (MFA when the profile asks for it) → an [`AccountSession`]. Then: the console
//! sign-in URL for a session (`console`), opening it without leaking it (`browser`), shells,
//! commands and env output with the session (`launch`), and the last role used (`history`).

mod assume_plan;
pub mod browser;
mod console;
pub mod console_dest;
pub mod console_links;
pub mod cred_cache;
pub mod cred_server;
pub mod demo;
mod disk_sessions;
pub mod history;
pub mod keyring_store;
pub mod launch;
pub mod refreshing;
pub use assume_plan::plan_assume;

use std::collections::HashMap;
use std::sync::Arc;

use aws_config::SdkConfig;
use tokio::sync::Mutex;

use crate::aws::assume::{Caller, assume_role, caller};
use crate::aws::error::AwsFailure;
use crate::aws::roles::{RoleOption, RoleSource};
use crate::aws::session::{SessionOptions, load_sdk_config};
use crate::config::Config;
use crate::model::Account;
use crate::sso::IdentityCenter;
use launch::AccountSession;

pub use console::ISSUER;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AccessError {
    #[error("role {role} requires an MFA code (device {serial})")]
    MfaRequired { role: String, serial: String },
    #[error("{0}")]
    Aws(#[from] AwsFailure),
    #[error("{0}")]
    Console(String),
    #[error("{0}")]
    Sso(#[from] crate::sso::SsoError),
}

#[derive(Debug, Clone)]
pub struct AccessSettings {
    pub session: SessionOptions,
    pub duration_seconds: i32,
    pub federation_url: Option<String>,
    /// `console.logout_first`: sign-in URLs go behind AWS's sign-out redirect.
    pub logout_first: bool,
}

impl AccessSettings {
    /// Base credentials: `--profile`, then config `base_profile`, then config `profile`.
    pub fn new(config: &Config, profile: Option<String>, region: Option<String>) -> Self {
        let federation_url = std::env::var("ORGNAV_FEDERATION_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .or_else(|| config.console.federation_url.clone());
        Self {
            session: SessionOptions {
                profile: profile
                    .or_else(|| config.base_profile.clone())
                    .or_else(|| config.profile.clone()),
                region: region.or_else(|| config.region.clone()),
                max_attempts: config.crawl.max_attempts,
                network: config.network.clone(),
            },
            duration_seconds: config.duration_seconds,
            federation_url,
            logout_first: config.console.logout_first,
        }
    }
}

/// A session plus what the console needs to know about how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumed {
    pub session: AccountSession,
    /// Made from an assumed-role session: AWS refuses a console `SessionDuration` then.
    pub chained: bool,
}

impl Assumed {
    fn new(
        account: &Account,
        option: &RoleOption,
        region: String,
        production: bool,
        credentials: crate::aws::credentials::Credentials,
        chained: bool,
    ) -> Self {
        Self {
            session: AccountSession {
                account_id: account.id.clone(),
                account_name: account.name.clone(),
                role: option.name.clone(),
                region,
                production,
                credentials: Arc::new(credentials),
                demo: false,
            },
            chained,
        }
    }
}

/// A base profile (None: the default chain), its SDK configuration, and who it is.
type Base = (Option<String>, SdkConfig, Option<Caller>);

/// Assumed sessions by (account ID, role ARN).
type Sessions = std::sync::Mutex<HashMap<(String, String), Assumed>>;

/// Caches SDK configurations and caller identities per base profile, and assumed sessions
/// until five minutes before they expire, for one process.
pub struct Access {
    settings: AccessSettings,
    bases: Mutex<Vec<Base>>,
    sessions: Sessions,
    /// STS client to use instead of one built from the base profile (tests inject mocks).
    sts: Option<aws_sdk_sts::Client>,
    /// The Identity Center sign-in, for roles whose source is Identity Center.
    identity_center: std::sync::OnceLock<Arc<IdentityCenter>>,
    /// The federation endpoint's client, built on first use (`federation_http`).
    http: std::sync::OnceLock<reqwest::Client>,
    /// The demo organization: fake credentials from `demo`, no AWS (and no network) at all.
    demo: bool,
    /// Sessions kept between processes (the CLI sets it unless `[credentials] cache = "off"`).
    disk: std::sync::OnceLock<cred_cache::CredentialCache>,
    /// How each session was made, by (account ID, role name), to renew it (`refreshing`).
    recipes: std::sync::Mutex<HashMap<(String, String), refreshing::Recipe>>,
}

impl Access {
    pub fn new(settings: AccessSettings) -> Arc<Self> {
        Self::build(settings, None, false)
    }

    /// Every STS call goes through `sts` (whatever its credentials and endpoint).
    pub fn with_sts(settings: AccessSettings, sts: aws_sdk_sts::Client) -> Arc<Self> {
        Self::build(settings, Some(sts), false)
    }

    /// Entering the demo organization's accounts (see `demo`).
    pub fn demo(settings: AccessSettings) -> Arc<Self> {
        Self::build(settings, None, true)
    }

    pub fn is_demo(&self) -> bool {
        self.demo
    }

    fn build(settings: AccessSettings, sts: Option<aws_sdk_sts::Client>, demo: bool) -> Arc<Self> {
        Arc::new(Self {
            http: std::sync::OnceLock::new(),
            settings,
            bases: Mutex::new(Vec::new()),
            sessions: std::sync::Mutex::new(HashMap::new()),
            sts,
            identity_center: std::sync::OnceLock::new(),
            demo,
            disk: std::sync::OnceLock::new(),
            recipes: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// The federation endpoint's HTTP client. Built when first needed: its TLS set-up (root
    /// certificates) cost the navigator's first frame a sixth of its time, for a console that
    /// most runs never open.
    fn federation_http(&self) -> &reqwest::Client {
        self.http.get_or_init(|| {
            crate::aws::network::NetworkLimits::federation_client(&self.settings.session.network)
        })
    }

    /// Identity Center roles are entered with this sign-in (set once, at start-up).
    pub fn use_identity_center(&self, ic: Arc<IdentityCenter>) {
        let _ = self.identity_center.set(ic);
    }

    pub fn identity_center(&self) -> Option<&Arc<IdentityCenter>> {
        self.identity_center.get()
    }

    /// `GetRoleCredentials` for a permission set, instead of `AssumeRole`.
    async fn enter_via_identity_center(
        &self,
        account: &Account,
        option: &RoleOption,
        production: bool,
        reuse_disk: bool,
    ) -> Result<Assumed, AccessError> {
        let ic = self.identity_center.get().ok_or_else(|| {
            AccessError::Sso(crate::sso::SsoError::Login(
                "this role comes from IAM Identity Center, which is not configured here".into(),
            ))
        })?;
        let credentials = self
            .identity_center_credentials(ic, account, option, reuse_disk)
            .await?;
        let region = self
            .settings
            .session
            .region
            .clone()
            .unwrap_or_else(|| ic.settings.region.clone());
        // Console: no SessionDuration for these sessions (AWS decides from the set).
        Ok(Assumed::new(
            account,
            option,
            region,
            production,
            credentials,
            true,
        ))
    }

    fn sts_for(&self, conf: &SdkConfig) -> aws_sdk_sts::Client {
        self.sts
            .clone()
            .unwrap_or_else(|| aws_sdk_sts::Client::new(conf))
    }

    /// A session made earlier in this process that is still good for five minutes.
    pub fn cached(&self, account_id: &str, role_arn: &str) -> Option<Assumed> {
        let now = jiff::Timestamp::now();
        let sessions = self.sessions.lock().ok()?;
        sessions
            .get(&(account_id.to_string(), role_arn.to_string()))
            .filter(|a| a.session.credentials.is_fresh(now))
            .cloned()
    }

    async fn base(&self, profile: Option<&str>) -> Result<(SdkConfig, Caller), AwsFailure> {
        let mut bases = self.bases.lock().await;
        let pos = match bases.iter().position(|(p, _, _)| p.as_deref() == profile) {
            Some(pos) => pos,
            None => {
                let opts = SessionOptions {
                    profile: profile.map(str::to_string),
                    ..self.settings.session.clone()
                };
                bases.push((
                    profile.map(str::to_string),
                    load_sdk_config(&opts).await,
                    None,
                ));
                bases.len() - 1
            }
        };
        let (_, conf, known) = &mut bases[pos];
        let who = match known {
            Some(c) => c.clone(),
            None => {
                let c = caller(&self.sts_for(conf)).await?;
                *known = Some(c.clone());
                c
            }
        };
        Ok((conf.clone(), who))
    }

    pub async fn assume(
        &self,
        account: &Account,
        option: &RoleOption,
        production: bool,
        mfa_code: Option<&str>,
    ) -> Result<Assumed, AccessError> {
        if let Some(assumed) = self.cached(&account.id, &option.role_arn) {
            return Ok(assumed);
        }
        let assumed = self
            .assume_reusing(account, option, production, mfa_code, true)
            .await?;
        self.note_recipe(account, option, production, &assumed);
        Ok(assumed)
    }

    /// `assume` without this process's sessions; `reuse_disk`: whether a session cached
    /// between runs may answer (not when renewing it). The session is held for the process.
    async fn assume_reusing(
        &self,
        account: &Account,
        option: &RoleOption,
        production: bool,
        mfa_code: Option<&str>,
        reuse_disk: bool,
    ) -> Result<Assumed, AccessError> {
        let assumed = if self.demo {
            self.enter_demo(account, option, production, mfa_code)?
        } else if option.source == RoleSource::IdentityCenter {
            self.enter_via_identity_center(account, option, production, reuse_disk)
                .await?
        } else {
            self.assume_with_sts(account, option, production, mfa_code, reuse_disk)
                .await?
        };
        self.remember(account, option, &assumed);
        Ok(assumed)
    }

    /// AssumeRole from the base credentials (or a profile's source profile), through the
    /// cache between runs when `reuse_disk`.
    async fn assume_with_sts(
        &self,
        account: &Account,
        option: &RoleOption,
        production: bool,
        mfa_code: Option<&str>,
        reuse_disk: bool,
    ) -> Result<Assumed, AccessError> {
        let via = option.via_profile.as_ref();
        // A profile option assumes from its source_profile, like the AWS CLI would.
        let base_profile = match via {
            Some(p) => p.source_profile.clone(),
            None => self.settings.session.profile.clone(),
        };
        let (conf, who) = self.base(base_profile.as_deref()).await?;
        let region = conf.region().map_or_else(
            || crate::aws::session::FALLBACK_REGION.to_string(),
            |r| r.to_string(),
        );
        let key = self.disk_key(account, option, &conf, &who);
        let cached = if reuse_disk {
            self.cached_on_disk(key.as_ref())
        } else {
            None
        };
        let fresh = cached.is_none();
        let credentials = match cached {
            Some(credentials) => credentials,
            None => {
                let request = plan_assume(&who, option, self.settings.duration_seconds, mfa_code)?;
                tracing::info!(account = %account.id, role = %option.role_arn, chained = who.chained, "assuming role");
                assume_role(&self.sts_for(&conf), &request).await?
            }
        };
        let assumed = Assumed::new(
            account,
            option,
            region,
            production,
            credentials,
            who.chained,
        );
        if fresh {
            self.keep_on_disk(key.as_ref(), &assumed.session.credentials);
        }
        Ok(assumed)
    }

    /// A new session, whatever this process holds: what `--refreshing` renews with.
    pub async fn assume_anew(
        &self,
        account: &Account,
        option: &RoleOption,
        production: bool,
    ) -> Result<Assumed, AccessError> {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.remove(&(account.id.clone(), option.role_arn.clone()));
        }
        // Not from the cache between runs either: it would hand back the session being renewed.
        self.assume_reusing(account, option, production, None, false)
            .await
    }

    fn remember(&self, account: &Account, option: &RoleOption, assumed: &Assumed) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.insert(
                (account.id.clone(), option.role_arn.clone()),
                assumed.clone(),
            );
        }
    }
}
