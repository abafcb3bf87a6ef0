//! A loopback HTTP proxy in front of moto that behaves like a busy AWS endpoint: every answer
//! takes an added round trip, and a share of the requests (chosen by a seeded generator, so a
//! run is repeatable) is answered with Organizations' throttling error instead of being
//! forwarded. It counts the requests it saw by operation (`X-Amz-Target`) and the ones it
//! throttled.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Faults {
    /// Share of requests answered `TooManyRequestsException` (0.0–1.0).
    pub throttle: f64,
    /// Added to every answer, forwarded or not.
    pub latency: Duration,
    pub seed: u64,
}

#[derive(Debug, Default)]
pub struct Counts {
    /// Requests seen, by operation (the part of `X-Amz-Target` after the dot).
    pub seen: BTreeMap<String, usize>,
    pub throttled: usize,
}

pub struct ThrottleProxy {
    pub port: u16,
    counts: Arc<Mutex<Counts>>,
}

struct Shared {
    faults: Faults,
    upstream: u16,
    rng: Mutex<u64>,
    counts: Arc<Mutex<Counts>>,
}

impl Shared {
    /// xorshift64*: the next draw in [0, 1), in request order.
    fn draw(&self) -> f64 {
        let mut s = self.rng.lock().unwrap();
        *s ^= *s >> 12;
        *s ^= *s << 25;
        *s ^= *s >> 27;
        (s.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub const THROTTLED_BODY: &str = r#"{"__type":"TooManyRequestsException","message":"AWS Organizations can't complete your request because another request is already in progress. Try again later."}"#;

impl ThrottleProxy {
    pub fn start(upstream: u16, faults: Faults) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let counts = Arc::new(Mutex::new(Counts::default()));
        let shared = Arc::new(Shared {
            faults,
            upstream,
            rng: Mutex::new(faults.seed.max(1)),
            counts: Arc::clone(&counts),
        });
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || serve(conn, &shared));
            }
        });
        Self { port, counts }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The counts so far, and resets them.
    pub fn take_counts(&self) -> Counts {
        std::mem::take(&mut *self.counts.lock().unwrap())
    }
}

/// One HTTP message (request or response): its head and body, as bytes. None at end of stream.
/// A message without `Content-Length` is read to the end of the stream (HTTP/1.0 answers).
fn read_message(from: &mut TcpStream, pending: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    let mut chunk = [0u8; 16 * 1024];
    let end = loop {
        if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        match from.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&pending[..end + 4]).to_string();
    pending.drain(..end + 4);
    let length = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok());
    loop {
        let complete = length.is_some_and(|l| pending.len() >= l);
        if complete {
            break;
        }
        match from.read(&mut chunk) {
            Ok(0) | Err(_) if length.is_none() => break,
            Ok(0) | Err(_) => return None,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
        }
    }
    let body: Vec<u8> = pending.drain(..length.unwrap_or(pending.len())).collect();
    Some((head, body))
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn serve(mut client: TcpStream, shared: &Shared) {
    let mut pending = Vec::new();
    while let Some((head, body)) = read_message(&mut client, &mut pending) {
        let op = header(&head, "x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("other")
            .to_string();
        let throttle = shared.draw() < shared.faults.throttle;
        {
            let mut c = shared.counts.lock().unwrap();
            *c.seen.entry(op).or_default() += 1;
            c.throttled += usize::from(throttle);
        }
        let answer = if throttle {
            throttled_answer()
        } else {
            match forward(shared.upstream, &head, &body) {
                Some(a) => a,
                None => return,
            }
        };
        std::thread::sleep(shared.faults.latency);
        if client.write_all(&answer).is_err() {
            return;
        }
    }
}

fn throttled_answer() -> Vec<u8> {
    format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\n\
         x-amzn-RequestId: throttle-proxy\r\nx-amzn-ErrorType: TooManyRequestsException:\r\n\
         Content-Length: {}\r\n\r\n{THROTTLED_BODY}",
        THROTTLED_BODY.len()
    )
    .into_bytes()
}

/// Sends one request to moto on its own connection; the answer as the client gets it, always
/// with a length (so the client's connection stays usable whatever moto did).
fn forward(upstream: u16, head: &str, body: &[u8]) -> Option<Vec<u8>> {
    let mut server = TcpStream::connect(("127.0.0.1", upstream)).ok()?;
    server.write_all(head.as_bytes()).ok()?;
    server.write_all(body).ok()?;
    let (answer_head, answer_body) = read_message(&mut server, &mut Vec::new())?;
    let mut out = String::new();
    for line in answer_head.trim_end().lines() {
        let name = line.split(':').next().unwrap_or_default().trim();
        if !["content-length", "connection", "transfer-encoding"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
        {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    // moto may answer HTTP/1.0; the client sees HTTP/1.1 with keep-alive either way.
    let out = out.replacen("HTTP/1.0", "HTTP/1.1", 1);
    let mut bytes = format!("{out}Content-Length: {}\r\n\r\n", answer_body.len()).into_bytes();
    bytes.extend_from_slice(&answer_body);
    Some(bytes)
}
