//! `shell|exec --refreshing`: the loopback credential endpoint in the container-credentials
//! format. botocore reads it under `orgnav exec` against moto; requests without the token are
//! refused; renewal before expiry runs on a paused tokio clock with a fake assume.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use orgnav::access::cred_server::{Clock, CredentialEndpoint, Renewed, keep_fresh, renewal_time};
use orgnav::aws::credentials::Credentials;
use secrecy::{ExposeSecret, SecretString};
use support::{python, run};
use tokio::sync::watch;

fn credentials(key: &str, lifetime: Duration) -> Arc<Credentials> {
    let now = jiff::Timestamp::now();
    Arc::new(Credentials {
        access_key_id: key.into(),
        secret_access_key: SecretString::from(format!("{key}-secret")),
        session_token: SecretString::from(format!("{key}-token")),
        expiration: now + jiff::SignedDuration::try_from(lifetime).unwrap(),
    })
}

/// A renewal that must not happen in the test.
async fn never() -> Renewed {
    Err("no renewal expected here".into())
}

/// One GET of `url` with an optional `Authorization`, over a plain socket: (status, body).
fn get(url: &str, authorization: Option<&str>) -> (u16, String) {
    request("GET", url, authorization)
}

/// One request of `method` for `url`: (status, body).
fn request(method: &str, url: &str, authorization: Option<&str>) -> (u16, String) {
    let host = host_of(url);
    let path = &url[url.find(&host).unwrap() + host.len()..];
    let mut stream = std::net::TcpStream::connect(&host).unwrap();
    let auth = authorization.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{auth}\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let status = reply[9..12].parse().unwrap();
    let body = reply.split_once("\r\n\r\n").unwrap().1.to_string();
    (status, body)
}

/// An endpoint serving `ASIAFIRST` for an hour, which must not renew.
async fn serving_first() -> CredentialEndpoint {
    let first = credentials("ASIAFIRST", Duration::from_secs(3600));
    CredentialEndpoint::start(first, never).await.unwrap()
}

/// `127.0.0.1:PORT` of an endpoint URL.
fn host_of(url: &str) -> String {
    url.strip_prefix("http://")
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string()
}

fn token_of(endpoint: &CredentialEndpoint) -> String {
    let [_, (name, token)] = endpoint.child_vars();
    assert_eq!(name, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    token.expose_secret().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_token_gets_the_credentials_in_the_container_format() {
    let endpoint = serving_first().await;
    let (url, token) = (endpoint.url().to_string(), token_of(&endpoint));
    let (refused_without, refused_wrong, served) = tokio::task::spawn_blocking(move || {
        // The last character changed to one it is not (a fixed "0" equals it one time in 16).
        let last = if token.ends_with('0') { '1' } else { '0' };
        let wrong = format!("{}{last}", &token[..token.len() - 1]);
        assert_ne!(wrong, token);
        // With the token, only GET on the one path answers.
        assert_eq!(request("PUT", &url, Some(&token)).0, 405);
        assert_eq!(get(&format!("{url}x"), Some(&token)).0, 404);
        (
            get(&url, None),
            get(&url, Some(&wrong)),
            get(&url, Some(&token)),
        )
    })
    .await
    .unwrap();
    assert_eq!(refused_without.0, 403);
    assert_eq!(refused_wrong.0, 403);
    assert!(
        !refused_wrong.1.contains("ASIAFIRST"),
        "{}",
        refused_wrong.1
    );
    assert_eq!(served.0, 200, "{}", served.1);
    let v: serde_json::Value = serde_json::from_str(&served.1).unwrap();
    assert_eq!(v["AccessKeyId"], "ASIAFIRST");
    assert_eq!(v["SecretAccessKey"], "ASIAFIRST-secret");
    assert_eq!(v["Token"], "ASIAFIRST-token");
    let expiry: jiff::Timestamp = v["Expiration"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        expiry.as_second(),
        endpoint.current().expiration.as_second()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_port_is_closed_once_the_endpoint_stops() {
    let endpoint = serving_first().await;
    let host = host_of(endpoint.url());
    assert!(std::net::TcpStream::connect(&host).is_ok());
    endpoint.stop().await;
    assert!(std::net::TcpStream::connect(&host).is_err());
}

#[test]
fn renewal_is_halfway_to_expiry_but_never_sooner_than_the_floor() {
    let c = credentials("ASIAFIRST", Duration::from_secs(3600));
    let now = c.expiration - jiff::SignedDuration::from_secs(3600);
    assert_eq!(
        renewal_time(now, &c),
        now + jiff::SignedDuration::from_secs(1800)
    );
    let late = c.expiration + jiff::SignedDuration::from_secs(5);
    assert_eq!(
        renewal_time(late, &c),
        late + jiff::SignedDuration::from_secs(30)
    );
}

type Calls = Arc<Mutex<Vec<tokio::time::Instant>>>;

/// A fake assume: each call answers the next of `answers` and notes the (paused) time.
fn fake_assume(answers: Vec<Renewed>) -> (impl FnMut() -> std::future::Ready<Renewed>, Calls) {
    let calls = Calls::default();
    let seen = calls.clone();
    let mut answers = answers.into_iter();
    let renew = move || {
        seen.lock().unwrap().push(tokio::time::Instant::now());
        std::future::ready(
            answers
                .next()
                .unwrap_or_else(|| Err("no more answers".into())),
        )
    };
    (renew, calls)
}

/// A wall clock that follows tokio's paused clock from the test's start.
fn paused_wall_clock() -> Clock {
    let (wall, start) = (jiff::Timestamp::now(), tokio::time::Instant::now());
    Arc::new(move || {
        let elapsed = jiff::SignedDuration::try_from(tokio::time::Instant::now() - start).unwrap();
        wall + elapsed
    })
}

/// Runs the refresher on `first` with a fake assume: what it serves, and the assume calls.
fn refresher(
    first: Arc<Credentials>,
    answers: Vec<Renewed>,
) -> (watch::Receiver<Arc<Credentials>>, Calls) {
    let (renew, calls) = fake_assume(answers);
    let (tx, rx) = watch::channel(first);
    tokio::spawn(keep_fresh(tx, renew, paused_wall_clock()));
    (rx, calls)
}

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test(start_paused = true)]
async fn credentials_are_renewed_before_they_expire_for_as_long_as_the_refresher_runs() {
    let start = tokio::time::Instant::now();
    let (served, calls) = refresher(
        credentials("ASIAFIRST", HOUR),
        vec![
            Ok(credentials("ASIASECOND", 2 * HOUR)),
            Ok(credentials("ASIATHIRD", 3 * HOUR)),
        ],
    );
    // Two hours of virtual time: the first session would have expired an hour ago.
    tokio::time::sleep(2 * HOUR).await;
    assert_eq!(served.borrow().access_key_id, "ASIATHIRD");
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(
        calls[0] - start < HOUR,
        "first renewal after the first expiry"
    );
    assert!(
        calls[1] - start < 2 * HOUR,
        "second renewal after the second expiry"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_renewal_keeps_serving_and_tries_again_before_expiry() {
    let start = tokio::time::Instant::now();
    let (served, calls) = refresher(
        credentials("ASIAFIRST", HOUR),
        vec![
            Err("throttled".into()),
            // A cache handing back a session that expires no later counts as not renewed.
            Ok(credentials("ASIACACHED", HOUR - Duration::from_secs(60))),
            Ok(credentials("ASIASECOND", 2 * HOUR)),
        ],
    );
    while calls.lock().unwrap().len() < 3 {
        assert_eq!(served.borrow().access_key_id, "ASIAFIRST");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert_eq!(served.borrow().access_key_id, "ASIASECOND");
    assert!(calls.lock().unwrap()[2] - start < HOUR);
}

/// The child: its own environment, botocore's container provider, then STS through moto, and
/// the endpoint refusing requests without the token. One JSON line.
const CHILD: &str = r#"
import json, os, urllib.request, urllib.error
import boto3, botocore.session
def status(headers):
    req = urllib.request.Request(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], headers=headers)
    try:
        return urllib.request.urlopen(req).status
    except urllib.error.HTTPError as e:
        return e.code
creds = botocore.session.get_session().get_credentials()
print(json.dumps({
    "method": creds.method,
    "account": boto3.client("sts").get_caller_identity()["Account"],
    "keys_in_env": sorted(k for k in os.environ if k in
        ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")),
    "url": os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"],
    "orgnav_account": os.environ.get("ORGNAV_ACCOUNT_ID"),
    "without_token": status({}),
    "wrong_token": status({"Authorization": "not-the-token"}),
}))
"#;

/// `orgnav exec --refreshing payments-dev -- python -c CHILD`.
fn exec_refreshing_child(s: &support::Sandbox, moto: &support::Moto) -> support::Output {
    run(s.orgnav(Some(moto)).args([
        "exec",
        "--refreshing",
        "payments-dev",
        "--",
        python().to_str().unwrap(),
        "-c",
        CHILD,
    ]))
}

#[test]
fn botocore_reads_the_endpoint_under_exec_refreshing_and_it_closes_with_the_child() {
    let (moto, seed) = support::seeded_org();
    let s = support::refreshed_sandbox();
    let target = seed.account("payments-dev");
    let out = exec_refreshing_child(&s, moto);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(v["method"], "container-role", "{v}");
    assert_eq!(v["account"], target.id.as_str(), "{v}");
    assert_eq!(v["orgnav_account"], target.id.as_str(), "{v}");
    assert_eq!(v["keys_in_env"], serde_json::json!([]), "{v}");
    assert_eq!(v["without_token"], 403, "{v}");
    assert_eq!(v["wrong_token"], 403, "{v}");
    let url = v["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let host = host_of(url);
    assert!(
        std::net::TcpStream::connect(host).is_err(),
        "the endpoint outlived the child"
    );
}

#[test]
fn config_refreshing_makes_it_the_default() {
    let (moto, _) = support::seeded_org();
    let s = support::refreshed_sandbox();
    s.write_config("[credentials]\nrefreshing = true\n");
    let out = run(s.orgnav(Some(moto)).args([
        "exec",
        "payments-dev",
        "--",
        "sh",
        "-c",
        "echo ${AWS_SECRET_ACCESS_KEY:-none} ${AWS_CONTAINER_CREDENTIALS_FULL_URI:-none} \
         ${ORGNAV_EXPIRES_AT:-none}",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let words: Vec<&str> = out.stdout.split_whitespace().collect();
    assert_eq!(words[0], "none", "{}", out.stdout);
    assert!(words[1].starts_with("http://127.0.0.1:"), "{}", out.stdout);
    // The first session's expiry would go stale as the endpoint renews: the prompt shows none.
    assert_eq!(words[2], "none", "{}", out.stdout);
}

/// AWS tools read a `[default]` profile's credentials before a credential endpoint: the child
/// would act as that profile, in another account. orgnav refuses instead of pretending.
#[test]
fn refreshing_is_refused_when_the_default_profile_would_shadow_the_endpoint() {
    let (moto, _) = support::seeded_org();
    let s = support::refreshed_sandbox();
    std::fs::create_dir_all(s.path("aws")).unwrap();
    std::fs::write(
        s.path("aws/credentials"),
        "[default]\naws_access_key_id = AKIADEFAULTPROFILE\naws_secret_access_key = x\n",
    )
    .unwrap();
    let out = exec_refreshing_child(&s, moto);
    assert_eq!(
        out.code, 2,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(
        out.stderr.contains("[default]") && out.stderr.contains("aws_access_key_id"),
        "{}",
        out.stderr
    );
}
