//! The organization's effects: crawl, tags, the cache, the AWS profiles' roles. Their data
//! comes through `OrgSource` — AWS and the cache in the navigator (`LiveOrg`), a fake in tests.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded};
use super::runner::{Pending, SharedSdk};
use crate::access::Access;
use crate::aws::crawl::CrawlReport;
use crate::aws::tags::TagsReport;
use crate::model::{Org, Snapshot};
use crate::source::{self, SourceError};

/// Where the organization's effects read and write.
pub trait OrgSource: Send + Sync + 'static {
    fn read_org(&self) -> Pending<'_, Result<CrawlReport, SourceError>>;
    fn read_tags<'a>(&'a self, org: &'a Org) -> Pending<'a, Result<TagsReport, SourceError>>;
    fn store(&self, snapshot: &Snapshot) -> Result<(), String>;
}

/// AWS (Organizations, or Identity Center when that is what there is) and the cache.
pub struct LiveOrg {
    pub sdk: SharedSdk,
    pub access: Arc<Access>,
}

impl OrgSource for LiveOrg {
    fn read_org(&self) -> Pending<'_, Result<CrawlReport, SourceError>> {
        Box::pin(async move {
            let conf = self.sdk.get().await;
            let src = &self.sdk.source;
            let ic = self.access.identity_center().map(Arc::as_ref);
            source::read_org(conf, &src.crawl, ic, &src.sso).await
        })
    }

    fn read_tags<'a>(&'a self, org: &'a Org) -> Pending<'a, Result<TagsReport, SourceError>> {
        Box::pin(async move {
            let conf = self.sdk.get().await;
            source::tags(conf, org, &self.sdk.source.crawl).await
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
                let loaded = match org.read_org().await {
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
        Effect::FetchTags {
            generation,
            org: tree,
        } => {
            tokio::spawn(async move {
                let loaded = match org.read_tags(&tree).await {
                    Ok(r) => Loaded::Tags {
                        generation,
                        tags: r.tags,
                        failed: r.failed,
                        first_error: r.first_error,
                    },
                    Err(e) => Loaded::failed(generation, &e),
                };
                let _ = tx.send(Action::Loaded(loaded));
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

#[cfg(test)]
#[path = "runner_org_tests.rs"]
mod tests;
