//! AWS console sign-in through the federation endpoint: `getSigninToken` with the session,
//! then a `login` URL. The token and the URL are bearer secrets: never logged, never in errors.

use secrecy::{ExposeSecret, SecretString};

use super::credentials::Credentials;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("console sign-in failed: {0}")]
pub struct ConsoleError(pub String);

pub struct SigninRequest<'a> {
    pub federation_url: &'a str,
    pub credentials: &'a Credentials,
    /// Only where AWS allows it: not for chained role sessions.
    pub session_duration: Option<i32>,
    pub destination: &'a str,
    pub issuer: &'a str,
}

/// The config check for `console.federation_url` (see `config::Check`).
pub fn check_config(config: &crate::config::Config) -> Result<(), (String, String)> {
    match config
        .console
        .federation_url
        .as_deref()
        .and_then(federation_url_problem)
    {
        Some(why) => Err(("console.federation_url".into(), why)),
        None => Ok(()),
    }
}

/// Why `url` cannot be the federation endpoint, if it cannot: the session's secret key goes
/// to it and the sign-in token comes back, so it must be `https://`; plain `http://` only
/// reaches this machine (127.0.0.0/8, ::1, localhost), as tests and local proxies need.
pub fn federation_url_problem(url: &str) -> Option<String> {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return Some(format!("`{url}` is not a valid URL"));
    };
    let Some(host) = parsed.host_str() else {
        return Some(format!("`{url}` has no host"));
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" => None,
        "http" if loopback => None,
        _ => Some(format!(
            "must be an https:// address (plain http:// only to 127.0.0.1, ::1 or localhost), not `{url}`"
        )),
    }
}

pub async fn signin_url(
    http: &reqwest::Client,
    req: &SigninRequest<'_>,
) -> Result<SecretString, ConsoleError> {
    let session = serde_json::json!({
        "sessionId": req.credentials.access_key_id,
        "sessionKey": req.credentials.secret_access_key(),
        "sessionToken": req.credentials.session_token(),
    })
    .to_string();
    let mut params: Vec<(&str, String)> = vec![("Action", "getSigninToken".into())];
    if let Some(d) = req.session_duration {
        params.push(("SessionDuration", d.to_string()));
    }
    params.push(("Session", session));
    let url = reqwest::Url::parse_with_params(req.federation_url, &params)
        .map_err(|_| ConsoleError("the federation URL is not a valid URL".into()))?;
    // reqwest errors embed the request URL, which here carries the session: strip it.
    let response = http.get(url).send().await.map_err(|e| {
        ConsoleError(format!(
            "cannot reach the federation endpoint ({})",
            super::connector::reqwest_failure(&e, req.federation_url)
        ))
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(ConsoleError(format!(
            "the federation endpoint answered HTTP {status}"
        )));
    }
    #[derive(serde::Deserialize)]
    struct Token {
        #[serde(rename = "SigninToken")]
        signin_token: String,
    }
    let token: Token = response
        .json()
        .await
        .map_err(|_| ConsoleError("the federation endpoint's answer has no SigninToken".into()))?;
    let token = SecretString::from(token.signin_token);
    let login = reqwest::Url::parse_with_params(
        req.federation_url,
        [
            ("Action", "login"),
            ("Issuer", req.issuer),
            ("Destination", req.destination),
            ("SigninToken", token.expose_secret()),
        ],
    )
    .map_err(|_| ConsoleError("cannot build the login URL".into()))?;
    Ok(SecretString::from(login.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_plain_http_federation_url_in_config_names_line_and_key() {
        let text = "[console]\nfederation_url = \"http://signin.example.com/federation\"\n";
        let path = std::path::Path::new("/etc/orgnav.toml");
        let e =
            crate::config::Config::parse_checked(text, path, &[super::check_config]).unwrap_err();
        assert_eq!((e.key.as_str(), e.line), ("console.federation_url", 2));
    }

    use super::*;

    #[test]
    fn the_federation_endpoint_is_https_or_loopback() {
        for fine in [
            "https://signin.aws.amazon.com/federation",
            "http://127.0.0.1:8080/federation",
            "http://127.9.0.1/federation",
            "http://LOCALHOST:9/federation",
            "http://[::1]:9/federation",
        ] {
            assert_eq!(federation_url_problem(fine), None, "{fine}");
        }
        for bad in [
            "http://signin.aws.amazon.com/federation",
            "http://127.0.0.1.example.com/federation",
            "http://localhost.example.com/federation",
            "http://10.0.0.1/federation",
            "ftp://127.0.0.1/federation",
            "signin.aws.amazon.com/federation",
        ] {
            assert!(federation_url_problem(bad).is_some(), "{bad}");
        }
    }
}
