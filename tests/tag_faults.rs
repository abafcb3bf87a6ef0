//! Tag reads that fail beyond the retry budget (throttling moto cannot produce, made with the
//! SDK's own mocking crate): the tags read are kept, the rest keep their old tags and are read
//! again on the next refresh; the fetch as a whole does not fail.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::config::retry::RetryConfig;
use aws_sdk_organizations::operation::list_tags_for_resource::{
    ListTagsForResourceError, ListTagsForResourceOutput,
};
use aws_sdk_organizations::types::Tag;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use orgnav::aws::tags::fetch_tags;
use orgnav::model::{Account, AccountStatus, Org, Ou, TagRefresh, Tags};

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        name: format!("acct-{id}"),
        email: String::new(),
        status: AccountStatus::Active,
        joined: None,
        parent_id: "r-mock".into(),
        tags: Tags::from([("Old".to_string(), "yes".to_string())]),
    }
}

/// Three accounts at the root, all with an old tag read an hour ago.
fn org() -> Org {
    let mut org = Org {
        id: "o-mockorg1234".into(),
        management_account_id: None,
        root_id: "r-mock".into(),
        ous: vec![Ou {
            id: "r-mock".into(),
            name: "Root".into(),
            parent_id: None,
            tags: Tags::new(),
            incomplete: None,
        }],
        accounts: ["111111111111", "222222222222", "333333333333"]
            .into_iter()
            .map(account)
            .collect(),
        tags_loaded: true,
        sso_roles: Default::default(),
        tags_read: Default::default(),
    };
    let read: HashMap<String, Tags> = org
        .accounts
        .iter()
        .map(|a| (a.id.clone(), a.tags.clone()))
        .collect();
    org.apply_tags(&read, &[], 1_000);
    org
}

fn rate_exceeded() -> ListTagsForResourceError {
    ListTagsForResourceError::TooManyRequestsException(support::throttle::too_many_requests())
}

#[tokio::test]
async fn throttling_beyond_the_retries_keeps_old_tags_and_rereads_them_next_time() {
    let throttled = mock!(Client::list_tags_for_resource)
        .match_requests(|r| r.resource_id() == Some("222222222222"))
        .then_error(rate_exceeded);
    let fine = mock!(Client::list_tags_for_resource).then_output(|| {
        ListTagsForResourceOutput::builder()
            .tags(Tag::builder().key("New").value("yes").build().unwrap())
            .build()
    });
    let client = mock_client!(
        aws_sdk_organizations,
        RuleMode::MatchAny,
        &[&throttled, &fine],
        |c| c.retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    );
    let mut org = org();
    // One call at a time, in order: the first is read; the throttled second stops the fetch
    // (the third may have started by then).
    let report = fetch_tags(&client, &org, 1).await.unwrap();
    assert!(report.tags.contains_key("111111111111"), "{report:?}");
    let unread: BTreeSet<&str> = report.unread.iter().map(String::as_str).collect();
    assert!(unread.contains("222222222222"), "{report:?}");
    assert_eq!(report.tags.len() + unread.len(), 3, "{report:?}");
    assert_eq!(report.failed, unread.len());
    assert!(
        report
            .first_error
            .as_deref()
            .unwrap()
            .contains("ListTagsForResource"),
        "{report:?}"
    );

    org.apply_tags(&report.tags, &report.unread, 2_000);
    let tags = |id: &str| {
        org.accounts
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .tags
            .clone()
    };
    assert!(tags("111111111111").contains_key("New"));
    assert!(tags("222222222222").contains_key("Old"), "old tags stay");
    // The next refresh (a minute on, nothing aged) reads exactly the two left unread.
    let next = org.plan_tag_reads(2_060, TagRefresh::hours(24));
    let next: BTreeSet<&str> = next.ids.iter().map(String::as_str).collect();
    assert_eq!(next, unread);
}
