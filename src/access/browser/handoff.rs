//! The console hand-off: a private redirect page for the browser's command line, and the
//! one-shot loopback address it leads to.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use super::command::BrowserChoice;
use super::{HANDOFF_TIMEOUT, launch, nonce};

/// How long one connection may take to send its request line and take the answer: a local
/// process that connects and stalls must not hold up the browser.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(5);

/// A request line longer than this is not the browser's.
const MAX_REQUEST: usize = 8 * 1024;

/// Opens `url` through the private page and the one-shot address in `choice`'s browser, and
/// waits until the browser followed it (or the timeout passes); errors are readable and never
/// contain the URL. The browser's command gets the private page. A Firefox
/// container gets the one-shot address instead (extensions may not open `file:` pages); that
/// address then answers only this user's processes (see `peer::same_user`).
pub async fn open_secret_url_in(url: SecretString, choice: &BrowserChoice) -> Result<(), String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let path = format!("/{}", nonce()?);
    let one_shot = format!("http://127.0.0.1:{port}{path}");
    let page = RedirectPage::write(&one_shot)
        .map_err(|e| format!("cannot write the sign-in page: {e}"))?;
    let page_url = reqwest::Url::from_file_path(page.path())
        .map_err(|()| "the sign-in page has no absolute path".to_string())?;
    let target = match &choice.container {
        Some(container) => container.url(&one_shot),
        None => page_url.to_string(),
    };
    launch(&target, choice).map_err(|e| format!("cannot start a browser: {e}"))?;
    let served = tokio::time::timeout(HANDOFF_TIMEOUT, serve_once(listener, path, url)).await;
    drop(page);
    served.map_err(|_| "the browser did not open the sign-in link within 60 s".to_string())
}

/// A 0600 page in a fresh 0700 directory that sends the browser to the one-shot address;
/// both are removed on drop.
struct RedirectPage {
    dir: tempfile::TempDir,
}

impl RedirectPage {
    const NAME: &'static str = "console.html";

    fn write(target: &str) -> std::io::Result<Self> {
        let dir = private_dir()?;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(dir.path().join(Self::NAME))?;
        write!(
            file,
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
             <meta name=\"referrer\" content=\"no-referrer\">\
             <meta http-equiv=\"refresh\" content=\"0;url={target}\">\
             <title>orgnav: opening the AWS console</title></head>\
             <body><script>location.replace(\"{target}\")</script>\
             <p>Opening the AWS console… <a href=\"{target}\">continue</a></p></body></html>\n"
        )?;
        file.sync_all()?;
        Ok(Self { dir })
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join(Self::NAME)
    }
}

/// A new 0700 directory in the user's runtime directory
/// (`XDG_RUNTIME_DIR`, itself private), else in the temporary directory.
fn private_dir() -> std::io::Result<tempfile::TempDir> {
    let new_in = |base: &Path| {
        let mut builder = tempfile::Builder::new();
        builder.prefix("orgnav-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        builder.tempdir_in(base)
    };
    let runtime = directories::BaseDirs::new().and_then(|d| d.runtime_dir().map(Path::to_path_buf));
    match runtime.map(|r| new_in(&r)) {
        Some(Ok(dir)) => Ok(dir),
        _ => new_in(&std::env::temp_dir()),
    }
}

/// Connections answered at once: a browser makes one or two; more is someone else's flood.
const MAX_CONNECTIONS: usize = 16;
const ACCEPT_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// Answers every connection on its own task, each with its own time limit; the first request
/// for `path` gets the redirect to `url` (once), the rest a 404. Returns after the redirect.
async fn serve_once(listener: TcpListener, path: String, url: SecretString) {
    let secret = Arc::new(Mutex::new(Some(url)));
    let path = Arc::new(path);
    let (done, mut redirected) = mpsc::channel::<()>(1);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = redirected.recv() => return,
            // Full: finished connections make room; meanwhile new ones wait in the kernel's
            // backlog (the browser's among them) instead of being accepted and dropped.
            Some(_) = connections.join_next(), if connections.len() >= MAX_CONNECTIONS => {}
            accepted = listener.accept(), if connections.len() < MAX_CONNECTIONS => {
                let Ok((conn, _)) = accepted else {
                    // Out of descriptors, say: wait instead of spinning on the same error.
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                    continue;
                };
                while connections.try_join_next().is_some() {}
                let (path, secret, done) = (Arc::clone(&path), Arc::clone(&secret), done.clone());
                connections.spawn(async move {
                    let answered =
                        tokio::time::timeout(CONNECTION_TIMEOUT, answer(conn, &path, &secret)).await;
                    if matches!(answered, Ok(true)) {
                        let _ = done.send(()).await;
                    }
                });
            }
        }
    }
}

/// Reads the request line and answers it; true when this was the redirect.
async fn answer(mut conn: TcpStream, path: &str, secret: &Mutex<Option<SecretString>>) -> bool {
    let requested = request_target(&mut conn).await;
    let url = match requested {
        Some(r) if r == path && super::peer::same_user(&conn) => {
            secret.lock().ok().and_then(|mut s| s.take())
        }
        _ => None,
    };
    let Some(url) = url else {
        let _ = conn
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return false;
    };
    let reply = format!(
        "HTTP/1.1 302 Found\r\nLocation: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        url.expose_secret()
    );
    let _ = conn.write_all(reply.as_bytes()).await;
    let _ = conn.shutdown().await;
    true
}

/// The target of the request line (`GET /nonce HTTP/1.1`), once the line is complete.
async fn request_target(conn: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(2).any(|w| w == b"\r\n") {
        let n = conn.read(&mut buf).await.ok()?;
        if n == 0 || head.len() + n > MAX_REQUEST {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    line.split_whitespace().nth(1).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_flood_of_idle_connections_delays_the_browser_but_never_drops_it() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let url = SecretString::from("https://signin.example/federation".to_string());
        let server = tokio::spawn(serve_once(listener, "/nonce".into(), url));
        // Every slot held by a connection that never says anything.
        let mut idle = Vec::new();
        for _ in 0..MAX_CONNECTIONS {
            idle.push(TcpStream::connect(addr).await.unwrap());
        }
        let mut browser = TcpStream::connect(addr).await.unwrap();
        browser
            .write_all(b"GET /nonce HTTP/1.1\r\n\r\n")
            .await
            .unwrap();
        let mut reply = String::new();
        let _ = browser.read_to_string(&mut reply).await;
        assert!(reply.starts_with("HTTP/1.1 302"), "{reply:?}");
        server.await.unwrap();
    }
}
