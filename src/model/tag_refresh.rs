//! Which tags a refresh re-reads. Tags cost one `ListTagsForResource` per account and OU, so
//! after the first crawl a refresh reads only the tags of items that are new, moved or whose
//! last read failed, plus a rolling share of the oldest: every item is re-read at least once
//! per max age, and the re-reads are spread over the refreshes instead of all falling due at
//! once a max age after the first crawl.

use std::collections::HashMap;

use super::org::{Org, Tags};

/// How a refresh chooses the tags it re-reads (config `crawl.tag_max_age_hours`, `--full`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagRefresh {
    /// Every item's tags are re-read once they are this old (seconds); 0 re-reads all.
    pub max_age_secs: i64,
    /// Re-read every item's tags (`refresh --full`).
    pub full: bool,
}

impl TagRefresh {
    pub fn hours(max_age_hours: u64) -> Self {
        Self {
            max_age_secs: i64::try_from(max_age_hours.saturating_mul(3600)).unwrap_or(i64::MAX),
            full: false,
        }
    }
}

/// The tags a refresh reads, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagPlan {
    /// Accounts and OUs whose tags to read, those never read first.
    pub ids: Vec<String>,
    /// New, moved, or last read failed.
    pub unread: usize,
    /// Older than the max age, or in the rolling share.
    pub aged: usize,
    /// Every tag, whatever its age (`--full`, or a max age of 0).
    pub full: bool,
}

/// A refresh re-reads at least 1/SPREAD of all items (oldest first, once they are
/// 1/SPREAD of the max age old): with the default 24 h, an hourly refresh keeps every tag
/// younger than a day at ⌈items/24⌉ reads each.
const SPREAD: i64 = 24;

impl Org {
    /// Accounts and OUs with tags worth reading: the root's are shown nowhere.
    pub fn tagged_ids(&self) -> impl Iterator<Item = &str> {
        self.accounts
            .iter()
            .map(|a| a.id.as_str())
            .chain(self.ous.iter().skip(1).map(|o| o.id.as_str()))
    }

    /// Carries tags over from an older snapshot so a fresh crawl does not blank them while the
    /// new tags are still loading; their read times only where the item kept its parent (a
    /// moved item's tags are read again).
    pub fn inherit_tags(&mut self, old: &Org) {
        let accounts: HashMap<&str, _> = old
            .accounts
            .iter()
            .map(|a| (a.id.as_str(), (&a.tags, Some(a.parent_id.as_str()))))
            .collect();
        let ous: HashMap<&str, _> = old
            .ous
            .iter()
            .map(|o| (o.id.as_str(), (&o.tags, o.parent_id.as_deref())))
            .collect();
        let mut read = std::collections::BTreeMap::new();
        let mut inherit = |id: &str,
                           parent: Option<&str>,
                           tags: &mut Tags,
                           from: &HashMap<&str, (&Tags, Option<&str>)>| {
            let Some((old_tags, old_parent)) = from.get(id) else {
                return;
            };
            if tags.is_empty() {
                tags.clone_from(old_tags);
            }
            if *old_parent == parent
                && let Some(at) = old.tags_read.get(id)
            {
                read.insert(id.to_string(), *at);
            }
        };
        for a in &mut self.accounts {
            inherit(&a.id, Some(&a.parent_id), &mut a.tags, &accounts);
        }
        for o in &mut self.ous {
            inherit(&o.id, o.parent_id.as_deref(), &mut o.tags, &ous);
        }
        self.tags_read = read;
    }

    /// The tags a refresh at `now` (Unix seconds) reads under `policy`.
    pub fn plan_tag_reads(&self, now: i64, policy: TagRefresh) -> TagPlan {
        let all: Vec<&str> = self.tagged_ids().collect();
        if policy.full || policy.max_age_secs <= 0 {
            return TagPlan {
                ids: all.into_iter().map(str::to_string).collect(),
                full: true,
                ..TagPlan::default()
            };
        }
        let (mut unread, mut read) = (Vec::new(), Vec::new());
        for id in &all {
            match self.tags_read.get(*id) {
                Some(at) => read.push((*at, *id)),
                None => unread.push(*id),
            }
        }
        read.sort_unstable();
        let age = |at: i64| now.saturating_sub(at);
        let over_age = read
            .iter()
            .take_while(|(at, _)| age(*at) >= policy.max_age_secs)
            .count();
        let share = read
            .iter()
            .take_while(|(at, _)| age(*at) >= policy.max_age_secs / SPREAD)
            .count()
            .min(all.len().div_ceil(SPREAD as usize));
        let aged = over_age.max(share);
        TagPlan {
            unread: unread.len(),
            aged,
            full: false,
            ids: unread
                .into_iter()
                .chain(read[..aged].iter().map(|(_, id)| *id))
                .map(str::to_string)
                .collect(),
        }
    }

    /// Applies tags read at `now`; `unread` (failed or not reached) keep their old tags and
    /// are read again on the next refresh. IDs in neither keep what they have.
    pub fn apply_tags(&mut self, tags: &HashMap<String, Tags>, unread: &[String], now: i64) {
        for a in &mut self.accounts {
            if let Some(t) = tags.get(&a.id) {
                a.tags = t.clone();
            }
        }
        for o in &mut self.ous {
            if let Some(t) = tags.get(&o.id) {
                o.tags = t.clone();
            }
        }
        for id in tags.keys() {
            self.tags_read.insert(id.clone(), now);
        }
        for id in unread {
            self.tags_read.remove(id);
        }
        self.tags_loaded = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hierarchy::tests::sample_org;

    const HOUR: i64 = 3600;
    const DAY: TagRefresh = TagRefresh {
        max_age_secs: 24 * HOUR,
        full: false,
    };

    /// sample_org with every tag read at `at`.
    fn read_at(at: i64) -> Org {
        let mut org = sample_org();
        let ids: Vec<String> = org.tagged_ids().map(str::to_string).collect();
        let tags = ids.iter().map(|id| (id.clone(), Tags::new())).collect();
        org.apply_tags(&tags, &[], at);
        org
    }

    #[test]
    fn a_first_crawl_reads_every_tag_but_the_roots() {
        let plan = sample_org().plan_tag_reads(0, DAY);
        assert_eq!(plan.ids.len(), 4 + 4);
        assert_eq!((plan.unread, plan.full), (8, false));
        assert!(!plan.ids.contains(&"r-1".to_string()));
    }

    #[test]
    fn an_unchanged_org_reads_only_the_rolling_share_of_the_oldest() {
        let org = read_at(1000);
        assert!(org.plan_tag_reads(1000 + 60, DAY).ids.is_empty());
        // An hour on: ⌈8/24⌉ = 1.
        let plan = org.plan_tag_reads(1000 + HOUR, DAY);
        assert_eq!((plan.ids.len(), plan.unread, plan.aged), (1, 0, 1));
        // A day on, everything is due.
        assert_eq!(org.plan_tag_reads(1000 + 24 * HOUR, DAY).ids.len(), 8);
        let full = TagRefresh { full: true, ..DAY };
        assert_eq!(org.plan_tag_reads(1000 + 60, full).ids.len(), 8);
    }

    #[test]
    fn new_moved_and_failed_items_are_read_again() {
        let old = read_at(1000);
        let mut new = sample_org();
        new.accounts[1].parent_id = "ou-d".into();
        new.accounts.push(crate::model::hierarchy::tests::account(
            "444444444444",
            "new",
            "ou-s",
        ));
        new.ous[4].parent_id = Some("ou-w".into());
        new.inherit_tags(&old);
        let mut plan = new.plan_tag_reads(1060, DAY).ids;
        plan.sort();
        assert_eq!(plan, ["111111111111", "444444444444", "ou-s"]);

        new.apply_tags(&HashMap::new(), &["222222222222".to_string()], 2000);
        assert!(
            new.plan_tag_reads(2060, DAY)
                .ids
                .contains(&"222222222222".into())
        );
    }

    #[test]
    fn every_tag_is_read_within_the_max_age_under_hourly_refreshes() {
        let mut org = read_at(0);
        let mut oldest_age = 0;
        for hour in 1..=72 {
            let now = hour * HOUR;
            let ids = org.plan_tag_reads(now, DAY).ids;
            assert!(ids.len() <= 1, "{ids:?}");
            let tags = ids.into_iter().map(|id| (id, Tags::new())).collect();
            org.apply_tags(&tags, &[], now);
            let oldest = org.tags_read.values().min().copied().unwrap_or(now);
            oldest_age = oldest_age.max(now - oldest);
        }
        assert!(oldest_age <= 24 * HOUR, "{oldest_age}");
    }
}
