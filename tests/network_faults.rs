//! When AWS cannot be reached, orgnav fails fast, falls back to the cache and says so in one
//! plain line. A loopback fault proxy sits in front of moto: it forwards while the cache is
//! made, then refuses connections, accepts and never answers, answers HTTP 500, or throttles.
//! No timings are asserted beyond a generous guard that keeps a hang from blocking the suite;
//! README's Performance section has the measured figures.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use support::{Moto, Output, Sandbox};

/// No command may take longer than this (the budgets are 3 s and 12 s; before the fix a refused
/// port took 60–90 s and a black hole minutes).
const GUARD: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Mode {
    Forward,
    /// Accept the connection, never answer.
    BlackHole,
    Http500,
    Throttle,
    /// Close the listening socket: connections are refused.
    Refuse,
}

/// A loopback endpoint in front of moto whose behaviour a test switches.
struct FaultProxy {
    port: u16,
    mode: Arc<AtomicU8>,
    accept: Option<JoinHandle<()>>,
    refusing: Option<support::refusing_port::RefusingPort>,
}

impl FaultProxy {
    fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(AtomicU8::new(Mode::Forward as u8));
        let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let m = Arc::clone(&mode);
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                match m.load(Ordering::SeqCst) {
                    x if x == Mode::Refuse as u8 => return, // drops the listener
                    x if x == Mode::BlackHole as u8 => held.lock().unwrap().push(conn),
                    x if x == Mode::Forward as u8 => forward(conn, upstream),
                    x => {
                        let status = if x == Mode::Http500 as u8 { 500 } else { 400 };
                        std::thread::spawn(move || answer_every_request(conn, status));
                    }
                }
            }
        });
        Self {
            port,
            mode,
            accept: Some(accept),
            refusing: None,
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn set(&mut self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
        if mode == Mode::Refuse {
            // Wake the accept loop so it returns and closes the port.
            let _ = TcpStream::connect(("127.0.0.1", self.port));
            self.accept.take().unwrap().join().unwrap();
            // Held closed, so no other listener can be given the port meanwhile.
            self.refusing = Some(support::refusing_port::RefusingPort::on(self.port));
        }
    }
}

fn forward(client: TcpStream, upstream: u16) {
    let server = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
    let pipe = |mut from: TcpStream, mut to: TcpStream| {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.shutdown(std::net::Shutdown::Write);
        })
    };
    pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
    pipe(server, client);
}

/// Reads each request (headers and body) and answers it with `status`: 500 with an empty body,
/// or 400 with Organizations' throttling error.
fn answer_every_request(mut conn: TcpStream, status: u16) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            match conn.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
        let body_len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map_or(0, |v| v.trim().parse().unwrap());
        while buf.len() < end + 4 + body_len {
            match conn.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..end + 4 + body_len);
        // As AWS's JSON services answer: the error code in a header and in the body.
        let (body, error_type) = if status == 500 {
            ("", "")
        } else {
            (
                r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
                "x-amzn-ErrorType: TooManyRequestsException\r\n",
            )
        };
        let reply = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.1\r\n\
             x-amzn-RequestId: fault-proxy\r\n{error_type}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if conn.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// A sandbox whose cache was filled through `proxy` (so it belongs to that endpoint).
fn cached_sandbox(moto: &Moto, proxy: &FaultProxy) -> Sandbox {
    let s = Sandbox::new();
    let out = run_guarded(orgnav(&s, moto, proxy).arg("refresh"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    s
}

fn orgnav(s: &Sandbox, moto: &Moto, proxy: &FaultProxy) -> Command {
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("AWS_ENDPOINT_URL", proxy.endpoint());
    cmd
}

/// Runs `cmd`, killing it (and failing the test) if it outlives [`GUARD`].
fn run_guarded(cmd: &mut Command) -> Output {
    let mut child = support::spawn_piped(cmd);
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "still running after {GUARD:?}; stderr so far: {}",
                stderr.join().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// One line, no SDK Debug dump, no empty `unhandled` detail.
fn assert_plain_line(stderr: &str) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    for dump in [
        "DispatchFailure",
        "ConnectorError",
        "unhandled",
        "Some(",
        "{ ",
    ] {
        assert!(!stderr.contains(dump), "`{dump}` in: {stderr}");
    }
}

fn ls_falls_back_to_the_cache(mode: Mode, expected: &[&str]) {
    let (moto, seed) = support::seeded_org();
    let mut proxy = FaultProxy::start(moto.port);
    let s = cached_sandbox(moto, &proxy);
    proxy.set(mode);
    let out = run_guarded(orgnav(&s, moto, &proxy).args(["ls", "--refresh"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(&seed.account("payments-prod").id),
        "the cached listing: {}",
        out.stdout
    );
    assert_plain_line(&out.stderr);
    for needle in expected.iter().chain(&["showing the cache from"]) {
        assert!(out.stderr.contains(needle), "`{needle}` in: {}", out.stderr);
    }
}

#[test]
fn refused_endpoint_shows_the_cache_and_names_the_cause() {
    ls_falls_back_to_the_cache(
        Mode::Refuse,
        &["cannot reach AWS Organizations (ListRoots: connection refused by http://127.0.0.1:"],
    );
}

#[test]
fn black_holed_endpoint_shows_the_cache() {
    ls_falls_back_to_the_cache(
        Mode::BlackHole,
        &["cannot reach AWS Organizations (ListRoots: no answer within"],
    );
}

#[test]
fn internal_error_is_named_and_shows_the_cache() {
    ls_falls_back_to_the_cache(
        Mode::Http500,
        &["ListRoots: AWS returned an internal error (HTTP 500)"],
    );
}

#[test]
fn throttled_out_crawl_shows_the_cache() {
    ls_falls_back_to_the_cache(Mode::Throttle, &["ListRoots", "throttl"]);
}

fn exec_fails_plainly(mode: Mode, expected: &str) {
    let (moto, _) = support::seeded_org();
    let mut proxy = FaultProxy::start(moto.port);
    let s = cached_sandbox(moto, &proxy);
    proxy.set(mode);
    let out = run_guarded(orgnav(&s, moto, &proxy).args(["exec", "payments-dev", "--", "true"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_plain_line(&out.stderr);
    assert!(
        out.stderr.contains(expected),
        "`{expected}` in: {}",
        out.stderr
    );
}

#[test]
fn exec_against_a_refused_endpoint_exits_1() {
    exec_fails_plainly(
        Mode::Refuse,
        "cannot reach AWS STS (GetCallerIdentity: connection refused by http://127.0.0.1:",
    );
}

#[test]
fn exec_against_a_black_hole_exits_1() {
    exec_fails_plainly(
        Mode::BlackHole,
        "cannot reach AWS STS (GetCallerIdentity: no answer within",
    );
}

#[test]
fn console_gives_up_on_a_silent_federation_endpoint() {
    let (moto, _) = support::seeded_org();
    let proxy = FaultProxy::start(moto.port);
    let s = cached_sandbox(moto, &proxy);
    let mut hole = FaultProxy::start(moto.port);
    hole.set(Mode::BlackHole);
    let out = run_guarded(
        orgnav(&s, moto, &proxy)
            .env(
                "ORGNAV_FEDERATION_URL",
                format!("{}/federation", hole.endpoint()),
            )
            .args(["console", "payments-dev", "--print"]),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_plain_line(&out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "cannot reach the federation endpoint (no answer from {}",
            hole.endpoint()
        )),
        "{}",
        out.stderr
    );
}

/// The snapshot the refresh wrote, wherever the cache keeps it.
fn snapshot_file(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let path = e.path();
        if path.is_dir() {
            snapshot_file(&path)
        } else {
            path.extension()
                .is_some_and(|x| x == "json")
                .then_some(path)
        }
    })
}

#[test]
fn ls_warns_when_the_cached_tree_is_partial() {
    let (moto, _) = support::seeded_org();
    let proxy = FaultProxy::start(moto.port);
    let s = cached_sandbox(moto, &proxy);
    // The cache as a crawl that met an AccessDenied below the root leaves it.
    let file = snapshot_file(&s.cache_dir()).expect("the cache holds one snapshot");
    let mut snapshot: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let ou = snapshot["org"]["ous"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["parent_id"].is_string())
        .unwrap();
    ou["incomplete"] = "ListOrganizationalUnitsForParent was denied (AccessDenied)".into();
    let name = ou["name"].as_str().unwrap().to_string();
    std::fs::write(&file, serde_json::to_vec(&snapshot).unwrap()).unwrap();

    let out = run_guarded(orgnav(&s, moto, &proxy).arg("ls"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("OU {name} (")) && out.stderr.contains("is partial"),
        "{}",
        out.stderr
    );
}

/// The TUI's `r` runs the same crawl (`source::read_org`) as the CLI: against a refused
/// endpoint it fails within the same budget, and the state keeps the tree, marked stale.
#[tokio::test]
async fn tui_refresh_against_a_refused_endpoint_marks_the_tree_stale() {
    use orgnav::tui::action::{Action, Loaded};
    let (moto, _) = support::seeded_org();
    let mut proxy = FaultProxy::start(moto.port);
    proxy.set(Mode::Refuse);
    let config = orgnav::config::Config::default();
    let source = orgnav::source::Source::new(&config, None, Some("us-east-1".into()));
    let conf = source
        .sdk_config()
        .await
        .to_builder()
        .endpoint_url(proxy.endpoint())
        .credentials_provider(
            aws_sdk_organizations::config::SharedCredentialsProvider::new(
                aws_sdk_organizations::config::Credentials::for_tests(),
            ),
        )
        .build();
    let crawl = orgnav::source::read_org(&conf, &source.crawl, None, &source.sso);
    let error = tokio::time::timeout(GUARD, crawl)
        .await
        .expect("the crawl gives up within the guard")
        .unwrap_err();

    let mut state = orgnav::tui::state::State::new(Default::default(), Default::default());
    orgnav::tui::update::install(&mut state, orgnav::source::demo_snapshot().unwrap());
    orgnav::tui::update::update(&mut state, Action::Refresh);
    let generation = state.generation;
    orgnav::tui::update::update(
        &mut state,
        Action::Loaded(Loaded::failed(generation, &error)),
    );
    assert!(state.status.stale, "{:?}", state.status);
    assert!(state.org.is_some(), "the tree stays");
    let shown = state.status.last_error.unwrap_or_default();
    assert!(
        shown.starts_with("cannot reach AWS Organizations (ListRoots: connection refused"),
        "{shown}"
    );
}
