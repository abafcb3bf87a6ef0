//! Faults moto cannot produce, with the SDK's own mocking crate: AccessDenied on a subtree and
//! at the root, throttling, expired credentials, and the `Paths` listing of newer APIs.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::config::retry::RetryConfig;
use aws_sdk_organizations::error::ErrorMetadata;
use aws_sdk_organizations::operation::list_accounts::ListAccountsOutput;
use aws_sdk_organizations::operation::list_accounts_for_parent::ListAccountsForParentOutput;
use aws_sdk_organizations::operation::list_organizational_units_for_parent::{
    ListOrganizationalUnitsForParentError, ListOrganizationalUnitsForParentOutput,
};
use aws_sdk_organizations::operation::list_roots::{ListRootsError, ListRootsOutput};
use aws_sdk_organizations::types::error::AccessDeniedException;
use aws_sdk_organizations::types::{Account, AccountState, OrganizationalUnit, Root};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use orgnav::aws::crawl::{AccountListing, CrawlError, CrawlOptions, crawl_org, crawl_org_with};
use orgnav::aws::error::AwsFailure;
use orgnav::aws::progress::{Progress, ProgressSink};
use orgnav::model::Hierarchy;

const ROOT_ARN: &str = "arn:aws:organizations::111111111111:root/o-mockorg1234/r-mock";

fn roots_ok() -> Rule {
    mock!(Client::list_roots).then_output(|| {
        ListRootsOutput::builder()
            .roots(
                Root::builder()
                    .id("r-mock")
                    .arn(ROOT_ARN)
                    .name("Root")
                    .build(),
            )
            .build()
    })
}

fn account(id: &str, name: &str, paths: &[&str]) -> Account {
    let mut b = Account::builder()
        .id(id)
        .name(name)
        .email(format!("{name}@example.com"))
        .state(AccountState::Active);
    for p in paths {
        b = b.paths(*p);
    }
    b.build()
}

fn ou(id: &str, name: &str) -> OrganizationalUnit {
    OrganizationalUnit::builder().id(id).name(name).build()
}

fn ous_of(parent: &'static str, children: Vec<OrganizationalUnit>) -> Rule {
    mock!(Client::list_organizational_units_for_parent)
        .match_requests(move |r| r.parent_id() == Some(parent))
        .then_output(move || {
            ListOrganizationalUnitsForParentOutput::builder()
                .set_organizational_units(Some(children.clone()))
                .build()
        })
}

fn accounts_of(parent: &'static str, children: Vec<Account>) -> Rule {
    mock!(Client::list_accounts_for_parent)
        .match_requests(move |r| r.parent_id() == Some(parent))
        .then_output(move || {
            ListAccountsForParentOutput::builder()
                .set_accounts(Some(children.clone()))
                .build()
        })
}

fn no_paths_probe() -> Rule {
    mock!(Client::list_accounts).then_output(|| {
        ListAccountsOutput::builder()
            .accounts(account("111111111111", "mgmt", &[]))
            .build()
    })
}

fn client(rules: &[&Rule]) -> Client {
    mock_client!(aws_sdk_organizations, RuleMode::MatchAny, rules, |c| c
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(5)
                .with_initial_backoff(Duration::from_millis(1))
        ))
}

fn opts() -> CrawlOptions {
    CrawlOptions {
        concurrency: 4,
        page_size: 20,
    }
}

#[tokio::test]
async fn access_denied_on_a_subtree_gives_a_partial_tree() {
    let denied = mock!(Client::list_organizational_units_for_parent)
        .match_requests(|r| r.parent_id() == Some("ou-secret"))
        .then_error(|| {
            ListOrganizationalUnitsForParentError::AccessDeniedException(
                AccessDeniedException::builder()
                    .message("explicit deny in a service control policy")
                    .build(),
            )
        });
    let rules = [
        roots_ok(),
        no_paths_probe(),
        ous_of(
            "r-mock",
            vec![ou("ou-secret", "Secret"), ou("ou-open", "Open")],
        ),
        denied,
        ous_of("ou-open", vec![]),
        accounts_of("r-mock", vec![account("111111111111", "mgmt", &[])]),
        accounts_of("ou-open", vec![account("222222222222", "open-prod", &[])]),
    ];
    let client = client(&rules.iter().collect::<Vec<_>>());
    let report = crawl_org(&client, &opts()).await.unwrap();
    let h = Hierarchy::new(report.org);
    let secret = h.ou(h.ou_index("ou-secret").unwrap());
    let why = secret.incomplete.as_deref().unwrap();
    assert!(
        why.contains("ListOrganizationalUnitsForParent") && why.contains("organizations:"),
        "{why}"
    );
    assert!(h.ou(h.ou_index("ou-open").unwrap()).incomplete.is_none());
    assert_eq!(
        h.account_path(h.account_index("222222222222").unwrap()),
        ["Open"]
    );
    assert_eq!(h.org.id, "o-mockorg1234");
    assert_eq!(h.org.management_account_id.as_deref(), Some("111111111111"));
}

#[tokio::test]
async fn access_denied_at_the_root_explains_what_is_needed() {
    let denied = mock!(Client::list_roots).then_error(|| {
        ListRootsError::AccessDeniedException(
            AccessDeniedException::builder()
                .message("You don't have permissions to access this resource.")
                .build(),
        )
    });
    let client = client(&[&denied, &no_paths_probe()]);
    let err = crawl_org(&client, &opts()).await.unwrap_err();
    assert!(
        matches!(
            err,
            CrawlError::RootDenied {
                call: "ListRoots",
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    for needle in [
        "management account",
        "delegated administrator",
        "ListRoots",
        "organizations:ListAccountsForParent",
    ] {
        assert!(msg.contains(needle), "{needle} missing from: {msg}");
    }
}

fn rate_exceeded() -> ListRootsError {
    ListRootsError::TooManyRequestsException(support::throttle::too_many_requests())
}

#[tokio::test]
async fn throttling_is_retried_until_it_passes() {
    let throttled = mock!(Client::list_roots)
        .sequence()
        .error(rate_exceeded)
        .times(2)
        .output(|| {
            ListRootsOutput::builder()
                .roots(
                    Root::builder()
                        .id("r-mock")
                        .arn(ROOT_ARN)
                        .name("Root")
                        .build(),
                )
                .build()
        })
        .build();
    let rules = [
        throttled,
        no_paths_probe(),
        ous_of("r-mock", vec![]),
        accounts_of("r-mock", vec![]),
    ];
    let client = client(&rules.iter().collect::<Vec<_>>());
    crawl_org(&client, &opts()).await.unwrap();
    assert_eq!(rules[0].num_calls(), 3);
}

#[tokio::test]
async fn a_throttled_out_crawl_is_transient_like_a_network_failure() {
    let throttled = mock!(Client::list_roots).then_error(rate_exceeded);
    let client = client(&[&throttled, &no_paths_probe()]);
    let err = crawl_org(&client, &opts()).await.unwrap_err();
    assert_eq!(throttled.num_calls(), 5, "retried with backoff first");
    // Callers fall back to the cache (the CLI) or keep the tree, marked stale (the TUI).
    assert!(err.is_transient(), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("AWS Organizations kept throttling ListRoots"),
        "{shown}"
    );
}

#[tokio::test]
async fn expired_credentials_are_named() {
    let expired = mock!(Client::list_roots).then_error(|| {
        ListRootsError::generic(
            ErrorMetadata::builder()
                .code("ExpiredTokenException")
                .message("The security token included in the request is expired")
                .build(),
        )
    });
    let client = client(&[&expired, &no_paths_probe()]);
    let err = crawl_org(&client, &opts()).await.unwrap_err();
    assert!(
        matches!(err, CrawlError::Aws(AwsFailure::ExpiredCredentials { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("expired"), "{err}");
}

/// An organization whose ListAccounts returns Paths, in three pages (the middle one empty but
/// still carrying a token): `mgmt` in the root, `deep` in A/B.
fn paths_org() -> [Rule; 6] {
    let pages = mock!(Client::list_accounts)
        .sequence()
        .output(|| {
            ListAccountsOutput::builder()
                .accounts(account(
                    "111111111111",
                    "mgmt",
                    &["o-mockorg1234/r-mock/111111111111/"],
                ))
                .next_token("t1")
                .build()
        })
        .output(|| ListAccountsOutput::builder().next_token("t2").build())
        .output(|| {
            ListAccountsOutput::builder()
                .accounts(account(
                    "333333333333",
                    "deep",
                    &["o-mockorg1234/r-mock/ou-a/ou-b/333333333333/"],
                ))
                .build()
        })
        .build();
    let per_parent = mock!(Client::list_accounts_for_parent)
        .then_output(|| ListAccountsForParentOutput::builder().build());
    [
        roots_ok(),
        pages,
        per_parent,
        ous_of("r-mock", vec![ou("ou-a", "A")]),
        ous_of("ou-a", vec![ou("ou-b", "B")]),
        ous_of("ou-b", vec![]),
    ]
}

#[tokio::test]
async fn listing_with_paths_reports_accounts_page_by_page() {
    let rules = paths_org();
    let client = client(&rules.iter().collect::<Vec<_>>());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = {
        let seen = seen.clone();
        ProgressSink::new(move |p| seen.lock().unwrap().push(p))
    };
    crawl_org_with(&client, &opts(), &sink).await.unwrap();
    // 10,000 accounts are 500 pages, 25 s at the rate budget: the count must move meanwhile.
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            Progress::Accounts { read: 1 },
            Progress::Accounts { read: 2 }
        ]
    );
}

#[tokio::test]
async fn paths_are_used_when_aws_returns_them() {
    let rules = paths_org();
    let client = client(&rules.iter().collect::<Vec<_>>());
    let report = crawl_org(&client, &opts()).await.unwrap();
    assert_eq!(report.listing, AccountListing::Paths);
    assert_eq!(
        rules[2].num_calls(),
        0,
        "no per-parent account listing in Paths mode"
    );
    assert_eq!(report.calls["ListAccounts"], 3);
    let h = Hierarchy::new(report.org);
    assert_eq!(
        h.account_path(h.account_index("333333333333").unwrap()),
        ["A", "B"]
    );
    assert!(
        h.account_path(h.account_index("111111111111").unwrap())
            .is_empty()
    );
}
