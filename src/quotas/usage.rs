//! One account's and region's quotas with their usage: AWS's defaults overlaid with the
//! account's applied values, usage from CloudWatch, worst utilization first.

use std::collections::BTreeMap;

use serde::Serialize;

use super::rank::sort_worst_first;
use super::rate_limit::RateLimiter;
use crate::aws::error::AwsFailure;
use crate::aws::quotas::{ListedQuota, QuotaClients, latest_usage, list_applied, list_defaults};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaUsage {
    pub service_code: String,
    pub quota_code: String,
    pub quota_name: String,
    pub value: f64,
    /// Latest usage in the last hour; None when unknown (no metric, or no datapoint).
    pub usage: Option<f64>,
    /// usage ÷ value, 0–1 (may exceed 1 when over quota); None when unknown.
    pub utilization: Option<f64>,
    pub adjustable: bool,
    pub unit: String,
    pub region: String,
    /// Whether AWS publishes a usage metric for this quota at all.
    pub has_usage_metric: bool,
}

/// Defaults overlaid with applied values (the applied value wins), keyed by quota code.
fn merge(defaults: Vec<ListedQuota>, applied: Vec<ListedQuota>) -> Vec<ListedQuota> {
    let mut by_code: BTreeMap<String, ListedQuota> = BTreeMap::new();
    for q in defaults {
        by_code.insert(q.quota_code.clone(), q);
    }
    for q in applied {
        tracing::trace!(quota = q.quota_code, "applied value");
        by_code.insert(q.quota_code.clone(), q);
    }
    by_code.into_values().collect()
}

/// Every quota of `services` (optionally only `codes`) with usage, worst utilization first.
/// Every call waits on `limiter`, this account's and region's own.
pub async fn account_quotas(
    c: &QuotaClients,
    limiter: &RateLimiter,
    services: &[String],
    codes: &[String],
) -> Result<Vec<QuotaUsage>, AwsFailure> {
    let mut merged = Vec::new();
    for service in services {
        let (defaults, applied) = tokio::join!(
            list_defaults(c, limiter, service),
            list_applied(c, limiter, service)
        );
        merged.extend(merge(defaults?, applied?));
    }
    if !codes.is_empty() {
        merged.retain(|q| codes.iter().any(|c| c.eq_ignore_ascii_case(&q.quota_code)));
    }
    let metrics: Vec<_> = (merged.iter().enumerate())
        .filter_map(|(i, q)| Some((i, q.usage_metric.as_ref()?)))
        .collect();
    let usage = latest_usage(c, limiter, &metrics).await?;
    let mut out: Vec<QuotaUsage> = (merged.into_iter().enumerate())
        .map(|(i, q)| {
            let used = usage.get(&i).copied();
            QuotaUsage {
                utilization: used.filter(|_| q.value > 0.0).map(|u| u / q.value),
                usage: used,
                has_usage_metric: q.usage_metric.is_some(),
                service_code: q.service_code,
                quota_code: q.quota_code,
                quota_name: q.quota_name,
                value: q.value,
                adjustable: q.adjustable,
                unit: q.unit,
                region: c.region.clone(),
            }
        })
        .collect();
    sort_worst_first(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(code: &str, value: f64) -> ListedQuota {
        ListedQuota {
            service_code: "ec2".into(),
            quota_code: code.into(),
            quota_name: code.into(),
            value,
            adjustable: true,
            unit: "None".into(),
            usage_metric: None,
        }
    }

    #[test]
    fn applied_values_win_over_defaults() {
        let merged = merge(
            vec![listed("L-B", 5.0), listed("L-A", 10.0)],
            vec![listed("L-A", 64.0)],
        );
        let got: Vec<_> = merged
            .iter()
            .map(|q| (q.quota_code.as_str(), q.value))
            .collect();
        assert_eq!(got, [("L-A", 64.0), ("L-B", 5.0)]);
    }
}
