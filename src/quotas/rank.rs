//! Ranking quotas: worst utilization first, within one account and across a sweep, kept in
//! order as accounts arrive.

use serde::Serialize;

use super::reader::AccountQuotas;
use super::usage::QuotaUsage;

/// Highest utilization first; unknown usage after, quotas with a metric before those without.
pub fn worst_first_order(a: &QuotaUsage, b: &QuotaUsage) -> std::cmp::Ordering {
    let key = |r: &QuotaUsage| (r.utilization.is_none(), !r.has_usage_metric);
    key(a)
        .cmp(&key(b))
        .then_with(|| {
            b.utilization
                .unwrap_or(0.0)
                .total_cmp(&a.utilization.unwrap_or(0.0))
        })
        .then_with(|| a.quota_name.cmp(&b.quota_name))
}

pub fn sort_worst_first(rows: &mut [QuotaUsage]) {
    rows.sort_by(worst_first_order);
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

    fn row(name: &str, utilization: Option<f64>, metric: bool) -> QuotaUsage {
        QuotaUsage {
            service_code: "ec2".into(),
            quota_code: format!("L-{name}"),
            quota_name: name.into(),
            value: 10.0,
            usage: utilization.map(|u| u * 10.0),
            utilization,
            adjustable: true,
            unit: "None".into(),
            region: "us-east-1".into(),
            has_usage_metric: metric,
        }
    }

    #[test]
    fn worst_first_then_unknown_then_no_metric() {
        let mut rows = vec![
            row("a", None, false),
            row("b", Some(0.2), true),
            row("c", None, true),
            row("d", Some(0.97), true),
        ];
        sort_worst_first(&mut rows);
        let names: Vec<_> = rows.iter().map(|r| r.quota_name.as_str()).collect();
        assert_eq!(names, ["d", "b", "c", "a"]);
    }

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
