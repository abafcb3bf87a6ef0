//! The budget in an SDK client: an interceptor books each attempt's slot before the SDK starts
//! the attempt's timeout and hears every answer; the HTTP client holds each request until its
//! slot.
//!
//! The SDK offers no public way to put a wait between its retry loop and an attempt's timeout
//! (a custom retry strategy can only be set by a crate-private runtime plugin), so the
//! interceptor does the next best thing: it books the slot where the SDK calls it before the
//! attempt timeout starts (`modify_before_retry_loop` for the first attempt, `read_after_attempt`
//! for a retry, after the longest backoff the SDK may choose) and lengthens that attempt's
//! timeout by exactly the wait it booked. The exchange with AWS itself keeps the whole
//! configured attempt timeout; the operation timeout still bounds everything.

use std::sync::Arc;
use std::time::Duration;

use aws_smithy_runtime::client::retries::classifiers::run_classifiers_on_ctx;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextMut, FinalizerInterceptorContextRef, InterceptorContext,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::retries::classifiers::{RetryAction, RetryReason};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::retry::{ErrorKind, RetryConfig};
use aws_smithy_types::timeout::TimeoutConfig;
use tokio::time::Instant;

use super::Pacer;
use crate::aws::connector::{self, GaveUp};
use crate::aws::throttling;

/// The slot booked for the coming attempt; taken (set to `None`) when the request leaves.
#[derive(Debug, Clone, Copy)]
struct Slot(Option<Instant>);

impl Storable for Slot {
    type Storer = StoreReplace<Self>;
}

/// The attempt timeout as configured, before any wait was added to it.
#[derive(Debug, Clone, Copy)]
struct ConfiguredAttemptTimeout(Option<Duration>);

impl Storable for ConfiguredAttemptTimeout {
    type Storer = StoreReplace<Self>;
}

/// Books every attempt of the client's operations in `pacer` and reports each answer to it.
#[derive(Debug)]
pub struct PacingInterceptor {
    pacer: Arc<Pacer>,
}

impl PacingInterceptor {
    pub fn new(pacer: Arc<Pacer>) -> Self {
        Self { pacer }
    }

    /// Books the next attempt's slot no sooner than `earliest` and gives that attempt its
    /// configured timeout plus the wait.
    fn book(&self, cfg: &mut ConfigBag, earliest: Instant) {
        let now = Instant::now();
        let slot = self.pacer.book(earliest);
        let configured = match cfg.load::<ConfiguredAttemptTimeout>() {
            Some(c) => c.0,
            None => {
                let c = cfg
                    .load::<TimeoutConfig>()
                    .and_then(TimeoutConfig::operation_attempt_timeout);
                cfg.interceptor_state()
                    .store_put(ConfiguredAttemptTimeout(c));
                c
            }
        };
        let timeouts = cfg.load::<TimeoutConfig>().cloned();
        if let (Some(attempt), Some(timeouts)) = (configured, timeouts) {
            let longer = timeouts
                .to_builder()
                .operation_attempt_timeout(attempt + slot.saturating_duration_since(now))
                .build();
            cfg.interceptor_state().store_put(longer);
        }
        cfg.interceptor_state().store_put(Slot(Some(slot)));
    }
}

impl Intercept for PacingInterceptor {
    fn name(&self) -> &'static str {
        "Pacing"
    }

    fn modify_before_retry_loop(
        &self,
        _context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.book(cfg, Instant::now());
        Ok(())
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(Slot(Some(slot))) = cfg.load::<Slot>().copied() {
            context.request_mut().add_extension(Slot(Some(slot)));
            cfg.interceptor_state().store_put(Slot(None));
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let ctx = context.inner();
        let verdict = run_classifiers_on_ctx(runtime_components.retry_classifiers(), ctx);
        if let Some(throttled) = throttled(ctx, &verdict) {
            self.pacer.answered(throttled);
        }
        if let Some(backoff) = retry_backoff_bound(ctx, &verdict, cfg) {
            self.book(cfg, Instant::now() + backoff);
        }
        Ok(())
    }
}

/// Whether AWS said "slow down": `None` when there was no answer at all (a connection error or
/// an attempt timeout). The retry classifiers read the error code from the parsed answer,
/// wherever the protocol put it (`x-amzn-ErrorType`, or only the body's `__type`, e.g.
/// `com.amazonaws.organizations#TooManyRequestsException`).
fn throttled(ctx: &InterceptorContext, verdict: &RetryAction) -> Option<bool> {
    let gave_up = ctx
        .output_or_error()
        .and_then(Result::err)
        .and_then(|e| crate::aws::error::find::<GaveUp>(e));
    let response = ctx.response();
    if response.is_none() && gave_up.is_none() {
        return None;
    }
    let classified = matches!(
        verdict,
        RetryAction::RetryIndicated(RetryReason::RetryableError {
            kind: ErrorKind::ThrottlingError,
            ..
        })
    );
    Some(
        classified
            || response.is_some_and(throttling::is_throttling)
            || gave_up.is_some_and(GaveUp::is_throttling),
    )
}

/// The longest backoff the SDK's standard retries may wait before retrying this attempt, or
/// `None` when it will not retry.
fn retry_backoff_bound(
    ctx: &InterceptorContext,
    verdict: &RetryAction,
    cfg: &ConfigBag,
) -> Option<Duration> {
    let failed = matches!(ctx.output_or_error(), Some(Err(_)));
    let retry = cfg.load::<RetryConfig>()?;
    let attempts = cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts());
    let retryable = matches!(verdict, RetryAction::RetryIndicated(_));
    if !failed || !retryable || attempts >= retry.max_attempts() {
        return None;
    }
    let initial = retry.retry_spec().map_or(retry.initial_backoff(), |spec| {
        spec.non_throttling_initial_backoff()
            .max(retry.initial_backoff())
    });
    Some(crate::aws::connector::backoff_bound(
        initial,
        retry.max_backoff(),
        attempts,
    ))
}

/// `client` (or, when the configuration names none, the SDK's default one) holding each
/// request until the slot the interceptor booked for it; a request without one (made by a
/// client without the interceptor) waits for the next free slot of `pacer`.
pub fn paced_http_client(
    client: Option<SharedHttpClient>,
    pacer: Arc<Pacer>,
) -> Option<SharedHttpClient> {
    let inner = client.or_else(connector::default_http_client)?;
    Some(SharedHttpClient::new(PacedHttpClient { inner, pacer }))
}

#[derive(Debug)]
struct PacedHttpClient {
    inner: SharedHttpClient,
    pacer: Arc<Pacer>,
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
        let booked = request.extension::<Slot>().and_then(|s| s.0);
        let (inner, pacer) = (self.inner.clone(), Arc::clone(&self.pacer));
        HttpConnectorFuture::new(async move {
            // A slot that has passed (the request left a moment late) is not booked again; one
            // still ahead may move earlier, never later (its wait is in the attempt timeout).
            let slot = booked.map_or_else(|| pacer.book(Instant::now()), |b| pacer.advance(b));
            tokio::time::sleep_until(slot).await;
            inner.call(request).await
        })
    }
}
