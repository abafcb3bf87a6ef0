//! Entering accounts of the built-in demo organization: the same role options, production
//! confirmation, MFA step, [`Assumed`] sessions and hand-off as real accounts, with fake
//! credentials made here instead of by STS. Nothing in this module touches the network.
//!
//! What the demo offers (README "Demo walk-through" relies on it):
//! - config rules `ReadOnly` and `Admin` for every account under `Workloads/`, and
//!   `PaymentsDeployer` for `payments-*` accounts: a role picker;
//! - the profile `demo-breakglass` (`BreakGlass` in payments-prod) that asks for an MFA code;
//!   any 6 digits are accepted;
//! - Identity Center roles for sandbox-alice and sandbox-bob (from the demo asset);
//! - `OrganizationAccountAccessRole` (the default) everywhere else.

use secrecy::SecretString;

use super::{Access, AccessError, Assumed, plan_assume};
use crate::aws::assume::Caller;
use crate::aws::credentials::Credentials;
use crate::aws::error::AwsFailure;
use crate::aws::roles::{ProfileRole, RoleOption, RoleSetup};
use crate::config::RoleRule;
use crate::model::Account;

/// Where the demo's console "sign-in" points: a reserved, never-resolving name (RFC 2606),
/// so nobody mistakes it for AWS and no browser reaches anything.
pub const CONSOLE_BASE: &str = "https://demo.orgnav.invalid/console";

/// The MFA device of the demo's `demo-breakglass` profile.
pub const MFA_SERIAL: &str = "arn:aws:iam::000000000000:mfa/demo-user";

/// The demo's access keys start with this, followed by the account ID.
pub const ACCESS_KEY_PREFIX: &str = "ASIADEMO";

/// Who the demo's base credentials belong to.
const DEMO_USER_ARN: &str = "arn:aws:iam::000000000000:user/demo-user";

fn rule(name: &str, ou: Option<&str>, account: Option<&str>) -> RoleRule {
    RoleRule {
        name: name.into(),
        ou: ou.map(Into::into),
        account: account.map(Into::into),
        tag: None,
    }
}

/// The role configuration of the demo: its own rules and profiles, never the user's.
pub fn roles() -> RoleSetup {
    RoleSetup {
        rules: vec![
            rule("ReadOnly", Some("Workloads/**"), None),
            rule("Admin", Some("Workloads/**"), None),
            rule("PaymentsDeployer", None, Some("payments-*")),
        ],
        profiles: vec![ProfileRole {
            profile: "demo-breakglass".into(),
            // payments-prod
            role_arn: "arn:aws:iam::718172762479:role/BreakGlass".into(),
            source_profile: Some("demo".into()),
            mfa_serial: Some(MFA_SERIAL.into()),
            duration_seconds: Some(3600),
            external_id: None,
        }],
        default_role: "OrganizationAccountAccessRole".into(),
    }
}

/// Any six digits; real codes are checked by AWS, the demo only keeps the shape.
fn valid_mfa_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Fake credentials that say what they are, for `duration_seconds` from now.
fn credentials(account_id: &str, role: &str, duration_seconds: i32) -> Credentials {
    let expiration = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(i64::from(duration_seconds)))
        .unwrap_or(jiff::Timestamp::MAX);
    Credentials {
        access_key_id: format!("{ACCESS_KEY_PREFIX}{account_id}"),
        secret_access_key: SecretString::from(format!(
            "orgnav-demo-secret-not-an-aws-key-{account_id}"
        )),
        session_token: SecretString::from(format!("orgnav-demo-session-token-{account_id}-{role}")),
        expiration,
    }
}

impl Access {
    /// The demo's counterpart of AssumeRole: the request is planned as for real (MFA,
    /// duration), then answered here.
    pub(super) fn enter_demo(
        &self,
        account: &Account,
        option: &RoleOption,
        production: bool,
        mfa_code: Option<&str>,
    ) -> Result<Assumed, AccessError> {
        let who = Caller {
            arn: DEMO_USER_ARN.into(),
            account: "000000000000".into(),
            chained: false,
            session_name: "demo-user".into(),
        };
        let request = plan_assume(&who, option, self.settings.duration_seconds, mfa_code)?;
        if let Some((_, code)) = &request.mfa
            && !valid_mfa_code(code)
        {
            return Err(AccessError::Aws(AwsFailure::Other {
                call: "AssumeRole (demo)",
                detail: "the demo's MFA code is any 6 digits".into(),
            }));
        }
        tracing::info!(account = %account.id, role = %option.name, "demo credentials");
        let credentials = credentials(&account.id, &option.name, request.duration_seconds);
        let region = self
            .settings
            .session
            .region
            .clone()
            .unwrap_or_else(|| crate::aws::session::FALLBACK_REGION.to_string());
        let mut assumed = Assumed::new(account, option, region, production, credentials, false);
        assumed.session.demo = true;
        Ok(assumed)
    }
}

/// The demo console address: it names the account, role, region and the page the real
/// sign-in would land on (its path, without the AWS host: nothing here should look like AWS),
/// holds no secret, and is not an AWS sign-in.
pub fn console_url(assumed: &Assumed, destination: &str) -> SecretString {
    let s = &assumed.session;
    let page = destination
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or(destination);
    SecretString::from(format!(
        "{CONSOLE_BASE}?account={}&role={}&region={}&page={}",
        s.account_id,
        percent_encode(&s.role),
        s.region,
        percent_encode(page)
    ))
}

/// Role names are `[A-Za-z0-9+=,.@_-]`; anything else (all of a URL's punctuation but `.`
/// and `-`) is percent-encoded.
fn percent_encode(v: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const ROLE_NAME: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'+')
        .remove(b'=')
        .remove(b',')
        .remove(b'.')
        .remove(b'@')
        .remove(b'_')
        .remove(b'-');
    utf8_percent_encode(v, ROLE_NAME).to_string()
}

/// What the TUI says instead of opening a browser on the demo.
pub fn console_notice(url: &str) -> String {
    format!("demo console, not opened: {url}")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::access::AccessSettings;
    use crate::aws::roles::{RoleInputs, role_options};
    use crate::model::Hierarchy;

    fn demo_access() -> Arc<Access> {
        Access::demo(AccessSettings::new(&Default::default(), None, None))
    }

    fn options(name: &str) -> (Account, Vec<RoleOption>) {
        let h = Hierarchy::new(crate::source::demo_snapshot().unwrap().org);
        let i = (0..h.account_count())
            .find(|&i| h.account(i).name == name)
            .unwrap();
        let r = roles();
        let a = h.account(i);
        let inputs = RoleInputs {
            sso_roles: h.org.sso_roles.get(&a.id).map_or(&[][..], Vec::as_slice),
            rules: &r.rules,
            profiles: &r.profiles,
            default_role: &r.default_role,
            partition: "aws",
            last_used: None,
        };
        (a.clone(), role_options(a, h.account_path(i), &inputs))
    }

    #[tokio::test]
    async fn the_breakglass_profile_asks_for_any_six_digits() {
        let (account, opts) = options("payments-prod");
        let names: Vec<_> = opts.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names,
            ["ReadOnly", "Admin", "PaymentsDeployer", "BreakGlass"]
        );
        let breakglass = &opts[3];
        let access = demo_access();
        let asked = access.assume(&account, breakglass, true, None).await;
        assert!(
            matches!(&asked, Err(AccessError::MfaRequired { serial, .. }) if serial == MFA_SERIAL),
            "{asked:?}"
        );
        let wrong = access
            .assume(&account, breakglass, true, Some("12345"))
            .await;
        assert!(wrong.unwrap_err().to_string().contains("any 6 digits"));
        let ok = access
            .assume(&account, breakglass, true, Some("123456"))
            .await
            .unwrap();
        assert!(ok.session.demo && ok.session.production);
        assert_eq!(ok.session.credentials.access_key_id, "ASIADEMO718172762479");
    }

    #[tokio::test]
    async fn the_console_address_is_not_aws() {
        let (account, opts) = options("payments-dev");
        let access = demo_access();
        let assumed = access
            .assume(&account, &opts[0], false, None)
            .await
            .unwrap();
        use secrecy::ExposeSecret;
        let dest = "https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#Home:";
        let url = access.console_url(&assumed, dest).await.unwrap();
        assert_eq!(
            url.expose_secret(),
            "https://demo.orgnav.invalid/console?account=272569912085&role=ReadOnly&region=us-east-1\
             &page=%2Fec2%2Fhome%3Fregion=us-east-1%23Home%3A"
        );
    }
}
