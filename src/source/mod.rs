//! Where the organization comes from: the demo asset, the cache, or a crawl. Shared by the CLI
//! subcommands and the TUI's effect runner. The cache itself is `cache`.

pub mod cache;
pub mod cache_bin;
mod error;
pub mod listing;
pub mod listing_file;
mod refresh;

pub use error::SourceError;
pub use refresh::{Refresh, crawl_with_tags, tags};

use std::time::Duration;

use aws_config::SdkConfig;

use crate::aws::crawl::{CrawlOptions, CrawlReport, crawl_org_with};
use crate::aws::progress::ProgressSink;
use crate::aws::session::{SessionOptions, load_sdk_config, organizations_client};
use crate::config::{Config, SsoConfig, SsoMode};
use crate::model::{Org, Snapshot, TagRefresh};
use crate::source::cache::{Cache, Loaded};
use crate::sso::IdentityCenter;

const DEMO_JSON: &str = include_str!("../../assets/demo-org.json");

/// The built-in demo organization (a snapshot in the cache's own format).
pub fn demo_snapshot() -> Result<Snapshot, String> {
    crate::source::cache::parse(DEMO_JSON.as_bytes())
        .map_err(|e| format!("built-in demo organization: {e}"))
}

/// Everything needed to reach AWS and the cache, resolved once from flags, env and config.
#[derive(Debug, Clone)]
pub struct Source {
    pub session: SessionOptions,
    pub profile_label: String,
    pub crawl: CrawlOptions,
    pub cache: Option<Cache>,
    pub cli_max_age: Duration,
    pub sso: SsoConfig,
    /// Which tags a refresh re-reads (`crawl.tag_max_age_hours`; `refresh --full` sets `full`).
    pub tag_refresh: TagRefresh,
}

impl Source {
    pub fn new(config: &Config, profile: Option<String>, region: Option<String>) -> Self {
        let profile = profile.or_else(|| config.profile.clone());
        let profile_label = crate::aws::session::profile_label(profile.as_deref());
        let cache = cache_for(&profile_label, None);
        Self {
            session: SessionOptions {
                profile,
                region: region.or_else(|| config.region.clone()),
                max_attempts: config.crawl.max_attempts,
                network: config.network.clone(),
            },
            profile_label,
            crawl: CrawlOptions {
                concurrency: config.crawl.concurrency,
                page_size: config.crawl.page_size,
            },
            cache,
            cli_max_age: Duration::from_secs(config.crawl.cli_max_age_minutes * 60),
            sso: config.sso.clone(),
            tag_refresh: TagRefresh::hours(config.crawl.tag_max_age_hours),
        }
    }

    /// Keys the cache by the endpoint the profile names (`endpoint_url` in `~/.aws/config`)
    /// when no environment variable names one: it selects an organization as well.
    pub async fn with_profile_endpoint(mut self) -> Self {
        if env_endpoint().is_some() {
            return self;
        }
        let endpoint = crate::aws::session::profile_endpoint(self.session.profile.as_deref()).await;
        if endpoint.is_some() {
            self.cache = cache_for(&self.profile_label, endpoint.as_deref());
        }
        self
    }

    pub async fn sdk_config(&self) -> SdkConfig {
        load_sdk_config(&self.session).await
    }

    /// The cache file this source reads and writes.
    pub fn cache_path(&self) -> Option<&std::path::Path> {
        self.cache.as_ref().map(Cache::path)
    }

    pub fn load_cache(&self) -> Loaded {
        self.cache.as_ref().map_or(Loaded::Missing, Cache::load)
    }

    /// The cache's stored listing, when it matches the cache on disk.
    pub fn load_listing(&self) -> Option<listing::Listing> {
        self.cache.as_ref().and_then(Cache::listing)
    }

    /// Stores a snapshot; a failure is logged and reported, never fatal.
    pub fn store(&self, snapshot: &Snapshot) -> Result<(), String> {
        let Some(cache) = &self.cache else {
            return Ok(());
        };
        cache.store(snapshot).map_err(|e| {
            tracing::warn!(path = %cache.path().display(), error = %e, "cannot write cache");
            format!("cannot write cache {}: {e}", cache.path().display())
        })
    }

    /// The ID of the organization the cache holds, if any.
    pub fn cached_org_id(&self) -> Option<String> {
        self.cache.as_ref().and_then(Cache::org_id)
    }
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The Organizations endpoint the environment names; it wins over the profile's, as in
/// aws-config.
fn env_endpoint() -> Option<String> {
    env_value("AWS_ENDPOINT_URL_ORGANIZATIONS").or_else(|| env_value("AWS_ENDPOINT_URL"))
}

/// The cache for `profile_label`: the endpoint from the environment (as aws-config gives it
/// precedence), else `profile_endpoint`; and the access key ID when it comes from the
/// environment.
fn cache_for(profile_label: &str, profile_endpoint: Option<&str>) -> Option<Cache> {
    let endpoint = env_endpoint().or_else(|| profile_endpoint.map(str::to_string));
    let key = cache_key(
        profile_label,
        endpoint.as_deref(),
        env_value("AWS_ACCESS_KEY_ID").as_deref(),
    );
    cache_dir().map(|dir| Cache::for_key(&dir, &key))
}

/// Where caches live: `$XDG_CACHE_HOME/orgnav`.
pub fn cache_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "orgnav").map(|d| d.cache_dir().to_path_buf())
}

/// The cache file's key: everything that selects an organization — the profile, the endpoint
/// and, for credentials from the environment, the access key ID (hashed: the file name is not
/// a place for it). A cache written under another key is never served.
pub fn cache_key(profile: &str, endpoint: Option<&str>, env_access_key: Option<&str>) -> String {
    use sha1::Digest;
    if endpoint.is_none() && env_access_key.is_none() {
        return profile.to_string();
    }
    let mut hash = sha1::Sha1::new();
    for part in [Some(profile), endpoint, env_access_key] {
        hash.update(part.unwrap_or_default().as_bytes());
        hash.update([0]);
    }
    format!("{profile}-{}", hex::encode(&hash.finalize()[..6]))
}

/// "the organization changed …" when a crawl found another organization than `old`.
pub fn org_changed(old_id: &str, new_id: &str) -> Option<String> {
    (old_id != new_id).then(|| {
        format!(
            "these credentials now read organization {new_id} (the cache held {old_id}): the cached tree was replaced"
        )
    })
}

pub async fn crawl(
    conf: &SdkConfig,
    opts: &CrawlOptions,
    progress: &ProgressSink,
) -> Result<CrawlReport, SourceError> {
    Ok(crawl_org_with(&organizations_client(conf), opts, progress).await?)
}

/// The organization as the configuration asks: Organizations, with the Identity Center roles
/// attached when signed in; or, when Organizations is out of reach (or `sso.mode = "only"`),
/// the accounts of the Identity Center portal as a flat list.
pub async fn read_org(
    conf: &SdkConfig,
    opts: &CrawlOptions,
    ic: Option<&IdentityCenter>,
    sso: &SsoConfig,
) -> Result<CrawlReport, SourceError> {
    read_org_with(conf, opts, ic, sso, &ProgressSink::default()).await
}

/// As `read_org`, reporting the accounts listed so far to `progress`.
pub async fn read_org_with(
    conf: &SdkConfig,
    opts: &CrawlOptions,
    ic: Option<&IdentityCenter>,
    sso: &SsoConfig,
    progress: &ProgressSink,
) -> Result<CrawlReport, SourceError> {
    let mode = sso.mode;
    let flat_list = |ic| flat(ic, opts.concurrency, &sso.groups);
    let ic = ic.filter(|_| mode != SsoMode::Off);
    match (ic, mode) {
        (Some(ic), SsoMode::Only) => return flat_list(ic).await,
        (None, SsoMode::Only) => {
            return Err(SourceError::IdentityCenter(crate::sso::SsoError::Login(
                "sso.mode is \"only\" but no IAM Identity Center sign-in is configured \
                 (an [sso-session] or a profile with sso_start_url in ~/.aws/config)"
                    .into(),
            )));
        }
        _ => {}
    }
    match (crawl(conf, opts, progress).await, ic) {
        (Ok(mut report), Some(ic)) => {
            attach_sso_roles(&mut report.org, ic, opts.concurrency).await;
            Ok(report)
        }
        (Ok(report), None) => Ok(report),
        (Err(e), Some(ic)) if e.organizations_unavailable() => {
            tracing::info!(error = %e, "Organizations unavailable: using Identity Center accounts");
            flat_list(ic).await
        }
        (Err(e), _) => Err(e),
    }
}

async fn flat(
    ic: &IdentityCenter,
    concurrency: usize,
    groups: &[crate::config::SsoGroup],
) -> Result<CrawlReport, SourceError> {
    let started = std::time::Instant::now();
    let mut org = ic.flat_org(concurrency).await?;
    crate::sso::center::group_accounts(&mut org, groups);
    Ok(CrawlReport {
        org,
        calls: ic.counter.by_operation(),
        elapsed: started.elapsed(),
        listing: crate::aws::crawl::AccountListing::PerParent,
    })
}

/// Best effort: without a valid sign-in the tree simply has no Identity Center roles.
async fn attach_sso_roles(org: &mut Org, ic: &IdentityCenter, concurrency: usize) {
    let result = async {
        let ids: Vec<String> = ic.accounts().await?.into_iter().map(|a| a.id).collect();
        ic.roles(&ids, concurrency).await
    }
    .await;
    match result {
        Ok(roles) => org.sso_roles = roles,
        Err(e) => tracing::info!(error = %e, "no Identity Center roles attached"),
    }
}

/// "3h ago", "just now": for the status bar and CLI warnings.
pub fn age_text(fetched_at: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let secs = now
        .as_second()
        .saturating_sub(fetched_at.as_second())
        .max(0);
    match secs {
        0..=59 => "just now".to_string(),
        60..=3599 => format!("{}m ago", secs / 60),
        3600..=86_399 => format!("{}h ago", secs / 3600),
        _ => format!("{}d ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_asset_parses() {
        let s = demo_snapshot().unwrap();
        assert!(s.org.accounts.len() >= 50);
    }

    #[test]
    fn every_organization_selector_changes_the_cache_key() {
        let base = cache_key("mgmt", None, None);
        assert_eq!(base, "mgmt");
        let keys = [
            base,
            cache_key("other", None, None),
            cache_key("mgmt", Some("http://127.0.0.1:5000"), None),
            cache_key("mgmt", Some("http://127.0.0.1:5001"), None),
            cache_key("mgmt", None, Some("AKIAONE")),
            cache_key("mgmt", None, Some("AKIATWO")),
            cache_key("mgmt", Some("http://127.0.0.1:5000"), Some("AKIAONE")),
        ];
        let distinct: std::collections::BTreeSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
        assert!(keys.iter().all(|k| !k.contains("AKIA")), "{keys:?}");
        assert_eq!(
            cache_key("mgmt", None, Some("AKIAONE")),
            cache_key("mgmt", None, Some("AKIAONE"))
        );
    }

    #[test]
    fn a_different_organization_is_reported() {
        let a = demo_snapshot().unwrap().org;
        let mut b = a.clone();
        assert_eq!(org_changed(&a.id, &b.id), None);
        b.id = "o-another0000".into();
        let said = org_changed(&a.id, &b.id).unwrap();
        assert!(
            said.contains("o-another0000") && said.contains(&a.id),
            "{said}"
        );
    }

    #[test]
    fn ages_read_naturally() {
        let t = |s| jiff::Timestamp::from_second(s).unwrap();
        assert_eq!(age_text(t(1000), t(1030)), "just now");
        assert_eq!(age_text(t(0), t(3 * 3600 + 5)), "3h ago");
        assert_eq!(age_text(t(0), t(125)), "2m ago");
        assert_eq!(age_text(t(0), t(3 * 86_400)), "3d ago");
        assert_eq!(age_text(t(100), t(0)), "just now");
    }
}
