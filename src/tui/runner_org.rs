//! The organization's effects: crawl, tags, the cache, the AWS profiles' roles. Their data
//! comes through `OrgSource` — AWS and the cache in the navigator (`LiveOrg`), a fake in tests.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded, TagReads};
use super::runner::{Pending, SharedSdk};
use crate::access::Access;
use crate::aws::crawl::CrawlReport;
use crate::aws::progress::ProgressSink;
use crate::aws::tags::TagsReport;
use crate::model::{Account, Snapshot, TagRefresh};
use crate::source::{self, SourceError};

/// Where the organization's effects read and write.
pub trait OrgSource: Send + Sync + 'static {
    fn read_org(&self, progress: ProgressSink) -> Pending<'_, Result<CrawlReport, SourceError>>;
    fn read_tags(&self, ids: Vec<String>, progress: ProgressSink) -> Pending<'_, TagsReport>;
    fn store(&self, snapshot: &Snapshot) -> Result<(), String>;
    fn describe_account(&self, id: String) -> Pending<'_, Result<Account, SourceError>>;
    /// Which tags a refresh re-reads.
    fn tag_refresh(&self) -> TagRefresh {
        TagRefresh::hours(24)
    }
}

/// AWS (Organizations, or Identity Center when that is what there is) and the cache.
pub struct LiveOrg {
    pub sdk: SharedSdk,
    pub access: Arc<Access>,
}

impl OrgSource for LiveOrg {
    fn read_org(&self, progress: ProgressSink) -> Pending<'_, Result<CrawlReport, SourceError>> {
        Box::pin(async move {
            let conf = self.sdk.get().await;
            let src = &self.sdk.source;
            let ic = self.access.identity_center().map(Arc::as_ref);
            source::read_org_with(conf, &src.crawl, ic, &src.sso, &progress).await
        })
    }

    fn read_tags(&self, ids: Vec<String>, progress: ProgressSink) -> Pending<'_, TagsReport> {
        Box::pin(async move {
            let conf = self.sdk.get().await;
            source::tags(conf, ids, &self.sdk.source.crawl, &progress).await
        })
    }

    fn tag_refresh(&self) -> TagRefresh {
        self.sdk.source.tag_refresh
    }

    fn describe_account(&self, id: String) -> Pending<'_, Result<Account, SourceError>> {
        Box::pin(async move {
            let client = crate::aws::session::organizations_client(self.sdk.get().await);
            let account = crate::aws::crawl::describe_account(&client, &id).await;
            Ok(account.map_err(crate::aws::crawl::CrawlError::from)?)
        })
    }

    fn store(&self, snapshot: &Snapshot) -> Result<(), String> {
        self.sdk.source.store(snapshot)
    }
}

pub fn run(org: &Arc<dyn OrgSource>, tx: &UnboundedSender<Action>, effect: Effect) {
    let (org, tx) = (Arc::clone(org), tx.clone());
    match effect {
        Effect::Crawl { generation } => {
            tokio::spawn(async move {
                let loaded = match org.read_org(progress_to(&tx, generation)).await {
                    Ok(report) => {
                        tracing::info!(calls = ?report.calls, elapsed = ?report.elapsed, "crawl done");
                        let snapshot = Snapshot::new(report.org, jiff::Timestamp::now());
                        Loaded::Org {
                            generation,
                            snapshot: Box::new(snapshot),
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "crawl failed");
                        Loaded::failed(generation, &e)
                    }
                };
                let _ = tx.send(Action::Loaded(loaded));
            });
        }
        Effect::FetchTags { generation, reads } => {
            tokio::spawn(async move {
                let read_at = jiff::Timestamp::now().as_second();
                let ids = match reads {
                    TagReads::One(id) => vec![id],
                    TagReads::Planned(tree) => tree.plan_tag_reads(read_at, org.tag_refresh()).ids,
                };
                let r = org.read_tags(ids, progress_to(&tx, generation)).await;
                let _ = tx.send(Action::Loaded(Loaded::Tags {
                    generation,
                    tags: r.tags,
                    failed: r.failed,
                    first_error: r.first_error,
                    unread: r.unread,
                    read_at,
                    interrupted: r.interrupted,
                }));
            });
        }
        Effect::DescribeAccount { generation, id } => {
            tokio::spawn(async move {
                let result = org.describe_account(id).await.map(Box::new);
                let result = result.map_err(|e| e.to_string());
                let _ = tx.send(Action::Loaded(Loaded::AccountRead { generation, result }));
            });
        }
        Effect::SaveCache(snapshot) => {
            // Writing is quick but still I/O: keep it off the event loop.
            tokio::task::spawn_blocking(move || {
                if let Err(message) = org.store(&snapshot) {
                    let _ = tx.send(Action::Loaded(Loaded::CacheWriteFailed(message)));
                }
            });
        }
        Effect::LoadProfiles => {
            tokio::spawn(async move {
                let profiles = crate::aws::roles::load_profile_roles().await;
                let _ = tx.send(Action::Loaded(Loaded::Profiles(profiles)));
            });
        }
        _ => tracing::error!("a non-organization effect reached the organization runner"),
    }
}

/// Progress of `generation`'s crawl as actions, at most one per 100 ms (a tag read per
/// account would otherwise queue thousands of redraws) and always the last one of a phase.
fn progress_to(tx: &UnboundedSender<Action>, generation: u64) -> ProgressSink {
    use crate::aws::progress::Progress;
    let tx = tx.clone();
    let last = std::sync::Mutex::new(None::<std::time::Instant>);
    ProgressSink::new(move |progress| {
        let done = matches!(progress, Progress::Tags { read, total } if read == total);
        let Ok(mut last) = last.lock() else { return };
        if !done && last.is_some_and(|t| t.elapsed() < std::time::Duration::from_millis(100)) {
            return;
        }
        *last = Some(std::time::Instant::now());
        let _ = tx.send(Action::Loaded(Loaded::Progress {
            generation,
            progress,
        }));
    })
}

#[cfg(test)]
#[path = "runner_org_tests.rs"]
mod tests;
