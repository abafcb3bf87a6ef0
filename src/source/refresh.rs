//! A refresh as the CLI runs it: the tree, then the tags it plans to read (new, moved, failed
//! last time, and the rolling share of the oldest), complete before anything is printed.

use aws_config::SdkConfig;

use super::{SourceError, read_org_with};
use crate::aws::crawl::{CrawlOptions, CrawlReport};
use crate::aws::progress::ProgressSink;
use crate::aws::session::organizations_client;
use crate::aws::tags::{TagsReport, fetch_tags_of};
use crate::config::SsoConfig;
use crate::model::{Org, TagPlan, TagRefresh};
use crate::sso::IdentityCenter;

/// What a refresh starts from and how it reads tags.
#[derive(Debug, Clone)]
pub struct Refresh<'a> {
    /// The cached organization: its tags and their read times carry over.
    pub previous: Option<&'a Org>,
    pub tags: TagRefresh,
    /// Unix seconds: when tags count as read (injected by tests to age them).
    pub now: i64,
    pub progress: ProgressSink,
}

/// The tags of `ids` (never failing as a whole: see `TagsReport::unread`).
pub async fn tags(
    conf: &SdkConfig,
    ids: Vec<String>,
    opts: &CrawlOptions,
    progress: &ProgressSink,
) -> TagsReport {
    fetch_tags_of(&organizations_client(conf), ids, opts.concurrency, progress).await
}

/// The organization followed by the tags `refresh` plans to read.
pub async fn crawl_with_tags(
    conf: &SdkConfig,
    opts: &CrawlOptions,
    ic: Option<&IdentityCenter>,
    sso: &SsoConfig,
    refresh: &Refresh<'_>,
) -> Result<(CrawlReport, TagsReport, TagPlan), SourceError> {
    let mut report = read_org_with(conf, opts, ic, sso, &refresh.progress).await?;
    if report.org.tags_loaded {
        return Ok((report, TagsReport::default(), TagPlan::default()));
    }
    // Another organization's tags must not show through.
    if let Some(previous) = refresh.previous.filter(|p| p.id == report.org.id) {
        report.org.inherit_tags(previous);
    }
    let plan = report.org.plan_tag_reads(refresh.now, refresh.tags);
    let tags = tags(conf, plan.ids.clone(), opts, &refresh.progress).await;
    report.org.apply_tags(&tags.tags, &tags.unread, refresh.now);
    Ok((report, tags, plan))
}
