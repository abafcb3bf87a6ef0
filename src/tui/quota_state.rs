//! What the TUI knows about quotas: the details pane's Quotas tab (per account and region,
//! with the time it was read) and the organization-wide sweep view.

use std::collections::HashMap;

use crate::config::QuotasConfig;
use crate::quotas::QuotaUsage;
use crate::quotas::{AccountQuotas, Ranked};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DetailsTab {
    #[default]
    Info,
    Quotas,
}

/// One account's quotas in one region, as last read (or being read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuotaEntry {
    pub loading: bool,
    pub fetched_at: Option<jiff::Timestamp>,
    pub rows: Vec<QuotaUsage>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct QuotaView {
    pub tab: DetailsTab,
    pub config: QuotasConfig,
    /// Regions `R` cycles through; the first is the session's.
    pub regions: Vec<String>,
    pub region: usize,
    pub hide_without_usage: bool,
    /// By (account ID, region).
    pub entries: HashMap<(String, String), QuotaEntry>,
    /// The account the Quotas tab is resting on without data yet: read on the next tick,
    /// so scrolling through accounts with the tab open does not read every one of them.
    pub wanted: Option<String>,
    /// The last sweep (it goes on while hidden); `sweep_open` shows it.
    pub sweep: Option<SweepView>,
    pub sweep_open: bool,
    pub sweep_generation: u64,
}

impl QuotaView {
    pub fn new(config: QuotasConfig, session_region: &str) -> Self {
        let mut regions = vec![session_region.to_string()];
        for r in &config.regions {
            if !regions.contains(r) {
                regions.push(r.clone());
            }
        }
        regions.retain(|r| !r.is_empty());
        Self {
            hide_without_usage: config.hide_without_usage,
            config,
            regions,
            ..Self::default()
        }
    }

    /// The session's region as the SDK resolved it (from the profile or `AWS_REGION`, which
    /// the TUI learns only then): it becomes the first region, and the one shown unless the
    /// user has already chosen another with `R`.
    pub fn set_session_region(&mut self, region: &str) {
        if region.is_empty() || self.regions.first().is_some_and(|r| r == region) {
            return;
        }
        let chosen = (self.region != 0).then(|| self.current_region().to_string());
        self.regions.retain(|r| r != region);
        if self.regions.is_empty() || !self.config.regions.contains(&self.regions[0]) {
            // The first region was only the guess made before the SDK answered.
            if !self.regions.is_empty() {
                self.regions.remove(0);
            }
        }
        self.regions.insert(0, region.to_string());
        self.region = chosen
            .and_then(|c| self.regions.iter().position(|r| *r == c))
            .unwrap_or(0);
    }

    pub fn current_region(&self) -> &str {
        self.regions.get(self.region).map_or("", String::as_str)
    }

    pub fn entry(&self, account_id: &str) -> Option<&QuotaEntry> {
        self.entries
            .get(&(account_id.to_string(), self.current_region().to_string()))
    }

    /// The rows the tab shows: all, or only those with a usage metric.
    pub fn visible<'a>(&self, rows: &'a [QuotaUsage]) -> Vec<&'a QuotaUsage> {
        rows.iter()
            .filter(|r| !self.hide_without_usage || r.has_usage_metric)
            .collect()
    }
}

/// A line of the sweep list: a quota, or an account that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepLine {
    Quota(usize),
    Failure(usize),
}

#[derive(Debug, Clone)]
pub struct SweepView {
    pub generation: u64,
    /// "organization" or the OU's path.
    pub scope: String,
    pub region: String,
    pub total: usize,
    pub done: usize,
    pub started: jiff::Timestamp,
    pub finished: Option<jiff::Timestamp>,
    /// Quotas worst first and failed accounts, kept in order as accounts arrive.
    pub ranked: Ranked,
    /// Show quotas whose usage is unknown too (hidden by default: they have no headroom to
    /// report).
    pub show_unknown: bool,
    pub lines: Vec<SweepLine>,
    pub selected: usize,
    pub offset: usize,
}

impl SweepView {
    pub fn new(generation: u64, scope: String, region: String, total: usize) -> Self {
        Self {
            generation,
            scope,
            region,
            total,
            done: 0,
            started: jiff::Timestamp::now(),
            finished: None,
            ranked: Ranked::default(),
            show_unknown: false,
            lines: Vec::new(),
            selected: 0,
            offset: 0,
        }
    }

    /// Merges one account's results in, keeping the selected line's position.
    pub fn add(&mut self, results: &[AccountQuotas], done: usize) {
        self.ranked.add(results);
        self.done = done;
        self.relayout();
    }

    /// The visible lines: quotas (those with known usage unless `show_unknown`), then failures.
    pub fn relayout(&mut self) {
        let keep = self.lines.get(self.selected).copied();
        self.lines = self
            .ranked
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| self.show_unknown || r.quota.utilization.is_some())
            .map(|(i, _)| SweepLine::Quota(i))
            .chain((0..self.ranked.failures.len()).map(SweepLine::Failure))
            .collect();
        if keep.is_none() {
            self.selected = 0;
        }
        self.selected = self.selected.min(self.lines.len().saturating_sub(1));
    }

    /// The account of the selected line, for Enter (jump to it in the tree).
    pub fn selected_account(&self) -> Option<&str> {
        match self.lines.get(self.selected)? {
            SweepLine::Quota(i) => self.ranked.rows.get(*i).map(|r| r.account_id.as_str()),
            SweepLine::Failure(i) => self.ranked.failures.get(*i).map(|f| f.account_id.as_str()),
        }
    }
}
