//! The SDK's own HTTP client, wrapped so that an endpoint that cannot be reached fails fast and
//! says why in plain words.
//!
//! The SDK retries every connection error with backoff (a refused port took 60–90 s to give
//! up). A refused connection or a name that does not resolve will not change within seconds,
//! so those are handed back as errors the retry classifiers leave alone; timeouts and resets
//! keep the SDK's retries. Every connection error also gets the endpoint's origin
//! (`scheme://host:port`, never a path or query) and its cause, which [`Unreachable`] carries to
//! [`super::error::classify`]. A throttling or 5xx answer is handed back as final ([`GaveUp`])
//! once another retry could not finish within the operation timeout.

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use aws_config::BehaviorVersion;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;

use super::throttling;

/// Why a connection failed, in the words the user reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    Refused,
    /// The host name does not resolve.
    Dns,
    /// No connection or no answer within the time shown (e.g. `2s`).
    TimedOut {
        connecting: bool,
        after: String,
    },
    Other(String),
}

impl Cause {
    /// Worth retrying: the same attempt a moment later may succeed.
    fn is_retryable(&self) -> bool {
        !matches!(self, Self::Refused | Self::Dns)
    }
}

/// A connection error with the endpoint it was for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(.cause, .origin))]
pub struct Unreachable {
    pub cause: Cause,
    /// `scheme://host[:port]` of the request.
    pub origin: String,
}

fn describe(cause: &Cause, origin: &str) -> String {
    match cause {
        Cause::Refused => format!("connection refused by {origin}"),
        Cause::Dns => format!("cannot resolve the host name of {origin}"),
        Cause::TimedOut {
            connecting: true,
            after,
        } => format!("no connection to {origin} within {after}"),
        Cause::TimedOut { after, .. } => format!("no answer from {origin} within {after}"),
        Cause::Other(why) => format!("{why} ({origin})"),
    }
}

/// The cause found in an error chain (hyper → hyper-util → io::Error).
pub fn cause_of(err: &(dyn Error + 'static)) -> Cause {
    let mut innermost = err.to_string();
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return Cause::Refused,
                std::io::ErrorKind::TimedOut => {
                    return Cause::TimedOut {
                        connecting: true,
                        after: "the system's connect timeout".into(),
                    };
                }
                _ => {}
            }
        }
        let text = e.to_string();
        if text == "dns error" || text.contains("failed to lookup address") {
            return Cause::Dns;
        }
        // The connector's own timeouts read "HTTP connect timeout occurred after 2s".
        if let Some((what, after)) = text.split_once(" timeout occurred after ") {
            return Cause::TimedOut {
                connecting: what.contains("connect"),
                after: after.to_string(),
            };
        }
        if !text.is_empty() {
            innermost = text;
        }
        next = e.source();
    }
    Cause::Other(super::error::strip_urls(&innermost))
}

/// `https://user@host:443/path?q` → `https://host:443`: the part that is safe to show.
pub fn origin_of(uri: &str) -> String {
    let (scheme, rest) = uri.split_once("://").unwrap_or(("https", uri));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// A failed reqwest call (the federation endpoint) described like an SDK one.
pub fn reqwest_failure(err: &reqwest::Error, url: &str) -> Unreachable {
    let cause = match cause_of(err) {
        Cause::Other(_) if err.is_timeout() => Cause::TimedOut {
            connecting: err.is_connect(),
            after: "the time allowed ([network] operation_timeout_seconds)".into(),
        },
        cause => cause,
    };
    Unreachable {
        cause,
        origin: origin_of(url),
    }
}

/// A failure AWS answered that the SDK would retry (HTTP 5xx, throttling), handed back as final
/// because the next retry could not finish within the operation timeout. Without this the
/// operation timeout would cut the backoff short and report "no answer" instead of the cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin} answered HTTP {status}{}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
pub struct GaveUp {
    pub status: u16,
    /// The error code AWS named in `x-amzn-ErrorType` or, failing that, the JSON body.
    pub code: Option<String>,
    pub origin: String,
}

impl GaveUp {
    pub fn is_throttling(&self) -> bool {
        super::throttling::throttling(self.status, self.code.as_deref())
    }
}

/// How the SDK backs off between attempts (set explicitly so the bound below stays in step).
/// Shorter than the SDK's defaults (1 s doubling to 20 s): with those, four throttled answers
/// in a row (0.8 % of calls at a 30 % throttling rate, dozens in a 10,000-account crawl) could
/// not be retried within the 10 s operation timeout. The rate budget (`pacing`), not the
/// backoff, is what slows the request rate down under sustained throttling.
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(100);
pub const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// The process's one HTTP client for the SDK: every configuration (the crawl's, each base
/// profile's, Identity Center's, the quota readers built from them) shares its connection pool
/// and TLS sessions instead of handshaking again per configuration. Keyed by the operation
/// timeout its retries must fit in, which is one value per process in practice.
pub fn shared_fail_fast_client(operation: Duration) -> Option<SharedHttpClient> {
    static CLIENTS: Mutex<Vec<(Duration, SharedHttpClient)>> = Mutex::new(Vec::new());
    let mut clients = CLIENTS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, client)) = clients.iter().find(|(budget, _)| *budget == operation) {
        return Some(client.clone());
    }
    let client = fail_fast_client(operation)?;
    clients.push((operation, client.clone()));
    Some(client)
}

/// The SDK's default HTTP client: the one it would pick itself for a configuration that names
/// none.
pub fn default_http_client() -> Option<SharedHttpClient> {
    aws_smithy_runtime::client::defaults::default_http_client_plugin_v2(BehaviorVersion::latest())?
        .runtime_components(&RuntimeComponentsBuilder::new("orgnav"))
        .http_client()
}

/// The SDK's default HTTP client (the one it would pick itself), wrapped; `operation` is the
/// operation timeout its retries must fit in.
fn fail_fast_client(operation: Duration) -> Option<SharedHttpClient> {
    let inner = default_http_client()?;
    Some(SharedHttpClient::new(FailFastClient {
        inner,
        operations: Arc::new(Operations {
            budget: operation,
            started: Mutex::default(),
        }),
    }))
}

#[derive(Debug)]
struct FailFastClient {
    inner: SharedHttpClient,
    operations: Arc<Operations>,
}

impl HttpClient for FailFastClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(FailFastConnector {
            inner: self.inner.http_connector(settings, components),
            operations: Arc::clone(&self.operations),
        })
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

/// When each operation (the SDK's invocation ID, shared by its attempts) began.
#[derive(Debug)]
struct Operations {
    budget: Duration,
    started: Mutex<HashMap<String, Instant>>,
}

impl Operations {
    fn started(&self, invocation: Option<&str>) -> Instant {
        let now = Instant::now();
        let (Some(id), Ok(mut started)) = (invocation, self.started.lock()) else {
            return now;
        };
        // Operations end within the budget (the SDK's operation timeout): forget older ones.
        started.retain(|_, t| now.duration_since(*t) <= self.budget * 2);
        *started.entry(id.to_string()).or_insert(now)
    }

    /// The longest the SDK may wait before the attempt after `attempt` (1-based).
    fn next_backoff(attempt: u32) -> Duration {
        backoff_bound(INITIAL_BACKOFF, MAX_BACKOFF, attempt)
    }
}

#[derive(Debug)]
struct FailFastConnector {
    inner: SharedHttpConnector,
    operations: Arc<Operations>,
}

impl HttpConnector for FailFastConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let origin = origin_of(request.uri());
        let headers = request.headers();
        // `amz-sdk-request: attempt=2; max=10`
        let attempt = headers
            .get("amz-sdk-request")
            .and_then(|v| v.split(';').find_map(|p| p.trim().strip_prefix("attempt=")))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let started = self
            .operations
            .started(headers.get("amz-sdk-invocation-id"));
        let budget = self.operations.budget;
        let call = self.inner.call(request);
        HttpConnectorFuture::new(async move {
            let mut response = call.await.map_err(|e| explained(e, origin.clone()))?;
            if started.elapsed() + Operations::next_backoff(attempt) < budget {
                return Ok(response);
            }
            let status = response.status().as_u16();
            let code = match throttling::header_error_code(&response) {
                Some(code) => Some(code),
                None if (400..500).contains(&status) => {
                    throttling::body_error_code(&mut response).await
                }
                None => None,
            };
            let gave_up = GaveUp {
                status,
                code,
                origin,
            };
            if status >= 500 || gave_up.is_throttling() {
                return Err(ConnectorError::other(Box::new(gave_up), None));
            }
            Ok(response)
        })
    }
}

/// The same error with its cause and origin; refused and DNS failures lose their retryable kind.
fn explained(err: ConnectorError, origin: String) -> ConnectorError {
    let cause = cause_of(&err);
    tracing::debug!(%origin, ?cause, error = %aws_smithy_types::error::display::DisplayErrorContext(&err), "connection failed");
    let retryable = cause.is_retryable();
    let timeout = err.is_timeout();
    let other_kind = err.as_other();
    let io = err.is_io();
    let unreachable = Box::new(Unreachable { cause, origin });
    if !retryable {
        ConnectorError::other(unreachable, None)
    } else if timeout {
        ConnectorError::timeout(unreachable)
    } else if io {
        ConnectorError::io(unreachable)
    } else {
        ConnectorError::other(unreachable, other_kind)
    }
}

/// The longest backoff the SDK's standard retries wait after attempt `attempt` (1-based):
/// `initial` doubled per attempt before it, at most `max` (jitter only shortens it).
pub(crate) fn backoff_bound(initial: Duration, max: Duration, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
    initial.saturating_mul(factor).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    struct Wrapping(&'static str, #[source] std::io::Error);

    #[test]
    fn causes_are_found_in_the_chain() {
        let refused = Wrapping(
            "tcp connect error",
            std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        );
        assert_eq!(cause_of(&refused), Cause::Refused);
        let dns = Wrapping(
            "dns error",
            std::io::Error::other("Name or service not known"),
        );
        assert_eq!(cause_of(&dns), Cause::Dns);
        let slow = std::io::Error::other("HTTP connect timeout occurred after 2s");
        assert_eq!(
            cause_of(&slow),
            Cause::TimedOut {
                connecting: true,
                after: "2s".into()
            }
        );
        let tls = Wrapping(
            "client error (Connect)",
            std::io::Error::other("invalid peer certificate: UnknownIssuer"),
        );
        assert_eq!(
            cause_of(&tls),
            Cause::Other("invalid peer certificate: UnknownIssuer".into())
        );
    }

    #[test]
    fn refused_and_dns_are_not_retried() {
        let refused = ConnectorError::io(Box::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionRefused,
        )));
        let e = explained(refused, "http://127.0.0.1:9".into());
        assert_eq!((e.is_io(), e.as_other()), (false, None));
        let shown = e.source().and_then(|s| s.downcast_ref::<Unreachable>());
        assert_eq!(
            shown.map(ToString::to_string).as_deref(),
            Some("connection refused by http://127.0.0.1:9")
        );
        let reset = ConnectorError::io(Box::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )));
        assert!(explained(reset, "https://x".into()).is_io());
    }

    #[test]
    fn backoff_bound_doubles_up_to_the_maximum() {
        assert_eq!(Operations::next_backoff(1), Duration::from_millis(100));
        assert_eq!(Operations::next_backoff(3), Duration::from_millis(400));
        assert_eq!(Operations::next_backoff(9), MAX_BACKOFF);
        assert_eq!(Operations::next_backoff(u32::MAX), MAX_BACKOFF);
    }

    #[test]
    fn origins_keep_no_path_query_or_user() {
        assert_eq!(
            origin_of("https://organizations.us-east-1.amazonaws.com/?Action=x"),
            "https://organizations.us-east-1.amazonaws.com"
        );
        assert_eq!(
            origin_of("http://me:pw@127.0.0.1:4566/path#f"),
            "http://127.0.0.1:4566"
        );
    }
}
