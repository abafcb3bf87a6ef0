//! `shell|exec --refreshing`: the child reads its credentials from a loopback endpoint in the
//! *container credentials* format (what ECS and EKS give their tasks, read by every AWS SDK and
//! the CLI), and orgnav renews them before they expire for as long as the child lives. The
//! child's environment then holds the endpoint's URL and a per-session bearer token, never a
//! secret key.
//!
//! The server is a few lines of HTTP/1.1 over a tokio `TcpListener` rather than hyper's server:
//! one route, GET only, no body, `Connection: close`, a bounded head read with a timeout. The
//! tree's hyper is built client-only; its server features would add code for none of that.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::aws::credentials::Credentials;

/// The one path the endpoint answers.
pub const CREDENTIALS_PATH: &str = "/orgnav/credentials";
/// A request head larger than this is refused: SDKs send a few hundred bytes.
const MAX_HEAD: usize = 8 * 1024;
/// A client that does not finish its request head in this time is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Renewal is never attempted more often than this (after failures, or near expiry).
pub const MIN_RENEWAL_DELAY: Duration = Duration::from_secs(30);

/// A renewal: fresh credentials, or one human line saying why not.
pub type Renewed = Result<Arc<Credentials>, String>;

/// The running endpoint. Dropping it closes the port and stops renewing.
pub struct CredentialEndpoint {
    url: String,
    token: SecretString,
    current: watch::Receiver<Arc<Credentials>>,
    tasks: Vec<JoinHandle<()>>,
}

impl CredentialEndpoint {
    /// Listens on 127.0.0.1 (an ephemeral port), serves `initial`, and calls `renew` before
    /// whatever it serves expires (see [`renewal_time`]).
    pub async fn start<R, F>(initial: Arc<Credentials>, renew: R) -> std::io::Result<Self>
    where
        R: FnMut() -> F + Send + 'static,
        F: Future<Output = Renewed> + Send + 'static,
    {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let port = listener.local_addr()?.port();
        let token = new_token()?;
        let (tx, current) = watch::channel(initial);
        let server = tokio::spawn(serve(listener, token.clone(), current.clone()));
        let refresher = tokio::spawn(keep_fresh(tx, renew, Arc::new(jiff::Timestamp::now)));
        Ok(Self {
            url: format!("http://127.0.0.1:{port}{CREDENTIALS_PATH}"),
            token,
            current,
            tasks: vec![server, refresher],
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The credentials served now.
    pub fn current(&self) -> Arc<Credentials> {
        self.current.borrow().clone()
    }

    /// What the child needs to find the endpoint: the URL and the token SDKs send as the
    /// `Authorization` header.
    pub fn child_vars(&self) -> [(&'static str, SecretString); 2] {
        [
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                SecretString::from(self.url.clone()),
            ),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", self.token.clone()),
        ]
    }
}

impl CredentialEndpoint {
    /// Closes the port and stops renewing, and returns once both are done.
    pub async fn stop(mut self) {
        for task in std::mem::take(&mut self.tasks) {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for CredentialEndpoint {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// 32 random bytes, hex: what a request must carry in `Authorization`.
fn new_token() -> std::io::Result<SecretString> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(SecretString::from(hex::encode(bytes)))
}

/// What the refresher reads the time from: the wall clock, which (unlike tokio's monotonic
/// clock) keeps running while a laptop sleeps. Tests pass one that follows tokio's paused clock.
pub type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// The refresher looks at the clock at least this often, so a machine waking from sleep renews
/// within a minute instead of at the end of a sleep that did not count the suspension.
const TICK: Duration = Duration::from_secs(60);

/// When to renew credentials held at `now`: halfway to their expiry, so what the child reads
/// always has half its life ahead (botocore starts its own refresh 15 minutes before expiry)
/// and a failed renewal has time for retries; never sooner than [`MIN_RENEWAL_DELAY`].
pub fn renewal_time(now: jiff::Timestamp, c: &Credentials) -> jiff::Timestamp {
    let half = (c.expiration.as_second() - now.as_second()) / 2;
    now + jiff::SignedDuration::from_secs(half.max(MIN_RENEWAL_DELAY.as_secs() as i64))
}

/// Renews what `tx` holds before it expires, until the task is aborted. A failed renewal keeps
/// serving the current credentials and tries again halfway to their expiry; so do credentials
/// that expire no later than those served (a cache handing back the same session).
pub async fn keep_fresh<R, F>(tx: watch::Sender<Arc<Credentials>>, mut renew: R, clock: Clock)
where
    R: FnMut() -> F,
    F: Future<Output = Renewed>,
{
    let mut renew_at = renewal_time(clock(), &tx.borrow());
    loop {
        let now = clock();
        if now < renew_at {
            let wait = Duration::try_from(renew_at.duration_since(now)).unwrap_or(TICK);
            tokio::time::sleep(wait.min(TICK)).await;
            continue;
        }
        let served = tx.borrow().clone();
        match renew().await {
            Ok(fresh) if fresh.expiration > served.expiration => {
                tracing::info!(until = %fresh.expiration_rfc3339(), "refreshing endpoint: credentials renewed");
                tx.send_replace(fresh);
            }
            Ok(_) => {
                tracing::warn!(
                    "refreshing endpoint: renewal returned no later expiry; trying again"
                )
            }
            Err(why) => tracing::warn!(%why, "refreshing endpoint: renewal failed; trying again"),
        }
        renew_at = renewal_time(clock(), &tx.borrow());
    }
}

async fn serve(
    listener: TcpListener,
    token: SecretString,
    current: watch::Receiver<Arc<Credentials>>,
) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let credentials = current.borrow().clone();
                tokio::spawn(answer(stream, token.clone(), credentials));
            }
            // Out of file descriptors and the like: wait instead of spinning.
            Err(e) => {
                tracing::warn!(error = %e, "refreshing endpoint: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn answer(mut stream: TcpStream, token: SecretString, credentials: Arc<Credentials>) {
    let head = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await;
    let request = head.ok().flatten().as_deref().and_then(parse_head);
    let (status, body) = respond(request.as_ref(), token.expose_secret(), &credentials);
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The request head (up to the blank line), or None when it is too long or the client stops.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() + n > MAX_HEAD {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    String::from_utf8(head).ok()
}

/// What the endpoint needs from a request.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
}

/// The request line and the `Authorization` header; None when the head is not HTTP/1.x.
pub fn parse_head(head: &str) -> Option<Request> {
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target, version) = (first.next()?, first.next()?, first.next()?);
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    let authorization = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.trim().to_string());
    Some(Request {
        method: method.to_string(),
        path: target.split('?').next().unwrap_or(target).to_string(),
        authorization,
    })
}

/// Status line and body. The token is checked before anything else, so a caller without it
/// learns nothing (not even which paths exist).
pub fn respond(request: Option<&Request>, token: &str, c: &Credentials) -> (&'static str, String) {
    let error = |status, message: &str| {
        (
            status,
            serde_json::json!({ "message": message }).to_string(),
        )
    };
    let Some(r) = request else {
        return error("400 Bad Request", "malformed request");
    };
    if !r
        .authorization
        .as_deref()
        .is_some_and(|a| same_secret(a, token))
    {
        return error("403 Forbidden", "missing or wrong Authorization token");
    }
    if r.method != "GET" {
        return error("405 Method Not Allowed", "only GET is served");
    }
    if r.path != CREDENTIALS_PATH {
        return error("404 Not Found", "no such path");
    }
    let body = serde_json::json!({
        "AccessKeyId": c.access_key_id,
        "SecretAccessKey": c.secret_access_key(),
        "Token": c.session_token(),
        "Expiration": c.expiration_rfc3339(),
    });
    ("200 OK", body.to_string())
}

/// Compares without stopping at the first difference, so response time says nothing about
/// how much of a guessed token was right.
fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_gives_method_path_and_authorization_in_any_case() {
        let r = parse_head(
            "GET /orgnav/credentials?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nauthorization:  abc \r\n\r\n",
        );
        assert_eq!(
            r,
            Some(Request {
                method: "GET".into(),
                path: CREDENTIALS_PATH.into(),
                authorization: Some("abc".into()),
            })
        );
        let none = parse_head("GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(none.authorization, None);
    }

    #[test]
    fn what_is_not_http_1_is_a_bad_request() {
        assert_eq!(parse_head("GET /\r\n\r\n"), None);
        assert_eq!(parse_head("GET / SPDY/3\r\n\r\n"), None);
        let c = Credentials {
            access_key_id: "ASIAX".into(),
            secret_access_key: SecretString::from("s".to_string()),
            session_token: SecretString::from("t".to_string()),
            expiration: jiff::Timestamp::UNIX_EPOCH,
        };
        let (status, body) = respond(None, "tok", &c);
        assert_eq!(status, "400 Bad Request");
        assert!(!body.contains("ASIAX"));
    }

    #[test]
    fn tokens_of_another_length_or_content_differ() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abd", "abc"));
        assert!(!same_secret("ab", "abc"));
        assert!(!same_secret("", "abc"));
    }
}
