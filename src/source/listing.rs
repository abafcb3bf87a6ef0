//! The cached listing, `orgs/KEY.idx` beside `orgs/KEY.json`: what `orgnav ls` needs (the
//! search index as built, each account's columns, the tree order) in a form that is read
//! without decoding the snapshot. `ls QUERY` from a 10,000-account cache spent half its time
//! decoding accounts and tags into owned strings and a third building and freeing the search
//! index; read from here it copies one text and a table of numbers (README, Performance).
//!
//! Derived data, like the binary twin: stamped with the JSON it was made from (`cache_bin`'s
//! stamp) and used only while that JSON is the one on disk; anything wrong with it and `ls`
//! reads the snapshot instead, and writes a new one. Its layout is in `listing_file`.

use crate::model::{AccountStatus, AccountView, Hierarchy};
use crate::search::{IndexParts, SearchIndex};

/// Every status an account can have, by its code in the file.
pub(super) const STATUSES: [AccountStatus; 6] = [
    AccountStatus::Active,
    AccountStatus::Suspended,
    AccountStatus::PendingActivation,
    AccountStatus::PendingClosure,
    AccountStatus::Closed,
    AccountStatus::Unknown,
];

/// A byte range of the index's text.
pub(super) type Span = (u32, u32);

/// Marks "not partial" in the OU table.
pub(super) const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct AccountRow {
    pub parent: u32,
    pub email: Span,
    pub status: u32,
    /// First entry in `Listing::tags` and how many.
    pub tags: (u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OuRow {
    /// Its OU path: first entry in `Listing::paths` and how many (the root's is empty).
    pub path: (u32, u32),
    /// Why the OU's listing was partial (`NONE` when it was not).
    pub incomplete: Span,
}

pub struct Listing {
    pub(super) index: SearchIndex,
    pub(super) fetched_at: i64,
    pub(super) accounts: Vec<AccountRow>,
    pub(super) ous: Vec<OuRow>,
    /// (key, value) spans.
    pub(super) tags: Vec<(Span, Span)>,
    /// OU indices of every OU's path, from the root's child down to the OU itself.
    pub(super) paths: Vec<u32>,
    /// Account indices in the navigator's order.
    pub(super) tree: Vec<u32>,
}

impl Listing {
    /// The listing of `h`, crawled at `fetched_at`.
    pub fn of(h: &Hierarchy, fetched_at: jiff::Timestamp) -> Self {
        let IndexParts {
            text,
            accounts,
            spans,
        } = SearchIndex::new(h).into_parts();
        let mut text = Texts::new(text);
        let mut tags = Vec::new();
        let account_rows = (0..h.account_count())
            .map(|i| {
                let a = h.account(i);
                let first = tags.len() as u32;
                let lower = spans[i].all_lower;
                tags.extend(
                    a.tags
                        .iter()
                        .map(|(k, v)| (text.put(k, Some(lower)), text.put(v, Some(lower)))),
                );
                AccountRow {
                    parent: h.account_parent(i) as u32,
                    email: text.put(&a.email, Some(lower)),
                    status: STATUSES.iter().position(|s| *s == a.status).unwrap_or(5) as u32,
                    tags: (first, tags.len() as u32 - first),
                }
            })
            .collect();
        let mut paths = Vec::new();
        let ous = (0..h.ou_count())
            .map(|i| {
                let first = paths.len() as u32;
                paths.extend(ou_path(h, i));
                OuRow {
                    path: (first, paths.len() as u32 - first),
                    incomplete: (h.ou(i).incomplete.as_deref())
                        .map_or((NONE, 0), |why| text.put(why, None)),
                }
            })
            .collect();
        let tree = h.accounts_in_tree_order().into_iter().map(|i| i as u32);
        let index = SearchIndex::from_parts(IndexParts {
            text: text.text,
            accounts,
            spans,
        })
        .expect("spans of this text");
        Self {
            index,
            fetched_at: fetched_at.as_second(),
            accounts: account_rows,
            ous,
            tags,
            paths,
            tree: tree.collect(),
        }
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// When the snapshot it was made from was crawled.
    pub fn fetched_at(&self) -> jiff::Timestamp {
        jiff::Timestamp::from_second(self.fetched_at).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    /// Account indices in tree order (`ls` without a query).
    pub fn tree_order(&self) -> Vec<usize> {
        self.tree.iter().map(|&i| i as usize).collect()
    }

    /// (name, id, why) of every OU whose listing was partial.
    pub fn partial_ous(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        (self.ous.iter().enumerate())
            .filter(|(_, o)| o.incomplete.0 != NONE)
            .map(|(i, o)| {
                let (name, id) = self.index.name_and_id(self.accounts.len() + i);
                (name, id, self.text(o.incomplete))
            })
    }

    pub fn view(&self, i: usize) -> AccountView<'_> {
        let row = &self.accounts[i];
        let (name, id) = self.index.name_and_id(i);
        let (first, count) = row.tags;
        let tags = &self.tags[first as usize..(first + count) as usize];
        AccountView {
            id,
            name,
            email: self.text(row.email),
            status: STATUSES[row.status as usize],
            path: self.path(row.parent as usize),
            tags: tags
                .iter()
                .map(|&(k, v)| (self.text(k), self.text(v)))
                .collect(),
        }
    }

    /// OU names from the root's child down to OU `ou`.
    fn path(&self, ou: usize) -> Vec<&str> {
        // No OU at all (a snapshot without a root): the root's empty path, as in `Hierarchy`.
        let Some(&OuRow {
            path: (first, count),
            ..
        }) = self.ous.get(ou)
        else {
            return Vec::new();
        };
        let links = &self.paths[first as usize..(first + count) as usize];
        let ou_name = |&o: &u32| self.index.name_and_id(self.accounts.len() + o as usize).0;
        links.iter().map(ou_name).collect()
    }

    pub(super) fn text(&self, (start, len): Span) -> &str {
        &self.index.text()[start as usize..(start + len) as usize]
    }
}

/// The index's text, growing by what the listing adds to it: a string already there (in the
/// entry's lowercased text, or added before — tag keys and most values repeat across
/// thousands of accounts) is pointed at, not added again. A third of the file, otherwise.
struct Texts {
    text: String,
    added: std::collections::HashMap<String, Span>,
}

impl Texts {
    fn new(text: String) -> Self {
        Self {
            text,
            added: Default::default(),
        }
    }

    /// Where `s` is: in the entry's lowercased text `within` (when it is lowercase), added
    /// before, or added now.
    fn put(&mut self, s: &str, within: Option<Span>) -> Span {
        let n = s.len() as u32;
        if let Some((start, len)) = within.filter(|_| !s.is_empty()) {
            let within = &self.text[start as usize..(start + len) as usize];
            if let Some(at) = within.find(s) {
                return (start + at as u32, n);
            }
        }
        if let Some(&span) = self.added.get(s) {
            return span;
        }
        let span = (self.text.len() as u32, n);
        self.text.push_str(s);
        self.added.insert(s.to_string(), span);
        span
    }
}

/// The OU indices along `h.ou_path(i)`: the parent links up to the root, reversed. An OU the
/// tree cannot reach from the root (a cycle in damaged data) has an empty path, as there.
fn ou_path(h: &Hierarchy, i: usize) -> Vec<u32> {
    let mut chain = Vec::new();
    let mut cur = i;
    while let Some(p) = h.ou_parent(cur) {
        if chain.len() >= h.ou_count() {
            return Vec::new();
        }
        chain.push(cur as u32);
        cur = p;
    }
    chain.reverse();
    let names = chain.iter().map(|&o| h.ou(o as usize).name.as_str());
    if names.eq(h.ou_path(i).iter().map(String::as_str)) {
        chain
    } else {
        Vec::new()
    }
}
