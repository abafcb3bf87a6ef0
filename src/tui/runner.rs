//! Executes effects on tokio tasks and reports results back as actions.

use std::sync::Arc;

use aws_config::SdkConfig;
use tokio::sync::OnceCell;
use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded};
use super::terminal::osc52_copy;
use crate::access::Access;
use crate::model::Snapshot;
use crate::quotas::{QuotaReader, sweep};
use crate::source::{self, Source};

pub struct Runner {
    source: Arc<Source>,
    sdk: Arc<OnceCell<SdkConfig>>,
    access: Arc<Access>,
    quotas: Arc<OnceCell<Arc<QuotaReader>>>,
    /// The running sweep, aborted when a new one starts.
    sweep: std::sync::Mutex<Option<tokio::task::AbortHandle>>,
    tx: UnboundedSender<Action>,
}

impl Runner {
    pub fn new(source: Source, access: Arc<Access>, tx: UnboundedSender<Action>) -> Self {
        Self {
            source: Arc::new(source),
            sdk: Arc::new(OnceCell::new()),
            access,
            quotas: Arc::new(OnceCell::new()),
            sweep: std::sync::Mutex::new(None),
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

    /// The quota reader: per-account clients take endpoint and retry settings from the
    /// organization's SDK configuration and credentials from the assumed session.
    async fn quota_reader(
        cell: &OnceCell<Arc<QuotaReader>>,
        sdk: &OnceCell<SdkConfig>,
        source: &Source,
        access: &Arc<Access>,
        tx: &UnboundedSender<Action>,
    ) -> Arc<QuotaReader> {
        let base = Self::sdk_config(sdk, source, tx).await.clone();
        Arc::clone(
            cell.get_or_init(|| async { Arc::new(QuotaReader::new(Arc::clone(access), base)) })
                .await,
        )
    }

    fn run_quotas(&self, effect: Effect) {
        let (source, sdk, tx) = (
            Arc::clone(&self.source),
            Arc::clone(&self.sdk),
            self.tx.clone(),
        );
        let (cell, access) = (Arc::clone(&self.quotas), Arc::clone(&self.access));
        match effect {
            Effect::FetchQuotas { target, query } => {
                tokio::spawn(async move {
                    let reader = Self::quota_reader(&cell, &sdk, &source, &access, &tx).await;
                    for r in reader.read(&target, &query).await {
                        let _ = tx.send(Action::Loaded(Loaded::Quotas {
                            account_id: r.account_id,
                            region: r.region,
                            result: r.result,
                        }));
                    }
                });
            }
            Effect::StartSweep {
                generation,
                targets,
                query,
                concurrency,
            } => {
                let task = tokio::spawn(async move {
                    let reader = Self::quota_reader(&cell, &sdk, &source, &access, &tx).await;
                    let progress = tx.clone();
                    sweep(
                        reader,
                        targets,
                        Arc::new(query),
                        concurrency,
                        |results, p| {
                            let _ = progress.send(Action::Loaded(Loaded::SweepProgress {
                                generation,
                                results: results.to_vec(),
                                done: p.done,
                            }));
                        },
                    )
                    .await;
                    let _ = tx.send(Action::Loaded(Loaded::SweepDone { generation }));
                });
                if let Ok(mut running) = self.sweep.lock() {
                    *running = Some(task.abort_handle());
                }
            }
            Effect::CancelSweep => {
                if let Some(task) = self.sweep.lock().ok().and_then(|mut s| s.take()) {
                    task.abort();
                }
            }
            _ => {}
        }
    }

    pub fn run(&self, effect: Effect) {
        let (source, sdk, tx) = (
            Arc::clone(&self.source),
            Arc::clone(&self.sdk),
            self.tx.clone(),
        );
        match effect {
            Effect::Crawl { generation } => {
                let access = Arc::clone(&self.access);
                tokio::spawn(async move {
                    let conf = Self::sdk_config(&sdk, &source, &tx).await;
                    let ic = access.identity_center().map(Arc::as_ref);
                    let loaded = match source::read_org(conf, &source.crawl, ic, &source.sso).await
                    {
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
                            Loaded::failed(generation, &e)
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
                        Err(e) => Loaded::failed(generation, &e),
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
            Effect::LoadProfiles => {
                tokio::spawn(async move {
                    let profiles = crate::aws::roles::load_profile_roles().await;
                    let _ = tx.send(Action::Loaded(Loaded::Profiles(profiles)));
                });
            }
            access
            @ (Effect::Assume { .. } | Effect::OpenConsole { .. } | Effect::Login { .. }) => {
                super::runner_access::run(&self.access, &self.tx, access)
            }
            quotas @ (Effect::FetchQuotas { .. }
            | Effect::StartSweep { .. }
            | Effect::CancelSweep) => self.run_quotas(quotas),
            // The event loop handles these itself: they need the terminal.
            Effect::RunShell(_) | Effect::SuspendSelf => {
                tracing::error!("terminal effect reached the runner");
            }
            Effect::CopyToClipboard(text) => {
                if let Err(e) = osc52_copy(&text) {
                    tracing::warn!(error = %e, "clipboard copy failed");
                }
            }
        }
    }
}
