//! `[network]`: how long orgnav waits for AWS before it gives up and shows the cache.
//! The same limits apply to every AWS client and to the console's federation endpoint
//! (`aws::network` applies them).

use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    /// Seconds to open a TCP (and TLS) connection.
    pub connect_timeout_seconds: f64,
    /// Seconds one attempt may take, from sending the request to the whole answer.
    pub attempt_timeout_seconds: f64,
    /// Seconds one call may take in all, retries and their backoff included.
    pub operation_timeout_seconds: f64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            connect_timeout_seconds: 2.0,
            attempt_timeout_seconds: 5.0,
            operation_timeout_seconds: 10.0,
        }
    }
}

impl NetworkConfig {
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.connect_timeout_seconds)
    }
    pub fn attempt_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.attempt_timeout_seconds)
    }
    pub fn operation_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.operation_timeout_seconds)
    }

    /// (key, message) of the first invalid setting.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let within = |v: f64, max: f64| v.is_finite() && v > 0.0 && v <= max;
        if !within(self.connect_timeout_seconds, 60.0) {
            return Err((
                "network.connect_timeout_seconds".into(),
                "must be more than 0 and at most 60 (seconds), e.g. 2".into(),
            ));
        }
        if !within(self.attempt_timeout_seconds, 600.0) {
            return Err((
                "network.attempt_timeout_seconds".into(),
                "must be more than 0 and at most 600 (seconds), e.g. 5".into(),
            ));
        }
        if !within(self.operation_timeout_seconds, 3600.0)
            || self.operation_timeout_seconds < self.attempt_timeout_seconds
        {
            return Err((
                "network.operation_timeout_seconds".into(),
                "must be at least network.attempt_timeout_seconds and at most 3600, e.g. 10".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::{Config, ConfigError};

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/etc/orgnav.toml"))
    }

    #[test]
    fn network_settings_are_read_and_checked() {
        let c = parse("[network]\nconnect_timeout_seconds = 1\noperation_timeout_seconds = 7.5\n")
            .unwrap();
        assert_eq!(c.network.connect_timeout_seconds, 1.0);
        assert_eq!(c.network.operation_timeout_seconds, 7.5);
        assert_eq!(c.network.attempt_timeout_seconds, 5.0);
        let e = parse("[network]\n\nconnect_timeout_seconds = 0\n").unwrap_err();
        assert_eq!(
            (e.key.as_str(), e.line),
            ("network.connect_timeout_seconds", 3)
        );
        let e = parse("[network]\nattempt_timeout_seconds = 20\noperation_timeout_seconds = 10\n")
            .unwrap_err();
        assert_eq!(
            (e.key.as_str(), e.line),
            ("network.operation_timeout_seconds", 3)
        );
        let e = parse("[network]\nread_timeout = 3\n").unwrap_err();
        assert_eq!((e.key.as_str(), e.line), ("network.read_timeout", 2));
    }
}
