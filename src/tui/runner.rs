//! Executes effects on tokio tasks and reports results back as actions. One small runner per
//! concern, mirroring the `update_*` files: the organization (`runner_org`), quotas
//! (`runner_quotas`) and entering accounts (`runner_access`).

use std::sync::Arc;

use aws_config::SdkConfig;
use tokio::sync::OnceCell;
use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Effect, Loaded};
use super::runner_org::{LiveOrg, OrgSource};
use super::runner_quotas::QuotaRunner;
use crate::access::Access;
use crate::source::Source;

/// A boxed future borrowing its receiver: what the runners' ports (`OrgSource`,
/// `AccountAccess`) return, so tests can put fakes behind them.
pub(super) type Pending<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// The organization's SDK configuration, resolved once and shared by every concern; the
/// first resolution also reports the region to the status bar.
#[derive(Clone)]
pub struct SharedSdk {
    pub source: Arc<Source>,
    cell: Arc<OnceCell<SdkConfig>>,
    tx: UnboundedSender<Action>,
}

impl SharedSdk {
    pub async fn get(&self) -> &SdkConfig {
        self.cell
            .get_or_init(|| async {
                let conf = self.source.sdk_config().await;
                if let Some(r) = conf.region() {
                    let _ = self.tx.send(Action::Loaded(Loaded::Region(r.to_string())));
                }
                conf
            })
            .await
    }
}

pub struct Runner {
    org: Arc<dyn OrgSource>,
    access: Arc<Access>,
    quotas: QuotaRunner,
    tx: UnboundedSender<Action>,
}

impl Runner {
    pub fn new(source: Source, access: Arc<Access>, tx: UnboundedSender<Action>) -> Self {
        let sdk = SharedSdk {
            source: Arc::new(source),
            cell: Arc::new(OnceCell::new()),
            tx: tx.clone(),
        };
        let org = LiveOrg {
            sdk: sdk.clone(),
            access: Arc::clone(&access),
        };
        Self {
            quotas: QuotaRunner::new(sdk, Arc::clone(&access), tx.clone()),
            org: Arc::new(org),
            access,
            tx,
        }
    }

    pub fn run(&self, effect: Effect) {
        match effect {
            org @ (Effect::Crawl { .. }
            | Effect::FetchTags { .. }
            | Effect::DescribeAccount { .. }
            | Effect::SaveCache(_)
            | Effect::LoadProfiles) => {
                super::runner_org::run(&self.org, &self.tx, org);
            }
            access @ (Effect::Assume { .. }
            | Effect::OpenConsole { .. }
            | Effect::OpenPortal { .. }
            | Effect::StopConsole { .. }
            | Effect::Login { .. }
            | Effect::RecordHistory { .. }
            | Effect::SetFavourite { .. }) => {
                let port: Arc<dyn super::runner_access::AccountAccess> = self.access.clone();
                super::runner_access::run(&port, &self.tx, access);
            }
            quotas @ (Effect::FetchQuotas { .. }
            | Effect::StartSweep { .. }
            | Effect::CancelSweep) => self.quotas.run(quotas),
            // The event loop handles these itself: they need the terminal.
            Effect::RunShell(_)
            | Effect::SuspendSelf
            | Effect::CopyToClipboard(_)
            | Effect::CopySecret(_) => {
                tracing::error!("terminal effect reached the runner");
            }
        }
    }
}
