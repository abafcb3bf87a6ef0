//! The stored listing gives exactly what the snapshot gives, and a damaged file is refused,
//! never a panic.

use super::super::listing::Listing;
use super::{decode, encode};
use crate::cli::output::search_index;
use crate::model::{Hierarchy, synthetic};
use crate::search::{Scope, SearchIndex};

fn odd() -> Hierarchy {
    Hierarchy::new(synthetic::odd_org(400, 30))
}

fn at() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_700_000_000).unwrap()
}

fn stored(h: &Hierarchy) -> Vec<u8> {
    let mut body = Vec::new();
    encode(&Listing::of(h, at()), &mut body);
    body
}

#[test]
fn every_account_reads_back_as_the_snapshot_has_it() {
    let h = odd();
    let listing = decode(&stored(&h)).expect("decodes");
    assert_eq!(listing.fetched_at(), at());
    for i in 0..h.account_count() {
        assert_eq!(listing.view(i), h.view(i), "account {i}");
    }
    assert_eq!(listing.tree_order(), h.accounts_in_tree_order());
    let partial: Vec<(String, String, String)> = (h.org.ous.iter())
        .filter_map(|o| Some((o.name.clone(), o.id.clone(), o.incomplete.clone()?)))
        .collect();
    let listed: Vec<(String, String, String)> = (listing.partial_ous())
        .map(|(n, i, w)| (n.into(), i.into(), w.into()))
        .collect();
    assert!(!partial.is_empty());
    assert_eq!(listed, partial);
}

#[test]
fn the_stored_index_ranks_as_a_freshly_built_one() {
    let h = odd();
    let listing = decode(&stored(&h)).unwrap();
    let fresh = SearchIndex::new(&h);
    for query in [
        "prod",
        "zürich",
        "東京",
        "wert ß",
        "key=with",
        "ccc",
        "100000007919",
        "!prod ledg",
    ] {
        for scope in [Scope::AccountsOnly, Scope::Everything] {
            let want = search_index(&fresh, query, scope);
            assert_eq!(
                search_index(listing.index(), query, scope),
                want,
                "{query:?}"
            );
        }
    }
}

#[test]
fn a_cut_or_altered_file_is_refused_or_read_without_a_panic() {
    let h = Hierarchy::new(synthetic::odd_org(12, 4));
    let body = stored(&h);
    for len in 0..body.len() {
        assert!(decode(&body[..len]).is_none(), "cut at {len}");
    }
    for at in 0..body.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = body.clone();
            bad[at] ^= flip;
            if let Some(l) = decode(&bad) {
                // Whatever it says, reading every account of it must not panic.
                (0..h.account_count()).for_each(|i| drop(l.view(i)));
                let _ = search_index(l.index(), "p", Scope::Everything);
            }
        }
    }
}
