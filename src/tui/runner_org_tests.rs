//! The organization runner with a fake source: what each effect reports back.

use std::sync::Mutex;

use tokio::sync::mpsc;

use super::*;
use crate::aws::crawl::{AccountListing, CrawlError};
use crate::aws::error::AwsFailure;
use crate::model::{Account, Org};

/// Answers with what the test set; records what was stored.
struct FakeOrg {
    org: Result<Org, SourceError>,
    store: Result<(), String>,
    stored: Mutex<Vec<String>>,
    /// The IDs each tag read asked for.
    tags_asked: Mutex<Vec<Vec<String>>>,
}

impl OrgSource for FakeOrg {
    fn read_org(&self, _: ProgressSink) -> Pending<'_, Result<CrawlReport, SourceError>> {
        let answer = self.org.clone().map(|org| CrawlReport {
            org,
            calls: Default::default(),
            elapsed: Default::default(),
            listing: AccountListing::PerParent,
        });
        Box::pin(async move { answer })
    }

    fn read_tags(&self, mut ids: Vec<String>, _: ProgressSink) -> Pending<'_, TagsReport> {
        ids.sort();
        if let Ok(mut asked) = self.tags_asked.lock() {
            asked.push(ids);
        }
        Box::pin(async { TagsReport::default() })
    }

    fn describe_account(&self, _: String) -> Pending<'_, Result<Account, SourceError>> {
        Box::pin(async {
            Err(SourceError::Organizations(CrawlError::Aws(
                AwsFailure::Other {
                    call: "DescribeAccount",
                    detail: "fake".into(),
                },
            )))
        })
    }

    fn store(&self, snapshot: &Snapshot) -> Result<(), String> {
        if let Ok(mut s) = self.stored.lock() {
            s.push(snapshot.org.id.clone());
        }
        self.store.clone()
    }
}

fn fake(org: Result<Org, SourceError>, store: Result<(), String>) -> Arc<FakeOrg> {
    Arc::new(FakeOrg {
        org,
        store,
        stored: Mutex::new(Vec::new()),
        tags_asked: Mutex::new(Vec::new()),
    })
}

async fn one_answer(org: Arc<FakeOrg>, effect: Effect) -> Loaded {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let source: Arc<dyn OrgSource> = org;
    run(&source, &tx, effect);
    match rx.recv().await {
        Some(Action::Loaded(l)) => l,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_crawl_reports_the_organization_with_its_generation() {
    let org = crate::source::demo_snapshot().unwrap().org;
    let id = org.id.clone();
    match one_answer(fake(Ok(org), Ok(())), Effect::Crawl { generation: 7 }).await {
        Loaded::Org {
            generation,
            snapshot,
        } => assert_eq!((generation, snapshot.org.id), (7, id)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unreachable_aws_is_reported_as_transient_and_a_denial_is_not() {
    let unreachable = AwsFailure::Network {
        service: "organizations",
        call: "ListRoots",
        detail: "connection refused".into(),
    };
    let denied = CrawlError::RootDenied {
        call: "ListRoots",
        message: "no".into(),
    };
    for (error, transient) in [(unreachable.into(), true), (denied.into(), false)] {
        match one_answer(fake(Err(error), Ok(())), Effect::Crawl { generation: 2 }).await {
            Loaded::Failed {
                generation,
                network,
                message,
            } => {
                assert_eq!((generation, network), (2, transient), "{message}");
                assert!(message.contains("ListRoots"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn a_cache_that_cannot_be_written_is_reported_and_a_good_write_is_silent() {
    let snapshot = crate::source::demo_snapshot().unwrap();
    let failing = fake(Ok(snapshot.org.clone()), Err("disk full".into()));
    let effect = Effect::SaveCache(Box::new(snapshot.clone()));
    assert_eq!(
        one_answer(Arc::clone(&failing), effect).await,
        Loaded::CacheWriteFailed("disk full".into())
    );
    assert_eq!(
        failing.stored.lock().unwrap().as_slice(),
        std::slice::from_ref(&snapshot.org.id)
    );

    let working = fake(Ok(snapshot.org.clone()), Ok(()));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let source: Arc<dyn OrgSource> = working.clone();
    run(&source, &tx, Effect::SaveCache(Box::new(snapshot)));
    drop(tx);
    // The blocking write ends, its sender clone drops: nothing was said.
    assert!(rx.recv().await.is_none());
    assert_eq!(working.stored.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_tag_read_asks_for_what_the_plan_picks_or_the_one_item() {
    let mut org = crate::source::demo_snapshot().unwrap().org;
    let all: Vec<String> = org.tagged_ids().map(str::to_string).collect();
    let tags = all
        .iter()
        .map(|id| (id.clone(), Default::default()))
        .collect();
    // Everything read a moment ago but one account, whose read failed.
    let now = jiff::Timestamp::now().as_second();
    org.apply_tags(&tags, &[all[0].clone()], now);
    let source = fake(Ok(org.clone()), Ok(()));
    let planned = Effect::FetchTags {
        generation: 3,
        reads: TagReads::Planned(Box::new(org.clone())),
    };
    let Loaded::Tags { generation, .. } = one_answer(Arc::clone(&source), planned).await else {
        panic!("not tags")
    };
    assert_eq!(generation, 3);
    let one = Effect::FetchTags {
        generation: 3,
        reads: TagReads::One(all[5].clone()),
    };
    one_answer(Arc::clone(&source), one).await;
    let asked = source.tags_asked.lock().unwrap().clone();
    assert_eq!(asked, [vec![all[0].clone()], vec![all[5].clone()]]);
}
