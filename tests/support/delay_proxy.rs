//! A loopback TCP proxy that holds back each chunk a client sends by a settable delay: slows
//! AWS calls down (without failing them) so a test can act while a refresh is under way.
//! It also counts the STS `AssumeRole` requests that pass through it.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

pub struct DelayProxy {
    pub port: u16,
    delay_ms: Arc<AtomicU64>,
    assume_roles: Arc<AtomicUsize>,
}

/// What the client→server direction watches: the delay and the AssumeRole counter.
struct Watch {
    delay_ms: Arc<AtomicU64>,
    assume_roles: Arc<AtomicUsize>,
}

/// The form body of an STS query request (`Action=AssumeRole&Version=…`).
const ASSUME_ROLE: &[u8] = b"Action=AssumeRole&";

fn occurrences(haystack: &[u8]) -> usize {
    haystack
        .windows(ASSUME_ROLE.len())
        .filter(|w| *w == ASSUME_ROLE)
        .count()
}

fn pipe(mut from: TcpStream, mut to: TcpStream, watch: Option<Watch>) {
    let mut buf = [0u8; 16 * 1024];
    // Everything this connection sent, so a needle split across reads still counts once.
    let mut sent = Vec::new();
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(w) = &watch {
            let before = occurrences(&sent);
            sent.extend_from_slice(&buf[..n]);
            w.assume_roles
                .fetch_add(occurrences(&sent) - before, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(w.delay_ms.load(Ordering::Relaxed)));
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

impl DelayProxy {
    /// Forwards 127.0.0.1:<port> to 127.0.0.1:`target`; the accept loop lives as long as
    /// the test process.
    pub fn start(target: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let delay_ms = Arc::new(AtomicU64::new(0));
        let assume_roles = Arc::new(AtomicUsize::new(0));
        let (delay, count) = (Arc::clone(&delay_ms), Arc::clone(&assume_roles));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let watch = Watch {
                    delay_ms: Arc::clone(&delay),
                    assume_roles: Arc::clone(&count),
                };
                std::thread::spawn(move || pipe(client, server, Some(watch)));
                std::thread::spawn(move || pipe(s2, c2, None));
            }
        });
        Self {
            port,
            delay_ms,
            assume_roles,
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn set_delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.delay_ms.store(ms, Ordering::Relaxed);
    }

    /// STS `AssumeRole` requests forwarded so far.
    pub fn assume_roles(&self) -> usize {
        self.assume_roles.load(Ordering::SeqCst)
    }
}
