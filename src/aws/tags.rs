//! Tags of accounts and OUs: one `ListTagsForResource` per resource, fetched after the tree is
//! on screen so the first frame never waits for them. Which resources a refresh reads is
//! `Org::plan_tag_reads`'s choice; this module reads the ones it is given.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_organizations::Client;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::calls::{CallCounter, all_pages};
use super::error::{AwsFailure, classify};
use super::progress::{Progress, ProgressSink};
use crate::model::{Org, Tags};

#[derive(Debug, Clone, Default)]
pub struct TagsReport {
    pub tags: HashMap<String, Tags>,
    /// Resources whose tags could not be read, and the first reason.
    pub failed: usize,
    pub first_error: Option<String>,
    pub calls: usize,
    /// Resources whose tags were not read (failed, or never asked once AWS was out of reach):
    /// they keep their old tags and are read again on the next refresh.
    pub unread: Vec<String>,
    /// AWS went out of reach (throttled beyond the retries, unreachable): the fetch stopped.
    pub interrupted: bool,
}

const OP: &str = "ListTagsForResource";

/// The tags of every account and OU of `org` (the root's are shown nowhere).
pub async fn fetch_tags(
    client: &Client,
    org: &Org,
    concurrency: usize,
) -> Result<TagsReport, AwsFailure> {
    let ids: Vec<String> = org.tagged_ids().map(str::to_string).collect();
    Ok(fetch_tags_of(client, ids, concurrency, &ProgressSink::default()).await)
}

/// The tags of `ids`. Never fails as a whole: what could not be read is in `unread`, so a
/// refresh throttled beyond its retries keeps the tags it has and reads the rest next time.
pub async fn fetch_tags_of(
    client: &Client,
    ids: Vec<String>,
    concurrency: usize,
    progress: &ProgressSink,
) -> TagsReport {
    let limit = Arc::new(Semaphore::new(concurrency.max(1)));
    let counter = CallCounter::default();
    let total = ids.len();
    let mut pending: std::collections::HashSet<String> = ids.iter().cloned().collect();
    let mut tasks = JoinSet::new();
    for id in ids {
        let (client, limit, counter) = (client.clone(), Arc::clone(&limit), counter.clone());
        tasks.spawn(async move {
            let result = read_one(&client, &id, &counter, &limit).await;
            (id, result)
        });
    }
    let mut report = TagsReport::default();
    progress.report(Progress::Tags { read: 0, total });
    while let Some(joined) = tasks.join_next().await {
        let Ok((id, result)) = joined else { continue };
        pending.remove(&id);
        match result {
            Ok(pairs) => {
                report.tags.insert(id, pairs.into_iter().collect());
            }
            Err(f) => {
                // AWS out of reach (unreachable, throttled out, failing) stops the fetch: the
                // remaining calls would fail the same way, each after its full time budget.
                if f.is_transient() {
                    tasks.abort_all();
                    report.interrupted = true;
                }
                report.failed += 1;
                report.unread.push(id);
                report.first_error.get_or_insert_with(|| f.to_string());
            }
        }
        // Finished reads, failed ones included: the count reaches the total.
        progress.report(Progress::Tags {
            read: total - pending.len(),
            total,
        });
    }
    report.failed += pending.len();
    report.unread.extend(pending);
    report.calls = counter.total();
    report
}

async fn read_one(
    client: &Client,
    id: &str,
    counter: &CallCounter,
    limit: &Semaphore,
) -> Result<Vec<(String, String)>, AwsFailure> {
    all_pages(OP, counter, limit, |token| async move {
        let out = client
            .list_tags_for_resource()
            .resource_id(id)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| classify("organizations", OP, &e))?;
        let tags: Vec<(String, String)> = out
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        Ok((tags, out.next_token().map(str::to_string)))
    })
    .await
}
