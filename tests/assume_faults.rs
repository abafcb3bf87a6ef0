//! STS behaviour moto cannot show: MFA, the one-hour cap when chaining, AccessDenied and
//! expired sessions, with the SDK's own mocking crate.
#![allow(clippy::unwrap_used)]

use aws_sdk_sts::Client;
use aws_sdk_sts::error::ErrorMetadata;
use aws_sdk_sts::operation::assume_role::{AssumeRoleError, AssumeRoleOutput};
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_sdk_sts::types::Credentials as StsCredentials;
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use orgnav::access::{AccessError, plan_assume};
use orgnav::aws::assume::{assume_role, caller};
use orgnav::aws::error::AwsFailure;
use orgnav::aws::roles::{ProfileRole, RoleOption, RoleSource};

fn identity(arn: &'static str) -> Rule {
    mock!(Client::get_caller_identity).then_output(move || {
        GetCallerIdentityOutput::builder()
            .arn(arn)
            .account("999999999999")
            .build()
    })
}

fn option(mfa: bool, duration: Option<i32>) -> RoleOption {
    RoleOption {
        name: "Admin".into(),
        role_arn: "arn:aws:iam::111111111111:role/Admin".into(),
        source: RoleSource::Profile {
            profile: "admin".into(),
        },
        via_profile: Some(ProfileRole {
            profile: "admin".into(),
            role_arn: "arn:aws:iam::111111111111:role/Admin".into(),
            source_profile: Some("base".into()),
            mfa_serial: mfa.then(|| "arn:aws:iam::999999999999:mfa/alice".into()),
            duration_seconds: duration,
            external_id: Some("ext-42".into()),
        }),
    }
}

fn creds_output() -> AssumeRoleOutput {
    AssumeRoleOutput::builder()
        .credentials(
            StsCredentials::builder()
                .access_key_id("ASIAMOCK")
                .secret_access_key("mock-secret")
                .session_token("mock-token")
                .expiration(DateTime::from_secs(1_900_000_000))
                .build()
                .unwrap(),
        )
        .build()
}

#[tokio::test]
async fn mfa_code_and_profile_settings_reach_assume_role() {
    let who_rule = identity("arn:aws:iam::999999999999:user/alice");
    let assume = mock!(Client::assume_role)
        .match_requests(|r| {
            r.serial_number() == Some("arn:aws:iam::999999999999:mfa/alice")
                && r.token_code() == Some("123456")
                && r.duration_seconds() == Some(7200)
                && r.external_id() == Some("ext-42")
                && r.role_session_name() == Some("alice")
        })
        .then_output(creds_output);
    let client = mock_client!(aws_sdk_sts, RuleMode::MatchAny, &[&who_rule, &assume]);
    let who = caller(&client).await.unwrap();
    assert!(!who.chained);
    let opt = option(true, Some(7200));
    let err = plan_assume(&who, &opt, 3600, None).unwrap_err();
    assert!(
        matches!(err, AccessError::MfaRequired { ref serial, .. } if serial.ends_with("mfa/alice"))
    );
    let req = plan_assume(&who, &opt, 3600, Some(" 123456 ")).unwrap();
    let creds = assume_role(&client, &req).await.unwrap();
    assert_eq!(
        assume.num_calls(),
        1,
        "the request matched: MFA, duration, external id, session name"
    );
    assert_eq!(creds.access_key_id, "ASIAMOCK");
    assert!(!format!("{creds:?}").contains("mock-secret"));
}

#[tokio::test]
async fn chained_sessions_never_ask_for_more_than_an_hour() {
    let who_rule =
        identity("arn:aws:sts::999999999999:assumed-role/AWSReservedSSO_Admin/alice@example.com");
    let assume = mock!(Client::assume_role)
        .match_requests(|r| {
            r.duration_seconds() == Some(3600) && r.role_session_name() == Some("alice@example.com")
        })
        .then_output(creds_output);
    let client = mock_client!(aws_sdk_sts, RuleMode::MatchAny, &[&who_rule, &assume]);
    let who = caller(&client).await.unwrap();
    assert!(who.chained);
    let req = plan_assume(&who, &option(false, Some(43_200)), 3600, None).unwrap();
    assert_eq!(req.duration_seconds, 3600);
    assume_role(&client, &req).await.unwrap();
    assert_eq!(assume.num_calls(), 1);
}

#[tokio::test]
async fn access_denied_names_the_call_and_permission() {
    let denied = mock!(Client::assume_role).then_error(|| {
        AssumeRoleError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("User: arn:aws:iam::999999999999:user/alice is not authorized to perform: sts:AssumeRole")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_sts, RuleMode::MatchAny, &[&denied]);
    let who = orgnav::aws::assume::Caller {
        arn: "arn:aws:iam::999999999999:user/alice".into(),
        account: "999999999999".into(),
        chained: false,
        session_name: "alice".into(),
    };
    let req = plan_assume(&who, &option(false, None), 3600, None).unwrap();
    let err = assume_role(&client, &req).await.unwrap_err();
    assert!(
        matches!(
            err,
            AwsFailure::AccessDenied {
                call: "AssumeRole",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("sts:AssumeRole"), "{err}");
}

#[tokio::test]
async fn expired_base_session_says_log_in_again() {
    let expired = mock!(Client::get_caller_identity).then_error(|| {
        aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError::generic(
            ErrorMetadata::builder()
                .code("ExpiredToken")
                .message("The security token included in the request is expired")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_sts, RuleMode::MatchAny, &[&expired]);
    let err = caller(&client).await.unwrap_err();
    assert!(
        matches!(err, AwsFailure::ExpiredCredentials { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("log in again"));
}

/// One process enters an account twice (the TUI's second `s`): the session it holds answers
/// without a second AssumeRole, with the cache between runs off.
#[tokio::test]
async fn a_session_is_held_for_the_process_without_the_cache_between_runs() {
    use orgnav::access::{Access, AccessSettings};
    use orgnav::config::Config;
    use orgnav::model::{Account, AccountStatus};
    let who = identity("arn:aws:iam::999999999999:user/alice");
    let ok = mock!(Client::assume_role).then_output(creds_output);
    let sts = mock_client!(aws_sdk_sts, RuleMode::MatchAny, &[&who, &ok]);
    let settings = AccessSettings::new(&Config::default(), None, Some("us-east-1".into()));
    let access = Access::with_sts(settings, sts);
    let account = Account {
        id: "111111111111".into(),
        name: "payments-dev".into(),
        email: "dev@example.com".into(),
        status: AccountStatus::Active,
        joined: None,
        parent_id: "r-1".into(),
        tags: Default::default(),
    };
    let role = RoleOption {
        source: RoleSource::Config,
        via_profile: None,
        ..option(false, None)
    };
    let first = access.assume(&account, &role, false, None).await.unwrap();
    let held = access.cached(&account.id, &role.role_arn);
    assert_eq!(
        held.as_ref(),
        Some(&first),
        "held by account ID and role ARN"
    );
    access.assume(&account, &role, false, None).await.unwrap();
    assert_eq!(
        ok.num_calls(),
        1,
        "the second entry reused the held session"
    );
}
