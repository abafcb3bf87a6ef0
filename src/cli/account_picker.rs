//! Which accounts the inline account picker offers for a query: the recently entered ones first
//! while nothing is typed, then the same search as `orgnav ls`.

use crate::access::history::History;
use crate::model::{Hierarchy, Node};
use crate::search::{Scope, SearchIndex, Searcher};

/// Rows offered at most: the picker scrolls through them; typing narrows further.
const MAX_OFFERED: usize = 200;
/// Recent accounts listed first on an empty query.
const RECENTS: usize = 8;

/// Accounts for the picker, best first: for an empty query the recent ones (most recent first)
/// then every other account in tree order; otherwise the search's ranking, ties broken by
/// frecency.
pub struct AccountFilter<'a> {
    h: &'a Hierarchy,
    index: SearchIndex,
    searcher: Searcher,
    recent: Vec<usize>,
}

impl<'a> AccountFilter<'a> {
    pub fn new(h: &'a Hierarchy, history: &History) -> Self {
        let recent = history.recent_in(h, RECENTS);
        let mut index = SearchIndex::new(h);
        // Equally good matches: the accounts entered more (and more lately) first, as in the TUI.
        history.rank_search(h, &mut index, &[]);
        Self {
            h,
            index,
            searcher: Searcher::default(),
            recent,
        }
    }

    pub fn accounts(&mut self, query: &str) -> Vec<usize> {
        if query.trim().is_empty() {
            let rest = (0..self.h.account_count()).filter(|i| !self.recent.contains(i));
            return self
                .recent
                .iter()
                .copied()
                .chain(rest)
                .take(MAX_OFFERED)
                .collect();
        }
        self.searcher
            .search(&self.index, query, Scope::AccountsOnly, Some(MAX_OFFERED))
            .iter()
            .filter_map(|hit| match hit.node {
                Node::Account(i) => Some(i),
                Node::Ou(_) => None,
            })
            .collect()
    }

    /// The accounts with their picker rows; recent ones are marked while nothing is typed.
    pub fn rows(&mut self, query: &str) -> Vec<(usize, String)> {
        let accounts = self.accounts(query);
        let rows = super::target::account_rows(self.h, &accounts);
        accounts
            .into_iter()
            .zip(rows)
            .map(|(i, row)| {
                if query.trim().is_empty() && self.recent.contains(&i) {
                    (i, format!("{row}  · recent"))
                } else {
                    (i, row)
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::history::EntryKind;
    use crate::model::hierarchy::tests::sample_org;

    fn names(h: &Hierarchy, accounts: &[usize]) -> Vec<String> {
        accounts
            .iter()
            .map(|&i| h.account(i).name.clone())
            .collect()
    }

    #[test]
    fn recents_come_first_until_something_is_typed() {
        let h = Hierarchy::new(sample_org());
        let id = |name: &str| {
            let i = (0..h.account_count())
                .find(|&i| h.account(i).name == name)
                .unwrap();
            h.account(i).id.clone()
        };
        let mut history = History::default();
        history.remember(&id("payments-dev"), "A", EntryKind::Shell, 1);
        history.remember(&id("billing-prod"), "A", EntryKind::Exec, 2);
        history.remember("999999999999", "A", EntryKind::Exec, 3);
        let mut filter = AccountFilter::new(&h, &history);
        let all = names(&h, &filter.accounts(""));
        assert_eq!(all[..2], ["billing-prod", "payments-dev"], "{all:?}");
        assert_eq!(all.len(), h.account_count(), "each account once: {all:?}");
        let rows = filter.rows("");
        assert!(rows[0].1.ends_with("· recent"), "{rows:?}");
        assert!(!rows[2].1.contains("recent"), "{rows:?}");
        // Typing ranks by the search, as `orgnav ls` does.
        let found = names(&h, &filter.accounts("payments-dev"));
        assert_eq!(found[0], "payments-dev", "{found:?}");
        assert!(!found.contains(&"billing-prod".to_string()), "{found:?}");
    }

    #[test]
    fn typed_queries_break_ties_by_frecency_and_recents_skip_accounts_gone() {
        let h = Hierarchy::new(sample_org());
        let plain = names(
            &h,
            &AccountFilter::new(&h, &History::default()).accounts("prod"),
        );
        assert_eq!(plain.len(), 2, "{plain:?}");
        // Make the one ranked second the one entered often: it must come first.
        let second = (0..h.account_count())
            .find(|&i| h.account(i).name == plain[1])
            .unwrap();
        let mut history = History::default();
        let now = crate::access::history::now();
        for at in 0..5 {
            history.remember(&h.account(second).id, "A", EntryKind::Shell, now - 100 + at);
        }
        // Eight recent accounts that left the organization still leave room for real ones.
        for n in 0..8 {
            history.remember(
                &format!("99999999990{n}"),
                "A",
                EntryKind::Shell,
                now - 50 + n,
            );
        }
        let mut filter = AccountFilter::new(&h, &history);
        assert_eq!(names(&h, &filter.accounts("prod"))[0], plain[1]);
        assert_eq!(names(&h, &filter.accounts(""))[0], plain[1]);
    }
}
