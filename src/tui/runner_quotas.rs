//! Quota effects: one account's quotas, and the sweep (one at a time; a new one or Esc-r
//! aborts the running one).

use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;
use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded};
use super::runner::SharedSdk;
use crate::access::Access;
use crate::quotas::{AccountQuotas, QuotaReader, SweepProgress, sweep};

pub struct QuotaRunner {
    sdk: SharedSdk,
    access: Arc<Access>,
    reader: Arc<OnceCell<Arc<QuotaReader>>>,
    /// The running sweep, aborted when a new one starts.
    sweep: Mutex<Option<tokio::task::AbortHandle>>,
    tx: UnboundedSender<Action>,
}

impl QuotaRunner {
    pub fn new(sdk: SharedSdk, access: Arc<Access>, tx: UnboundedSender<Action>) -> Self {
        Self {
            sdk,
            access,
            reader: Arc::new(OnceCell::new()),
            sweep: Mutex::new(None),
            tx,
        }
    }

    /// Per-account clients take endpoint and retry settings from the organization's SDK
    /// configuration and credentials from the assumed session.
    async fn reader(
        cell: &OnceCell<Arc<QuotaReader>>,
        sdk: &SharedSdk,
        access: &Arc<Access>,
    ) -> Arc<QuotaReader> {
        let base = sdk.get().await.clone();
        let reader = cell
            .get_or_init(|| async { Arc::new(QuotaReader::new(Arc::clone(access), base)) })
            .await;
        Arc::clone(reader)
    }

    pub fn run(&self, effect: Effect) {
        let (sdk, tx) = (self.sdk.clone(), self.tx.clone());
        let (cell, access) = (Arc::clone(&self.reader), Arc::clone(&self.access));
        match effect {
            Effect::FetchQuotas { target, query } => {
                tokio::spawn(async move {
                    let reader = Self::reader(&cell, &sdk, &access).await;
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
                    let reader = Self::reader(&cell, &sdk, &access).await;
                    let progress = tx.clone();
                    let report = move |results: &[AccountQuotas], p: SweepProgress| {
                        let _ = progress.send(Action::Loaded(Loaded::SweepProgress {
                            generation,
                            results: results.to_vec(),
                            done: p.done,
                        }));
                    };
                    sweep(reader, targets, Arc::new(query), concurrency, report).await;
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
            _ => tracing::error!("a non-quota effect reached the quota runner"),
        }
    }
}
