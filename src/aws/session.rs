//! SdkConfig from profile/region/endpoint via aws-config: credentials are never parsed here.

use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

/// Organizations is a global service served from us-east-1; used when nothing names a region.
pub const FALLBACK_REGION: &str = "us-east-1";

#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub max_attempts: u32,
}

pub async fn load_sdk_config(opts: &SessionOptions) -> SdkConfig {
    let region = RegionProviderChain::first_try(opts.region.clone().map(Region::new))
        .or_default_provider()
        .or_else(Region::new(FALLBACK_REGION));
    // Organizations throttles concurrent callers hard; adaptive-less standard retries with a
    // high attempt count ride it out (10 attempts by default).
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region)
        .retry_config(RetryConfig::standard().with_max_attempts(opts.max_attempts.max(1)));
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    loader.load().await
}

/// The name the cache and status bar use for the credentials source.
pub fn profile_label(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "default".to_string())
}

pub fn organizations_client(conf: &SdkConfig) -> aws_sdk_organizations::Client {
    aws_sdk_organizations::Client::new(conf)
}
