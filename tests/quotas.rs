//! Quota headroom against moto (extended with the Service Quotas calls it lacks): applied and
//! default values, usage from member accounts' CloudWatch, per region, and the sweep's order.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::OnceLock;

use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
use serde_json::Value;
use support::seed::Seeded;
use support::{Moto, Sandbox, run};

const VCPU: &str = "L-1216C47A";
const LAMBDA_CONCURRENCY: &str = "L-B99A9384";
const EIPS: &str = "L-0263D0A3";

/// The seeded organization with quota data written into member accounts, once per binary.
fn org() -> &'static (Moto, Seeded) {
    static SEEDED: OnceLock<()> = OnceLock::new();
    let org = support::seeded_org();
    SEEDED.get_or_init(|| {
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(seed_quotas(&org.0, &org.1));
        })
        .join()
        .unwrap();
    });
    org
}

/// Configs acting inside `account` through an assumed role, as AWS publishes usage there.
async fn member(moto: &Moto, account: &str, region: &str) -> aws_config::SdkConfig {
    let sts = aws_sdk_sts::Client::new(&moto.sdk_config().await);
    let out = sts
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("seed")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let creds = aws_sdk_cloudwatch::config::Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        None,
        "seed",
    );
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_string()))
        .endpoint_url(moto.endpoint())
        .credentials_provider(creds)
        .load()
        .await
}

async fn set_applied(conf: &aws_config::SdkConfig, service: &str, code: &str, value: f64) {
    aws_sdk_servicequotas::Client::new(conf)
        .request_service_quota_increase()
        .service_code(service)
        .quota_code(code)
        .desired_value(value)
        .send()
        .await
        .unwrap();
}

async fn put_vcpus(conf: &aws_config::SdkConfig, class: &str, value: f64) {
    let dims = [
        ("Service", "EC2"),
        ("Type", "Resource"),
        ("Resource", "vCPU"),
        ("Class", class),
    ];
    let mut datum = MetricDatum::builder()
        .metric_name("ResourceCount")
        .value(value);
    for (k, v) in dims {
        datum = datum.dimensions(Dimension::builder().name(k).value(v).build());
    }
    aws_sdk_cloudwatch::Client::new(conf)
        .put_metric_data()
        .namespace("AWS/Usage")
        .metric_data(datum.build())
        .send()
        .await
        .unwrap();
}

async fn put_lambda(conf: &aws_config::SdkConfig, value: f64) {
    aws_sdk_cloudwatch::Client::new(conf)
        .put_metric_data()
        .namespace("AWS/Lambda")
        .metric_data(
            MetricDatum::builder()
                .metric_name("ConcurrentExecutions")
                .value(value)
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// payments-dev: 20 of an applied 32 vCPUs in us-east-1, 5 of the default 1152 in
/// eu-west-1; payments-prod: 990 of 1000 concurrent Lambda executions (critical).
async fn seed_quotas(moto: &Moto, seed: &Seeded) {
    let dev = &seed.account("payments-dev").id;
    let prod = &seed.account("payments-prod").id;
    let dev_use1 = member(moto, dev, "us-east-1").await;
    set_applied(&dev_use1, "ec2", VCPU, 32.0).await;
    put_vcpus(&dev_use1, "Standard/OnDemand", 20.0).await;
    let dev_euw1 = member(moto, dev, "eu-west-1").await;
    put_vcpus(&dev_euw1, "Standard/OnDemand", 5.0).await;
    let prod_use1 = member(moto, prod, "us-east-1").await;
    put_lambda(&prod_use1, 990.0).await;
}

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    assert_eq!(run(s.orgnav(Some(&org().0)).arg("refresh")).code, 0);
    s
}

fn json(out: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(out)
        .unwrap_or_else(|e| panic!("{e}: {out}"))
        .as_array()
        .unwrap()
        .clone()
}

fn find<'a>(rows: &'a [Value], code: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["quota_code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {rows:?}"))
}

#[test]
fn one_account_merges_applied_values_and_reads_usage() {
    let (moto, _) = org();
    let s = sandbox();
    let out =
        run(s
            .orgnav(Some(moto))
            .args(["quotas", "payments-dev", "--service", "ec2", "--json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = json(&out.stdout);
    let vcpu = find(&rows, VCPU);
    // Applied 32 wins over the default 1152; usage 20 from the member's CloudWatch.
    assert_eq!(vcpu["value"], 32.0);
    assert_eq!(vcpu["usage"], 20.0);
    assert_eq!(vcpu["utilization"], 0.625);
    assert_eq!(vcpu["region"], "us-east-1");
    assert_eq!(vcpu["service_code"], "ec2");
    assert_eq!(vcpu["adjustable"], true);
    assert_eq!(vcpu["unit"], "None");
    // Never changed: the default, and no metric means unknown usage.
    let eips = find(&rows, EIPS);
    assert_eq!(eips["value"], 5.0);
    assert!(eips["usage"].is_null() && eips["utilization"].is_null());
    let amis = find(&rows, "L-E3A00192");
    assert_eq!(amis["adjustable"], false);
    // Every ec2 quota is there (more than one page), worst first: the only one with usage.
    assert_eq!(rows.len(), 8);
    assert_eq!(rows[0]["quota_code"], VCPU);
    let keys: Vec<&String> = vcpu.as_object().unwrap().keys().collect();
    for k in [
        "service_code",
        "quota_code",
        "quota_name",
        "value",
        "usage",
        "utilization",
        "adjustable",
        "unit",
        "region",
    ] {
        assert!(vcpu.get(k).is_some(), "{k} missing from {keys:?}");
    }
}

#[test]
fn regions_are_read_separately() {
    let (moto, _) = org();
    let s = sandbox();
    let out = run(s.orgnav(Some(moto)).args([
        "quotas",
        "payments-dev",
        "--service",
        "ec2",
        "--quota",
        VCPU,
        "--region",
        "eu-west-1",
        "--json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = json(&out.stdout);
    assert_eq!(rows.len(), 1, "{rows:?}");
    // No applied value in eu-west-1: the default, with that region's usage.
    assert_eq!(rows[0]["value"], 1152.0);
    assert_eq!(rows[0]["usage"], 5.0);
    assert_eq!(rows[0]["region"], "eu-west-1");
}

#[test]
fn sweep_lists_every_active_account_worst_first() {
    let (moto, seed) = org();
    let s = sandbox();
    let out = run(s.orgnav(Some(moto)).args([
        "quotas",
        "--all-accounts",
        "--service",
        "ec2",
        "--service",
        "lambda",
        "--quota",
        VCPU,
        "--quota",
        LAMBDA_CONCURRENCY,
        "--json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = json(&out.stdout);
    let active: Vec<_> = seed
        .accounts
        .iter()
        .filter(|a| a.status == "ACTIVE")
        .collect();
    let ids: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|r| r["account_id"].as_str().unwrap())
        .collect();
    // The management account is active too, and is swept with the seeded ones.
    for a in &active {
        assert!(ids.contains(a.id.as_str()), "{} missing", a.name);
    }
    for a in seed.accounts.iter().filter(|a| a.status != "ACTIVE") {
        assert!(!ids.contains(a.id.as_str()), "{} is not active", a.name);
    }
    // Two quotas per account, none failed.
    assert_eq!(rows.len(), ids.len() * 2);
    assert!(rows.iter().all(|r| r.get("error").is_none()));
    let prod = seed.account("payments-prod");
    assert_eq!(rows[0]["account_id"], prod.id.as_str());
    assert_eq!(rows[0]["account_name"], "payments-prod");
    assert_eq!(rows[0]["quota_code"], LAMBDA_CONCURRENCY);
    assert_eq!(rows[0]["utilization"], 0.99);
    assert_eq!(rows[1]["account_name"], "payments-dev");
    assert_eq!(rows[1]["utilization"], 0.625);
    assert!(rows[2]["utilization"].is_null());
}

#[test]
fn sweep_of_an_ou_reads_only_its_subtree_and_prints_a_table() {
    let (moto, seed) = org();
    let s = sandbox();
    let out = run(s.orgnav(Some(moto)).args([
        "quotas",
        "--all-accounts",
        "--ou",
        "Workloads/Dev",
        "--service",
        "ec2",
        "--quota",
        VCPU,
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dev = seed.account("payments-dev");
    let mut lines = out.stdout.lines();
    assert!(
        lines.next().unwrap().starts_with("ACCOUNT"),
        "a header first"
    );
    let first = lines.next().unwrap();
    assert!(
        first.contains("payments-dev") && first.contains(&dev.id),
        "{}",
        out.stdout
    );
    assert!(
        first.contains("20 / 32") && first.contains("62%"),
        "{first}"
    );
    assert!(!out.stdout.contains("payments-prod"), "{}", out.stdout);
    // Accounts without usage data are summarised, not listed.
    assert!(
        out.stdout.contains("without usage data not shown"),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_quota_arguments_are_usage_errors() {
    let (moto, _) = org();
    let s = sandbox();
    let out = run(s.orgnav(Some(moto)).args(["quotas"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = run(s
        .orgnav(Some(moto))
        .args(["quotas", "--all-accounts", "--ou", "NoSuchOu"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("NoSuchOu"), "{}", out.stderr);
    let out = run(s
        .orgnav(Some(moto))
        .args(["quotas", "nope-nothing-matches"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
}
