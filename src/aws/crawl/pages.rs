//! The Organizations calls of a crawl, page by page, and their answers as model types.

use aws_sdk_organizations::types::{Account as SdkAccount, OrganizationalUnit};

use super::Ctx;
use crate::aws::calls::all_pages;
use crate::aws::error::{AwsFailure, classify};
use crate::model::{Account, AccountStatus, Ou, Tags};

/// (id, arn, name) of each root.
pub(super) async fn list_roots(ctx: &Ctx) -> Result<Vec<(String, String, String)>, AwsFailure> {
    all_pages("ListRoots", &ctx.counter, &ctx.limit, |token| async move {
        let out = ctx
            .client
            .list_roots()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("organizations", "ListRoots", &e))?;
        let roots = out
            .roots()
            .iter()
            .filter_map(|r| {
                Some((
                    r.id()?.to_string(),
                    r.arn().unwrap_or("").to_string(),
                    r.name().unwrap_or("Root").to_string(),
                ))
            })
            .collect();
        Ok((roots, out.next_token().map(str::to_string)))
    })
    .await
}

pub(super) async fn accounts_page(
    ctx: &Ctx,
    token: Option<String>,
) -> Result<(Vec<SdkAccount>, Option<String>), AwsFailure> {
    let _permit = ctx.limit.acquire().await.map_err(|_| AwsFailure::Other {
        call: "ListAccounts",
        detail: "cancelled".into(),
    })?;
    ctx.counter.record("ListAccounts");
    let out = ctx
        .client
        .list_accounts()
        .set_next_token(token)
        .max_results(ctx.page_size)
        .send()
        .await
        .map_err(|e| classify("organizations", "ListAccounts", &e))?;
    Ok((
        out.accounts().to_vec(),
        out.next_token().map(str::to_string),
    ))
}

/// The pages after the first (which listed `listed` accounts), reporting the count as it grows.
pub(super) async fn all_pages_from(
    ctx: &Ctx,
    first: String,
    listed: usize,
) -> Result<Vec<SdkAccount>, AwsFailure> {
    let mut out = Vec::new();
    let mut token = Some(first);
    while let Some(t) = token.take().filter(|t| !t.is_empty()) {
        let (page, next) = accounts_page(ctx, Some(t.clone())).await?;
        if !page.is_empty() {
            out.extend(page);
            let read = listed + out.len();
            ctx.progress.report(super::Progress::Accounts { read });
        }
        if next.as_deref() == Some(t.as_str()) {
            return Err(AwsFailure::Other {
                call: "ListAccounts",
                detail: "the service repeated a pagination token".into(),
            });
        }
        token = next;
    }
    Ok(out)
}

pub(super) async fn list_child_ous(ctx: &Ctx, parent: &str) -> Result<Vec<Ou>, AwsFailure> {
    const OP: &str = "ListOrganizationalUnitsForParent";
    let units: Vec<OrganizationalUnit> =
        all_pages(OP, &ctx.counter, &ctx.limit, |token| async move {
            let out = ctx
                .client
                .list_organizational_units_for_parent()
                .parent_id(parent)
                .set_next_token(token)
                .max_results(ctx.page_size)
                .send()
                .await
                .map_err(|e| classify("organizations", OP, &e))?;
            Ok((
                out.organizational_units().to_vec(),
                out.next_token().map(str::to_string),
            ))
        })
        .await?;
    Ok(units
        .iter()
        .filter_map(|u| {
            Some(Ou {
                id: u.id()?.to_string(),
                name: u.name().unwrap_or_default().to_string(),
                parent_id: Some(parent.to_string()),
                tags: Tags::new(),
                incomplete: None,
            })
        })
        .collect())
}

pub(super) async fn list_child_accounts(
    ctx: &Ctx,
    parent: &str,
) -> Result<Vec<Account>, AwsFailure> {
    const OP: &str = "ListAccountsForParent";
    let accounts: Vec<SdkAccount> = all_pages(OP, &ctx.counter, &ctx.limit, |token| async move {
        let out = ctx
            .client
            .list_accounts_for_parent()
            .parent_id(parent)
            .set_next_token(token)
            .max_results(ctx.page_size)
            .send()
            .await
            .map_err(|e| classify("organizations", OP, &e))?;
        Ok((
            out.accounts().to_vec(),
            out.next_token().map(str::to_string),
        ))
    })
    .await?;
    Ok(accounts
        .iter()
        .filter_map(|a| account_from(a, parent.to_string()))
        .collect())
}

#[allow(deprecated)] // `Status` is retired in favour of `State`; read it only when `State` is absent.
pub(super) fn account_from(a: &SdkAccount, parent_id: String) -> Option<Account> {
    let status = a
        .state()
        .map(|s| s.as_str())
        .or_else(|| a.status().map(|s| s.as_str()))
        .unwrap_or("");
    Some(Account {
        id: a.id()?.to_string(),
        name: a.name().unwrap_or_default().to_string(),
        email: a.email().unwrap_or_default().to_string(),
        status: AccountStatus::parse(status),
        joined: a
            .joined_timestamp()
            .and_then(|t| jiff::Timestamp::from_second(t.secs()).ok()),
        parent_id,
        tags: Tags::new(),
    })
}

pub(super) fn account_from_paths(a: &SdkAccount) -> Option<Account> {
    let parent = parent_from_path(a.paths().first()?, a.id()?)?;
    account_from(a, parent)
}

/// `o-abc/r-root/ou-x/ou-y/111111111111/` → `ou-y`.
pub fn parent_from_path(path: &str, account_id: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let pos = parts.iter().rposition(|p| *p == account_id)?;
    pos.checked_sub(1)
        .map(|i| parts[i].to_string())
        .filter(|p| !p.starts_with("o-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_is_read_from_paths() {
        assert_eq!(
            parent_from_path("o-a/r-b/ou-c/ou-d/123456789012/", "123456789012").as_deref(),
            Some("ou-d")
        );
        assert_eq!(
            parent_from_path("o-a/r-b/123456789012/", "123456789012").as_deref(),
            Some("r-b")
        );
        assert_eq!(parent_from_path("o-a/123456789012", "123456789012"), None);
        assert_eq!(parent_from_path("o-a/r-b/", "123456789012"), None);
    }
}
