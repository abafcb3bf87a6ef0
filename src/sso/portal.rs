//! The Identity Center portal API: the accounts and roles a person may use, and credentials
//! for one of those roles. Paged, with bounded concurrency (the portal allows ~20 requests/s;
//! the SDK retries throttled calls).

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_sso::Client;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::aws::calls::{CallCounter, all_pages};
use crate::aws::credentials::Credentials;
use crate::aws::error::{AwsFailure, classify};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalAccount {
    pub id: String,
    pub name: String,
    pub email: String,
}

pub async fn list_accounts(
    client: &Client,
    token: &SecretString,
    counter: &CallCounter,
) -> Result<Vec<PortalAccount>, AwsFailure> {
    const OP: &str = "ListAccounts";
    let one = Semaphore::new(1);
    all_pages(OP, counter, &one, |next| {
        let call = client
            .list_accounts()
            .access_token(token.expose_secret())
            .max_results(100)
            .set_next_token(next);
        async move {
            let out = call.send().await.map_err(|e| classify("sso", OP, &e))?;
            let accounts = out
                .account_list()
                .iter()
                .filter_map(|a| {
                    Some(PortalAccount {
                        id: a.account_id()?.to_string(),
                        name: a.account_name().unwrap_or_default().to_string(),
                        email: a.email_address().unwrap_or_default().to_string(),
                    })
                })
                .collect();
            Ok((accounts, out.next_token().map(str::to_string)))
        }
    })
    .await
}

async fn account_roles(
    client: &Client,
    token: &SecretString,
    account_id: &str,
    counter: &CallCounter,
    limit: &Semaphore,
) -> Result<Vec<String>, AwsFailure> {
    const OP: &str = "ListAccountRoles";
    all_pages(OP, counter, limit, |next| {
        let call = client
            .list_account_roles()
            .access_token(token.expose_secret())
            .account_id(account_id)
            .max_results(100)
            .set_next_token(next);
        async move {
            let out = call.send().await.map_err(|e| classify("sso", OP, &e))?;
            let roles = out
                .role_list()
                .iter()
                .filter_map(|r| r.role_name().map(str::to_string))
                .collect();
            Ok((roles, out.next_token().map(str::to_string)))
        }
    })
    .await
}

/// Role names per account ID, `concurrency` accounts at a time. The first failure fails all:
/// a half list of roles would look like missing permissions.
pub async fn list_roles(
    client: &Client,
    token: &SecretString,
    account_ids: &[String],
    concurrency: usize,
    counter: &CallCounter,
) -> Result<BTreeMap<String, Vec<String>>, AwsFailure> {
    let limit = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for id in account_ids {
        let (client, token, id, counter, limit) = (
            client.clone(),
            token.clone(),
            id.clone(),
            counter.clone(),
            Arc::clone(&limit),
        );
        tasks.spawn(async move {
            let roles = account_roles(&client, &token, &id, &counter, &limit).await;
            (id, roles)
        });
    }
    let mut out = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (id, roles) = joined.map_err(|e| AwsFailure::Other {
            call: "ListAccountRoles",
            detail: e.to_string(),
        })?;
        let mut roles = roles?;
        roles.sort();
        out.insert(id, roles);
    }
    Ok(out)
}

pub async fn role_credentials(
    client: &Client,
    token: &SecretString,
    account_id: &str,
    role: &str,
) -> Result<Credentials, AwsFailure> {
    const OP: &str = "GetRoleCredentials";
    let out = client
        .get_role_credentials()
        .access_token(token.expose_secret())
        .account_id(account_id)
        .role_name(role)
        .send()
        .await
        .map_err(|e| classify("sso", OP, &e))?;
    let c = out.role_credentials().ok_or_else(|| AwsFailure::Other {
        call: OP,
        detail: "no credentials in the response".into(),
    })?;
    let (Some(key), Some(secret), Some(session)) =
        (c.access_key_id(), c.secret_access_key(), c.session_token())
    else {
        return Err(AwsFailure::Other {
            call: OP,
            detail: "incomplete credentials in the response".into(),
        });
    };
    Ok(Credentials {
        access_key_id: key.to_string(),
        secret_access_key: SecretString::from(secret.to_string()),
        session_token: SecretString::from(session.to_string()),
        // The portal gives milliseconds since the epoch.
        expiration: jiff::Timestamp::from_millisecond(c.expiration())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    })
}
