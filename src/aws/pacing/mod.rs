//! A shared rate budget for one AWS API: every HTTP attempt a client makes (first tries and
//! retries alike, from every task that shares the client) starts no sooner than its slot.
//!
//! It sits in the SDK's HTTP client ([`PacedHttpClient`]), below the retry loop, so a retry
//! spends budget like any other request and concurrent crawl tasks cannot add up to a burst the
//! service would throttle; and it sees every answer, so it slows down while the service
//! throttles (client-side adaptive rate limiting) and speeds up again when it stops.

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
/// this rate on its own and lowers it while AWS throttles.
pub const ORGANIZATIONS_REQUESTS_PER_SECOND: u32 = 20;

/// "IAM Identity Center APIs have a collective throttle maximum of 20 transactions per second"
/// (<https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html>); the portal's
/// `ListAccounts`, `ListAccountRoles` and `GetRoleCredentials` are held to it.
pub const PORTAL_REQUESTS_PER_SECOND: u32 = 20;

/// Requests start at least one interval apart, in the order they asked: at the full rate any
/// window of one second holds at most `per_second` starts. No burst allowance, because a burst
/// is exactly what a service's own token bucket punishes when other callers share the budget.
///
/// The interval adapts: each throttled answer widens it by a quarter, down to half the rate;
/// each answer that was not throttled narrows it by a twentieth of the full-rate interval, back
/// to the full rate. (The SDK's own adaptive retry mode was tried first: under a steady 30 %
/// throttling its rate limiter falls to 0.5 requests/s and charges a retry 5 tokens, so retries
/// waited out the operation timeout and a 60-account crawl failed.)
#[derive(Debug)]
pub struct Pacer {
    fastest: Duration,
    slowest: Duration,
    state: Mutex<Schedule>,
}

#[derive(Debug)]
struct Schedule {
    interval: Duration,
    /// When the next request may start (the previous one's slot plus `interval`).
    next: Option<Instant>,
}

impl Pacer {
    pub fn per_second(per_second: u32) -> Arc<Self> {
        let fastest = Duration::from_secs(1) / per_second.max(1);
        Arc::new(Self {
            fastest,
            slowest: fastest * 2,
            state: Mutex::new(Schedule {
                interval: fastest,
                next: None,
            }),
        })
    }

    fn schedule(&self) -> std::sync::MutexGuard<'_, Schedule> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for this request's slot. The slot is taken before waiting, so concurrent callers
    /// queue in order instead of waking together and racing for one slot.
    pub async fn wait(&self) {
        let slot = {
            let mut s = self.schedule();
            let now = Instant::now();
            let slot = s.next.map_or(now, |n| n.max(now));
            s.next = Some(slot + s.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// The service answered; `throttled` when it said to slow down.
    pub fn answered(&self, throttled: bool) {
        let mut s = self.schedule();
        s.interval = if throttled {
            (s.interval * 5 / 4).min(self.slowest)
        } else {
            s.interval
                .saturating_sub(self.fastest / 20)
                .max(self.fastest)
        };
    }

    /// The time between two request starts now.
    pub fn interval(&self) -> Duration {
        self.schedule().interval
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
            let answer = inner.call(request).await;
            if let Ok(response) = &answer {
                pacer.answered(super::connector::is_throttling(response));
            }
            answer
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

    #[test]
    fn throttling_slows_down_to_half_the_rate_and_answers_speed_back_up() {
        let pacer = Pacer::per_second(20);
        pacer.answered(true);
        assert_eq!(pacer.interval(), Duration::from_micros(62_500));
        for _ in 0..10 {
            pacer.answered(true);
        }
        assert_eq!(pacer.interval(), Duration::from_millis(100));
        for _ in 0..19 {
            pacer.answered(false);
        }
        assert_eq!(pacer.interval(), Duration::from_micros(52_500));
        pacer.answered(false);
        pacer.answered(false);
        assert_eq!(pacer.interval(), Duration::from_millis(50));
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
