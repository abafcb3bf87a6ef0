//! A small loopback HTTP server for the endpoints moto does not have (Identity Center's portal
//! and OIDC, the console's federation endpoint): answers by method and path prefix, one
//! connection at a time, and reports each request line it served.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// `(method, path prefix, JSON body)`; anything else is answered 404.
pub type Route = (&'static str, &'static str, String);

/// Starts the server; returns its base address (`http://127.0.0.1:PORT`) and the request lines.
pub fn serve(routes: Vec<Route>) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let Some((line, _body)) = read_request(&mut reader) else {
                continue;
            };
            let mut words = line.split_whitespace();
            let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let found = routes
                .iter()
                .find(|(m, prefix, _)| *m == method && path.starts_with(prefix));
            let (status, body) = match found {
                Some((_, _, body)) => ("200 OK", body.as_str()),
                None => ("404 Not Found", "{}"),
            };
            let _ = write!(
                conn,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tx.send(line);
        }
    });
    (base, rx)
}

/// Reads one HTTP/1.1 request: its request line and body (the headers are read past, so the
/// client never sees a reset before the answer). None when the connection is closed.
pub fn read_request(reader: &mut impl BufRead) -> Option<(String, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return None;
    }
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some((line, body))
}

/// Identity Center's portal granting `sso-dev` (123456789012) the `Developer` permission set,
/// whose role credentials (`portal-SECRET-KEY-3`…) expire in 2100.
pub fn portal_routes() -> Vec<Route> {
    vec![
        (
            "GET",
            "/assignment/accounts",
            r#"{"accountList":[{"accountId":"123456789012","accountName":"sso-dev","emailAddress":"dev@example.com"}]}"#.into(),
        ),
        (
            "GET",
            "/assignment/roles",
            r#"{"roleList":[{"roleName":"Developer","accountId":"123456789012"}]}"#.into(),
        ),
        (
            "GET",
            "/federation/credentials",
            r#"{"roleCredentials":{"accessKeyId":"ASIAPORTAL0000000001","secretAccessKey":"portal-SECRET-KEY-3","sessionToken":"portal-SESSION-TOKEN-3","expiration":4102444800000}}"#.into(),
        ),
    ]
}
