//! The Service Quotas and CloudWatch calls for one account and region, as plain data.
//!
//! Per service: `ListAWSDefaultServiceQuotas` and `ListServiceQuotas` (the latter omits quotas
//! never changed); usage: one `GetMetricData` per 500 metrics, each with its recommended
//! statistic, the latest datapoint of the last hour. Every call first waits for the caller's
//! [`Pace`] (the rate limit lives with the quota feature: `crate::quotas::rate_limit`); the SDK
//! retries throttled calls. Merging and ranking are in `crate::quotas`.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_sdk_servicequotas::types::ServiceQuota;
use aws_smithy_types::DateTime;
use tokio::sync::Semaphore;

use super::calls::{CallCounter, all_pages};
use super::credentials::Credentials;
use super::error::{AwsFailure, classify};

/// GetMetricData accepts at most 500 queries per call.
const METRIC_BATCH: usize = 500;
/// Usage metrics are read at five-minute resolution.
const PERIOD: i64 = 300;

/// Waits until the next call may go out (a rate limit); called before every request.
pub trait Pace: Sync {
    fn wait(&self) -> impl Future<Output = ()> + Send;
}

/// The CloudWatch metric AWS publishes for a quota's usage.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageMetric {
    pub namespace: Option<String>,
    pub name: String,
    /// Sorted by name, so equal metrics make equal queries.
    pub dimensions: Vec<(String, String)>,
    /// AWS's recommended statistic (default `Maximum`).
    pub statistic: Option<String>,
}

/// One quota as Service Quotas lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedQuota {
    pub service_code: String,
    pub quota_code: String,
    pub quota_name: String,
    pub value: f64,
    pub adjustable: bool,
    pub unit: String,
    pub usage_metric: Option<UsageMetric>,
}

impl ListedQuota {
    fn from_sdk(q: &ServiceQuota) -> Option<Self> {
        let usage_metric = q.usage_metric().and_then(|m| {
            let mut dimensions: Vec<(String, String)> = (m.metric_dimensions().into_iter())
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            dimensions.sort();
            Some(UsageMetric {
                namespace: m.metric_namespace().map(String::from),
                name: m.metric_name()?.to_string(),
                dimensions,
                statistic: m.metric_statistic_recommendation().map(String::from),
            })
        });
        Some(Self {
            service_code: q.service_code().unwrap_or_default().to_string(),
            quota_code: q.quota_code()?.to_string(),
            quota_name: q.quota_name().unwrap_or_default().to_string(),
            value: q.value().unwrap_or(0.0),
            adjustable: q.adjustable(),
            unit: q.unit().unwrap_or("None").to_string(),
            usage_metric,
        })
    }
}

pub struct QuotaClients {
    pub quotas: aws_sdk_servicequotas::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub region: String,
    /// Calls in flight for this account and region.
    pub in_flight: Semaphore,
    pub counter: CallCounter,
}

impl QuotaClients {
    /// Clients for one account and region: `base` supplies endpoint, retries and timeouts;
    /// `credentials` the account's session; at most `in_flight` calls at once.
    pub fn new(
        base: &SdkConfig,
        credentials: &Credentials,
        region: &str,
        counter: CallCounter,
        in_flight: usize,
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
            in_flight: Semaphore::new(in_flight.max(1)),
            counter,
        }
    }
}

type Page = (Vec<ServiceQuota>, Option<String>);

/// Every page of one quota listing, each call paced.
async fn listing<F, Fut>(
    c: &QuotaClients,
    pace: &impl Pace,
    op: &'static str,
    page: F,
) -> Result<Vec<ListedQuota>, AwsFailure>
where
    F: Fn(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page, AwsFailure>>,
{
    let listed = all_pages(op, &c.counter, &c.in_flight, |token| {
        let call = page(token);
        async move {
            pace.wait().await;
            call.await
        }
    })
    .await;
    match listed {
        Ok(quotas) => Ok(quotas.iter().filter_map(ListedQuota::from_sdk).collect()),
        // A service unknown to Service Quotas in this region is simply empty.
        Err(e) if is_no_such_resource(&e) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

fn is_no_such_resource(e: &AwsFailure) -> bool {
    matches!(e, AwsFailure::Other { detail, .. } if detail.starts_with("NoSuchResourceException"))
}

/// AWS's default value of every quota of `service`.
pub async fn list_defaults(
    c: &QuotaClients,
    pace: &impl Pace,
    service: &str,
) -> Result<Vec<ListedQuota>, AwsFailure> {
    const OP: &str = "ListAWSDefaultServiceQuotas";
    listing(c, pace, OP, |token| {
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
pub async fn list_applied(
    c: &QuotaClients,
    pace: &impl Pace,
    service: &str,
) -> Result<Vec<ListedQuota>, AwsFailure> {
    const OP: &str = "ListServiceQuotas";
    listing(c, pace, OP, |token| {
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

fn query(key: usize, m: &UsageMetric) -> Option<MetricDataQuery> {
    let mut metric = Metric::builder()
        .namespace(m.namespace.as_deref()?)
        .metric_name(&m.name);
    for (k, v) in &m.dimensions {
        metric = metric.dimensions(Dimension::builder().name(k).value(v).build());
    }
    let stat = MetricStat::builder()
        .metric(metric.build())
        .period(PERIOD as i32)
        .stat(m.statistic.as_deref().unwrap_or("Maximum"))
        .build();
    Some(
        MetricDataQuery::builder()
            .id(format!("q{key}"))
            .metric_stat(stat)
            .return_data(true)
            .build(),
    )
}

/// The latest datapoint of the last hour of each metric, by the caller's key.
pub async fn latest_usage(
    c: &QuotaClients,
    pace: &impl Pace,
    metrics: &[(usize, &UsageMetric)],
) -> Result<HashMap<usize, f64>, AwsFailure> {
    const OP: &str = "GetMetricData";
    let queries: Vec<MetricDataQuery> = metrics.iter().filter_map(|(k, m)| query(*k, m)).collect();
    // Period-aligned window ending at the next boundary, so the newest datapoint is inside.
    let now = jiff::Timestamp::now().as_second();
    let end = (now / PERIOD + 1) * PERIOD;
    let mut found = HashMap::new();
    for batch in queries.chunks(METRIC_BATCH) {
        let mut token: Option<String> = None;
        loop {
            pace.wait().await;
            c.counter.record(OP);
            let out = c
                .cloudwatch
                .get_metric_data()
                .set_metric_data_queries(Some(batch.to_vec()))
                .start_time(DateTime::from_secs(end - 3600))
                .end_time(DateTime::from_secs(end))
                .scan_by(ScanBy::TimestampDescending)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| classify("cloudwatch", OP, &e))?;
            for r in out.metric_data_results() {
                let Some(key) = r
                    .id()
                    .and_then(|id| id.strip_prefix('q'))
                    .and_then(|n| n.parse::<usize>().ok())
                else {
                    continue;
                };
                if let Some(latest) = r
                    .timestamps()
                    .iter()
                    .zip(r.values())
                    .max_by_key(|(t, _)| t.secs())
                    .map(|(_, v)| *v)
                {
                    found.entry(key).or_insert(latest);
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
