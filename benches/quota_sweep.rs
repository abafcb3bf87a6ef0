//! A quota sweep over many accounts against moto (the test harness's extended Service Quotas
//! and CloudWatch): wall time and API calls, concurrent (the default 8) and one at a time.
//! `ORGNAV_BENCH_ACCOUNTS` sets the count (default 500). Needs the test venv (scripts/test).
#![allow(clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Instant;

use orgnav::access::{Access, AccessSettings};
use orgnav::aws::roles::{RoleOption, RoleSource};
use orgnav::config::Config;
use orgnav::model::{Account, AccountStatus};
use orgnav::quotas::{QuotaQuery, QuotaReader, QuotaTarget, sweep};

fn target(i: usize) -> QuotaTarget {
    let id = format!("{:012}", 200_000_000_000 + i);
    QuotaTarget {
        account: Account {
            id: id.clone(),
            name: format!("bench-{i:04}"),
            email: format!("bench-{i}@example.com"),
            status: AccountStatus::Active,
            joined: None,
            parent_id: "r-1".into(),
            tags: Default::default(),
        },
        role: Some(RoleOption {
            name: "OrganizationAccountAccessRole".into(),
            role_arn: format!("arn:aws:iam::{id}:role/OrganizationAccountAccessRole"),
            source: RoleSource::Default,
            via_profile: None,
        }),
        production: false,
    }
}

fn main() {
    let n: usize = std::env::var("ORGNAV_BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let latency: u64 = std::env::var("ORGNAV_BENCH_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    // AWS pages quotas by 100; the tests' small pages would inflate the call count. The
    // second server adds a round trip's latency to every request, as a real AWS call has.
    // SAFETY: no other thread exists yet.
    unsafe { std::env::set_var("ORGNAV_MOTO_QUOTA_PAGE", "100") };
    let local = support::Moto::start();
    unsafe { std::env::set_var("ORGNAV_MOTO_LATENCY_MS", latency.to_string()) };
    let remote = support::Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    for (moto, label) in [
        (&local, "no added latency".to_string()),
        (&remote, format!("{latency} ms per request")),
    ] {
        rt.block_on(run(moto, n, &label));
    }
}

async fn run(moto: &support::Moto, n: usize, label: &str) {
    {
        let conf = moto.sdk_config().await;
        let query = Arc::new(QuotaQuery {
            services: vec!["ec2".into(), "vpc".into(), "lambda".into()],
            codes: vec![],
            regions: vec!["us-east-1".into()],
        });
        // moto builds each service's app on first use: keep that out of the measurement.
        let warm = AccessSettings::new(&Config::default(), None, Some("us-east-1".into()));
        let warm = Arc::new(QuotaReader::new(
            Access::with_sts(warm, aws_sdk_sts::Client::new(&conf)),
            conf.clone(),
        ));
        sweep(
            warm,
            (0..4).map(|i| target(n + i)).collect(),
            Arc::clone(&query),
            4,
            |_, _| {},
        )
        .await;
        println!(
            "quota sweep over {n} accounts (ec2, vpc, lambda; one region; moto on loopback, {label})"
        );
        for concurrency in [8, 1] {
            let settings = AccessSettings::new(&Config::default(), None, Some("us-east-1".into()));
            let access = Access::with_sts(settings, aws_sdk_sts::Client::new(&conf));
            let reader = Arc::new(QuotaReader::new(access, conf.clone()));
            let targets: Vec<QuotaTarget> = (0..n).map(target).collect();
            let start = Instant::now();
            let results = sweep(
                Arc::clone(&reader),
                targets,
                Arc::clone(&query),
                concurrency,
                |_, _| {},
            )
            .await;
            let elapsed = start.elapsed();
            let failed = results.iter().filter(|r| r.result.is_err()).count();
            let quotas: usize = results
                .iter()
                .filter_map(|r| r.result.as_ref().ok())
                .map(Vec::len)
                .sum();
            let calls = reader.counter.by_operation();
            println!(
                "concurrency {concurrency}: {:.1} s ({:.1} ms/account), {} quotas, {failed} failed, \
                 {} calls + {n} AssumeRole ({:.1}/account): {calls:?}",
                elapsed.as_secs_f64(),
                elapsed.as_secs_f64() * 1000.0 / n as f64,
                quotas,
                reader.counter.total(),
                (reader.counter.total() + n) as f64 / n as f64,
            );
        }
    }
}
