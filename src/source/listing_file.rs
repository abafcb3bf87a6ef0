//! The listing's file: magic, the JSON's stamp, a header of counts, little-endian u32 tables,
//! then one UTF-8 text, last so that it is read straight into its own buffer. Read with a
//! handful of bounds checks instead of a parser: that is the point of it. A whole process's
//! `ls QUERY` is dominated by the memory it touches (page faults), so nothing is copied twice.
//!
//! ```text
//! MAGIC, stamp (4 × u64)
//! header: version, fetched_at (2 × u32), accounts, ous, text bytes, tags, path links, tree
//! entries (accounts + ous) × 7   name, ID, lowercased text, name's length in it
//! accounts × 6                   parent OU, email, status, first tag, tags
//! ous × 4                        first path link, links, why partial (start = u32::MAX: not)
//! tags × 4, path links, tree
//! text
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};

use super::cache_bin::head;
use super::listing::{AccountRow, Listing, NONE, OuRow, STATUSES};
use crate::fsutil;
use crate::model::Hierarchy;
use crate::model::org::SNAPSHOT_VERSION;
use crate::search::{EntrySpans, IndexParts, SearchIndex};

/// File magic and layout generation: a new layout changes the last byte.
const MAGIC: &[u8; 8] = b"orgnavL\x02";
const HEADER: usize = 9 * 4;

/// The listing file beside the JSON cache at `json`.
pub fn path_for(json: &Path) -> PathBuf {
    json.with_extension("idx")
}

/// Writes the listing of `h` beside the JSON at `json` (whose metadata is `meta`), atomically
/// (0600).
pub fn write(
    json: &Path,
    meta: &std::fs::Metadata,
    h: &Hierarchy,
    fetched_at: jiff::Timestamp,
) -> std::io::Result<()> {
    let mut bytes = head(MAGIC, meta);
    encode(&Listing::of(h, fetched_at), &mut bytes);
    fsutil::write_private_atomic(&path_for(json), &bytes)
}

/// The listing beside `json`, when there is one made from the JSON now on disk.
pub fn read(json: &Path) -> Option<Listing> {
    let meta = std::fs::metadata(json).ok()?;
    let mut file = std::fs::File::open(path_for(json)).ok()?;
    let expected = head(MAGIC, &meta);
    let mut first = vec![0; expected.len() + HEADER];
    file.read_exact(&mut first).ok()?;
    let header = first.strip_prefix(expected.as_slice())?;
    // What the header promises is checked against the file before anything is allocated.
    let mut left = file
        .metadata()
        .ok()?
        .len()
        .checked_sub(first.len() as u64)?;
    let listing = read_body(header, |n| {
        left = left.checked_sub(n as u64)?;
        let mut buf = vec![0; n];
        file.read_exact(&mut buf).ok()?;
        Some(buf)
    })
    .filter(|_| left == 0);
    if listing.is_none() {
        tracing::debug!(path = %path_for(json).display(), "listing unusable: reading the cache");
    }
    listing
}

/// Whether the listing beside `json` was made from it (its head alone is read).
pub fn is_current(json: &Path) -> bool {
    let (Ok(meta), Ok(file)) = (std::fs::metadata(json), std::fs::File::open(path_for(json)))
    else {
        return false;
    };
    let mut first = Vec::new();
    let expected = head(MAGIC, &meta);
    let read = file.take(expected.len() as u64).read_to_end(&mut first);
    read.is_ok() && first == expected
}

fn put(out: &mut Vec<u8>, values: &[u32]) {
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// Appends the listing's body (what follows the magic and the stamp) to `out`.
pub fn encode(l: &Listing, out: &mut Vec<u8>) {
    let text = l.index.text();
    let at = l.fetched_at as u64;
    put(out, &[SNAPSHOT_VERSION, at as u32, (at >> 32) as u32]);
    let counts = [
        l.accounts.len(),
        l.ous.len(),
        text.len(),
        l.tags.len(),
        l.paths.len(),
    ];
    put(out, &counts.map(|n| n as u32));
    put(out, &[l.tree.len() as u32]);
    for s in l.index.spans() {
        let [a, b, c] = [s.name, s.id, s.all_lower];
        put(out, &[a.0, a.1, b.0, b.1, c.0, c.1, s.name_lower_len]);
    }
    for a in &l.accounts {
        put(
            out,
            &[a.parent, a.email.0, a.email.1, a.status, a.tags.0, a.tags.1],
        );
    }
    for o in &l.ous {
        put(out, &[o.path.0, o.path.1, o.incomplete.0, o.incomplete.1]);
    }
    for (k, v) in &l.tags {
        put(out, &[k.0, k.1, v.0, v.1]);
    }
    put(out, &l.paths);
    put(out, &l.tree);
    out.extend_from_slice(text.as_bytes());
}

/// The listing from `encode`'s bytes; `None` when they are not a whole, consistent listing.
pub fn decode(body: &[u8]) -> Option<Listing> {
    let (header, mut rest) = body.split_at_checked(HEADER)?;
    let listing = read_body(header, |n| {
        let (chunk, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(chunk.to_vec())
    });
    listing.filter(|_| rest.is_empty())
}

/// Reads u32 tables off the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    /// `rows` rows of `N` words, each made into a `T` by `make`.
    fn rows<const N: usize, T>(
        &mut self,
        rows: usize,
        make: impl Fn([u32; N]) -> T,
    ) -> Option<Vec<T>> {
        let (bytes, rest) = self.0.split_at_checked(rows.checked_mul(4 * N)?)?;
        self.0 = rest;
        let word = |row: &[u8], k: usize| {
            let w = &row[4 * k..4 * k + 4];
            u32::from_le_bytes([w[0], w[1], w[2], w[3]])
        };
        let rows = bytes.chunks_exact(4 * N);
        Some(
            rows.map(|row| make(std::array::from_fn(|k| word(row, k))))
                .collect(),
        )
    }

    fn words(&mut self, n: usize) -> Option<Vec<u32>> {
        self.rows(n, |[w]| w)
    }
}

/// The listing whose header is `header`, its tables and text taken from `take(bytes)`.
fn read_body(header: &[u8], mut take: impl FnMut(usize) -> Option<Vec<u8>>) -> Option<Listing> {
    let mut r = Reader(header);
    let [version, at_lo, at_hi] = r.rows(1, |w: [u32; 3]| w)?[0];
    let [accounts, ous, text_len, tags, links, tree] =
        r.rows(1, |w: [u32; 6]| w)?[0].map(|n| n as usize);
    if version != SNAPSHOT_VERSION {
        return None;
    }
    let rows = [
        accounts.checked_add(ous)? * 7,
        accounts * 6,
        ous * 4,
        tags * 4,
        links,
        tree,
    ];
    let words = rows.iter().try_fold(0usize, |sum, n| sum.checked_add(*n))?;
    let tables = take(words.checked_mul(4)?)?;
    let text = String::from_utf8(take(text_len)?).ok()?;
    let mut r = Reader(&tables);
    let spans = r.rows(
        accounts + ous,
        |[n0, n1, i0, i1, l0, l1, name_lower_len]| EntrySpans {
            name: (n0, n1),
            id: (i0, i1),
            all_lower: (l0, l1),
            name_lower_len,
        },
    )?;
    let account_rows = r.rows(accounts, |[parent, e0, e1, status, t0, tn]| AccountRow {
        parent,
        email: (e0, e1),
        status,
        tags: (t0, tn),
    })?;
    let ous = r.rows(ous, |[p0, pn, i0, i1]| OuRow {
        path: (p0, pn),
        incomplete: (i0, i1),
    })?;
    let tags = r.rows(tags, |[k0, k1, v0, v1]| ((k0, k1), (v0, v1)))?;
    let paths = r.words(links)?;
    let tree = r.words(tree)?;
    let index = SearchIndex::from_parts(IndexParts {
        text,
        accounts,
        spans,
    })?;
    let listing = Listing {
        index,
        fetched_at: (u64::from(at_hi) << 32 | u64::from(at_lo)) as i64,
        accounts: account_rows,
        ous,
        tags,
        paths,
        tree,
    };
    consistent(&listing).then_some(listing)
}

/// Every span is text of the listing and every index points at a row: what `Listing`'s
/// accessors index without checking.
fn consistent(l: &Listing) -> bool {
    let text = l.index.text();
    let in_text = |(start, len): (u32, u32)| {
        start
            .checked_add(len)
            .is_some_and(|end| text.get(start as usize..end as usize).is_some())
    };
    let in_table = |(first, n): (u32, u32), len: usize| {
        first.checked_add(n).is_some_and(|end| end as usize <= len)
    };
    let accounts_ok = l.accounts.iter().all(|a| {
        in_text(a.email) && (a.status as usize) < STATUSES.len() && in_table(a.tags, l.tags.len())
    });
    let ous_ok = (l.ous.iter()).all(|o| {
        in_table(o.path, l.paths.len()) && (o.incomplete.0 == NONE || in_text(o.incomplete))
    });
    accounts_ok
        && ous_ok
        && l.tags.iter().all(|&(k, v)| in_text(k) && in_text(v))
        && l.paths.iter().all(|&o| (o as usize) < l.ous.len())
        && l.tree.iter().all(|&a| (a as usize) < l.accounts.len())
}

#[cfg(test)]
#[path = "listing_tests.rs"]
mod tests;
