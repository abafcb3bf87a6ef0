//! Throttle-proofing without AWS: the requests orgnav's own clients send (the rate budget sits
//! in their HTTP client) are recorded by a loopback-free HTTP connector under tokio's paused
//! clock, so "at most N a second" is checked on the request timestamps, not on the wall clock;
//! adaptive retry under throttling is checked with aws-smithy-mocks.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sdk_organizations::config::retry::RetryPartition;
use aws_smithy_async::time::TimeSource;
use aws_smithy_mocks::{MockResponseInterceptor, RuleMode, create_mock_http_client, mock};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use orgnav::aws::crawl::{CrawlOptions, crawl_org};
use orgnav::aws::error::AwsFailure;
use orgnav::aws::session::{SessionOptions, loader, organizations_client};
use orgnav::aws::tags::fetch_tags;
use orgnav::sso::center::portal_client;
use orgnav::sso::token::{cache_path, store};
use orgnav::sso::{IdentityCenter, SsoSettings, SsoToken};
use secrecy::SecretString;
use tokio::time::Instant;

/// Answers each request from `answer(target or path, body)` and records when it arrived; the
/// requests numbered in `throttled` (0-based, in arrival order) get Organizations' throttling
/// error instead.
#[derive(Debug, Clone)]
struct Recorder {
    arrivals: Arc<Mutex<Vec<Instant>>>,
    answer: fn(&str, &str) -> String,
    throttled: std::ops::Range<usize>,
}

impl HttpConnector for Recorder {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let nth = {
            let mut arrivals = self.arrivals.lock().unwrap();
            arrivals.push(Instant::now());
            arrivals.len() - 1
        };
        if self.throttled.contains(&nth) {
            let mut response = HttpResponse::new(400.try_into().unwrap(), SdkBody::from(THROTTLED));
            response
                .headers_mut()
                .insert("x-amzn-errortype", "TooManyRequestsException");
            return HttpConnectorFuture::ready(Ok(response));
        }
        let target = request
            .headers()
            .get("x-amz-target")
            .map_or_else(|| request.uri().to_string(), str::to_string);
        let body = std::str::from_utf8(request.body().bytes().unwrap_or_default()).unwrap_or("");
        let mut response = HttpResponse::new(
            200.try_into().unwrap(),
            SdkBody::from((self.answer)(&target, body)),
        );
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.1");
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl Recorder {
    fn new(answer: fn(&str, &str) -> String) -> Self {
        Self {
            arrivals: Arc::default(),
            answer,
            throttled: 0..0,
        }
    }

    fn client(&self) -> SharedHttpClient {
        let me = self.clone();
        http_client_fn(move |_, _| SharedHttpConnector::new(me.clone()))
    }

    /// Arrival times, checked: no `limit + 1` requests within any one-second window.
    fn assert_at_most_per_second(&self, limit: usize) -> usize {
        let mut t = self.arrivals.lock().unwrap().clone();
        t.sort();
        for (i, w) in t.windows(limit + 1).enumerate() {
            assert!(
                w[limit] - w[0] >= Duration::from_secs(1),
                "requests {i}..={} arrived within {:?}",
                i + limit,
                w[limit] - w[0]
            );
        }
        t.len()
    }
}

/// An SDK configuration as orgnav loads it (retries, timeouts), with `http` as its HTTP client.
async fn base_config(http: SharedHttpClient, max_attempts: u32) -> aws_config::SdkConfig {
    let opts = SessionOptions {
        max_attempts,
        ..SessionOptions::default()
    };
    loader(&opts)
        .http_client(http)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(Credentials::for_tests())
        .load()
        .await
}

fn portal_answer(path: &str, _body: &str) -> String {
    if path.contains("/assignment/accounts") {
        let accounts: Vec<String> = (0..60)
            .map(|n| {
                format!(
                    r#"{{"accountId":"{:012}","accountName":"acct-{n}","emailAddress":"a{n}@example.com"}}"#,
                    100_000_000_000u64 + n
                )
            })
            .collect();
        format!(r#"{{"accountList":[{}]}}"#, accounts.join(","))
    } else {
        r#"{"roleList":[{"roleName":"ReadOnly","accountId":"1"}]}"#.to_string()
    }
}

#[tokio::test(start_paused = true)]
async fn portal_calls_are_paced_to_twenty_a_second() {
    let recorder = Recorder::new(portal_answer);
    let base = base_config(recorder.client(), 3).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = SsoSettings {
        session: Some("corp".into()),
        start_url: "https://d-1234567890.awsapps.com/start".into(),
        region: "eu-west-1".into(),
        scopes: vec!["sso:account:access".into()],
    };
    let path = cache_path(dir.path(), settings.cache_key());
    let token = SsoToken {
        access_token: SecretString::from("portal-access-token".to_string()),
        expires_at: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(8),
        refresh_token: None,
        client_id: None,
        client_secret: None,
        registration_expires_at: None,
        start_url: Some(settings.start_url.clone()),
        region: Some("eu-west-1".into()),
    };
    store(&path, &token).unwrap();
    let oidc = aws_sdk_ssooidc::Client::new(&base);
    let portal = portal_client(&base, aws_config::Region::new("eu-west-1"));
    let ic = IdentityCenter::with_clients(settings, oidc, portal, Some(path));
    let org = ic.flat_org(16).await.unwrap();
    assert_eq!(org.accounts.len(), 60);
    assert_eq!(org.sso_roles.len(), 60);
    // One ListAccounts page and a ListAccountRoles per account, 16 at a time.
    assert_eq!(recorder.assert_at_most_per_second(20), 61);
}

/// A small organization as Organizations' JSON protocol answers it: 10 OUs under the root,
/// two accounts in each, a tag on everything.
fn organizations_answer(target: &str, body: &str) -> String {
    let op = target.rsplit('.').next().unwrap_or_default();
    let parent = body
        .split(r#""ParentId":""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default();
    let account = |id: String| {
        format!(r#"{{"Id":"{id}","Name":"n{id}","Email":"{id}@example.com","Status":"ACTIVE"}}"#)
    };
    match op {
        "ListRoots" => r#"{"Roots":[{"Id":"r-root","Name":"Root","Arn":"arn:aws:organizations::111111111111:root/o-abcdefghij/r-root"}]}"#.into(),
        "ListAccounts" => format!(r#"{{"Accounts":[{}]}}"#, account("111111111111".into())),
        "ListOrganizationalUnitsForParent" if parent == "r-root" => {
            let ous: Vec<String> = (0..10)
                .map(|n| format!(r#"{{"Id":"ou-root-{n:08}","Name":"ou{n}"}}"#))
                .collect();
            format!(r#"{{"OrganizationalUnits":[{}]}}"#, ous.join(","))
        }
        "ListOrganizationalUnitsForParent" => r#"{"OrganizationalUnits":[]}"#.into(),
        "ListAccountsForParent" if parent == "r-root" => r#"{"Accounts":[]}"#.into(),
        "ListAccountsForParent" => {
            let n: u64 = parent.trim_start_matches("ou-root-").parse().unwrap_or(0);
            let ids = [200_000_000_000 + 2 * n, 200_000_000_001 + 2 * n];
            let accounts: Vec<String> = ids.iter().map(|i| account(i.to_string())).collect();
            format!(r#"{{"Accounts":[{}]}}"#, accounts.join(","))
        }
        _ => r#"{"Tags":[{"Key":"team","Value":"core"}]}"#.into(),
    }
}

#[tokio::test(start_paused = true)]
async fn a_crawl_and_its_tags_share_one_organizations_rate_budget() {
    let recorder = Recorder::new(organizations_answer);
    let base = base_config(recorder.client(), 3).await;
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

const THROTTLED: &str = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;

/// The SDK's clock (adaptive retry's rate limiter reads it) on tokio's paused clock.
#[derive(Debug)]
struct PausedClock {
    origin: (SystemTime, Instant),
}

impl TimeSource for PausedClock {
    fn now(&self) -> SystemTime {
        self.origin.0 + (Instant::now() - self.origin.1)
    }
}

/// An Organizations client as orgnav builds it, answered by `rule`. Its own retry partition:
/// adaptive retry's rate limiter is shared by every client of a partition in the process.
async fn mocked_organizations(
    rule: &aws_smithy_mocks::Rule,
    max_attempts: u32,
    partition: &'static str,
) -> aws_sdk_organizations::Client {
    let base = base_config(create_mock_http_client(), max_attempts).await;
    let ours = organizations_client(&base);
    let mocks = MockResponseInterceptor::new()
        .rule_mode(RuleMode::Sequential)
        .with_rule(rule);
    let clock = PausedClock {
        origin: (SystemTime::now(), Instant::now()),
    };
    let conf = ours
        .config()
        .to_builder()
        .interceptor(mocks)
        .time_source(clock)
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
    let base = base_config(recorder.client(), 10).await;
    let client = organizations_client(&base);
    // Four throttled attempts, then the answer; then two calls one after the other.
    for _ in 0..3 {
        client.list_roots().send().await.unwrap();
    }
    let t = recorder.arrivals.lock().unwrap().clone();
    assert_eq!(t.len(), 7);
    // At the full rate the two calls would start 50 ms apart; after four throttled answers the
    // interval is 100 ms; the answer to the first call narrowed it by 2.5 ms (97.5 ms; tokio's
    // timer wakes on whole milliseconds).
    let gap = t[6] - t[5];
    assert!(
        gap >= Duration::from_micros(97_500) && gap <= Duration::from_millis(98),
        "{gap:?}"
    );
}
