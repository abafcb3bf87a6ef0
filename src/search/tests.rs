use super::*;
use crate::model::Hierarchy;
use crate::model::hierarchy::tests::{account, sample_org};

pub(super) fn names(h: &Hierarchy, hits: &[SearchHit]) -> Vec<String> {
    hits.iter()
        .map(|hit| match hit.node {
            Node::Ou(i) => format!("ou:{}", h.ou(i).name),
            Node::Account(i) => h.account(i).name.clone(),
        })
        .collect()
}

fn run(h: &Hierarchy, q: &str) -> Vec<String> {
    let idx = SearchIndex::new(h);
    names(
        h,
        &Searcher::default().search(&idx, q, Scope::Everything, None),
    )
}

pub(super) fn org_with_extras() -> Hierarchy {
    let mut org = sample_org();
    org.accounts.push(account("555555555555", "pay", "ou-d"));
    let mut tagged = account("666666666666", "ledger-primary", "ou-s");
    tagged.tags.insert("Team".into(), "Treasury".into());
    tagged.email = "finance-ops@corp.example".into();
    org.accounts.push(tagged);
    Hierarchy::new(org)
}

#[test]
fn exact_name_beats_fuzzy_and_prefix() {
    let h = org_with_extras();
    let r = run(&h, "pay");
    assert_eq!(r[0], "pay");
    assert!(
        r[1..].iter().take(2).all(|n| n.starts_with("payments")),
        "{r:?}"
    );
}

#[test]
fn exact_id_is_first() {
    let h = org_with_extras();
    assert_eq!(run(&h, "222222222222")[0], "billing-prod");
    assert_eq!(run(&h, "2222")[0], "billing-prod");
}

#[test]
fn path_tags_and_email_are_searchable() {
    let h = org_with_extras();
    assert!(run(&h, "treasury").contains(&"ledger-primary".to_string()));
    assert!(run(&h, "finance-ops").contains(&"ledger-primary".to_string()));
    // "Workloads/Prod" is only in the path of billing-prod and payments-prod.
    let r = run(&h, "workloads/prod");
    assert!(
        r.contains(&"billing-prod".to_string()) && r.contains(&"payments-prod".to_string()),
        "{r:?}"
    );
    assert!(!r.contains(&"payments-dev".to_string()), "{r:?}");
}

#[test]
fn ous_are_found_and_can_be_excluded() {
    let h = org_with_extras();
    assert!(run(&h, "sandbox").contains(&"ou:Sandbox".to_string()));
    let idx = SearchIndex::new(&h);
    let hits = Searcher::default().search(&idx, "sandbox", Scope::AccountsOnly, None);
    assert!(hits.iter().all(|hit| matches!(hit.node, Node::Account(_))));
}

#[test]
fn highlight_indices_point_into_the_name() {
    let h = org_with_extras();
    let idx = SearchIndex::new(&h);
    let hits = Searcher::default().search(&idx, "bpd", Scope::Everything, None);
    let top = &hits[0];
    assert_eq!(names(&h, &hits[..1]), ["billing-prod"]);
    assert_eq!(top.name_indices, [0, 8, 11]);
}

#[test]
fn narrowing_gives_same_results_as_fresh_search() {
    let h = org_with_extras();
    let idx = SearchIndex::new(&h);
    let mut s = Searcher::default();
    let mut incremental = Vec::new();
    for q in ["p", "pa", "pay", "paym", "paymx", "paym"] {
        incremental = s.search(&idx, q, Scope::Everything, None);
        let fresh = Searcher::default().search(&idx, q, Scope::Everything, None);
        assert_eq!(incremental, fresh, "query {q}");
    }
    assert!(!incremental.is_empty());
}

#[test]
fn empty_query_lists_everything_and_limit_applies() {
    let h = org_with_extras();
    let idx = SearchIndex::new(&h);
    assert_eq!(
        Searcher::default()
            .search(&idx, "", Scope::Everything, None)
            .len(),
        idx.len()
    );
    assert_eq!(
        Searcher::default()
            .search(&idx, "", Scope::Everything, Some(2))
            .len(),
        2
    );
    assert!(
        Searcher::default()
            .search(&idx, "zzzzqqq", Scope::Everything, None)
            .is_empty()
    );
}

#[test]
fn accents_match_plain_letters() {
    let mut org = sample_org();
    org.accounts
        .push(account("777777777777", "équipe-données", "r-1"));
    let h = Hierarchy::new(org);
    assert_eq!(run(&h, "equipe")[0], "équipe-données");
}
