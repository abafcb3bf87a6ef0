//! Applies `[network]` (config::NetworkConfig) to the AWS SDK and to the console's
//! federation client.

use aws_config::timeout::TimeoutConfig;

pub use crate::config::NetworkConfig;

/// The limits as each HTTP stack takes them.
pub trait NetworkLimits {
    /// The SDK's timeouts (every client made from a config that carries them).
    fn timeout_config(&self) -> TimeoutConfig;
    /// The HTTP client for the console's federation endpoint, with the same limits.
    fn federation_client(&self) -> reqwest::Client;
}

impl NetworkLimits for NetworkConfig {
    fn timeout_config(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout())
            .operation_attempt_timeout(self.attempt_timeout())
            .operation_timeout(self.operation_timeout())
            .build()
    }

    /// Its calls are not retried, so one attempt gets the whole operation time.
    fn federation_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout())
            .timeout(self.operation_timeout())
            .build()
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "federation client without timeouts");
                reqwest::Client::new()
            })
    }
}
