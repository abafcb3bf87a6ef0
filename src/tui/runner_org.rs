//! The organization's effects: crawl, tags, the cache, the AWS profiles' roles.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded};
use super::runner::SharedSdk;
use crate::access::Access;
use crate::model::Snapshot;
use crate::source;

pub fn run(sdk: &SharedSdk, access: &Arc<Access>, tx: &UnboundedSender<Action>, effect: Effect) {
    let (sdk, tx) = (sdk.clone(), tx.clone());
    match effect {
        Effect::Crawl { generation } => {
            let access = Arc::clone(access);
            tokio::spawn(async move {
                let conf = sdk.get().await;
                let src = &sdk.source;
                let ic = access.identity_center().map(Arc::as_ref);
                let loaded = match source::read_org(conf, &src.crawl, ic, &src.sso).await {
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
        Effect::FetchTags { generation, org } => {
            tokio::spawn(async move {
                let conf = sdk.get().await;
                let loaded = match source::tags(conf, &org, &sdk.source.crawl).await {
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
            tokio::task::spawn_blocking(move || match sdk.source.store(&snapshot) {
                Ok(None) => {}
                Ok(Some(replaced)) => tracing::info!("{replaced}"),
                Err(message) => {
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
