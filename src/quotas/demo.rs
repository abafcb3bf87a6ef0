//! Quotas for the demo organization: deterministic, plausible numbers per account and region,
//! so `--demo` shows the Quotas tab and the sweep without AWS.

use super::rank::sort_worst_first;
use super::usage::QuotaUsage;

/// (service, code, name, value, has a usage metric, adjustable)
const CATALOGUE: &[(&str, &str, &str, f64, bool, bool)] = &[
    (
        "ec2",
        "L-1216C47A",
        "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
        1152.0,
        true,
        true,
    ),
    (
        "ec2",
        "L-34B43A08",
        "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests",
        1152.0,
        true,
        true,
    ),
    (
        "ec2",
        "L-DB2E81BA",
        "Running On-Demand G and VT instances",
        64.0,
        true,
        true,
    ),
    ("ec2", "L-0263D0A3", "EC2-VPC Elastic IPs", 5.0, false, true),
    ("vpc", "L-F678F1CE", "VPCs per Region", 5.0, false, true),
    (
        "vpc",
        "L-DF5E4CA3",
        "Network interfaces per Region",
        5000.0,
        false,
        true,
    ),
    (
        "vpc",
        "L-3248932A",
        "Characters per VPC endpoint policy",
        20480.0,
        false,
        false,
    ),
    (
        "lambda",
        "L-B99A9384",
        "Concurrent executions",
        1000.0,
        true,
        true,
    ),
    (
        "lambda",
        "L-2ACBD22F",
        "Function and layer storage",
        75.0,
        false,
        true,
    ),
    (
        "elasticloadbalancing",
        "L-53DA6B97",
        "Application Load Balancers per Region",
        50.0,
        true,
        true,
    ),
    ("rds", "L-7B6409FD", "DB instances", 40.0, true, true),
];

/// FNV-1a: stable across runs and platforms, unlike the std hasher.
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The demo account's quotas in `region` for `services` (all when empty), worst first.
pub fn demo_quotas(account_id: &str, region: &str, services: &[String]) -> Vec<QuotaUsage> {
    let mut rows: Vec<QuotaUsage> = CATALOGUE
        .iter()
        .filter(|q| services.is_empty() || services.iter().any(|s| s == q.0))
        .map(|&(service, code, name, value, metric, adjustable)| {
            let h = hash(&[account_id, region, code]);
            // Mostly comfortable, a few close to the limit, the odd one over 95 %.
            let share = match h % 20 {
                0 => 0.96 + (h % 4) as f64 / 100.0,
                1 | 2 => 0.8 + (h % 15) as f64 / 100.0,
                _ => (h % 60) as f64 / 100.0,
            };
            let usage = metric.then(|| (value * share).round());
            QuotaUsage {
                service_code: service.to_string(),
                quota_code: code.to_string(),
                quota_name: name.to_string(),
                value,
                usage,
                utilization: usage.map(|u| u / value),
                adjustable,
                unit: if service == "lambda" && !metric {
                    "Gigabytes".into()
                } else {
                    "None".into()
                },
                region: region.to_string(),
                has_usage_metric: metric,
            }
        })
        .collect();
    sort_worst_first(&mut rows);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_quotas_are_stable_and_vary_by_account() {
        let a = demo_quotas("111111111111", "us-east-1", &[]);
        assert_eq!(a, demo_quotas("111111111111", "us-east-1", &[]));
        assert_ne!(a, demo_quotas("222222222222", "us-east-1", &[]));
        let only_ec2 = demo_quotas("111111111111", "us-east-1", &["ec2".into()]);
        assert!(only_ec2.iter().all(|q| q.service_code == "ec2"));
        assert!(
            a.iter()
                .all(|q| q.utilization.is_some() == q.has_usage_metric)
        );
    }
}
