//! Service Quotas + CloudWatch usage for one account and region.
//!
//! Per service: `ListAWSDefaultServiceQuotas` merged with `ListServiceQuotas` (the applied
//! value wins; the latter omits quotas never changed). Usage: one `GetMetricData` per 500
//! quotas with a `UsageMetric`, each with its recommended statistic, the latest datapoint of
//! the last hour. Calls go through a limiter at Service Quotas' 10 requests/s per account and
//! region; the SDK retries throttled calls.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_sdk_servicequotas::types::ServiceQuota;
use aws_smithy_types::DateTime;
use serde::Serialize;
use tokio::sync::{Mutex, Semaphore};

use super::calls::{CallCounter, all_pages};
use super::credentials::Credentials;
use super::error::{AwsFailure, classify};

/// GetMetricData accepts at most 500 queries per call.
const METRIC_BATCH: usize = 500;
/// Service Quotas allows 10 requests per second per account and region.
pub const SERVICE_QUOTAS_RATE: u32 = 10;
/// Usage metrics are read at five-minute resolution.
const PERIOD: i64 = 300;

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

/// A token bucket: bursts of up to `per_second` calls, then `per_second` calls a second.
/// Shared by every call for one account and region.
pub struct RateLimiter {
    per_second: f64,
    bucket: Mutex<(f64, tokio::time::Instant)>,
}

impl RateLimiter {
    pub fn new(per_second: u32) -> Arc<Self> {
        let per_second = f64::from(per_second.max(1));
        Arc::new(Self {
            per_second,
            bucket: Mutex::new((per_second, tokio::time::Instant::now())),
        })
    }

    pub async fn wait(&self) {
        loop {
            let short = {
                let mut b = self.bucket.lock().await;
                let now = tokio::time::Instant::now();
                let refill = now.duration_since(b.1).as_secs_f64() * self.per_second;
                *b = ((b.0 + refill).min(self.per_second), now);
                if b.0 >= 1.0 {
                    b.0 -= 1.0;
                    return;
                }
                1.0 - b.0
            };
            tokio::time::sleep(Duration::from_secs_f64(short / self.per_second)).await;
        }
    }
}

pub struct QuotaClients {
    pub quotas: aws_sdk_servicequotas::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub region: String,
    pub limiter: Arc<RateLimiter>,
    /// Calls in flight for this account and region.
    pub in_flight: Semaphore,
    pub counter: CallCounter,
}

impl QuotaClients {
    /// Clients for one account and region: `base` supplies endpoint, retries and timeouts;
    /// `credentials` the account's session. The limiter is this account's and region's own.
    pub fn new(
        base: &SdkConfig,
        credentials: &Credentials,
        region: &str,
        counter: CallCounter,
    ) -> Self {
        let creds = aws_sdk_servicequotas::config::Credentials::new(
            credentials.access_key_id.clone(),
            credentials.secret_access_key().to_string(),
            Some(credentials.session_token().to_string()),
            u64::try_from(credentials.expiration.as_second())
                .ok()
                .map(|s| std::time::UNIX_EPOCH + Duration::from_secs(s)),
            "orgnav-assumed-role",
        );
        let region_name = aws_config::Region::new(region.to_string());
        let quotas = aws_sdk_servicequotas::config::Builder::from(base)
            .credentials_provider(creds.clone())
            .region(region_name.clone())
            .build();
        let cloudwatch = aws_sdk_cloudwatch::config::Builder::from(base)
            .credentials_provider(creds)
            .region(region_name)
            .build();
        Self {
            quotas: aws_sdk_servicequotas::Client::from_conf(quotas),
            cloudwatch: aws_sdk_cloudwatch::Client::from_conf(cloudwatch),
            region: region.to_string(),
            limiter: RateLimiter::new(SERVICE_QUOTAS_RATE),
            in_flight: Semaphore::new(SERVICE_QUOTAS_RATE as usize),
            counter,
        }
    }
}

struct Merged {
    quota: ServiceQuota,
    applied: bool,
}

type Page = (Vec<ServiceQuota>, Option<String>);

/// Every page of one quota listing, each call paced by the account's rate limiter.
async fn listing<F, Fut>(
    c: &QuotaClients,
    op: &'static str,
    page: F,
) -> Result<Vec<ServiceQuota>, AwsFailure>
where
    F: Fn(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page, AwsFailure>>,
{
    all_pages(op, &c.counter, &c.in_flight, |token| {
        let call = page(token);
        async move {
            c.limiter.wait().await;
            call.await
        }
    })
    .await
}

async fn list_defaults(c: &QuotaClients, service: &str) -> Result<Vec<ServiceQuota>, AwsFailure> {
    const OP: &str = "ListAWSDefaultServiceQuotas";
    listing(c, OP, |token| {
        let call = c
            .quotas
            .list_aws_default_service_quotas()
            .service_code(service)
            .max_results(100)
            .set_next_token(token);
        async move {
            let out = call
                .send()
                .await
                .map_err(|e| classify("servicequotas", OP, &e))?;
            Ok((out.quotas().to_vec(), out.next_token().map(String::from)))
        }
    })
    .await
}

/// Only quotas whose value was changed for the account; the others are the defaults.
async fn list_applied(c: &QuotaClients, service: &str) -> Result<Vec<ServiceQuota>, AwsFailure> {
    const OP: &str = "ListServiceQuotas";
    listing(c, OP, |token| {
        let call = c
            .quotas
            .list_service_quotas()
            .service_code(service)
            .max_results(100)
            .set_next_token(token);
        async move {
            let out = call
                .send()
                .await
                .map_err(|e| classify("servicequotas", OP, &e))?;
            Ok((out.quotas().to_vec(), out.next_token().map(String::from)))
        }
    })
    .await
}

/// Defaults overlaid with applied values, keyed by quota code.
fn merge(defaults: Vec<ServiceQuota>, applied: Vec<ServiceQuota>) -> Vec<Merged> {
    let mut by_code: BTreeMap<String, Merged> = BTreeMap::new();
    for q in defaults {
        if let Some(code) = q.quota_code() {
            by_code.insert(
                code.to_string(),
                Merged {
                    quota: q,
                    applied: false,
                },
            );
        }
    }
    for q in applied {
        if let Some(code) = q.quota_code() {
            by_code.insert(
                code.to_string(),
                Merged {
                    quota: q,
                    applied: true,
                },
            );
        }
    }
    by_code.into_values().collect()
}

/// Every quota of `services` (optionally only `codes`) with usage, worst utilization first.
pub async fn account_quotas(
    c: &QuotaClients,
    services: &[String],
    codes: &[String],
) -> Result<Vec<QuotaUsage>, AwsFailure> {
    let mut merged = Vec::new();
    for service in services {
        let (defaults, applied) = tokio::join!(list_defaults(c, service), list_applied(c, service));
        // A service unknown to Service Quotas in this region is simply empty.
        let defaults = defaults.or_else(|e| {
            if is_no_such_resource(&e) {
                Ok(vec![])
            } else {
                Err(e)
            }
        })?;
        let applied = applied.or_else(|e| {
            if is_no_such_resource(&e) {
                Ok(vec![])
            } else {
                Err(e)
            }
        })?;
        merged.extend(merge(defaults, applied));
    }
    if !codes.is_empty() {
        merged.retain(|m| {
            m.quota
                .quota_code()
                .is_some_and(|q| codes.iter().any(|c| c.eq_ignore_ascii_case(q)))
        });
    }
    let usage = usage(c, &merged).await?;
    let mut out: Vec<QuotaUsage> = merged
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let q = &m.quota;
            let value = q.value().unwrap_or(0.0);
            let used = usage.get(&i).copied();
            tracing::trace!(quota = q.quota_code(), applied = m.applied, "quota merged");
            QuotaUsage {
                service_code: q.service_code().unwrap_or_default().to_string(),
                quota_code: q.quota_code().unwrap_or_default().to_string(),
                quota_name: q.quota_name().unwrap_or_default().to_string(),
                value,
                usage: used,
                utilization: used.filter(|_| value > 0.0).map(|u| u / value),
                adjustable: q.adjustable(),
                unit: q.unit().unwrap_or("None").to_string(),
                region: c.region.clone(),
                has_usage_metric: q.usage_metric().is_some_and(|m| m.metric_name().is_some()),
            }
        })
        .collect();
    sort_worst_first(&mut out);
    Ok(out)
}

fn is_no_such_resource(e: &AwsFailure) -> bool {
    matches!(e, AwsFailure::Other { detail, .. } if detail.starts_with("NoSuchResourceException"))
}

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

/// Latest datapoint of the last hour for every quota with a usage metric, by merged index.
async fn usage(c: &QuotaClients, merged: &[Merged]) -> Result<HashMap<usize, f64>, AwsFailure> {
    const OP: &str = "GetMetricData";
    let queries: Vec<(usize, MetricDataQuery)> = merged
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let info = m.quota.usage_metric()?;
            let mut metric = Metric::builder()
                .namespace(info.metric_namespace()?)
                .metric_name(info.metric_name()?);
            let mut dims: Vec<(&String, &String)> =
                info.metric_dimensions().into_iter().flatten().collect();
            dims.sort();
            for (k, v) in dims {
                metric = metric.dimensions(Dimension::builder().name(k).value(v).build());
            }
            let stat = MetricStat::builder()
                .metric(metric.build())
                .period(PERIOD as i32)
                .stat(info.metric_statistic_recommendation().unwrap_or("Maximum"))
                .build();
            Some((
                i,
                MetricDataQuery::builder()
                    .id(format!("q{i}"))
                    .metric_stat(stat)
                    .return_data(true)
                    .build(),
            ))
        })
        .collect();
    // Period-aligned window ending at the next boundary, so the newest datapoint is inside.
    let now = jiff::Timestamp::now().as_second();
    let end = (now / PERIOD + 1) * PERIOD;
    let mut found = HashMap::new();
    for batch in queries.chunks(METRIC_BATCH) {
        let mut token: Option<String> = None;
        loop {
            c.limiter.wait().await;
            c.counter.record(OP);
            let out = c
                .cloudwatch
                .get_metric_data()
                .set_metric_data_queries(Some(batch.iter().map(|(_, q)| q.clone()).collect()))
                .start_time(DateTime::from_secs(end - 3600))
                .end_time(DateTime::from_secs(end))
                .scan_by(ScanBy::TimestampDescending)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| classify("cloudwatch", OP, &e))?;
            for r in out.metric_data_results() {
                let Some(idx) = r
                    .id()
                    .and_then(|id| id.strip_prefix('q'))
                    .and_then(|n| n.parse::<usize>().ok())
                else {
                    continue;
                };
                // Timestamps descending: the first value is the latest.
                if let Some(latest) = r
                    .timestamps()
                    .iter()
                    .zip(r.values())
                    .max_by_key(|(t, _)| t.secs())
                    .map(|(_, v)| *v)
                {
                    found.entry(idx).or_insert(latest);
                }
            }
            match out.next_token().filter(|t| !t.is_empty()) {
                Some(t) if token.as_deref() != Some(t) => token = Some(t.to_string()),
                _ => break,
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_limiter_allows_a_burst_then_paces() {
        let limiter = RateLimiter::new(10);
        let start = tokio::time::Instant::now();
        for _ in 0..10 {
            limiter.wait().await;
        }
        // Paused clock: only sleeping advances it, so this measures waiting, not speed.
        assert_eq!(start.elapsed(), Duration::ZERO);
        for _ in 0..5 {
            limiter.wait().await;
        }
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(500) && waited < Duration::from_millis(510),
            "{waited:?}"
        );
    }

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
}
