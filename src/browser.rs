//! Opening a secret URL (the console sign-in link) in the browser without putting it in a
//! process argument or a file: the browser gets a one-shot 127.0.0.1 address that answers
//! with a redirect, then the listener closes.

use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How long the one-shot address waits for the browser.
pub const HANDOFF_TIMEOUT: Duration = Duration::from_secs(60);

fn nonce() -> String {
    let mut bytes = [0u8; 16];
    let filled = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !filled {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        bytes[..16].copy_from_slice(&t.as_nanos().to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `BROWSER` (colon-separated commands, `%s` replaced by the URL, else appended), then
/// `xdg-open` / `open`. Spawned detached: null stdio, its own session, never waited on.
pub fn spawn_browser(url: &str) -> std::io::Result<()> {
    let candidates: Vec<String> = match std::env::var("BROWSER") {
        Ok(b) if !b.trim().is_empty() => b.split(':').map(str::to_string).collect(),
        _ => vec![if cfg!(target_os = "macos") {
            "open".into()
        } else {
            "xdg-open".into()
        }],
    };
    let mut last = std::io::Error::other("no browser configured");
    for c in candidates {
        let mut words: Vec<String> = c.split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            continue;
        }
        if words.iter().any(|w| w.contains("%s")) {
            words = words.into_iter().map(|w| w.replace("%s", url)).collect();
        } else {
            words.push(url.to_string());
        }
        let mut cmd = std::process::Command::new(&words[0]);
        cmd.args(&words[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: setsid is async-signal-safe and touches no memory of the parent; it
            // detaches the browser from orgnav's terminal and its signals.
            unsafe {
                cmd.pre_exec(|| {
                    libc::setsid();
                    Ok(())
                });
            }
        }
        match cmd.spawn() {
            Ok(_) => return Ok(()),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Opens `url` through the one-shot redirect and waits until the browser fetched it (or the
/// timeout passes). Returns an error the user can read; it never contains the URL.
pub async fn open_secret_url(url: SecretString) -> Result<(), String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let path = format!("/{}", nonce());
    spawn_browser(&format!("http://127.0.0.1:{port}{path}"))
        .map_err(|e| format!("cannot start a browser: {e}"))?;
    let serve = async {
        loop {
            let Ok((mut conn, _)) = listener.accept().await else {
                continue;
            };
            let mut buf = vec![0u8; 4096];
            let n = conn.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]);
            let requested = head.split_whitespace().nth(1).unwrap_or("");
            if requested == path {
                let reply = format!(
                    "HTTP/1.1 302 Found\r\nLocation: {}\r\nCache-Control: no-store\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    url.expose_secret()
                );
                let _ = conn.write_all(reply.as_bytes()).await;
                return;
            }
            let _ = conn
                .write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
        }
    };
    tokio::time::timeout(HANDOFF_TIMEOUT, serve)
        .await
        .map_err(|_| "the browser did not open the sign-in link within 60 s".to_string())
}
