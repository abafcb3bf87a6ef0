//! Every SDK configuration in the process shares one HTTP client: one connection pool and one
//! TLS session cache, so a quota sweep that builds a configuration per account and region (or an
//! assume followed by a crawl) reuses connections instead of handshaking again each time.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_credential_types::Credentials;
use orgnav::aws::network::NetworkConfig;
use orgnav::aws::session::{SessionOptions, loader, organizations_client};

/// A keep-alive HTTP/1.1 server answering every request with one DescribeOrganization reply;
/// returns its address and the number of connections it accepted.
fn keep_alive_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || answer_until_closed(conn));
        }
    });
    (base, accepted)
}

fn answer_until_closed(mut conn: std::net::TcpStream) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    while support::http::read_request(&mut reader).is_some() {
        let reply = r#"{"Organization":{"Id":"o-shared1234","MasterAccountId":"111111111111"}}"#;
        let _ = write!(
            conn,
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{reply}",
            reply.len()
        );
    }
}

async fn describe_with_a_new_config(opts: &SessionOptions, endpoint: &str) -> String {
    let conf = loader(opts)
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(Credentials::for_tests())
        .load()
        .await;
    let answer = organizations_client(&conf)
        .describe_organization()
        .send()
        .await
        .expect("the server answers");
    answer
        .organization()
        .and_then(|o| o.id())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn two_sdk_configurations_share_one_connection() {
    let (endpoint, accepted) = keep_alive_server();
    let opts = SessionOptions {
        max_attempts: 1,
        network: NetworkConfig::default(),
        ..SessionOptions::default()
    };
    for _ in 0..3 {
        assert_eq!(
            describe_with_a_new_config(&opts, &endpoint).await,
            "o-shared1234"
        );
    }
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "each configuration opened its own connection"
    );
}
