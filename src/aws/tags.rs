//! Tags of accounts and OUs: one `ListTagsForResource` per resource, fetched after the tree is
//! on screen so the first frame never waits for them.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_organizations::Client;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::calls::{CallCounter, all_pages};
use super::error::{AwsFailure, classify};
use crate::model::{Org, Tags};

#[derive(Debug, Clone, Default)]
pub struct TagsReport {
    pub tags: HashMap<String, Tags>,
    /// Resources whose tags could not be read, and the first reason.
    pub failed: usize,
    pub first_error: Option<String>,
    pub calls: usize,
}

const OP: &str = "ListTagsForResource";

pub async fn fetch_tags(
    client: &Client,
    org: &Org,
    concurrency: usize,
) -> Result<TagsReport, AwsFailure> {
    let limit = Arc::new(Semaphore::new(concurrency.max(1)));
    let counter = CallCounter::default();
    // The root can be tagged too, but nothing in orgnav shows root tags.
    let ids = org
        .accounts
        .iter()
        .map(|a| a.id.clone())
        .chain(org.ous.iter().skip(1).map(|o| o.id.clone()));
    let mut tasks = JoinSet::new();
    for id in ids {
        let (client, limit, counter) = (client.clone(), Arc::clone(&limit), counter.clone());
        tasks.spawn(async move {
            let result = all_pages(OP, &counter, &limit, |token| {
                let (client, id) = (client.clone(), id.clone());
                async move {
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
                }
            })
            .await;
            (id, result)
        });
    }
    let mut report = TagsReport::default();
    while let Some(joined) = tasks.join_next().await {
        let Ok((id, result)) = joined else { continue };
        match result {
            Ok(pairs) => {
                report.tags.insert(id, pairs.into_iter().collect());
            }
            // AWS out of reach (unreachable, throttled out, failing) stops the whole fetch: the
            // remaining calls would fail the same way, each after its full time budget.
            Err(f) if f.is_transient() => {
                tasks.abort_all();
                return Err(f);
            }
            Err(f) => {
                report.failed += 1;
                report.first_error.get_or_insert_with(|| f.to_string());
            }
        }
    }
    report.calls = counter.total();
    Ok(report)
}
