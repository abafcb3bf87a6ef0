//! Reading quota headroom, shared by the CLI and the TUI: pick the quota role, assume it, read
//! each region; and the organization-wide sweep, accounts read concurrently and reported as
//! each one finishes, a failing account recorded with its error while the sweep goes on.

use std::sync::Arc;
use std::time::Instant;

use aws_config::SdkConfig;
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::access::{Access, AccessError, Assumed};
use crate::aws::calls::CallCounter;
use crate::aws::quotas::{QuotaClients, QuotaUsage, account_quotas, worst_first_order};
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
            let clients =
                QuotaClients::new(&self.base, &s.credentials, region, self.counter.clone());
            let result = account_quotas(&clients, &query.services, &query.codes)
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

fn failed(target: &QuotaTarget, query: &QuotaQuery, message: &str) -> Vec<AccountQuotas> {
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

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepProgress {
    pub done: usize,
    pub total: usize,
    pub elapsed: std::time::Duration,
}

/// Reads every target, at most `concurrency` accounts at once; `report` sees each account's
/// results as they arrive. Returns everything, in completion order.
pub async fn sweep(
    reader: Arc<QuotaReader>,
    targets: Vec<QuotaTarget>,
    query: Arc<QuotaQuery>,
    concurrency: usize,
    mut report: impl FnMut(&[AccountQuotas], SweepProgress),
) -> Vec<AccountQuotas> {
    let started = Instant::now();
    let total = targets.len();
    let limit = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for target in targets {
        let (reader, query, limit) = (Arc::clone(&reader), Arc::clone(&query), Arc::clone(&limit));
        tasks.spawn(async move {
            let Ok(_permit) = limit.acquire_owned().await else {
                return failed(&target, &query, "sweep cancelled");
            };
            reader.read(&target, &query).await
        });
    }
    let mut all = Vec::new();
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        done += 1;
        let results = joined.unwrap_or_else(|e| {
            tracing::error!(error = %e, "quota task failed");
            Vec::new()
        });
        report(
            &results,
            SweepProgress {
                done,
                total,
                elapsed: started.elapsed(),
            },
        );
        all.extend(results);
    }
    all
}

/// A quota of a sweep: the quota's own fields plus the account's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepRow {
    pub account_id: String,
    pub account_name: String,
    #[serde(flatten)]
    pub quota: QuotaUsage,
}

/// An account and region whose quotas could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepFailure {
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    pub error: String,
}

/// All quotas worst utilization first (the order of one account's quotas, ties broken by
/// account), and the failures by account name.
pub fn worst_first(results: &[AccountQuotas]) -> (Vec<SweepRow>, Vec<SweepFailure>) {
    let mut ranked = Ranked::default();
    ranked.add(results);
    (ranked.rows, ranked.failures)
}

fn row_order(a: &SweepRow, b: &SweepRow) -> std::cmp::Ordering {
    worst_first_order(&a.quota, &b.quota)
        .then_with(|| a.account_name.cmp(&b.account_name))
        .then_with(|| a.quota.region.cmp(&b.quota.region))
}

fn failure_order(a: &SweepFailure, b: &SweepFailure) -> std::cmp::Ordering {
    (a.account_name.as_str(), a.region.as_str()).cmp(&(b.account_name.as_str(), b.region.as_str()))
}

/// A sweep's results kept in order as accounts arrive: each arrival is sorted on its own and
/// merged in (linear), instead of re-sorting everything every time.
#[derive(Debug, Clone, Default)]
pub struct Ranked {
    pub rows: Vec<SweepRow>,
    pub failures: Vec<SweepFailure>,
}

impl Ranked {
    pub fn add(&mut self, results: &[AccountQuotas]) {
        let mut rows = Vec::new();
        for r in results {
            match &r.result {
                Ok(quotas) => rows.extend(quotas.iter().map(|q| SweepRow {
                    account_id: r.account_id.clone(),
                    account_name: r.account_name.clone(),
                    quota: q.clone(),
                })),
                Err(e) => {
                    let f = SweepFailure {
                        account_id: r.account_id.clone(),
                        account_name: r.account_name.clone(),
                        region: r.region.clone(),
                        error: e.clone(),
                    };
                    let at = self
                        .failures
                        .partition_point(|x| failure_order(x, &f).is_le());
                    self.failures.insert(at, f);
                }
            }
        }
        if rows.is_empty() {
            return;
        }
        rows.sort_by(row_order);
        let old = std::mem::take(&mut self.rows);
        let mut merged = Vec::with_capacity(old.len() + rows.len());
        let (mut old, mut new) = (old.into_iter().peekable(), rows.into_iter().peekable());
        loop {
            let take_new = match (old.peek(), new.peek()) {
                (Some(o), Some(n)) => row_order(n, o).is_lt(),
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => break,
            };
            merged.extend(if take_new { new.next() } else { old.next() });
        }
        self.rows = merged;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(account: &str, utils: &[Option<f64>]) -> AccountQuotas {
        AccountQuotas {
            account_id: account.into(),
            account_name: account.into(),
            region: "us-east-1".into(),
            result: Ok(utils
                .iter()
                .enumerate()
                .map(|(i, u)| QuotaUsage {
                    service_code: "ec2".into(),
                    quota_code: format!("L-{i}"),
                    quota_name: format!("q{i}"),
                    value: 100.0,
                    usage: u.map(|u| u * 100.0),
                    utilization: *u,
                    adjustable: true,
                    unit: "None".into(),
                    region: "us-east-1".into(),
                    has_usage_metric: u.is_some(),
                })
                .collect()),
        }
    }

    #[test]
    fn merging_arrivals_gives_the_order_of_sorting_everything() {
        let results = vec![
            result("b", &[Some(0.5), None, Some(0.99)]),
            result("a", &[Some(0.5), Some(0.1)]),
            AccountQuotas {
                result: Err("denied".into()),
                ..result("z", &[])
            },
            result("c", &[None, Some(0.7), Some(0.5)]),
            AccountQuotas {
                result: Err("throttled".into()),
                ..result("d", &[])
            },
        ];
        let mut ranked = Ranked::default();
        for r in &results {
            ranked.add(std::slice::from_ref(r));
        }
        let mut all: Vec<SweepRow> = results
            .iter()
            .filter_map(|r| r.result.as_ref().ok().map(|q| (r, q)))
            .flat_map(|(r, qs)| {
                qs.iter().map(|q| SweepRow {
                    account_id: r.account_id.clone(),
                    account_name: r.account_name.clone(),
                    quota: q.clone(),
                })
            })
            .collect();
        all.sort_by(row_order);
        assert_eq!(ranked.rows, all);
        assert_eq!(ranked.rows[0].quota.utilization, Some(0.99));
        let names: Vec<_> = ranked
            .failures
            .iter()
            .map(|f| f.account_name.as_str())
            .collect();
        assert_eq!(names, ["d", "z"]);
    }
}
