//! A recording HTTP connector for tests under tokio's paused clock: it answers orgnav's own
//! clients (their rate budget included) without a socket and records when each request
//! arrived, so "at most N a second" is checked on the request timestamps.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use orgnav::aws::session::{SessionOptions, loader};
use orgnav::config::NetworkConfig;
use orgnav::sso::center::portal_client;
use orgnav::sso::token::{cache_path, store};
use orgnav::sso::{IdentityCenter, SsoSettings, SsoToken};
use secrecy::SecretString;
use tokio::time::Instant;

/// Organizations' throttling answer body (awsJson1_1).
pub const THROTTLED: &str = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;

/// Answers each request from `answer(target or path, body)` and records when it arrived; the
/// requests numbered in `throttled` (0-based, in arrival order) get Organizations' throttling
/// error instead.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub arrivals: Arc<Mutex<Vec<Instant>>>,
    pub answer: fn(&str, &str) -> String,
    pub throttled: std::ops::Range<usize>,
    /// The throttled answers' body.
    pub throttled_body: &'static str,
    /// Whether the throttled answers also name their code in `x-amzn-ErrorType` (real AWS
    /// answers may name it only in the body).
    pub code_in_header: bool,
}

impl HttpConnector for Recorder {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let nth = {
            let mut arrivals = self.arrivals.lock().unwrap();
            arrivals.push(Instant::now());
            arrivals.len() - 1
        };
        if self.throttled.contains(&nth) {
            let mut response =
                HttpResponse::new(400.try_into().unwrap(), SdkBody::from(self.throttled_body));
            if self.code_in_header {
                response
                    .headers_mut()
                    .insert("x-amzn-errortype", "TooManyRequestsException");
            }
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
    pub fn new(answer: fn(&str, &str) -> String) -> Self {
        Self {
            arrivals: Arc::default(),
            answer,
            throttled: 0..0,
            throttled_body: THROTTLED,
            code_in_header: true,
        }
    }

    pub fn client(&self) -> SharedHttpClient {
        let me = self.clone();
        http_client_fn(move |_, _| SharedHttpConnector::new(me.clone()))
    }

    /// Arrival times, checked: no `limit + 1` requests within any one-second window.
    pub fn assert_at_most_per_second(&self, limit: usize) -> usize {
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
/// `endpoint` names the test's own service endpoint: rate budgets are per endpoint and process,
/// and the tests of one binary run side by side, each on its own paused clock.
pub async fn base_config(
    http: SharedHttpClient,
    max_attempts: u32,
    endpoint: &str,
    network: NetworkConfig,
) -> aws_config::SdkConfig {
    let opts = SessionOptions {
        max_attempts,
        network,
        ..SessionOptions::default()
    };
    loader(&opts)
        .http_client(http)
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(Credentials::for_tests())
        .load()
        .await
}

/// The Identity Center the portal tests sign in to.
pub fn sso_settings() -> SsoSettings {
    SsoSettings {
        session: Some("corp".into()),
        start_url: "https://d-1234567890.awsapps.com/start".into(),
        region: "eu-west-1".into(),
        scopes: vec!["sso:account:access".into()],
    }
}

/// A portal token valid for eight more hours.
pub fn valid_sso_token() -> SsoToken {
    SsoToken {
        access_token: SecretString::from("portal-access-token".to_string()),
        expires_at: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(8),
        refresh_token: None,
        client_id: None,
        client_secret: None,
        registration_expires_at: None,
        start_url: Some(sso_settings().start_url),
        region: Some("eu-west-1".into()),
    }
}

/// Identity Center with a valid cached token in `dir`, its portal client made from `base`.
pub fn identity_center(base: &aws_config::SdkConfig, dir: &Path) -> IdentityCenter {
    let settings = sso_settings();
    let path = cache_path(dir, settings.cache_key());
    store(&path, &valid_sso_token()).unwrap();
    let oidc = aws_sdk_ssooidc::Client::new(base);
    let portal = portal_client(base, aws_config::Region::new("eu-west-1"));
    IdentityCenter::with_clients(settings, oidc, portal, Some(path))
}

/// The portal's answers: 60 accounts on one page, one role each.
pub fn portal_answer(path: &str, _body: &str) -> String {
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

/// A small organization as Organizations' JSON protocol answers it: 10 OUs under the root,
/// two accounts in each, a tag on everything.
pub fn organizations_answer(target: &str, body: &str) -> String {
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
