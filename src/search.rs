//! Search over every account and OU: the name fuzzily, the 12-digit ID, email, OU path and tags
//! by substring (every query word must occur).
//!
//! Fuzzy matching the long ID/email/path/tags text was both the slowest part (nucleo's optimal
//! algorithm over ~150 characters per entry) and the noisiest (letters scattered across email
//! and tags). nucleo-matcher was chosen over fuzzy-matcher by measurement (`benches/search.rs`,
//! README). Names are converted to UTF-32 once, at index time, so a keystroke only matches.

use std::cmp::Reverse;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

use crate::model::{Hierarchy, Node};

/// Name matches outrank matches found only in the ID, email, path or tags.
const NAME_BONUS: u32 = 64;
/// Score of an entry found only by substring in its other fields.
const FIELD_SCORE: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everything,
    AccountsOnly,
}

struct Entry {
    node: Node,
    name: String,
    name_lower: String,
    id: String,
    name32: Utf32String,
    /// "id email path tag=value…": everything searchable besides the name.
    rest: String,
    /// Name and rest, lowercased, for the substring match.
    all_lower: String,
}

pub struct SearchIndex {
    entries: Vec<Entry>,
    /// Per entry: the user's frecency of the account (0 for OUs and unvisited accounts),
    /// fixed-point so ranking compares integers.
    frecency: Vec<u32>,
    /// Per entry: its place among the favourites and recents that lead an empty query
    /// (`u32::MAX` when it is neither).
    lead: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub node: Node,
    /// 3 exact name/ID, 2 name/ID prefix, 1 name substring, 0 fuzzy.
    pub tier: u8,
    pub score: u32,
    /// Char positions in the node's name that matched, for highlighting (empty when the
    /// match was in another field).
    pub name_indices: Vec<u32>,
}

impl SearchIndex {
    pub fn new(h: &Hierarchy) -> Self {
        // Joined once per OU, not once per account (10,000 accounts share a few hundred).
        let paths: Vec<String> = (0..h.ou_count()).map(|i| h.ou_path(i).join("/")).collect();
        let mut entries = Vec::with_capacity(h.account_count() + h.ou_count());
        for i in 0..h.account_count() {
            let a = h.account(i);
            let rest = rest_text(&[&a.id, &a.email, &paths[h.account_parent(i)]], &a.tags);
            entries.push(Entry::new(Node::Account(i), &a.name, &a.id, rest));
        }
        for (i, path) in paths.iter().enumerate() {
            let o = h.ou(i);
            let rest = rest_text(&[&o.id, path], &o.tags);
            entries.push(Entry::new(Node::Ou(i), &o.name, &o.id, rest));
        }
        let n = entries.len();
        Self {
            entries,
            frecency: vec![0; n],
            lead: vec![u32::MAX; n],
        }
    }

    /// What the history says, computed once when the tree or the history changes (never per
    /// keystroke): `frecency(account index)` breaks ties between equally good matches, and
    /// `lead` (account indices: favourites, then recents) comes first for an empty query.
    pub fn set_history(&mut self, frecency: impl Fn(usize) -> f64, lead: &[usize]) {
        for (k, e) in self.entries.iter().enumerate() {
            self.frecency[k] = match e.node {
                Node::Account(i) => (frecency(i) * 1000.0).clamp(0.0, u32::MAX as f64) as u32,
                Node::Ou(_) => 0,
            };
        }
        self.lead.fill(u32::MAX);
        // Accounts are the first entries, in account-index order.
        for (rank, &i) in lead.iter().enumerate().rev() {
            if let Some(l) = self.lead.get_mut(i) {
                *l = rank as u32;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// (name, rest) of every entry: what is matched. Benchmarks feed these to other matchers.
    pub fn haystacks(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|e| (e.name.as_str(), e.rest.as_str()))
    }
}

/// "part part… tag=value…", in one allocation.
fn rest_text(parts: &[&str], tags: &crate::model::Tags) -> String {
    let len = parts.iter().map(|p| p.len() + 1).sum::<usize>()
        + tags
            .iter()
            .map(|(k, v)| k.len() + v.len() + 2)
            .sum::<usize>();
    let mut out = String::with_capacity(len);
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
    for (k, v) in tags {
        out.push(' ');
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Lowercase; ASCII text (nearly all of it: IDs, emails, tags) without Unicode tables.
fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

impl Entry {
    fn new(node: Node, name: &str, id: &str, rest: String) -> Self {
        let name_lower = lowercase(name);
        let mut all_lower = String::with_capacity(name.len() + 1 + rest.len());
        all_lower.push_str(&name_lower);
        all_lower.push(' ');
        if rest.is_ascii() {
            let start = all_lower.len();
            all_lower.push_str(&rest);
            all_lower[start..].make_ascii_lowercase();
        } else {
            all_lower.push_str(&rest.to_lowercase());
        }
        Self {
            node,
            name: name.to_string(),
            name_lower,
            id: id.to_string(),
            name32: Utf32String::from(name),
            all_lower,
            rest,
        }
    }
}

/// Holds the matcher's scratch memory and the previous query's candidates, so typing one more
/// character only re-checks what still matched.
pub struct Searcher {
    matcher: Matcher,
    last_query: String,
    last_scope: Scope,
    candidates: Vec<usize>,
}

impl Default for Searcher {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            last_query: String::new(),
            last_scope: Scope::Everything,
            candidates: Vec::new(),
        }
    }
}

impl Searcher {
    /// How many entries matched the last query (before the display limit).
    pub fn match_count(&self) -> usize {
        self.candidates.len()
    }

    /// Ranked hits for `query`, best first, at most `limit` (all when `None`).
    pub fn search(
        &mut self,
        index: &SearchIndex,
        query: &str,
        scope: Scope,
        limit: Option<usize>,
    ) -> Vec<SearchHit> {
        let query = query.trim_start();
        let narrowing = !self.last_query.is_empty()
            && scope == self.last_scope
            && query.starts_with(self.last_query.as_str())
            && !self.last_query.contains(['$', '\\', '!', '\'', '^']);
        let pool: Vec<usize> = if narrowing {
            std::mem::take(&mut self.candidates)
        } else {
            (0..index.entries.len())
                .filter(|&i| {
                    scope == Scope::Everything || matches!(index.entries[i].node, Node::Account(_))
                })
                .collect()
        };
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let q_lower = query.trim().to_lowercase();
        let words: Vec<&str> = q_lower.split_whitespace().collect();
        let mut hits: Vec<(usize, u8, u32)> = Vec::new();
        for i in pool {
            let e = &index.entries[i];
            if query.trim().is_empty() {
                hits.push((i, 0, 0));
                continue;
            }
            let score = match pattern.score(e.name32.slice(..), &mut self.matcher) {
                Some(s) => s + NAME_BONUS,
                None if words.iter().all(|w| e.all_lower.contains(w)) => FIELD_SCORE,
                None => continue,
            };
            hits.push((i, tier(e, &q_lower), score));
        }
        self.candidates = hits.iter().map(|h| h.0).collect();
        self.last_query = query.to_string();
        self.last_scope = scope;
        let empty = query.trim().is_empty();
        // Equal match quality: accounts before OUs, then the more frecent.
        let key = |&(i, tier, score): &(usize, u8, u32)| {
            let e = &index.entries[i];
            (
                if empty { index.lead[i] } else { 0 },
                Reverse(tier),
                Reverse(score),
                matches!(e.node, Node::Ou(_)),
                Reverse(index.frecency[i]),
                e.name.len(),
                i,
            )
        };
        let limit = limit.unwrap_or(hits.len()).min(hits.len());
        if limit < hits.len() {
            hits.select_nth_unstable_by_key(limit, key);
            hits.truncate(limit);
        }
        hits.sort_unstable_by_key(key);
        hits.into_iter()
            .map(|(i, tier, score)| {
                let e = &index.entries[i];
                let mut name_indices = Vec::new();
                if !query.trim().is_empty() {
                    pattern.indices(e.name32.slice(..), &mut self.matcher, &mut name_indices);
                    name_indices.sort_unstable();
                    name_indices.dedup();
                }
                SearchHit {
                    node: e.node,
                    tier,
                    score,
                    name_indices,
                }
            })
            .collect()
    }
}

fn tier(e: &Entry, q_lower: &str) -> u8 {
    if e.name_lower == q_lower || e.id == q_lower {
        3
    } else if e.name_lower.starts_with(q_lower) || (q_lower.len() >= 4 && e.id.starts_with(q_lower))
    {
        2
    } else if e.name_lower.contains(q_lower) {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod ranking_tests;
#[cfg(test)]
mod tests;
