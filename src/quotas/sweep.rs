//! The organization-wide sweep: accounts read concurrently and reported as each one finishes,
//! a failing account recorded with its error while the sweep goes on.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::reader::{AccountQuotas, QuotaQuery, QuotaReader, QuotaTarget, failed};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepProgress {
    pub done: usize,
    pub total: usize,
    pub elapsed: std::time::Duration,
}

/// Reads every target, at most `concurrency` accounts at once; `report` sees each account's
/// results as they arrive. Returns everything, in completion order.
pub async fn sweep(
    reader: Arc<QuotaReader>,
    targets: Vec<QuotaTarget>,
    query: Arc<QuotaQuery>,
    concurrency: usize,
    mut report: impl FnMut(&[AccountQuotas], SweepProgress),
) -> Vec<AccountQuotas> {
    let started = Instant::now();
    let total = targets.len();
    let limit = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for target in targets {
        let (reader, query, limit) = (Arc::clone(&reader), Arc::clone(&query), Arc::clone(&limit));
        tasks.spawn(async move {
            let Ok(_permit) = limit.acquire_owned().await else {
                return failed(&target, &query, "sweep cancelled");
            };
            reader.read(&target, &query).await
        });
    }
    let mut all = Vec::new();
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        done += 1;
        let results = joined.unwrap_or_else(|e| {
            tracing::error!(error = %e, "quota task failed");
            Vec::new()
        });
        report(
            &results,
            SweepProgress {
                done,
                total,
                elapsed: started.elapsed(),
            },
        );
        all.extend(results);
    }
    all
}
