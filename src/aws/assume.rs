//! STS: who the base credentials belong to, and `AssumeRole` into a member account.

use aws_sdk_sts::Client;
use secrecy::SecretString;

use super::credentials::Credentials;
use super::error::{AwsFailure, classify};

/// AssumeRole from an assumed-role session ("role chaining") may last at most one hour.
pub const CHAINED_MAX_SECONDS: i32 = 3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub arn: String,
    pub account: String,
    /// The base credentials are themselves an assumed role (SSO included).
    pub chained: bool,
    /// What CloudTrail will show: the caller's user or session name, sanitised.
    pub session_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRequest {
    pub role_arn: String,
    pub session_name: String,
    pub duration_seconds: i32,
    pub external_id: Option<String>,
    /// (serial number of the MFA device, current code)
    pub mfa: Option<(String, String)>,
}

pub async fn caller(sts: &Client) -> Result<Caller, AwsFailure> {
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| classify("sts", "GetCallerIdentity", &e))?;
    let arn = out.arn().unwrap_or_default().to_string();
    Ok(Caller {
        account: out.account().unwrap_or_default().to_string(),
        chained: arn.contains(":assumed-role/"),
        session_name: session_name_from_arn(&arn),
        arn,
    })
}

/// `arn:aws:sts::1:assumed-role/Admin/alice@example.com` → `alice@example.com`;
/// `arn:aws:iam::1:user/ops/bob` → `bob`. Only the characters STS allows are kept.
pub fn session_name_from_arn(arn: &str) -> String {
    let last = arn.rsplit('/').next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c))
        .take(64)
        .collect();
    if clean.len() < 2 {
        "orgnav".to_string()
    } else {
        clean
    }
}

/// The duration to request: the configured one, capped at an hour when chaining.
pub fn effective_duration(configured: i32, chained: bool) -> i32 {
    let d = configured.clamp(900, 43_200);
    if chained {
        d.min(CHAINED_MAX_SECONDS)
    } else {
        d
    }
}

pub async fn assume_role(sts: &Client, req: &AssumeRequest) -> Result<Credentials, AwsFailure> {
    let mut call = sts
        .assume_role()
        .role_arn(&req.role_arn)
        .role_session_name(&req.session_name)
        .duration_seconds(req.duration_seconds)
        .set_external_id(req.external_id.clone());
    if let Some((serial, code)) = &req.mfa {
        call = call.serial_number(serial).token_code(code);
    }
    let out = call
        .send()
        .await
        .map_err(|e| classify("sts", "AssumeRole", &e))?;
    let c = out.credentials().ok_or_else(|| AwsFailure::Other {
        call: "AssumeRole",
        detail: "no credentials in the response".into(),
    })?;
    Ok(Credentials {
        access_key_id: c.access_key_id().to_string(),
        secret_access_key: SecretString::from(c.secret_access_key().to_string()),
        session_token: SecretString::from(c.session_token().to_string()),
        expiration: jiff::Timestamp::from_second(c.expiration().secs())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_come_from_the_caller() {
        assert_eq!(
            session_name_from_arn("arn:aws:sts::1:assumed-role/Admin/alice@example.com"),
            "alice@example.com"
        );
        assert_eq!(session_name_from_arn("arn:aws:iam::1:user/ops/bob"), "bob");
        assert_eq!(session_name_from_arn("arn:aws:iam::1:user/ä ö"), "orgnav");
        assert_eq!(
            session_name_from_arn("arn:aws:iam::1:user/name with spaces"),
            "namewithspaces"
        );
    }

    #[test]
    fn chaining_caps_the_duration_at_an_hour() {
        assert_eq!(effective_duration(7200, true), 3600);
        assert_eq!(effective_duration(7200, false), 7200);
        assert_eq!(effective_duration(60, false), 900);
    }
}
