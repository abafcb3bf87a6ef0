//! Organizations → [`Org`]: every root, OU and account, paged, with bounded concurrency.
//!
//! Call plan: `ListRoots`, one `ListAccounts` page to see whether AWS returns `Paths`; then
//! per parent `ListOrganizationalUnitsForParent`, plus either the remaining `ListAccounts`
//! pages (Paths mode) or `ListAccountsForParent` per parent (older APIs and moto). An
//! AccessDenied below the root marks that subtree incomplete instead of failing the crawl.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_organizations::Client;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::calls::CallCounter;
use super::error::AwsFailure;
use super::progress::{Progress, ProgressSink};
use crate::model::{Account, Org, Ou, Tags};

mod pages;

pub use pages::parent_from_path;
use pages::{
    account_from_paths, accounts_page, all_pages_from, list_child_accounts, list_child_ous,
    list_roots,
};

/// IAM actions a read-only crawl needs; the README carries them as a policy.
pub const REQUIRED_ACTIONS: &[&str] = &[
    "organizations:ListRoots",
    "organizations:ListAccounts",
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListTagsForResource",
];

#[derive(Debug, Clone)]
pub struct CrawlOptions {
    pub concurrency: usize,
    pub page_size: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountListing {
    /// `ListAccounts` returned `Paths`: accounts are listed org-wide.
    Paths,
    /// Accounts are listed per parent.
    PerParent,
}

#[derive(Debug, Clone)]
pub struct CrawlReport {
    pub org: Org,
    pub calls: BTreeMap<&'static str, usize>,
    pub elapsed: Duration,
    pub listing: AccountListing,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum CrawlError {
    #[error(
        "{call} was denied: orgnav reads the organization with the credentials of the management account \
         or of a delegated administrator for AWS Organizations. The caller needs these IAM actions: {}. \
         (README: \"Permissions\" has the policy; `orgnav --demo` works without AWS.) AWS said: {message}",
        REQUIRED_ACTIONS.join(", ")
    )]
    RootDenied { call: &'static str, message: String },
    #[error("{0}")]
    Aws(#[from] AwsFailure),
}

impl CrawlError {
    /// AWS could not answer now (unreachable, throttled out, failing): callers fall back to
    /// the cache, marked stale.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Aws(f) if f.is_transient())
    }

    /// Organizations is out of reach for this caller (not the management account or a
    /// delegated administrator, or no credentials for it): Identity Center may still work.
    pub fn organizations_unavailable(&self) -> bool {
        matches!(
            self,
            Self::RootDenied { .. }
                | Self::Aws(AwsFailure::NoCredentials { .. })
                | Self::Aws(AwsFailure::NotInOrganization { .. })
                | Self::Aws(AwsFailure::AccessDenied { .. })
                | Self::Aws(AwsFailure::ExpiredCredentials { .. })
        )
    }
}

/// The budget the issue sets for a crawl before tags: ⌈A/page⌉ + 2·(OUs+1) + 2.
pub fn call_budget(accounts: usize, ous_without_root: usize, page_size: i32) -> usize {
    accounts.div_ceil(page_size.max(1) as usize) + 2 * (ous_without_root + 1) + 2
}

struct Ctx {
    client: Client,
    counter: CallCounter,
    limit: Arc<Semaphore>,
    page_size: i32,
    progress: ProgressSink,
}

type Listed = (String, Result<(Vec<Ou>, Vec<Account>), AwsFailure>);

pub async fn crawl_org(client: &Client, opts: &CrawlOptions) -> Result<CrawlReport, CrawlError> {
    crawl_org_with(client, opts, &ProgressSink::default()).await
}

/// As `crawl_org`, reporting the accounts listed so far to `progress`.
pub async fn crawl_org_with(
    client: &Client,
    opts: &CrawlOptions,
    progress: &ProgressSink,
) -> Result<CrawlReport, CrawlError> {
    let started = Instant::now();
    let ctx = Arc::new(Ctx {
        client: client.clone(),
        counter: CallCounter::default(),
        limit: Arc::new(Semaphore::new(opts.concurrency.max(1))),
        page_size: opts.page_size,
        progress: progress.clone(),
    });
    let (roots, probe) = tokio::join!(list_roots(&ctx), accounts_page(&ctx, None));
    let roots = roots.map_err(|f| match f {
        AwsFailure::AccessDenied { call, message, .. } => CrawlError::RootDenied { call, message },
        other => CrawlError::Aws(other),
    })?;
    let root = roots.into_iter().next().ok_or_else(|| AwsFailure::Other {
        call: "ListRoots",
        detail: "the organization has no root".into(),
    })?;
    let (org_id, management) = parse_root_arn(&root.1);

    // Paths mode only when AWS returned Paths for the first page; otherwise list per parent.
    let (listing, mut accounts) = match probe {
        Ok((page, next)) if !page.is_empty() && page.iter().all(|a| !a.paths().is_empty()) => {
            let mut accounts: Vec<Account> = page.iter().filter_map(account_from_paths).collect();
            ctx.progress.report(Progress::Accounts {
                read: accounts.len(),
            });
            if let Some(token) = next {
                let rest = all_pages_from(&ctx, token, page.len()).await?;
                accounts.extend(rest.iter().filter_map(account_from_paths));
            }
            (AccountListing::Paths, accounts)
        }
        Ok(_) | Err(AwsFailure::AccessDenied { .. }) => (AccountListing::PerParent, Vec::new()),
        Err(other) => return Err(other.into()),
    };

    let root_ou = Ou {
        id: root.0.clone(),
        name: root.2,
        parent_id: None,
        tags: Tags::new(),
        incomplete: None,
    };
    let ous = walk(&ctx, root_ou, listing, &mut accounts).await?;
    let calls = ctx.counter.by_operation();
    tracing::debug!(
        ?calls,
        accounts = accounts.len(),
        ous = ous.len(),
        "crawl finished"
    );
    Ok(CrawlReport {
        org: Org {
            id: org_id,
            management_account_id: management,
            root_id: root.0,
            ous,
            accounts,
            tags_loaded: false,
            sso_roles: Default::default(),
            tags_read: Default::default(),
        },
        calls,
        elapsed: started.elapsed(),
        listing,
    })
}

/// Every OU below `root` (and, listing per parent, every account into `accounts`), parents
/// listed concurrently as they are found. A subtree AWS denies is marked incomplete.
async fn walk(
    ctx: &Arc<Ctx>,
    root: Ou,
    listing: AccountListing,
    accounts: &mut Vec<Account>,
) -> Result<Vec<Ou>, CrawlError> {
    let mut tasks: JoinSet<Listed> = JoinSet::new();
    spawn_listing(&mut tasks, ctx, root.id.clone(), listing);
    let mut ous = vec![root];
    while let Some(joined) = tasks.join_next().await {
        let (parent, result) = joined.map_err(|e| AwsFailure::Other {
            call: "crawl",
            detail: e.to_string(),
        })?;
        match result {
            Ok((child_ous, child_accounts)) => {
                for ou in &child_ous {
                    spawn_listing(&mut tasks, ctx, ou.id.clone(), listing);
                }
                ous.extend(child_ous);
                if !child_accounts.is_empty() {
                    accounts.extend(child_accounts);
                    ctx.progress.report(Progress::Accounts {
                        read: accounts.len(),
                    });
                }
            }
            Err(f @ AwsFailure::AccessDenied { .. }) => {
                tracing::warn!(parent = %parent, error = %f, "subtree not readable");
                if let Some(ou) = ous.iter_mut().find(|o| o.id == parent) {
                    ou.incomplete = Some(f.to_string());
                }
            }
            Err(other) => {
                tasks.abort_all();
                return Err(other.into());
            }
        }
    }
    Ok(ous)
}

fn spawn_listing(
    tasks: &mut JoinSet<Listed>,
    ctx: &Arc<Ctx>,
    parent: String,
    listing: AccountListing,
) {
    let ctx = Arc::clone(ctx);
    tasks.spawn(async move {
        let result = async {
            let ous = list_child_ous(&ctx, &parent).await?;
            let accounts = match listing {
                AccountListing::Paths => Vec::new(),
                AccountListing::PerParent => list_child_accounts(&ctx, &parent).await?,
            };
            Ok((ous, accounts))
        }
        .await;
        (parent, result)
    });
}

/// One account's details (`DescribeAccount`, for `r` on an account in the navigator). The
/// answer names no parent: the caller keeps the one it has.
pub async fn describe_account(client: &Client, id: &str) -> Result<Account, AwsFailure> {
    const OP: &str = "DescribeAccount";
    let out = client
        .describe_account()
        .account_id(id)
        .send()
        .await
        .map_err(|e| super::error::classify("organizations", OP, &e))?;
    out.account()
        .and_then(|a| pages::account_from(a, String::new()))
        .ok_or_else(|| AwsFailure::Other {
            call: OP,
            detail: "the answer held no account".into(),
        })
}

/// `arn:aws:organizations::111111111111:root/o-abc/r-root` → (`o-abc`, Some(`111111111111`)).
pub fn parse_root_arn(arn: &str) -> (String, Option<String>) {
    let mut fields = arn.split(':');
    let account = fields.nth(4).filter(|a| !a.is_empty()).map(str::to_string);
    let org = arn
        .split('/')
        .nth(1)
        .filter(|o| o.starts_with("o-"))
        .unwrap_or("unknown")
        .to_string();
    (org, account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_arn_gives_org_and_management_account() {
        let (org, mgmt) = parse_root_arn(
            "arn:aws:organizations::111111111111:root/o-exampleorgid/r-examplerootid",
        );
        assert_eq!(org, "o-exampleorgid");
        assert_eq!(mgmt.as_deref(), Some("111111111111"));
        assert_eq!(parse_root_arn("garbage"), ("unknown".to_string(), None));
    }

    #[test]
    fn budget_formula() {
        assert_eq!(call_budget(10_000, 300, 20), 500 + 602 + 2);
        assert_eq!(call_budget(0, 0, 20), 4);
    }
}
