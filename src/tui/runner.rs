//! Executes effects on tokio tasks and reports results back as actions.

use std::sync::Arc;

use aws_config::SdkConfig;
use tokio::sync::OnceCell;
use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded};
use super::terminal::osc52_copy;
use crate::model::Snapshot;
use crate::source::{self, Source};

pub struct Runner {
    source: Arc<Source>,
    sdk: Arc<OnceCell<SdkConfig>>,
    tx: UnboundedSender<Action>,
}

impl Runner {
    pub fn new(source: Source, tx: UnboundedSender<Action>) -> Self {
        Self {
            source: Arc::new(source),
            sdk: Arc::new(OnceCell::new()),
            tx,
        }
    }

    /// Resolves the SDK configuration once; the first caller also reports the region.
    async fn sdk_config<'a>(
        sdk: &'a OnceCell<SdkConfig>,
        source: &Source,
        tx: &UnboundedSender<Action>,
    ) -> &'a SdkConfig {
        sdk.get_or_init(|| async {
            let conf = source.sdk_config().await;
            if let Some(r) = conf.region() {
                let _ = tx.send(Action::Loaded(Loaded::Region(r.to_string())));
            }
            conf
        })
        .await
    }

    pub fn run(&self, effect: Effect) {
        let (source, sdk, tx) = (
            Arc::clone(&self.source),
            Arc::clone(&self.sdk),
            self.tx.clone(),
        );
        match effect {
            Effect::Crawl { generation } => {
                tokio::spawn(async move {
                    let conf = Self::sdk_config(&sdk, &source, &tx).await;
                    let loaded = match source::crawl(conf, &source.crawl).await {
                        Ok(report) => {
                            tracing::info!(calls = ?report.calls, elapsed = ?report.elapsed, "crawl done");
                            Loaded::Org {
                                generation,
                                snapshot: Box::new(Snapshot::new(
                                    report.org,
                                    jiff::Timestamp::now(),
                                )),
                            }
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "crawl failed");
                            Loaded::Failed {
                                generation,
                                network: e.is_network(),
                                message: e.to_string(),
                            }
                        }
                    };
                    let _ = tx.send(Action::Loaded(loaded));
                });
            }
            Effect::FetchTags { generation, org } => {
                tokio::spawn(async move {
                    let conf = Self::sdk_config(&sdk, &source, &tx).await;
                    let loaded = match source::tags(conf, &org, &source.crawl).await {
                        Ok(r) => Loaded::Tags {
                            generation,
                            tags: r.tags,
                            failed: r.failed,
                            first_error: r.first_error,
                        },
                        Err(e) => Loaded::Failed {
                            generation,
                            network: e.is_network(),
                            message: e.to_string(),
                        },
                    };
                    let _ = tx.send(Action::Loaded(loaded));
                });
            }
            Effect::SaveCache(snapshot) => {
                // Writing is quick but still I/O: keep it off the event loop.
                tokio::task::spawn_blocking(move || {
                    if let Err(message) = source.store(&snapshot) {
                        let _ = tx.send(Action::Loaded(Loaded::CacheWriteFailed(message)));
                    }
                });
            }
            Effect::CopyToClipboard(text) => {
                if let Err(e) = osc52_copy(&text) {
                    tracing::warn!(error = %e, "clipboard copy failed");
                }
            }
        }
    }
}
