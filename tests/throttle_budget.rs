//! The rate budget as a process has it, under tokio's paused clock with a recording connector
//! (no sockets): one budget per service endpoint however many clients the process makes,
//! throttling recognised when only the answer's body names it, and the wait for a slot kept
//! out of the attempt timeout.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use orgnav::aws::crawl::{CrawlOptions, crawl_org};
use orgnav::aws::session::organizations_client;
use orgnav::config::NetworkConfig;
use support::recorder::{
    Recorder, base_config, identity_center, organizations_answer, portal_answer,
};

const CRAWL: CrawlOptions = CrawlOptions {
    concurrency: 16,
    page_size: 20,
};

/// The crawl, the tag read and a TUI `r` each make their own client from the configuration;
/// together they must stay within the one budget AWS enforces.
#[tokio::test(start_paused = true)]
async fn organizations_clients_made_separately_share_one_budget() {
    let recorder = Recorder::new(organizations_answer);
    let endpoint = "https://two-organizations-clients.test";
    let first = base_config(recorder.client(), 3, endpoint, NetworkConfig::default()).await;
    let second = base_config(recorder.client(), 3, endpoint, NetworkConfig::default()).await;
    let (a, b) = (organizations_client(&first), organizations_client(&second));
    let (ra, rb) = tokio::join!(crawl_org(&a, &CRAWL), crawl_org(&b, &CRAWL));
    assert_eq!(ra.unwrap().org.accounts.len(), 20);
    assert_eq!(rb.unwrap().org.accounts.len(), 20);
    assert_eq!(recorder.assert_at_most_per_second(20), 2 * (2 + 22));
}

#[tokio::test(start_paused = true)]
async fn portal_clients_made_separately_share_one_budget() {
    let recorder = Recorder::new(portal_answer);
    let endpoint = "https://two-portal-clients.test";
    let first = base_config(recorder.client(), 3, endpoint, NetworkConfig::default()).await;
    let second = base_config(recorder.client(), 3, endpoint, NetworkConfig::default()).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (
        identity_center(&first, dir_a.path()),
        identity_center(&second, dir_b.path()),
    );
    let (oa, ob) = tokio::join!(a.flat_org(16), b.flat_org(16));
    assert_eq!(oa.unwrap().accounts.len(), 60);
    assert_eq!(ob.unwrap().accounts.len(), 60);
    assert_eq!(recorder.assert_at_most_per_second(20), 2 * 61);
}

/// Four throttled answers that name their code only in `body`, then the answer; then two
/// more calls one after the other: the time between those two.
async fn gap_after_throttling_named_in(body: &'static str, endpoint: &str) -> Duration {
    let mut recorder = Recorder::new(organizations_answer);
    recorder.throttled = 0..4;
    recorder.throttled_body = body;
    recorder.code_in_header = false;
    let base = base_config(recorder.client(), 10, endpoint, NetworkConfig::default()).await;
    let client = organizations_client(&base);
    for _ in 0..3 {
        client.list_roots().send().await.unwrap();
    }
    let t = recorder.arrivals.lock().unwrap().clone();
    assert_eq!(t.len(), 7);
    t[6] - t[5]
}

#[tokio::test(start_paused = true)]
async fn throttling_named_only_in_the_body_slows_the_budget_down() {
    // At the full rate the two calls would start 50 ms apart; four throttled answers slow the
    // budget to its floor (100 ms), one answer speeds it up by 2.5 ms.
    for (body, endpoint) in [
        (
            r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
            "https://throttled-in-body.test",
        ),
        (
            r#"{"__type":"com.amazonaws.organizations#TooManyRequestsException","message":"Rate exceeded"}"#,
            "https://throttled-in-body-namespaced.test",
        ),
    ] {
        let gap = gap_after_throttling_named_in(body, endpoint).await;
        // 97.5 ms, less at most one timer tick: the paused clock moves in whole milliseconds,
        // and a request that starts a tick after its slot shortens the next gap by as much.
        assert!(gap >= Duration::from_millis(97), "{body}: {gap:?}");
    }
}

/// At its floor (10 a second) the budget lets 20 requests through per 2 s attempt timeout;
/// 60 callers at once wait up to 6 s for their turn, within the 10 s operation timeout.
#[tokio::test(start_paused = true)]
async fn callers_waiting_for_their_turn_do_not_time_out() {
    let mut recorder = Recorder::new(organizations_answer);
    recorder.throttled = 0..4;
    let network = NetworkConfig {
        attempt_timeout_seconds: 2.0,
        ..NetworkConfig::default()
    };
    let endpoint = "https://queued-beyond-attempt-timeout.test";
    let base = base_config(recorder.client(), 10, endpoint, network).await;
    let client = organizations_client(&base);
    client.list_roots().send().await.unwrap();
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..60 {
        let client = client.clone();
        callers.spawn(async move { client.list_roots().send().await });
    }
    for answer in callers.join_all().await {
        if let Err(e) = answer {
            panic!(
                "{}",
                aws_smithy_types::error::display::DisplayErrorContext(&e)
            );
        }
    }
    assert_eq!(recorder.arrivals.lock().unwrap().len(), 5 + 60);
}

/// A loopback endpoint that answers every request HTTP 400 with Organizations' throttling
/// code in the body only; returns its address.
fn always_throttling_in_the_body() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            std::thread::spawn(move || {
                let mut reader = std::io::BufReader::new(conn.try_clone().unwrap());
                while support::http::read_request(&mut reader).is_some() {
                    let body = support::recorder::THROTTLED;
                    let answer = format!(
                        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\n\
                         Content-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if std::io::Write::write_all(&mut conn, answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    base
}

/// Throttling that outlasts the operation timeout is reported as throttling ("AWS is
/// throttling"), not as a timeout, also when only the body names it.
#[tokio::test]
async fn throttling_named_only_in_the_body_is_reported_when_the_retries_run_out() {
    let endpoint = always_throttling_in_the_body();
    let network = NetworkConfig {
        attempt_timeout_seconds: 1.0,
        operation_timeout_seconds: 1.5,
        ..NetworkConfig::default()
    };
    let opts = orgnav::aws::session::SessionOptions {
        max_attempts: 10,
        network,
        ..Default::default()
    };
    let conf = orgnav::aws::session::loader(&opts)
        .endpoint_url(&endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::for_tests())
        .load()
        .await;
    let err = organizations_client(&conf)
        .list_roots()
        .send()
        .await
        .unwrap_err();
    let failure = orgnav::aws::error::classify("organizations", "ListRoots", &err);
    assert!(
        matches!(failure, orgnav::aws::error::AwsFailure::Throttled { .. }),
        "{failure}"
    );
}
