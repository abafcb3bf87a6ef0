//! Logging in to Identity Center with the OAuth device authorization flow (SSO OIDC):
//! RegisterClient → StartDeviceAuthorization → the user approves the code in a browser →
//! CreateToken, polled at the advertised interval (slower when asked to). And refreshing a
//! session's token with its refresh token.

use std::time::Duration;

use aws_sdk_ssooidc::Client;
use aws_sdk_ssooidc::operation::create_token::CreateTokenError;
use secrecy::{ExposeSecret, SecretString};

use super::settings::{ACCOUNT_ACCESS_SCOPE, SsoSettings};
use super::{SsoError, SsoToken};
use crate::aws::error::classify;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628: on `slow_down`, poll five seconds less often from then on.
const SLOW_DOWN_STEP: u64 = 5;

/// What the user must see: where to go and which code to confirm there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCode {
    pub user_code: String,
    pub verification_uri: String,
    /// The same page with the code filled in (opened in the browser when available).
    pub verification_uri_complete: Option<String>,
}

fn seconds_from_now(now: jiff::Timestamp, secs: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(now.as_second().saturating_add(secs)).unwrap_or(now)
}

/// orgnav's registration as an OIDC client for this sign-in.
struct Registration {
    client_id: String,
    client_secret: SecretString,
    secret_expires_at: i64,
}

/// The device code to approve, and how to poll for its approval.
struct Authorization {
    device_code: String,
    interval: u64,
    deadline: tokio::time::Instant,
}

/// The whole device flow. `show` is called once with the code; the result is the new token
/// (not yet stored).
pub async fn login(
    client: &Client,
    settings: &SsoSettings,
    show: impl FnOnce(&DeviceCode),
) -> Result<SsoToken, SsoError> {
    let reg = register(client, settings).await?;
    let (auth, code) = authorize(client, settings, &reg).await?;
    show(&code);
    poll(client, settings, &reg, auth).await
}

async fn register(client: &Client, settings: &SsoSettings) -> Result<Registration, SsoError> {
    let mut register = client
        .register_client()
        .client_name("orgnav")
        .client_type("public");
    if settings.refreshable() {
        let scopes = if settings.scopes.is_empty() {
            vec![ACCOUNT_ACCESS_SCOPE.to_string()]
        } else {
            settings.scopes.clone()
        };
        register = register
            .set_scopes(Some(scopes))
            .grant_types(DEVICE_GRANT)
            .grant_types("refresh_token")
            .issuer_url(&settings.start_url);
    }
    let reg = register
        .send()
        .await
        .map_err(|e| classify("sso-oauth", "RegisterClient", &e))?;
    let (Some(client_id), Some(client_secret)) = (reg.client_id(), reg.client_secret()) else {
        return Err(SsoError::Login("RegisterClient returned no client".into()));
    };
    Ok(Registration {
        client_id: client_id.to_string(),
        client_secret: SecretString::from(client_secret.to_string()),
        secret_expires_at: reg.client_secret_expires_at(),
    })
}

async fn authorize(
    client: &Client,
    settings: &SsoSettings,
    reg: &Registration,
) -> Result<(Authorization, DeviceCode), SsoError> {
    let auth = client
        .start_device_authorization()
        .client_id(&reg.client_id)
        .client_secret(reg.client_secret.expose_secret())
        .start_url(&settings.start_url)
        .send()
        .await
        .map_err(|e| classify("sso-oauth", "StartDeviceAuthorization", &e))?;
    let (Some(device_code), Some(user_code), Some(uri)) = (
        auth.device_code(),
        auth.user_code(),
        auth.verification_uri(),
    ) else {
        return Err(SsoError::Login(
            "StartDeviceAuthorization returned no code".into(),
        ));
    };
    let code = DeviceCode {
        user_code: user_code.to_string(),
        verification_uri: uri.to_string(),
        verification_uri_complete: auth.verification_uri_complete().map(str::to_string),
    };
    let authorization = Authorization {
        device_code: device_code.to_string(),
        interval: u64::try_from(auth.interval()).unwrap_or(5).max(1),
        deadline: tokio::time::Instant::now()
            + Duration::from_secs(u64::try_from(auth.expires_in()).unwrap_or(600)),
    };
    Ok((authorization, code))
}

/// CreateToken at the advertised interval until the code is approved, denied or expired.
async fn poll(
    client: &Client,
    settings: &SsoSettings,
    reg: &Registration,
    mut auth: Authorization,
) -> Result<SsoToken, SsoError> {
    let expired = || SsoError::Login("the code expired before it was approved".into());
    loop {
        tokio::time::sleep(Duration::from_secs(auth.interval)).await;
        if tokio::time::Instant::now() > auth.deadline {
            return Err(expired());
        }
        let result = client
            .create_token()
            .client_id(&reg.client_id)
            .client_secret(reg.client_secret.expose_secret())
            .grant_type(DEVICE_GRANT)
            .device_code(&auth.device_code)
            .send()
            .await;
        match result {
            Ok(out) => return token(settings, reg, &out),
            Err(e) => match e.as_service_error() {
                Some(CreateTokenError::AuthorizationPendingException(_)) => {}
                Some(CreateTokenError::SlowDownException(_)) => auth.interval += SLOW_DOWN_STEP,
                Some(CreateTokenError::ExpiredTokenException(_)) => return Err(expired()),
                Some(CreateTokenError::AccessDeniedException(_)) => {
                    return Err(SsoError::Login(
                        "the sign-in was denied in the browser".into(),
                    ));
                }
                _ => return Err(classify("sso-oauth", "CreateToken", &e).into()),
            },
        }
    }
}

fn token(
    settings: &SsoSettings,
    reg: &Registration,
    out: &aws_sdk_ssooidc::operation::create_token::CreateTokenOutput,
) -> Result<SsoToken, SsoError> {
    let now = jiff::Timestamp::now();
    let Some(access) = out.access_token() else {
        return Err(SsoError::Login("CreateToken returned no token".into()));
    };
    let refreshable = settings.refreshable();
    Ok(SsoToken {
        access_token: SecretString::from(access.to_string()),
        expires_at: seconds_from_now(now, i64::from(out.expires_in())),
        refresh_token: out
            .refresh_token()
            .filter(|_| refreshable)
            .map(|r| SecretString::from(r.to_string())),
        client_id: refreshable.then(|| reg.client_id.clone()),
        client_secret: refreshable.then(|| reg.client_secret.clone()),
        registration_expires_at: refreshable
            .then(|| jiff::Timestamp::from_second(reg.secret_expires_at).ok())
            .flatten(),
        start_url: Some(settings.start_url.clone()),
        region: Some(settings.region.clone()),
    })
}

/// A fresh access token from a session's refresh token; the registration is kept.
pub async fn refresh(client: &Client, token: &SsoToken) -> Result<SsoToken, SsoError> {
    let (Some(id), Some(secret), Some(refresh)) =
        (&token.client_id, &token.client_secret, &token.refresh_token)
    else {
        return Err(SsoError::Login("the token cannot be refreshed".into()));
    };
    let out = client
        .create_token()
        .client_id(id)
        .client_secret(secret.expose_secret())
        .grant_type("refresh_token")
        .refresh_token(refresh.expose_secret())
        .send()
        .await
        .map_err(|e| classify("sso-oauth", "CreateToken", &e))?;
    let Some(access) = out.access_token() else {
        return Err(SsoError::Login("CreateToken returned no token".into()));
    };
    Ok(SsoToken {
        access_token: SecretString::from(access.to_string()),
        expires_at: seconds_from_now(jiff::Timestamp::now(), i64::from(out.expires_in())),
        refresh_token: Some(
            out.refresh_token()
                .map_or_else(|| refresh.clone(), |r| SecretString::from(r.to_string())),
        ),
        client_id: token.client_id.clone(),
        client_secret: token.client_secret.clone(),
        registration_expires_at: token.registration_expires_at,
        start_url: token.start_url.clone(),
        region: token.region.clone(),
    })
}
