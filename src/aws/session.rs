//! SdkConfig from profile/region/endpoint via aws-config: credentials are never parsed here.

use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, ConfigLoader, Region, SdkConfig};

use super::network::{NetworkConfig, NetworkLimits};
use super::{connector, pacing};

/// Organizations is a global service served from us-east-1; used when nothing names a region.
pub const FALLBACK_REGION: &str = "us-east-1";

#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub max_attempts: u32,
    pub network: NetworkConfig,
}

pub async fn load_sdk_config(opts: &SessionOptions) -> SdkConfig {
    let region = RegionProviderChain::first_try(opts.region.clone().map(Region::new))
        .or_default_provider()
        .or_else(Region::new(FALLBACK_REGION));
    let mut loader = loader(opts).region(region);
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

/// Retries, timeouts and the fail-fast HTTP client that every SDK configuration shares (the
/// credential providers aws-config builds from it included).
pub fn loader(opts: &SessionOptions) -> ConfigLoader {
    let loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config(opts.max_attempts))
        .timeout_config(opts.network.timeout_config());
    match connector::shared_fail_fast_client(opts.network.operation_timeout()) {
        Some(client) => loader.http_client(client),
        None => loader,
    }
}

/// Every profile's `endpoint_url`, for the profiles that name one (`None`: the AWS config files
/// could not be read).
pub async fn profile_endpoints() -> Option<std::collections::BTreeMap<String, String>> {
    let set = super::profiles::profile_set().await.ok()?;
    let endpoint = |name: &str| {
        let url = set.get_profile(name)?.get("endpoint_url")?.trim();
        (!url.is_empty()).then(|| (name.to_string(), url.to_string()))
    };
    Some(set.profiles().filter_map(endpoint).collect())
}

/// The name the cache and status bar use for the credentials source.
pub fn profile_label(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "default".to_string())
}

/// The SDK's standard retries (exponential backoff with jitter, a retry quota). Organizations
/// and the Identity Center portal throttle concurrent callers hard: a high attempt count (10 by
/// default) with short backoffs rides a throttling rate of 30 % out within the operation
/// timeout, while [`pacing`] slows the request rate itself down (client-side adaptive rate
/// limiting; the SDK's `RetryConfig::adaptive()` does not survive such a rate, see there).
pub fn retry_config(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts.max(1))
        .with_initial_backoff(connector::INITIAL_BACKOFF)
        .with_max_backoff(connector::MAX_BACKOFF)
}

/// An Organizations client whose requests share the process's one rate budget for its
/// endpoint ([`pacing::ORGANIZATIONS_REQUESTS_PER_SECOND`]): every task of a crawl, a tag
/// fetch or a re-read made with it or any other client from this function, retries included.
pub fn organizations_client(conf: &SdkConfig) -> aws_sdk_organizations::Client {
    let budget = pacing::Pacer::shared(
        "organizations",
        conf.endpoint_url().unwrap_or("aws"),
        pacing::ORGANIZATIONS_REQUESTS_PER_SECOND,
    );
    let mut builder = aws_sdk_organizations::config::Builder::from(conf).interceptor(
        pacing::PacingInterceptor::new(std::sync::Arc::clone(&budget)),
    );
    if let Some(client) = pacing::paced_http_client(conf.http_client(), budget) {
        builder = builder.http_client(client);
    }
    aws_sdk_organizations::Client::from_conf(builder.build())
}
