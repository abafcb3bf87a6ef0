//! IAM Identity Center without AWS: moto has no portal or OIDC API, so both are mocked with
//! aws-smithy-mocks — the device flow's pending/slow-down sequence, token refresh, paging,
//! throttling, an expired token — and the flat navigator built from the portal's accounts.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use aws_sdk_sso::error::ErrorMetadata;
use aws_sdk_sso::operation::get_role_credentials::GetRoleCredentialsOutput;
use aws_sdk_sso::operation::list_account_roles::ListAccountRolesOutput;
use aws_sdk_sso::operation::list_accounts::{ListAccountsError, ListAccountsOutput};
use aws_sdk_sso::types::{AccountInfo, RoleCredentials, RoleInfo};
use aws_sdk_ssooidc::operation::create_token::{CreateTokenError, CreateTokenOutput};
use aws_sdk_ssooidc::operation::register_client::RegisterClientOutput;
use aws_sdk_ssooidc::operation::start_device_authorization::StartDeviceAuthorizationOutput;
use aws_sdk_ssooidc::types::error::{AuthorizationPendingException, SlowDownException};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use orgnav::access::{Access, AccessSettings};
use orgnav::config::Config;
use orgnav::model::{Hierarchy, Node, Snapshot};
use orgnav::sso::token::{cache_path, load, store};
use orgnav::sso::{IdentityCenter, SsoToken};
use orgnav::tui::state::{AccessView, State, Status};
use orgnav::tui::update::{install, update};
use secrecy::{ExposeSecret, SecretString};
use support::recorder::{sso_settings as settings, valid_sso_token as valid_token};

fn oidc(rules: &[&Rule]) -> aws_sdk_ssooidc::Client {
    mock_client!(aws_sdk_ssooidc, RuleMode::Sequential, rules)
}

fn portal(rules: &[&Rule]) -> aws_sdk_sso::Client {
    mock_client!(aws_sdk_sso, RuleMode::MatchAny, rules, |c| c.retry_config(
        aws_sdk_sso::config::retry::RetryConfig::standard().with_max_attempts(3)
    ))
}

/// An Identity Center whose token cache lives in `dir`, already holding `token`.
fn center(
    dir: &tempfile::TempDir,
    token: Option<SsoToken>,
    oidc_rules: &[&Rule],
    portal_rules: &[&Rule],
) -> IdentityCenter {
    let path = cache_path(dir.path(), settings().cache_key());
    if let Some(t) = token {
        store(&path, &t).unwrap();
    }
    IdentityCenter::with_clients(
        settings(),
        oidc(oidc_rules),
        portal(portal_rules),
        Some(path),
    )
}

#[tokio::test(start_paused = true)]
async fn device_login_polls_as_told_and_writes_the_aws_cli_cache() {
    let register = mock!(aws_sdk_ssooidc::Client::register_client)
        .match_requests(|r| {
            r.client_type() == Some("public")
                && r.scopes() == ["sso:account:access"]
                && r.grant_types().iter().any(|g| g == "refresh_token")
        })
        .then_output(|| {
            RegisterClientOutput::builder()
                .client_id("client-1")
                .client_secret("client-secret-1")
                .client_secret_expires_at(1_900_000_000)
                .build()
        });
    let start = mock!(aws_sdk_ssooidc::Client::start_device_authorization)
        .match_requests(|r| r.start_url() == Some("https://d-1234567890.awsapps.com/start"))
        .then_output(|| {
            StartDeviceAuthorizationOutput::builder()
                .device_code("device-1")
                .user_code("ABCD-EFGH")
                .verification_uri("https://device.sso.eu-west-1.amazonaws.com/")
                .verification_uri_complete(
                    "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
                )
                .interval(1)
                .expires_in(600)
                .build()
        });
    let pending = mock!(aws_sdk_ssooidc::Client::create_token).then_error(|| {
        CreateTokenError::AuthorizationPendingException(
            AuthorizationPendingException::builder().build(),
        )
    });
    let slow = mock!(aws_sdk_ssooidc::Client::create_token)
        .then_error(|| CreateTokenError::SlowDownException(SlowDownException::builder().build()));
    let granted = mock!(aws_sdk_ssooidc::Client::create_token)
        .match_requests(|r| {
            r.grant_type() == Some("urn:ietf:params:oauth:grant-type:device_code")
                && r.device_code() == Some("device-1")
        })
        .then_output(|| {
            CreateTokenOutput::builder()
                .access_token("new-access-token")
                .refresh_token("new-refresh-token")
                .expires_in(28_800)
                .build()
        });
    let dir = tempfile::tempdir().unwrap();
    let ic = center(
        &dir,
        None,
        &[&register, &start, &pending, &slow, &granted],
        &[],
    );
    let started = tokio::time::Instant::now();
    let mut shown = None;
    ic.login(|code| shown = Some(code.clone())).await.unwrap();
    let shown = shown.unwrap();
    assert_eq!(shown.user_code, "ABCD-EFGH");
    // Interval 1 s: pending after 1 s, slow-down after 2 s, then every 6 s: granted at 8 s.
    assert_eq!(started.elapsed(), std::time::Duration::from_secs(8));
    assert_eq!(granted.num_calls(), 1);

    // The AWS CLI's file: SHA-1 of the session name, its keys, mode 0600.
    let path = cache_path(dir.path(), "corp");
    let raw: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for key in [
        "startUrl",
        "region",
        "accessToken",
        "expiresAt",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "refreshToken",
    ] {
        assert!(raw.get(key).is_some(), "{key} missing: {raw}");
    }
    assert_eq!(raw["accessToken"], "new-access-token");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let back = load(&path).unwrap().unwrap();
    assert_eq!(
        back.refresh_token.unwrap().expose_secret(),
        "new-refresh-token"
    );
}

#[tokio::test]
async fn an_expired_session_token_is_refreshed_and_written_back() {
    let refresh = mock!(aws_sdk_ssooidc::Client::create_token)
        .match_requests(|r| {
            r.grant_type() == Some("refresh_token") && r.refresh_token() == Some("old-refresh")
        })
        .then_output(|| {
            CreateTokenOutput::builder()
                .access_token("refreshed-access")
                .expires_in(3600)
                .build()
        });
    let mut expired = valid_token();
    expired.expires_at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    expired.refresh_token = Some(SecretString::from("old-refresh".to_string()));
    expired.client_id = Some("client-1".into());
    expired.client_secret = Some(SecretString::from("secret-1".to_string()));
    let dir = tempfile::tempdir().unwrap();
    let ic = center(&dir, Some(expired), &[&refresh], &[]);
    let t = ic.token().await.unwrap();
    assert_eq!(t.access_token.expose_secret(), "refreshed-access");
    let stored = load(&cache_path(dir.path(), "corp")).unwrap().unwrap();
    assert_eq!(stored.access_token.expose_secret(), "refreshed-access");
    // The refresh token is kept when the service does not send a new one.
    assert_eq!(stored.refresh_token.unwrap().expose_secret(), "old-refresh");
}

#[tokio::test]
async fn without_a_token_a_login_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let ic = center(&dir, None, &[], &[]);
    let e = ic.token().await.unwrap_err();
    assert!(e.to_string().contains("orgnav login"), "{e}");
}

fn account(id: &str, name: &str) -> AccountInfo {
    AccountInfo::builder()
        .account_id(id)
        .account_name(name)
        .email_address(format!("{name}@example.com"))
        .build()
}

fn portal_rules() -> Vec<Rule> {
    let first = mock!(aws_sdk_sso::Client::list_accounts)
        .match_requests(|r| r.next_token().is_none())
        .sequence()
        .error(|| {
            ListAccountsError::generic(
                ErrorMetadata::builder()
                    .code("TooManyRequestsException")
                    .build(),
            )
        })
        .output(|| {
            ListAccountsOutput::builder()
                .account_list(account("111111111111", "payments-prod"))
                .account_list(account("222222222222", "payments-dev"))
                .next_token("page-2")
                .build()
        })
        .build();
    let second = mock!(aws_sdk_sso::Client::list_accounts)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| {
            ListAccountsOutput::builder()
                .account_list(account("333333333333", "sandbox"))
                .build()
        });
    let roles = mock!(aws_sdk_sso::Client::list_account_roles)
        .match_requests(|r| r.access_token() == Some("portal-access-token"))
        .then_output(|| {
            ListAccountRolesOutput::builder()
                .role_list(RoleInfo::builder().role_name("ReadOnly").build())
                .role_list(RoleInfo::builder().role_name("Admin").build())
                .build()
        });
    let creds = mock!(aws_sdk_sso::Client::get_role_credentials)
        .match_requests(|r| {
            r.account_id() == Some("222222222222") && r.role_name() == Some("Admin")
        })
        .then_output(|| {
            GetRoleCredentialsOutput::builder()
                .role_credentials(
                    RoleCredentials::builder()
                        .access_key_id("ASIASSO")
                        .secret_access_key("sso-secret")
                        .session_token("sso-session-token")
                        .expiration(1_900_000_000_000)
                        .build(),
                )
                .build()
        });
    vec![first, second, roles, creds]
}

#[tokio::test(start_paused = true)]
async fn the_portal_gives_a_flat_organization_with_roles_despite_throttling() {
    let dir = tempfile::tempdir().unwrap();
    let rules = portal_rules();
    let refs: Vec<&Rule> = rules.iter().collect();
    let ic = center(&dir, Some(valid_token()), &[], &refs);
    let org = ic.flat_org(4).await.unwrap();
    assert_eq!(
        org.accounts.len(),
        3,
        "both pages, the throttled call retried"
    );
    assert_eq!(org.sso_roles["333333333333"], ["Admin", "ReadOnly"]);
    let h = Hierarchy::new(org.clone());
    let mut out = Vec::new();
    orgnav::cli::output::write_json(&mut out, &h, &(0..3).collect::<Vec<_>>()).unwrap();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    assert!(listed.iter().all(|a| a["path"] == serde_json::json!([])));

    // Its roles are offered first and entered with GetRoleCredentials, not AssumeRole.
    let access = Access::new(AccessSettings::new(
        &Config::default(),
        None,
        Some("eu-west-1".into()),
    ));
    access.use_identity_center(Arc::new(ic));
    let dev = h.account_index("222222222222").unwrap();
    let view = AccessView {
        default_role: "OrganizationAccountAccessRole".into(),
        region: "eu-west-1".into(),
        ..AccessView::default()
    };
    let mut state = State::new(Status::default(), Default::default());
    install(&mut state, Snapshot::new(org, jiff::Timestamp::now()));
    state.access = view;
    let options = state
        .access
        .options(state.org.as_ref().unwrap(), dev, &state.history);
    let names: Vec<&str> = options.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        ["Admin", "ReadOnly"],
        "no default role beside Identity Center's"
    );
    assert_eq!(options[0].source_label(), "Identity Center");
    let assumed = access
        .assume(h.account(dev), &options[0], false, None)
        .await
        .unwrap();
    assert_eq!(assumed.session.credentials.access_key_id, "ASIASSO");
    assert_eq!(
        assumed.session.credentials.session_token(),
        "sso-session-token"
    );
    assert_eq!(assumed.session.account_name, "payments-dev");
}

#[tokio::test]
async fn a_revoked_token_says_to_log_in_again() {
    let revoked = mock!(aws_sdk_sso::Client::list_accounts).then_error(|| {
        ListAccountsError::UnauthorizedException(
            aws_sdk_sso::types::error::UnauthorizedException::builder()
                .message("Session token not found or invalid")
                .build(),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let ic = center(&dir, Some(valid_token()), &[], &[&revoked]);
    let e = ic.flat_org(4).await.unwrap_err().to_string();
    assert!(
        e.contains("orgnav login") && e.contains("ListAccounts"),
        "{e}"
    );
    assert!(!e.contains("portal-access-token"), "{e}");
}

#[test]
fn the_flat_navigator_renders() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rules = portal_rules();
    let refs: Vec<&Rule> = rules.iter().collect();
    let ic = center(&dir, Some(valid_token()), &[], &refs);
    let org = rt.block_on(ic.flat_org(4)).unwrap();
    let mut s = State::new(
        Status {
            profile: "corp-sso".into(),
            region: "eu-west-1".into(),
            ..Status::default()
        },
        Default::default(),
    );
    s.now = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    let now = s.now;
    install(&mut s, Snapshot::new(org, now));
    s.access = AccessView {
        region: "eu-west-1".into(),
        ..AccessView::default()
    };
    update(
        &mut s,
        orgnav::tui::action::Action::Resize {
            width: 100,
            height: 14,
        },
    );
    update(&mut s, orgnav::tui::action::Action::MoveDown);
    assert!(matches!(s.selected_node(), Some(Node::Account(_))));
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 14)).unwrap();
    t.draw(|f| orgnav::tui::ui::render(f, &s)).unwrap();
    insta::assert_snapshot!("flat_identity_center_navigator", t.backend().to_string());
}
