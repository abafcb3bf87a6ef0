//! How the user's history ranks search: frecency breaks ties, accounts before OUs, favourites
//! and recents lead an empty query.

use super::tests::{names, org_with_extras};
use super::*;
use crate::model::Hierarchy;
use crate::model::hierarchy::tests::{account, sample_org};

fn searched(h: &Hierarchy, idx: &SearchIndex, q: &str) -> Vec<String> {
    names(
        h,
        &Searcher::default().search(idx, q, Scope::Everything, None),
    )
}

#[test]
fn frecency_breaks_ties_between_equal_matches() {
    let mut org = sample_org();
    org.accounts.push(account("555555555555", "team-a", "ou-d"));
    org.accounts.push(account("666666666666", "team-b", "ou-d"));
    let h = Hierarchy::new(org);
    let mut idx = SearchIndex::new(&h);
    assert_eq!(searched(&h, &idx, "team")[..2], ["team-a", "team-b"]);
    let b = h.account_index("666666666666").unwrap();
    idx.set_history(|i| if i == b { 2.5 } else { 0.0 }, &[]);
    assert_eq!(searched(&h, &idx, "team")[..2], ["team-b", "team-a"]);
    // A better match still wins over a more frecent one.
    assert_eq!(searched(&h, &idx, "team-a")[0], "team-a");
}

#[test]
fn accounts_rank_above_ous_at_equal_match_quality() {
    let mut org = sample_org();
    // "box" inside "Sandbox" (an OU) and "sandboxes" (an account): the same match, the
    // OU's name shorter.
    org.accounts
        .push(account("555555555555", "sandboxes", "ou-d"));
    let h = Hierarchy::new(org);
    let idx = SearchIndex::new(&h);
    let hits = Searcher::default().search(&idx, "box", Scope::Everything, None);
    assert_eq!((hits[0].tier, hits[0].score), (hits[1].tier, hits[1].score));
    assert_eq!(names(&h, &hits)[..2], ["sandboxes", "ou:Sandbox"]);
}

#[test]
fn an_empty_query_lists_favourites_and_recents_first() {
    let h = org_with_extras();
    let mut idx = SearchIndex::new(&h);
    let id = |id: &str| h.account_index(id).unwrap();
    let lead = [id("666666666666"), id("222222222222"), id("666666666666")];
    idx.set_history(|_| 0.0, &lead);
    let r = searched(&h, &idx, "");
    assert_eq!(r[..2], ["ledger-primary", "billing-prod"]);
    assert_eq!(r.len(), idx.len(), "everything is still listed");
    assert_eq!(
        searched(&h, &idx, "  ")[..2],
        ["ledger-primary", "billing-prod"]
    );
}
