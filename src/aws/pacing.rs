//! A shared rate budget for one AWS API: every HTTP attempt a client makes (first tries and
//! retries alike, from every task that shares the client) starts no sooner than its slot.
//!
//! It sits in the SDK's HTTP client ([`PacedHttpClient`]), below the retry loop, so a retry
//! spends budget like any other request and concurrent crawl tasks cannot add up to a burst the
//! service would throttle. The SDK's adaptive retry mode (`RetryConfig::adaptive()`) then slows
//! down further on its own when the service answers with throttling anyway.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use tokio::time::Instant;

/// AWS Organizations answers `TooManyRequestsException` above per-account request rates that
/// are low and not adjustable ("Throttling limits" in
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html>; the
/// rates were long undocumented, awsdocs/aws-organizations-docs#39). orgnav stays at or below
/// this rate on its own; adaptive retry lowers it further when AWS throttles earlier.
pub const ORGANIZATIONS_REQUESTS_PER_SECOND: u32 = 20;

/// "IAM Identity Center APIs have a collective throttle maximum of 20 transactions per second"
/// (<https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html>); the portal's
/// `ListAccounts`, `ListAccountRoles` and `GetRoleCredentials` are held to it.
pub const PORTAL_REQUESTS_PER_SECOND: u32 = 20;

/// Requests start at least `1 / per_second` apart, in the order they asked: any window of one
/// second holds at most `per_second` starts. No burst allowance, because a burst is exactly what
/// a service's own token bucket punishes when other callers share the account's budget.
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    /// When the next request may start (the previous one's slot plus `interval`).
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    pub fn per_second(per_second: u32) -> Arc<Self> {
        Arc::new(Self {
            interval: Duration::from_secs(1) / per_second.max(1),
            next: Mutex::new(None),
        })
    }

    /// Waits for this request's slot. The slot is taken before waiting, so concurrent callers
    /// queue in order instead of waking together and racing for one slot.
    pub async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// An HTTP client whose every request first waits for a slot of `pacer`.
#[derive(Debug, Clone)]
pub struct PacedHttpClient {
    inner: SharedHttpClient,
    pacer: Arc<Pacer>,
}

impl PacedHttpClient {
    pub fn new(inner: SharedHttpClient, pacer: Arc<Pacer>) -> Self {
        Self { inner, pacer }
    }
}

impl HttpClient for PacedHttpClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(PacedConnector {
            inner: self.inner.http_connector(settings, components),
            pacer: Arc::clone(&self.pacer),
        })
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[derive(Debug)]
struct PacedConnector {
    inner: SharedHttpConnector,
    pacer: Arc<Pacer>,
}

impl HttpConnector for PacedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, pacer) = (self.inner.clone(), Arc::clone(&self.pacer));
        HttpConnectorFuture::new(async move {
            pacer.wait().await;
            inner.call(request).await
        })
    }
}

/// `client` (or, when the configuration names none, the SDK's default one) behind a new pacer
/// of `per_second`.
pub fn paced(client: Option<SharedHttpClient>, per_second: u32) -> Option<SharedHttpClient> {
    let inner = client.or_else(super::connector::default_http_client)?;
    Some(SharedHttpClient::new(PacedHttpClient::new(
        inner,
        Pacer::per_second(per_second),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_start_one_interval_apart() {
        let pacer = Pacer::per_second(20);
        let start = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..41 {
            let pacer = Arc::clone(&pacer);
            tasks.spawn(async move {
                pacer.wait().await;
                Instant::now() - start
            });
        }
        let mut starts = tasks.join_all().await;
        starts.sort();
        // Paused clock: only waiting advances it, so these are the pacer's slots exactly.
        assert_eq!(starts[0], Duration::ZERO);
        assert_eq!(starts[20], Duration::from_secs(1));
        assert_eq!(starts[40], Duration::from_secs(2));
        assert!(
            starts
                .windows(2)
                .all(|w| w[1] - w[0] == Duration::from_millis(50))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_pacer_lets_the_next_request_go_at_once() {
        let pacer = Pacer::per_second(4);
        pacer.wait().await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let before = Instant::now();
        pacer.wait().await;
        assert_eq!(Instant::now(), before);
    }
}
