//! The Identity Center token, in the AWS CLI's cache: `~/.aws/sso/cache/<sha1>.json`, where
//! the SHA-1 is of the session name (or, for legacy profiles, the start URL), so
//! `aws sso login` and `orgnav login` share one login. Written atomically, 0600.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

/// A token with less than this left is treated as expired (a call may take that long).
const MARGIN_SECONDS: i64 = 60;

pub struct SsoToken {
    pub access_token: SecretString,
    pub expires_at: jiff::Timestamp,
    pub refresh_token: Option<SecretString>,
    pub client_id: Option<String>,
    pub client_secret: Option<SecretString>,
    pub registration_expires_at: Option<jiff::Timestamp>,
    pub start_url: Option<String>,
    pub region: Option<String>,
}

impl std::fmt::Debug for SsoToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoToken")
            .field("access_token", &"[REDACTED]")
            .field("expires_at", &self.expires_at)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[REDACTED]"),
            )
            .field("client_id", &self.client_id.as_ref().map(|_| "[REDACTED]"))
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[REDACTED]"),
            )
            .field("registration_expires_at", &self.registration_expires_at)
            .field("start_url", &self.start_url)
            .field("region", &self.region)
            .finish()
    }
}

impl SsoToken {
    pub fn is_valid(&self, now: jiff::Timestamp) -> bool {
        self.expires_at.as_second() - MARGIN_SECONDS > now.as_second()
    }

    /// A refresh token and a client registration that has not expired.
    pub fn can_refresh(&self, now: jiff::Timestamp) -> bool {
        self.refresh_token.is_some()
            && self.client_id.is_some()
            && self.client_secret.is_some()
            && self
                .registration_expires_at
                .is_none_or(|t| t.as_second() > now.as_second())
    }
}

/// The file as the AWS CLI writes it (camelCase keys, RFC 3339 UTC times).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    access_token: String,
    expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registration_expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
}

/// `~/.aws/sso/cache/<sha1 of key>.json`.
pub fn cache_path(home: &Path, key: &str) -> PathBuf {
    let name = hex::encode(Sha1::digest(key.as_bytes()));
    home.join(".aws/sso/cache").join(format!("{name}.json"))
}

/// The cache path under the user's home directory.
pub fn default_path(key: &str) -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| cache_path(d.home_dir(), key))
}

/// RFC 3339 in UTC; older AWS CLI versions wrote `2019-11-14T04:05:45UTC`.
fn parse_time(s: &str) -> Result<jiff::Timestamp, String> {
    let normal = s
        .strip_suffix("UTC")
        .map_or_else(|| s.to_string(), |t| format!("{t}Z"));
    normal
        .parse::<jiff::Timestamp>()
        .map_err(|e| format!("bad time `{s}`: {e}"))
}

fn format_time(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Ok(None) when there is no file; a file orgnav cannot read is an error naming why.
pub fn load(path: &Path) -> Result<Option<SsoToken>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let f: TokenFile = serde_json::from_slice(&bytes).map_err(|e| format!("not a token: {e}"))?;
    Ok(Some(SsoToken {
        access_token: SecretString::from(f.access_token),
        expires_at: parse_time(&f.expires_at)?,
        refresh_token: f.refresh_token.map(SecretString::from),
        client_id: f.client_id,
        client_secret: f.client_secret.map(SecretString::from),
        registration_expires_at: f
            .registration_expires_at
            .as_deref()
            .map(parse_time)
            .transpose()?,
        start_url: f.start_url,
        region: f.region,
    }))
}

pub fn store(path: &Path, token: &SsoToken) -> std::io::Result<()> {
    let f = TokenFile {
        start_url: token.start_url.clone(),
        region: token.region.clone(),
        access_token: token.access_token.expose_secret().to_string(),
        expires_at: format_time(token.expires_at),
        client_id: token.client_id.clone(),
        client_secret: token
            .client_secret
            .as_ref()
            .map(|s| s.expose_secret().to_string()),
        registration_expires_at: token.registration_expires_at.map(format_time),
        refresh_token: token
            .refresh_token
            .as_ref()
            .map(|s| s.expose_secret().to_string()),
    };
    let json = serde_json::to_vec_pretty(&f).map_err(std::io::Error::other)?;
    crate::fsutil::write_private_atomic(path, &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_the_aws_cli_hashes() {
        // The AWS SDKs' own test vectors for the SSO token cache.
        let home = Path::new("/home/someuser");
        assert_eq!(
            cache_path(home, "admin").to_str().unwrap(),
            "/home/someuser/.aws/sso/cache/d033e22ae348aeb5660fc2140aec35850c4da997.json"
        );
        assert_eq!(
            cache_path(home, "dev-scopes").to_str().unwrap(),
            "/home/someuser/.aws/sso/cache/75e4d41276d8bd17f85986fc6cccef29fd725ce3.json"
        );
        assert_eq!(
            cache_path(
                Path::new("/home/me"),
                "https://d-92671207e4.awsapps.com/start"
            )
            .to_str()
            .unwrap(),
            "/home/me/.aws/sso/cache/13f9d35043871d073ab260e020f0ffde092cb14b.json"
        );
    }

    #[test]
    fn reads_the_aws_cli_format_including_old_times() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        std::fs::write(
            &path,
            r#"{"startUrl":"https://d-abc.awsapps.com/start","region":"eu-west-1",
                "accessToken":"secret-access","expiresAt":"2026-11-23T12:00:00UTC",
                "clientId":"cid","clientSecret":"secret-client","refreshToken":"secret-refresh",
                "registrationExpiresAt":"2027-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        let t = load(&path).unwrap().unwrap();
        assert_eq!(t.access_token.expose_secret(), "secret-access");
        assert_eq!(t.expires_at.to_string(), "2026-11-23T12:00:00Z");
        let before = "2026-11-23T11:00:00Z".parse().unwrap();
        assert!(t.is_valid(before) && t.can_refresh(before));
        assert!(!t.is_valid("2026-11-23T11:59:30Z".parse().unwrap()));
        let shown = format!("{t:?}");
        assert!(!shown.contains("secret-"), "{shown}");
        std::fs::write(&path, "{ not json").unwrap();
        assert!(load(&path).is_err());
        assert!(load(&dir.path().join("missing.json")).unwrap().is_none());
    }
}
