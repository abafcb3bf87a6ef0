//! Reading quota headroom in one account: pick the quota role, assume it, read each region.

use std::sync::Arc;

use aws_config::SdkConfig;

use super::rate_limit::{RateLimiter, SERVICE_QUOTAS_RATE};
use super::usage::{QuotaUsage, account_quotas};
use crate::access::{Access, AccessError, Assumed};
use crate::aws::calls::CallCounter;
use crate::aws::quotas::QuotaClients;
use crate::aws::roles::{RoleOption, RoleSource, role_arn};
use crate::model::Account;

/// What to read in each account.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaQuery {
    pub services: Vec<String>,
    /// Only these quota codes (empty: all of the services').
    pub codes: Vec<String>,
    pub regions: Vec<String>,
}

/// One account to read, with the role chosen for it (None: no role could be chosen).
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaTarget {
    pub account: Account,
    pub role: Option<RoleOption>,
    pub production: bool,
}

/// The quotas of one account in one region, or why they could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountQuotas {
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    pub result: Result<Vec<QuotaUsage>, String>,
}

/// `quotas.role` when configured (one of the account's options by name, else that role
/// name in the account), otherwise the account's first role option.
pub fn quota_role(
    options: &[RoleOption],
    configured: Option<&str>,
    account_id: &str,
    partition: &str,
) -> Option<RoleOption> {
    match configured.filter(|r| !r.trim().is_empty()) {
        Some(name) => Some(
            options
                .iter()
                .find(|o| o.name.eq_ignore_ascii_case(name))
                .cloned()
                .unwrap_or_else(|| RoleOption {
                    name: name.to_string(),
                    role_arn: role_arn(partition, account_id, name),
                    source: RoleSource::Config,
                    via_profile: None,
                }),
        ),
        None => options.first().cloned(),
    }
}

/// Assumes quota roles and reads quotas; one per process, shared by every account it reads.
pub struct QuotaReader {
    access: Arc<Access>,
    /// Endpoint, retry and timeout settings for the per-account clients.
    base: SdkConfig,
    pub counter: CallCounter,
}

impl QuotaReader {
    pub fn new(access: Arc<Access>, base: SdkConfig) -> Self {
        Self {
            access,
            base,
            counter: CallCounter::default(),
        }
    }

    pub async fn assume(
        &self,
        target: &QuotaTarget,
        mfa_code: Option<&str>,
    ) -> Result<Assumed, AccessError> {
        let Some(role) = &target.role else {
            return Err(AccessError::Console(format!(
                "no role to read quotas in {}: set quotas.role or add a [[roles]] rule",
                target.account.name
            )));
        };
        self.access
            .assume(&target.account, role, target.production, mfa_code)
            .await
    }

    /// Every region of `query` with an already assumed session.
    pub async fn read_assumed(&self, assumed: &Assumed, query: &QuotaQuery) -> Vec<AccountQuotas> {
        let s = &assumed.session;
        let mut out = Vec::with_capacity(query.regions.len());
        for region in &query.regions {
            let in_flight = SERVICE_QUOTAS_RATE as usize;
            let clients = QuotaClients::new(
                &self.base,
                &s.credentials,
                region,
                self.counter.clone(),
                in_flight,
            );
            // One bucket per account and region: the unit Service Quotas limits.
            let limiter = RateLimiter::new(SERVICE_QUOTAS_RATE);
            let result = account_quotas(&clients, &limiter, &query.services, &query.codes)
                .await
                .map_err(|e| e.to_string());
            out.push(AccountQuotas {
                account_id: s.account_id.clone(),
                account_name: s.account_name.clone(),
                region: region.clone(),
                result,
            });
        }
        out
    }

    /// Assume (without MFA: a sweep cannot stop to ask) and read; failures become entries.
    pub async fn read(&self, target: &QuotaTarget, query: &QuotaQuery) -> Vec<AccountQuotas> {
        match self.assume(target, None).await {
            Ok(assumed) => self.read_assumed(&assumed, query).await,
            Err(e) => {
                let role = target.role.as_ref().map_or("", |r| r.name.as_str());
                let message = match e {
                    AccessError::MfaRequired { serial, .. } => format!(
                        "role {role} needs an MFA code ({serial}): set quotas.role to a role without MFA"
                    ),
                    AccessError::Console(m) => m,
                    other => format!("cannot assume {role}: {other}"),
                };
                failed(target, query, &message)
            }
        }
    }
}

pub(super) fn failed(
    target: &QuotaTarget,
    query: &QuotaQuery,
    message: &str,
) -> Vec<AccountQuotas> {
    query
        .regions
        .iter()
        .map(|region| AccountQuotas {
            account_id: target.account.id.clone(),
            account_name: target.account.name.clone(),
            region: region.clone(),
            result: Err(message.to_string()),
        })
        .collect()
}
