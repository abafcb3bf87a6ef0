//! The search index: every account's and OU's texts in one arena, as byte spans.

use nucleo_matcher::Utf32Str;

use crate::model::{Hierarchy, Node};

/// An entry's texts, as byte ranges of its index's one text arena: 10,000 accounts are a few
/// allocations, not six each (building and freeing those was a quarter of `ls QUERY`), and the
/// index can be stored as it is ([`IndexParts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntrySpans {
    pub name: (u32, u32),
    /// Inside `all_lower` (IDs are lowercase), unless this ID is not.
    pub id: (u32, u32),
    /// The name, then "id email path tag=value…" (everything else searchable), lowercased, for
    /// the substring match.
    pub all_lower: (u32, u32),
    pub name_lower_len: u32,
}

pub struct SearchIndex {
    text: String,
    /// Per entry, accounts (by account index) first, then OUs.
    pub(super) spans: Vec<EntrySpans>,
    /// Per entry: nucleo can read the name as it is.
    pub(super) ascii_name: Vec<bool>,
    pub(super) accounts: usize,
    /// Per entry: the user's frecency of the account (0 for OUs and unvisited accounts),
    /// fixed-point so ranking compares integers.
    pub(super) frecency: Vec<u32>,
    /// Per entry: its place among the favourites and recents that lead an empty query
    /// (`u32::MAX` when it is neither).
    pub(super) lead: Vec<u32>,
}

impl SearchIndex {
    pub fn new(h: &Hierarchy) -> Self {
        // Joined once per OU, not once per account (10,000 accounts share a few hundred).
        let paths: Vec<String> = (0..h.ou_count()).map(|i| h.ou_path(i).join("/")).collect();
        let mut text = String::new();
        let mut scratch = String::new();
        let mut spans = Vec::with_capacity(h.account_count() + h.ou_count());
        for i in 0..h.account_count() {
            let a = h.account(i);
            let parts = [a.id.as_str(), &a.email, &paths[h.account_parent(i)]];
            spans.push(push_entry(
                &mut text,
                &mut scratch,
                &a.name,
                &parts,
                &a.tags,
            ));
        }
        for (i, path) in paths.iter().enumerate() {
            let o = h.ou(i);
            let parts = [o.id.as_str(), path];
            spans.push(push_entry(
                &mut text,
                &mut scratch,
                &o.name,
                &parts,
                &o.tags,
            ));
        }
        Self::from_parts(IndexParts {
            text,
            accounts: h.account_count(),
            spans,
        })
        .expect("spans pushed into this text")
    }

    /// The index as stored: its text, how many entries are accounts, and their spans.
    pub fn into_parts(self) -> IndexParts {
        IndexParts {
            text: self.text,
            accounts: self.accounts,
            spans: self.spans,
        }
    }

    /// Every entry's texts, one after another: the index stores these.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The spans of every entry, accounts first.
    pub fn spans(&self) -> &[EntrySpans] {
        &self.spans
    }

    /// Entry `k`'s name and ID (accounts are entries `0..accounts`, OUs follow).
    pub fn name_and_id(&self, k: usize) -> (&str, &str) {
        (self.name(k), self.id(k))
    }

    pub(super) fn node(&self, k: usize) -> Node {
        if k < self.accounts {
            Node::Account(k)
        } else {
            Node::Ou(k - self.accounts)
        }
    }

    /// An index from stored parts; `None` when a span is not text of `text` (a damaged file).
    pub fn from_parts(parts: IndexParts) -> Option<Self> {
        let IndexParts {
            text,
            accounts,
            spans,
        } = parts;
        let mut ascii_name = Vec::with_capacity(spans.len());
        for e in &spans {
            let name = slice(&text, e.name)?;
            slice(&text, e.id)?;
            let lower = slice(&text, e.all_lower)?;
            lower.get(e.name_lower_len as usize..)?;
            ascii_name.push(name.is_ascii());
        }
        let n = spans.len();
        Some(Self {
            text,
            spans,
            ascii_name,
            accounts: accounts.min(n),
            frecency: vec![0; n],
            lead: vec![u32::MAX; n],
        })
    }

    /// What the history says, computed once when the tree or the history changes (never per
    /// keystroke): `frecency(account index)` breaks ties between equally good matches, and
    /// `lead` (account indices: favourites, then recents) comes first for an empty query.
    pub fn set_history(&mut self, frecency: impl Fn(usize) -> f64, lead: &[usize]) {
        for k in 0..self.spans.len() {
            self.frecency[k] = match self.node(k) {
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
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// (name, the rest lowercased) of every entry: what is matched. Benchmarks feed these to
    /// other matchers.
    pub fn haystacks(&self) -> impl Iterator<Item = (&str, &str)> {
        (0..self.len()).map(|k| (self.name(k), self.rest_lower(k)))
    }

    fn span(&self, (start, len): (u32, u32)) -> &str {
        &self.text[start as usize..(start + len) as usize]
    }

    pub(super) fn name(&self, k: usize) -> &str {
        self.span(self.spans[k].name)
    }

    pub(super) fn all_lower(&self, k: usize) -> &str {
        self.span(self.spans[k].all_lower)
    }

    pub(super) fn name_lower(&self, k: usize) -> &str {
        &self.all_lower(k)[..self.spans[k].name_lower_len as usize]
    }

    pub(super) fn id(&self, k: usize) -> &str {
        self.span(self.spans[k].id)
    }

    fn rest_lower(&self, k: usize) -> &str {
        let name_lower_len = self.spans[k].name_lower_len as usize;
        self.all_lower(k)
            .get(name_lower_len + 1..)
            .unwrap_or_default()
    }

    /// The name as nucleo reads it: ASCII names (nearly all) as they are, others decoded into
    /// `buf`.
    pub(super) fn name32<'a>(&'a self, k: usize, buf: &'a mut Vec<char>) -> Utf32Str<'a> {
        let name = self.name(k);
        if self.ascii_name[k] {
            Utf32Str::Ascii(name.as_bytes())
        } else {
            Utf32Str::new(name, buf)
        }
    }
}

/// A stored index: its text arena, how many of its entries are accounts (they come first), and
/// each entry's spans.
pub struct IndexParts {
    pub text: String,
    pub accounts: usize,
    pub spans: Vec<EntrySpans>,
}

fn slice(text: &str, (start, len): (u32, u32)) -> Option<&str> {
    text.get(start as usize..start.checked_add(len)? as usize)
}

/// Appends an entry's name and lowercased text (and its ID, when that is not lowercase) to
/// `text`; `scratch` is reused between entries.
fn push_entry(
    text: &mut String,
    scratch: &mut String,
    name: &str,
    parts: &[&str],
    tags: &crate::model::Tags,
) -> EntrySpans {
    let at = |text: &String| text.len() as u32;
    let name_start = at(text);
    text.push_str(name);
    let lower_start = at(text);
    push_lowercase(text, name);
    let name_lower_len = at(text) - lower_start;
    text.push(' ');
    scratch.clear();
    push_rest(scratch, parts, tags);
    let rest_start = at(text);
    push_lowercase(text, scratch);
    let lower_end = at(text);
    let id = parts[0];
    let id_span = if text[rest_start as usize..].starts_with(id) {
        (rest_start, id.len() as u32)
    } else {
        let start = at(text);
        text.push_str(id);
        (start, id.len() as u32)
    };
    EntrySpans {
        name: (name_start, lower_start - name_start),
        id: id_span,
        all_lower: (lower_start, lower_end - lower_start),
        name_lower_len,
    }
}

/// "part part… tag=value…".
fn push_rest(out: &mut String, parts: &[&str], tags: &crate::model::Tags) {
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
}

/// Appends `part` lowercased; ASCII text (nearly all of it: IDs, emails, tags) without
/// Unicode tables.
fn push_lowercase(text: &mut String, part: &str) {
    if part.is_ascii() {
        let start = text.len();
        text.push_str(part);
        text[start..].make_ascii_lowercase();
    } else {
        text.push_str(&part.to_lowercase());
    }
}
