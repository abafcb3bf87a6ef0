//! `ls`, `tree`, `refresh`: the organization for scripts.

use std::io::Write;

use super::output::{ranked_accounts, write_json, write_table};
use super::progress_bar::RefreshBar;
use super::table::Look;
use super::tree_out::{kept_nodes, write_tree, write_tree_json};
use super::{CliError, Ctx};
use crate::access::history::History;
use crate::aws::crawl::call_budget;
use crate::model::{Hierarchy, Snapshot};
use crate::source::cache::Loaded;
use crate::source::{self, SourceError, age_text, demo_snapshot};
use crate::text::plural;

/// The organization for a CLI command: demo, fresh-enough cache, or a crawl; a network failure
/// falls back to the cache with a warning that it is stale.
pub async fn snapshot_for_cli(ctx: &Ctx) -> Result<Snapshot, CliError> {
    if ctx.cli.demo {
        return demo_snapshot().map_err(CliError::runtime);
    }
    let cached = match ctx.source.load_cache() {
        Loaded::Fresh(s) => Some(s),
        Loaded::Missing => None,
        Loaded::Discarded(why) if ctx.cli.offline => return Err(offline_unusable(&why)),
        Loaded::Discarded(why) => {
            crate::note!("orgnav: warning: {why}; recrawling");
            None
        }
    };
    let now = jiff::Timestamp::now();
    if ctx.cli.offline {
        return cached.ok_or_else(|| {
            CliError::runtime(format!(
                "--offline: no cached organization for profile `{}` yet; run once without --offline",
                ctx.source.profile_label
            ))
        });
    }
    let mut cached = cached;
    if let Some(s) = cached.take_if(|s| fresh_enough(ctx, s.fetched_at, now)) {
        return Ok(s);
    }
    ctx.ensure_identity_center().await?;
    let crawled = crawl_and_store(ctx, cached.as_ref(), false, &RefreshBar::hidden()).await;
    match (crawled, cached) {
        (Ok((snapshot, crawled)), _) => {
            if let Some(e) = crawled.unsaved {
                crate::note!("orgnav: warning: {e}");
            }
            Ok(snapshot)
        }
        (Err(e), Some(s)) if e.is_transient() => {
            crate::note!(
                "orgnav: warning: {e}: showing the cache from {}",
                age_text(s.fetched_at, now)
            );
            Ok(s)
        }
        (Err(e), _) => Err(CliError::runtime(e.to_string())),
    }
}

/// Whether a cache crawled at `fetched_at` is used as it is (no `--refresh`, younger than
/// `crawl.cli_max_age_minutes`).
pub(super) fn fresh_enough(ctx: &Ctx, fetched_at: jiff::Timestamp, now: jiff::Timestamp) -> bool {
    let age = now.as_second().saturating_sub(fetched_at.as_second());
    !ctx.cli.refresh && u64::try_from(age).is_ok_and(|a| a < ctx.source.cli_max_age.as_secs())
}

/// `--offline` with a cache that cannot be read: nothing to fall back on, and the fix.
pub(super) fn offline_unusable(why: &str) -> CliError {
    CliError::runtime(format!(
        "--offline: {why}; run `orgnav refresh` (without --offline) to rebuild it"
    ))
}

struct Crawled {
    report: crate::aws::crawl::CrawlReport,
    tags: crate::aws::tags::TagsReport,
    plan: crate::model::TagPlan,
    /// Why the snapshot could not be cached: a warning for a listing, `refresh`'s failure.
    unsaved: Option<String>,
}

/// Crawls and caches; `previous` (the cache) lends its tags, so only the tags of new and
/// moved items and the oldest are read (all of them when `full`).
async fn crawl_and_store(
    ctx: &Ctx,
    previous: Option<&Snapshot>,
    full: bool,
    bar: &RefreshBar,
) -> Result<(Snapshot, Crawled), SourceError> {
    let conf = ctx.source.sdk_config().await;
    let refresh = source::Refresh {
        previous: previous.map(|s| &s.org),
        tags: crate::model::TagRefresh {
            full,
            ..ctx.source.tag_refresh
        },
        now: jiff::Timestamp::now().as_second(),
        progress: bar.sink(),
    };
    let (report, tags, plan) = source::crawl_with_tags(
        &conf,
        &ctx.source.crawl,
        ctx.identity_center().map(|ic| ic.as_ref()),
        &ctx.source.sso,
        &refresh,
    )
    .await?;
    // Cleared before the warnings below: they would be drawn over.
    bar.clear();
    if tags.failed > 0 {
        crate::note!(
            "orgnav: warning: tags of {} could not be read (kept from the cache; read again on the next refresh): {}",
            plural(tags.failed, "resource"),
            tags.first_error.clone().unwrap_or_default()
        );
    }
    let snapshot = Snapshot::new(report.org.clone(), jiff::Timestamp::now());
    let previous = ctx.source.cached_org_id();
    let unsaved = ctx.source.store(&snapshot).err();
    if let Some(replaced) = previous.and_then(|p| source::org_changed(&p, &snapshot.org.id)) {
        crate::note!("orgnav: warning: {replaced}");
    }
    let crawled = Crawled {
        report,
        tags,
        plan,
        unsaved,
    };
    Ok((snapshot, crawled))
}

/// `ls --recent` / `--favourites`: which accounts of the history to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    All,
    Recent,
    Favourites,
}

impl Only {
    pub fn new(recent: bool, favourites: bool) -> Self {
        match (recent, favourites) {
            (true, _) => Only::Recent,
            (_, true) => Only::Favourites,
            _ => Only::All,
        }
    }
}

/// The accounts `only` names, in its order (recent: most recent first; favourites: tree
/// order), among `ranked` (the query's matches); accounts no longer in the tree are skipped.
fn from_history(ctx: &Ctx, h: &Hierarchy, ranked: Vec<usize>, only: Only) -> Vec<usize> {
    let history = History::load_for(ctx.cli.demo);
    let matched: std::collections::HashSet<usize> = ranked.iter().copied().collect();
    let listed: Vec<usize> = match only {
        Only::All => return ranked,
        Only::Recent => history.recent_in(h, usize::MAX),
        // `ranked` is already in the order of `ls`: tree order, or best match first.
        Only::Favourites => {
            return ranked
                .into_iter()
                .filter(|&i| history.is_favourite(&h.account(i).id))
                .collect();
        }
    };
    listed.into_iter().filter(|i| matched.contains(i)).collect()
}

pub async fn ls(ctx: &Ctx, query: &str, json: bool, only: Only) -> Result<(), CliError> {
    // `--recent` / `--favourites` read the history against the whole tree.
    let listing = (only == Only::All).then(|| super::ls_listed::usable_listing(ctx));
    if let Some(listing) = listing.flatten() {
        let written = super::ls_listed::ls(ctx, &listing, query, json);
        std::mem::forget(listing);
        return super::output::written(written);
    }
    let snapshot = snapshot_for_cli(ctx).await?;
    warn_partial(&snapshot.org);
    let h = Hierarchy::new(snapshot.org);
    let accounts = from_history(ctx, &h, ranked_accounts(&h, query), only);
    let mut out = buffered_stdout();
    let written = if json {
        write_json(&mut out, &h, &accounts)
    } else {
        let production = &ctx.config.production;
        write_table(&mut out, &h, &accounts, production, &Look::stdout())
    };
    let written = written.and_then(|()| out.flush());
    end_without_freeing(h);
    super::output::written(written)
}

/// Stdout in 64 KiB writes: locked stdout alone is line-buffered, one `write` per line (the
/// pretty JSON of 10,000 accounts is 100,000 lines).
pub(super) fn buffered_stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

/// The listing is the command's last work: freeing every account's strings one by one costs
/// more than printing them (a tenth of `ls`), and the process is about to end anyway.
fn end_without_freeing(h: Hierarchy) {
    std::mem::forget(h);
}

/// `fav ACCOUNT [--remove]`: the same mark as `f` in the navigator.
pub async fn favourite(ctx: &Ctx, account: &str, remove: bool) -> Result<(), CliError> {
    let snapshot = snapshot_for_cli(ctx).await?;
    let h = Hierarchy::new(snapshot.org);
    let confirm = super::access_cmds::confirm_mode(ctx, true);
    let a = h.account(super::target::choose_account(&h, account, confirm)?);
    History::store_favourite(ctx.cli.demo, &a.id, !remove)
        .map_err(|e| CliError::runtime(format!("cannot write the history: {e}")))?;
    let now = if remove {
        "is no longer a favourite"
    } else {
        "is a favourite ★"
    };
    crate::note!("orgnav: {} ({}) {now}", a.name, a.id);
    Ok(())
}

pub async fn tree(ctx: &Ctx, query: &str, json: bool) -> Result<(), CliError> {
    let snapshot = snapshot_for_cli(ctx).await?;
    warn_partial(&snapshot.org);
    let h = Hierarchy::new(snapshot.org);
    let kept = kept_nodes(&h, query);
    let mut out = buffered_stdout();
    let written = if json {
        write_tree_json(&mut out, &h, kept.as_ref())
    } else {
        let production = &ctx.config.production;
        write_tree(&mut out, &h, kept.as_ref(), production, &Look::stdout())
    };
    let written = written.and_then(|()| out.flush());
    end_without_freeing(h);
    super::output::written(written)
}

/// `refresh --stats`: calls made against the budget, tag reads, the cache file.
fn crawl_stats(ctx: &Ctx, crawled: &Crawled, accounts: usize, ous: usize) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let r = &crawled.report;
    let total: usize = r.calls.values().sum();
    let _ = writeln!(
        out,
        "crawl: {} in {:.2?} (account listing: {:?})",
        plural(total, "API call"),
        r.elapsed,
        r.listing
    );
    let _ = writeln!(
        out,
        "  budget ⌈A/{}⌉ + 2·(OUs+1) + 2 = {}",
        ctx.source.crawl.page_size,
        call_budget(accounts, ous, ctx.source.crawl.page_size)
    );
    for (op, n) in &r.calls {
        let _ = writeln!(out, "  {op:<34} {n}");
    }
    let plan = &crawled.plan;
    let read = if plan.full {
        "read all (--full)".to_string()
    } else {
        format!(
            "read {} new, moved or unread, {} aged (max age {}h)",
            plan.unread,
            plan.aged,
            ctx.source.tag_refresh.max_age_secs / 3600
        )
    };
    let _ = writeln!(
        out,
        "tags: {}, {} unreadable; {read}",
        plural(crawled.tags.calls, "API call"),
        plural(crawled.tags.failed, "resource"),
    );
    if let Some(c) = &ctx.source.cache {
        let _ = writeln!(out, "cache: {}", c.path().display());
    }
    out
}

pub async fn refresh(ctx: &Ctx, stats: bool, full: bool) -> Result<(), CliError> {
    if ctx.cli.demo || ctx.cli.offline {
        return Err(CliError::usage(
            "refresh calls AWS: it cannot run with --demo or --offline",
        ));
    }
    let cached = match ctx.source.load_cache() {
        Loaded::Fresh(s) => Some(s),
        _ => None,
    };
    let bar = RefreshBar::new(cached.as_ref().map(|s| s.org.accounts.len()));
    let crawled = crawl_and_store(ctx, cached.as_ref(), full, &bar).await;
    bar.clear();
    let (snapshot, crawled) = crawled.map_err(|e| CliError::runtime(e.to_string()))?;
    if let Some(e) = crawled.unsaved {
        return Err(CliError::runtime(e));
    }
    let org = &snapshot.org;
    let ous = org.ous.len().saturating_sub(1);
    let mut out = format!(
        "{}: {}, {}\n",
        org.id,
        plural(org.accounts.len(), "account"),
        plural(ous, "OU")
    );
    if stats {
        out.push_str(&crawl_stats(ctx, &crawled, org.accounts.len(), ous));
    }
    super::output::emit(&out)?;
    warn_partial(org);
    Ok(())
}

/// A listing without the accounts of an unreadable OU must not pass for the whole organization.
fn warn_partial(org: &crate::model::Org) {
    for ou in org.ous.iter().filter(|o| o.incomplete.is_some()) {
        warn_partial_ou(
            &ou.name,
            &ou.id,
            ou.incomplete.as_deref().unwrap_or_default(),
        );
    }
}

pub(super) fn warn_partial_ou(name: &str, id: &str, why: &str) {
    crate::note!("orgnav: warning: OU {name} ({id}) is partial: {why}");
}
