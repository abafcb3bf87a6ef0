//! `[quotas]`: what the Quotas tab and `orgnav quotas` read, and how hard they may push.

use serde::Deserialize;

/// `[quotas]`: what the Quotas tab and `orgnav quotas` read, and how hard they may push.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct QuotasConfig {
    /// Role assumed to read quotas (default: the account's first role option).
    pub role: Option<String>,
    /// Service Quotas service codes.
    pub services: Vec<String>,
    /// Regions `R` cycles through and `--all-regions` sweeps (default: the session's region).
    #[serde(deserialize_with = "crate::region::deserialize_list")]
    pub regions: Vec<String>,
    /// Utilization (0–1) from which a quota is warned about.
    pub warn: f64,
    /// Utilization (0–1) from which a quota is critical.
    pub critical: f64,
    /// Accounts read at once during a sweep.
    pub concurrency: usize,
    /// Hide quotas that have no usage metric (the `u` key toggles it in the TUI).
    pub hide_without_usage: bool,
}

impl Default for QuotasConfig {
    fn default() -> Self {
        Self {
            role: None,
            services: ["ec2", "vpc", "lambda", "elasticloadbalancing", "rds"]
                .map(String::from)
                .to_vec(),
            regions: Vec::new(),
            warn: 0.8,
            critical: 0.95,
            concurrency: 8,
            hide_without_usage: false,
        }
    }
}

impl QuotasConfig {
    pub(super) fn validate(&self) -> Result<(), (String, String)> {
        let fraction = |v: f64| v > 0.0 && v <= 1.0;
        if !fraction(self.warn) {
            return Err((
                "quotas.warn".into(),
                "must be a fraction in (0, 1], e.g. 0.8".into(),
            ));
        }
        if !fraction(self.critical) || self.critical < self.warn {
            return Err((
                "quotas.critical".into(),
                "must be a fraction in (0, 1], at least quotas.warn, e.g. 0.95".into(),
            ));
        }
        if !(1..=64).contains(&self.concurrency) {
            return Err((
                "quotas.concurrency".into(),
                "must be between 1 and 64".into(),
            ));
        }
        if self.services.is_empty() || self.services.iter().any(|s| s.trim().is_empty()) {
            return Err((
                "quotas.services".into(),
                "list at least one service code, e.g. [\"ec2\", \"lambda\"]".into(),
            ));
        }
        Ok(())
    }
}
