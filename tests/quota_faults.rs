//! A sweep goes on past accounts it cannot enter. moto lets every AssumeRole succeed, so STS
//! is mocked with aws-smithy-mocks (AccessDenied, throttling); Service Quotas and CloudWatch
//! are the real wire protocol against moto.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use aws_sdk_sts::Client;
use aws_sdk_sts::error::ErrorMetadata;
use aws_sdk_sts::operation::assume_role::{AssumeRoleError, AssumeRoleOutput};
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_sdk_sts::types::Credentials as StsCredentials;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use orgnav::access::{Access, AccessSettings};
use orgnav::aws::roles::{RoleOption, RoleSource};
use orgnav::config::Config;
use orgnav::model::{Account, AccountStatus};
use orgnav::quotas::{QuotaQuery, QuotaReader, QuotaTarget, sweep, worst_first};

const OK: &str = "111111111111";
const DENIED: &str = "222222222222";
const THROTTLED: &str = "333333333333";

fn target(id: &str, name: &str) -> QuotaTarget {
    QuotaTarget {
        account: Account {
            id: id.into(),
            name: name.into(),
            email: format!("{name}@example.com"),
            status: AccountStatus::Active,
            joined: None,
            parent_id: "r-1".into(),
            tags: Default::default(),
        },
        role: Some(RoleOption {
            name: "QuotaReader".into(),
            role_arn: format!("arn:aws:iam::{id}:role/QuotaReader"),
            source: RoleSource::Config,
            via_profile: None,
        }),
        production: false,
    }
}

fn mocked_sts() -> Client {
    let who = mock!(Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .arn("arn:aws:iam::999999999999:user/platform")
            .account("999999999999")
            .build()
    });
    let denied = mock!(Client::assume_role)
        .match_requests(|r| r.role_arn().is_some_and(|a| a.contains(DENIED)))
        .then_error(|| {
            AssumeRoleError::generic(
                ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("User: arn:aws:iam::999999999999:user/platform is not authorized to perform: sts:AssumeRole")
                    .build(),
            )
        });
    let throttled = mock!(Client::assume_role)
        .match_requests(|r| r.role_arn().is_some_and(|a| a.contains(THROTTLED)))
        .then_error(|| {
            AssumeRoleError::generic(
                ErrorMetadata::builder()
                    .code("Throttling")
                    .message("Rate exceeded")
                    .build(),
            )
        });
    let ok = mock!(Client::assume_role).then_output(|| {
        AssumeRoleOutput::builder()
            .credentials(
                StsCredentials::builder()
                    .access_key_id("ASIAMOCKQUOTAREADER")
                    .secret_access_key("mock-secret")
                    .session_token("mock-token")
                    .expiration(DateTime::from_secs(4_000_000_000))
                    .build()
                    .unwrap(),
            )
            .build()
    });
    mock_client!(
        aws_sdk_sts,
        RuleMode::MatchAny,
        &[&who, &denied, &throttled, &ok]
    )
}

#[tokio::test]
async fn accounts_that_cannot_be_entered_are_listed_and_the_sweep_goes_on() {
    let moto = support::Moto::start();
    let settings = AccessSettings::new(&Config::default(), None, Some("us-east-1".into()));
    let access = Access::with_sts(settings, mocked_sts());
    let reader = Arc::new(QuotaReader::new(access, moto.sdk_config().await));
    let query = QuotaQuery {
        services: vec!["ec2".into(), "lambda".into()],
        codes: vec![],
        regions: vec!["us-east-1".into()],
    };
    let targets = vec![
        target(DENIED, "denied"),
        target(OK, "reachable"),
        target(THROTTLED, "busy"),
    ];
    let mut seen = Vec::new();
    let results = sweep(Arc::clone(&reader), targets, Arc::new(query), 2, |r, p| {
        seen.push((r.len(), p.done, p.total));
    })
    .await;
    // Progress was reported once per account, counting up to the total.
    let done: Vec<usize> = seen.iter().map(|s| s.1).collect();
    assert_eq!(done, [1, 2, 3]);
    assert!(seen.iter().all(|s| s.2 == 3 && s.0 == 1));

    let (rows, failures) = worst_first(&results);
    assert!(rows.iter().all(|r| r.account_id == OK));
    // ec2 (8) and lambda (3) defaults of moto's extended Service Quotas.
    assert_eq!(rows.len(), 11);
    assert_eq!(failures.len(), 2, "{failures:?}");
    let denied = failures.iter().find(|f| f.account_id == DENIED).unwrap();
    assert!(
        denied.error.contains("QuotaReader")
            && denied.error.contains("AccessDenied")
            && denied.error.contains("sts:AssumeRole"),
        "{}",
        denied.error
    );
    assert_eq!(denied.region, "us-east-1");
    let busy = failures.iter().find(|f| f.account_id == THROTTLED).unwrap();
    assert!(busy.error.contains("throttled"), "{}", busy.error);
    // Nothing secret in what the user sees.
    for f in &failures {
        assert!(!f.error.contains("mock-secret") && !f.error.contains("mock-token"));
    }
}

#[tokio::test]
async fn an_account_without_any_role_is_reported_not_skipped() {
    let moto = support::Moto::start();
    let settings = AccessSettings::new(&Config::default(), None, Some("us-east-1".into()));
    let reader = Arc::new(QuotaReader::new(
        Access::with_sts(settings, mocked_sts()),
        moto.sdk_config().await,
    ));
    let mut roleless = target(OK, "roleless");
    roleless.role = None;
    let query = QuotaQuery {
        services: vec!["ec2".into()],
        codes: vec![],
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
    };
    let results = sweep(reader, vec![roleless], Arc::new(query), 8, |_, _| {}).await;
    let (rows, failures) = worst_first(&results);
    assert!(rows.is_empty());
    assert_eq!(failures.len(), 2);
    assert!(
        failures[0].error.contains("quotas.role"),
        "{}",
        failures[0].error
    );
}
