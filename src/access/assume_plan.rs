//! What an AssumeRole asks for: session name, duration, external ID and MFA, from the role
//! option's profile and the caller (pure, so the demo and tests plan exactly as AWS entries do).

use super::AccessError;
use crate::aws::assume::{AssumeRequest, Caller, effective_duration};
use crate::aws::roles::RoleOption;

/// The AssumeRole request for `option`, made by `who`: the session name from the caller, the
/// duration from the profile or config (capped at an hour when chaining), external ID and MFA
/// from the profile. Fails with `MfaRequired` when the profile needs a code and none is given.
pub fn plan_assume(
    who: &Caller,
    option: &RoleOption,
    default_duration: i32,
    mfa_code: Option<&str>,
) -> Result<AssumeRequest, AccessError> {
    let via = option.via_profile.as_ref();
    let mfa = match (option.mfa_serial(), mfa_code) {
        (Some(serial), Some(code)) => Some((serial.to_string(), code.trim().to_string())),
        (Some(serial), None) => {
            return Err(AccessError::MfaRequired {
                role: option.name.clone(),
                serial: serial.to_string(),
            });
        }
        (None, _) => None,
    };
    let configured = via
        .and_then(|p| p.duration_seconds)
        .unwrap_or(default_duration);
    Ok(AssumeRequest {
        role_arn: option.role_arn.clone(),
        session_name: who.session_name.clone(),
        duration_seconds: effective_duration(configured, who.chained),
        external_id: via.and_then(|p| p.external_id.clone()),
        mfa,
    })
}
