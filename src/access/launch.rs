//! Handing credentials to the user: a subshell, one command, `env` output, the browser.
//! No TUI code here; the TUI suspends itself around `run_child`.

use std::process::Stdio;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::aws::credentials::Credentials;

/// Everything a child process needs to act in an account.
#[derive(Debug, Clone)]
pub struct AccountSession {
    pub account_id: String,
    pub account_name: String,
    pub role: String,
    pub region: String,
    pub production: bool,
    pub credentials: Arc<Credentials>,
    /// Fake credentials for the demo organization: the child gets `ORGNAV_DEMO=1`.
    pub demo: bool,
}

impl PartialEq for AccountSession {
    /// Sessions are equal when they are the same credentials for the same target.
    fn eq(&self, other: &Self) -> bool {
        self.account_id == other.account_id
            && self.role == other.role
            && Arc::ptr_eq(&self.credentials, &other.credentials)
    }
}

/// Variables that would make AWS tools use other credentials than the ones exported.
pub const REMOVED_VARS: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_VAULT",
];

/// The variables exported into a session, in a stable order. Values holding secrets stay
/// `SecretString` until they are handed to a child or printed on purpose.
pub fn session_vars(s: &AccountSession) -> Vec<(&'static str, SecretString)> {
    let c = &s.credentials;
    let plain = |v: &str| SecretString::from(v.to_string());
    let mut vars = vec![
        ("AWS_ACCESS_KEY_ID", plain(&c.access_key_id)),
        ("AWS_SECRET_ACCESS_KEY", plain(c.secret_access_key())),
        ("AWS_SESSION_TOKEN", plain(c.session_token())),
        ("AWS_CREDENTIAL_EXPIRATION", plain(&c.expiration_rfc3339())),
        ("AWS_REGION", plain(&s.region)),
        ("AWS_DEFAULT_REGION", plain(&s.region)),
        ("ORGNAV_ACCOUNT_ID", plain(&s.account_id)),
        ("ORGNAV_ACCOUNT_NAME", plain(&s.account_name)),
        ("ORGNAV_ROLE", plain(&s.role)),
        (
            "ORGNAV_ENV",
            plain(if s.production { "prod" } else { "nonprod" }),
        ),
        // Epoch seconds: `orgnav prompt` (and shell scripts) compute the minutes left
        // without parsing RFC 3339.
        (
            "ORGNAV_EXPIRES_AT",
            plain(&c.expiration.as_second().to_string()),
        ),
    ];
    if s.demo {
        vars.push(("ORGNAV_DEMO", plain("1")));
    }
    vars
}

/// A command that runs with the session's credentials in its environment only.
pub fn command(program: &str, args: &[String], s: &AccountSession) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args);
    for v in REMOVED_VARS {
        cmd.env_remove(v);
    }
    for (k, v) in session_vars(s) {
        cmd.env(k, v.expose_secret());
    }
    cmd.stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit());
    cmd
}

/// The variables that carry the session's keys and their expiry; `--refreshing` leaves them
/// out (the endpoint renews the session, so the first expiry would go stale).
pub const KEY_VARS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "ORGNAV_EXPIRES_AT",
];

/// `command`, but the child reads its credentials from `endpoint` (`--refreshing`): its
/// environment has the endpoint's URL and token instead of the keys.
pub fn command_with_endpoint(
    program: &str,
    args: &[String],
    s: &AccountSession,
    endpoint: &super::cred_server::CredentialEndpoint,
) -> tokio::process::Command {
    let mut cmd = command(program, args, s);
    for v in KEY_VARS {
        cmd.env_remove(v);
    }
    for (k, v) in endpoint.child_vars() {
        cmd.env(k, v.expose_secret());
    }
    cmd
}

/// The user's shell: config `shell`, then `$SHELL`, then `/bin/sh`.
pub fn user_shell(configured: Option<&str>) -> String {
    configured
        .map(str::to_string)
        .or_else(|| std::env::var("SHELL").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "/bin/sh".to_string())
}

/// What was entered, in one line: `payments-prod (123456789012) as Admin · prod · until 14:32
/// (59 min)`, the time in the local time zone.
pub fn entered(s: &AccountSession, now: jiff::Timestamp) -> String {
    format!(
        "{}{} ({}) as {}{} · {}",
        if s.demo { "DEMO · " } else { "" },
        s.account_name,
        s.account_id,
        s.role,
        if s.production { " · prod" } else { "" },
        until(s.credentials.expiration, now)
    )
}

/// When credentials expire, for people: `until 14:32 (59 min)`, the time in the local time
/// zone, the minutes left from `now` (never negative).
pub fn until(expiry: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let minutes = (expiry.as_second() - now.as_second()).max(0) / 60;
    let local = expiry.to_zoned(jiff::tz::TimeZone::system());
    format!("until {} ({minutes} min)", local.strftime("%H:%M"))
}

/// One line before the shell starts: what was entered; red for production.
pub fn banner(s: &AccountSession, color: bool) -> String {
    let text = format!(
        "orgnav: {} — exit the shell to return",
        entered(s, jiff::Timestamp::now())
    );
    match (color, s.production) {
        (true, true) => format!("\x1b[1;37;41m{text}\x1b[0m"),
        (true, false) => format!("\x1b[1m{text}\x1b[0m"),
        _ => text,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EnvFormat {
    Sh,
    Fish,
    Powershell,
    Json,
}

fn quote_sh(v: &str) -> String {
    format!("'{}'", v.replace('\'', "'\\''"))
}
fn quote_fish(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}
fn quote_ps(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// `orgnav env` output. This prints secrets on purpose: the user evaluates it.
pub fn format_env(s: &AccountSession, format: EnvFormat) -> String {
    if format == EnvFormat::Json {
        return credential_process_json(&s.credentials);
    }
    let mut out = String::new();
    for v in REMOVED_VARS
        .iter()
        .filter(|v| !session_vars(s).iter().any(|(k, _)| k == *v))
    {
        out.push_str(&match format {
            EnvFormat::Sh => format!("unset {v}\n"),
            EnvFormat::Fish => format!("set -e {v}\n"),
            _ => format!("Remove-Item Env:{v} -ErrorAction SilentlyContinue\n"),
        });
    }
    for (k, v) in session_vars(s) {
        let v = v.expose_secret();
        out.push_str(&match format {
            EnvFormat::Sh => format!("export {k}={}\n", quote_sh(v)),
            EnvFormat::Fish => format!("set -gx {k} {}\n", quote_fish(v)),
            _ => format!("$Env:{k} = {}\n", quote_ps(v)),
        });
    }
    out
}

/// The `credential_process` format (Version 1).
pub fn credential_process_json(c: &Credentials) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct V1<'a> {
        version: u8,
        access_key_id: &'a str,
        secret_access_key: &'a str,
        session_token: &'a str,
        expiration: String,
    }
    let v = V1 {
        version: 1,
        access_key_id: &c.access_key_id,
        secret_access_key: c.secret_access_key(),
        session_token: c.session_token(),
        expiration: c.expiration_rfc3339(),
    };
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn session() -> AccountSession {
        AccountSession {
            account_id: "111111111111".into(),
            account_name: "payments-prod".into(),
            role: "Admin".into(),
            region: "eu-west-1".into(),
            production: true,
            credentials: Arc::new(Credentials {
                access_key_id: "ASIAEXAMPLE".into(),
                secret_access_key: SecretString::from("se'cret".to_string()),
                session_token: SecretString::from("tok".to_string()),
                expiration: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
            }),
            demo: false,
        }
    }

    #[test]
    fn sh_output_quotes_and_unsets() {
        let out = format_env(&session(), EnvFormat::Sh);
        assert!(
            out.contains("export AWS_SECRET_ACCESS_KEY='se'\\''cret'\n"),
            "{out}"
        );
        assert!(out.contains("unset AWS_PROFILE\n"));
        assert!(
            !out.contains("unset AWS_ACCESS_KEY_ID"),
            "set vars are not unset first"
        );
        assert!(out.contains("export ORGNAV_ENV='prod'"));
        assert!(
            out.contains("export ORGNAV_EXPIRES_AT='1800000000'"),
            "{out}"
        );
    }

    #[test]
    fn fish_and_powershell_quote_their_way() {
        assert!(
            format_env(&session(), EnvFormat::Fish)
                .contains("set -gx AWS_SECRET_ACCESS_KEY 'se\\'cret'")
        );
        assert!(
            format_env(&session(), EnvFormat::Powershell)
                .contains("$Env:AWS_SECRET_ACCESS_KEY = 'se''cret'")
        );
    }

    #[test]
    fn credential_process_is_version_1() {
        let v: serde_json::Value =
            serde_json::from_str(&format_env(&session(), EnvFormat::Json)).unwrap();
        assert_eq!(v["Version"], 1);
        assert_eq!(v["AccessKeyId"], "ASIAEXAMPLE");
        assert_eq!(v["Expiration"], "2027-01-15T08:00:00Z");
    }

    #[test]
    fn a_demo_session_says_so_to_the_child_and_on_the_entry_line() {
        let has_demo_var = |s: &AccountSession| {
            session_vars(s)
                .iter()
                .any(|(k, v)| *k == "ORGNAV_DEMO" && v.expose_secret() == "1")
        };
        let real = session();
        assert!(!has_demo_var(&real));
        assert!(!entered(&real, jiff::Timestamp::UNIX_EPOCH).contains("DEMO"));
        let demo = AccountSession {
            demo: true,
            ..session()
        };
        assert!(has_demo_var(&demo));
        assert!(entered(&demo, jiff::Timestamp::UNIX_EPOCH).starts_with("DEMO · payments-prod"));
    }

    #[test]
    fn banner_is_red_for_production() {
        let b = banner(&session(), true);
        assert!(
            b.starts_with("\x1b[1;37;41m")
                && b.contains("payments-prod")
                && b.contains(" · prod · "),
            "{b:?}"
        );
        assert!(!banner(&session(), false).contains('\x1b'));
    }

    #[test]
    fn the_entry_line_names_account_role_environment_and_time_left() {
        let s = session();
        let now = s.credentials.expiration - jiff::SignedDuration::from_secs(59 * 60 + 30);
        let line = entered(&s, now);
        let local = s
            .credentials
            .expiration
            .to_zoned(jiff::tz::TimeZone::system())
            .strftime("%H:%M")
            .to_string();
        assert_eq!(
            line,
            format!(
                "payments-prod ({}) as {} · prod · until {local} (59 min)",
                s.account_id, s.role
            )
        );
    }
}
