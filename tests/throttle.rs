//! Throttle-proofing without AWS: the requests orgnav's own clients send (the rate budget sits
//! in their interceptor and HTTP client) are recorded by a loopback-free HTTP connector under
//! tokio's paused clock, so "at most N a second" is checked on the request timestamps, not on
//! the wall clock; retries under throttling are checked with aws-smithy-mocks.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use aws_sdk_organizations::config::retry::RetryPartition;
use aws_smithy_mocks::{MockResponseInterceptor, RuleMode, create_mock_http_client, mock};
use orgnav::aws::crawl::{CrawlOptions, crawl_org};
use orgnav::aws::error::AwsFailure;
use orgnav::aws::session::organizations_client;
use orgnav::aws::tags::fetch_tags;
use support::recorder::{
    Recorder, THROTTLED, base_config, identity_center, organizations_answer, portal_answer,
};

#[tokio::test(start_paused = true)]
async fn portal_calls_are_paced_to_twenty_a_second() {
    let recorder = Recorder::new(portal_answer);
    let base = base_config(
        recorder.client(),
        3,
        "https://portal-paced.test",
        Default::default(),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ic = identity_center(&base, dir.path());
    let org = ic.flat_org(16).await.unwrap();
    assert_eq!(org.accounts.len(), 60);
    assert_eq!(org.sso_roles.len(), 60);
    // One ListAccounts page and a ListAccountRoles per account, 16 at a time.
    assert_eq!(recorder.assert_at_most_per_second(20), 61);
}

#[tokio::test(start_paused = true)]
async fn a_crawl_and_its_tags_share_one_organizations_rate_budget() {
    let recorder = Recorder::new(organizations_answer);
    let base = base_config(
        recorder.client(),
        3,
        "https://crawl-and-tags.test",
        Default::default(),
    )
    .await;
    let client = organizations_client(&base);
    let opts = CrawlOptions {
        concurrency: 16,
        page_size: 20,
    };
    let report = crawl_org(&client, &opts).await.unwrap();
    assert_eq!(report.org.accounts.len(), 20);
    let tags = fetch_tags(&client, &report.org, 16).await.unwrap();
    assert_eq!(tags.tags.len(), 30);
    // ListRoots + the probe + 11 × (OUs, accounts) + 30 tag reads.
    assert_eq!(recorder.assert_at_most_per_second(20), 2 + 22 + 30);
}

/// An Organizations client as orgnav builds it, answered by `rule`. Its own retry partition:
/// the SDK's retry quota is shared by every client of a partition in the process.
async fn mocked_organizations(
    rule: &aws_smithy_mocks::Rule,
    max_attempts: u32,
    partition: &'static str,
) -> aws_sdk_organizations::Client {
    let endpoint = format!("https://{partition}.test");
    let base = base_config(
        create_mock_http_client(),
        max_attempts,
        &endpoint,
        Default::default(),
    )
    .await;
    let ours = organizations_client(&base);
    let mocks = MockResponseInterceptor::new()
        .rule_mode(RuleMode::Sequential)
        .with_rule(rule);
    let conf = ours
        .config()
        .to_builder()
        .interceptor(mocks)
        .retry_partition(RetryPartition::new(partition))
        .build();
    aws_sdk_organizations::Client::from_conf(conf)
}

fn roots_after_throttling(throttled: usize) -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_organizations::Client::list_roots)
        .sequence()
        .http_status(400, Some(THROTTLED.to_string()))
        .times(throttled)
        .output(|| {
            aws_sdk_organizations::operation::list_roots::ListRootsOutput::builder()
                .roots(
                    aws_sdk_organizations::types::Root::builder()
                        .id("r-root")
                        .build(),
                )
                .build()
        })
        .build()
}

#[tokio::test(start_paused = true)]
async fn throttled_calls_are_retried_until_they_succeed() {
    let rule = roots_after_throttling(6);
    let client = mocked_organizations(&rule, 10, "throttle-then-answer").await;
    let out = client.list_roots().send().await.unwrap();
    assert_eq!(out.roots()[0].id(), Some("r-root"));
    assert_eq!(
        rule.num_calls(),
        7,
        "six throttled attempts, then the answer"
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_beyond_the_attempt_budget_is_reported_as_throttling() {
    let rule = roots_after_throttling(9);
    let client = mocked_organizations(&rule, 4, "throttle-out").await;
    let err = client.list_roots().send().await.unwrap_err();
    let failure = orgnav::aws::error::classify("organizations", "ListRoots", &err);
    assert!(matches!(failure, AwsFailure::Throttled { .. }), "{failure}");
    assert_eq!(rule.num_calls(), 4, "no attempt beyond max_attempts");
}

#[tokio::test(start_paused = true)]
async fn throttled_answers_slow_the_shared_budget_down() {
    let mut recorder = Recorder::new(organizations_answer);
    recorder.throttled = 0..4;
    let base = base_config(
        recorder.client(),
        10,
        "https://slows-down.test",
        Default::default(),
    )
    .await;
    let client = organizations_client(&base);
    // Four throttled attempts, then the answer; then two calls one after the other.
    for _ in 0..3 {
        client.list_roots().send().await.unwrap();
    }
    let t = recorder.arrivals.lock().unwrap().clone();
    assert_eq!(t.len(), 7);
    // At the full rate the two calls would start 50 ms apart; after four throttled answers the
    // interval is 100 ms; the answer to the first call narrowed it by 2.5 ms (97.5 ms; tokio's
    // paused clock moves in whole milliseconds, and a request that starts a tick after its
    // slot shortens the next gap by as much: 97 or 98 ms).
    let gap = t[6] - t[5];
    assert!(
        gap >= Duration::from_millis(97) && gap <= Duration::from_millis(98),
        "{gap:?}"
    );
}
