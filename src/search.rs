//! Search over every account and OU: the name fuzzily, the 12-digit ID, email, OU path and tags
//! by substring (every query word must occur).
//!
//! Fuzzy matching the long ID/email/path/tags text was both the slowest part (nucleo's optimal
//! algorithm over ~150 characters per entry) and the noisiest (letters scattered across email
//! and tags). nucleo-matcher was chosen over fuzzy-matcher by measurement (`benches/search.rs`,
//! README). Names are converted to UTF-32 once, at index time, so a keystroke only matches.

use std::cmp::Reverse;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use crate::model::Node;

mod index;
pub use index::{EntrySpans, IndexParts, SearchIndex};

/// Name matches outrank matches found only in the ID, email, path or tags.
const NAME_BONUS: u32 = 64;
/// Score of an entry found only by substring in its other fields.
const FIELD_SCORE: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everything,
    AccountsOnly,
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

/// Holds the matcher's scratch memory and the previous query's candidates, so typing one more
/// character only re-checks what still matched.
pub struct Searcher {
    matcher: Matcher,
    last_query: String,
    last_scope: Scope,
    candidates: Vec<usize>,
    /// Scratch for names nucleo cannot read as ASCII.
    buf: Vec<char>,
}

impl Default for Searcher {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            last_query: String::new(),
            last_scope: Scope::Everything,
            candidates: Vec::new(),
            buf: Vec::new(),
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
            let end = match scope {
                Scope::Everything => index.len(),
                Scope::AccountsOnly => index.accounts,
            };
            (0..end).collect()
        };
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let q_lower = query.trim().to_lowercase();
        let empty = query.trim().is_empty();
        let words: Vec<&str> = q_lower.split_whitespace().collect();
        let mut hits: Vec<(usize, u8, u32)> = Vec::new();
        for i in pool {
            if empty {
                hits.push((i, 0, 0));
                continue;
            }
            let name = index.name32(i, &mut self.buf);
            let score = match pattern.score(name, &mut self.matcher) {
                Some(s) => s + NAME_BONUS,
                None if words.iter().all(|w| index.all_lower(i).contains(w)) => FIELD_SCORE,
                None => continue,
            };
            hits.push((i, tier(index, i, &q_lower), score));
        }
        self.candidates = hits.iter().map(|h| h.0).collect();
        self.last_query = query.to_string();
        self.last_scope = scope;
        // Equal match quality: accounts before OUs, then the more frecent.
        let key = |&(i, tier, score): &(usize, u8, u32)| {
            (
                if empty { index.lead[i] } else { 0 },
                Reverse(tier),
                Reverse(score),
                i >= index.accounts,
                Reverse(index.frecency[i]),
                index.spans[i].name.1,
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
                let mut name_indices = Vec::new();
                if !empty {
                    let name = index.name32(i, &mut self.buf);
                    pattern.indices(name, &mut self.matcher, &mut name_indices);
                    name_indices.sort_unstable();
                    name_indices.dedup();
                }
                SearchHit {
                    node: index.node(i),
                    tier,
                    score,
                    name_indices,
                }
            })
            .collect()
    }
}

fn tier(index: &SearchIndex, k: usize, q_lower: &str) -> u8 {
    let (name_lower, id) = (index.name_lower(k), index.id(k));
    if name_lower == q_lower || id == q_lower {
        3
    } else if name_lower.starts_with(q_lower) || (q_lower.len() >= 4 && id.starts_with(q_lower)) {
        2
    } else if name_lower.contains(q_lower) {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod ranking_tests;
#[cfg(test)]
mod tests;
