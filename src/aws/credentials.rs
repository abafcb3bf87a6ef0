//! Temporary AWS credentials held as secrets: `Debug` is redacted, the secret parts are only
//! exposed where they leave the process on purpose (a child's environment, `env` output).

use secrecy::{ExposeSecret, SecretString};

pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    pub session_token: SecretString,
    pub expiration: jiff::Timestamp,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &"[REDACTED]")
            .field("secret_access_key", &"[REDACTED]")
            .field("session_token", &"[REDACTED]")
            .field("expiration", &self.expiration)
            .finish()
    }
}

impl Credentials {
    pub fn secret_access_key(&self) -> &str {
        self.secret_access_key.expose_secret()
    }
    pub fn session_token(&self) -> &str {
        self.session_token.expose_secret()
    }

    /// Reused until five minutes before they expire.
    pub fn is_fresh(&self, now: jiff::Timestamp) -> bool {
        now.as_second() + 300 < self.expiration.as_second()
    }

    /// RFC 3339 in UTC, as `AWS_CREDENTIAL_EXPIRATION` and `credential_process` expect.
    pub fn expiration_rfc3339(&self) -> String {
        self.expiration.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLEKEY".into(),
            secret_access_key: SecretString::from("very-secret-key".to_string()),
            session_token: SecretString::from("very-secret-token".to_string()),
            expiration: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let shown = format!("{:?}", creds());
        assert!(
            !shown.contains("very-secret") && !shown.contains("ASIAEXAMPLEKEY"),
            "{shown}"
        );
    }

    #[test]
    fn freshness_leaves_five_minutes() {
        let c = creds();
        assert!(c.is_fresh(jiff::Timestamp::from_second(1_800_000_000 - 301).unwrap()));
        assert!(!c.is_fresh(jiff::Timestamp::from_second(1_800_000_000 - 300).unwrap()));
        assert_eq!(c.expiration_rfc3339(), "2027-01-15T08:00:00Z");
    }
}
