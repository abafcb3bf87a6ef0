//! Resolving the ACCOUNT argument: a 12-digit ID, an exact name (case-insensitive), or a fuzzy
//! query with one clear best match. Anything else is a usage error listing the candidates.

use super::CliError;
use crate::model::org::is_account_id;
use crate::model::{Hierarchy, Node};
use crate::search::{Scope, SearchIndex, Searcher};

fn describe(h: &Hierarchy, i: usize) -> String {
    let a = h.account(i);
    format!(
        "  {}  {}  {}",
        a.name,
        a.id,
        Hierarchy::path_string(h.account_path(i))
    )
}

fn ambiguous(h: &Hierarchy, query: &str, candidates: &[usize]) -> CliError {
    let mut msg = format!("`{query}` matches several accounts; use the ID or a more precise name:");
    for &i in candidates.iter().take(10) {
        msg.push('\n');
        msg.push_str(&describe(h, i));
    }
    if candidates.len() > 10 {
        msg.push_str(&format!("\n  … and {} more", candidates.len() - 10));
    }
    CliError::usage(msg)
}

pub fn resolve_account(h: &Hierarchy, query: &str) -> Result<usize, CliError> {
    let q = query.trim();
    if q.is_empty() {
        return Err(CliError::usage("ACCOUNT is empty"));
    }
    if is_account_id(q) {
        return h
            .account_index(q)
            .ok_or_else(|| CliError::usage(format!("no account with ID {q} in the organization")));
    }
    let exact: Vec<usize> = (0..h.account_count())
        .filter(|&i| h.account(i).name.eq_ignore_ascii_case(q))
        .collect();
    match exact.len() {
        1 => return Ok(exact[0]),
        0 => {}
        _ => return Err(ambiguous(h, q, &exact)),
    }
    let index = SearchIndex::new(h);
    let hits = Searcher::default().search(&index, q, Scope::AccountsOnly, Some(11));
    let accounts: Vec<(usize, u8)> = hits
        .iter()
        .filter_map(|hit| match hit.node {
            Node::Account(i) => Some((i, hit.tier)),
            Node::Ou(_) => None,
        })
        .collect();
    match accounts.as_slice() {
        [] => Err(CliError::usage(format!(
            "no account matches `{q}` (try `orgnav ls {q}`)"
        ))),
        [(only, _)] => Ok(*only),
        // One clear best: its match is of a stronger kind (exact > prefix > substring > fuzzy).
        [(best, t0), (_, t1), ..] if t0 > t1 => Ok(*best),
        _ => Err(ambiguous(
            h,
            q,
            &accounts.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        )),
    }
}

/// `--ou`: an OU or root ID, a path from the root (`Workloads/Prod`), or a unique OU name;
/// all case-insensitive.
pub fn resolve_ou(h: &Hierarchy, query: &str) -> Result<usize, CliError> {
    let q = query.trim().trim_matches('/');
    if let Some(i) = h.ou_index(q) {
        return Ok(i);
    }
    if q.is_empty() {
        return Ok(h.root());
    }
    let path_matches: Vec<usize> = (0..h.ou_count())
        .filter(|&i| Hierarchy::path_string(h.ou_path(i)).eq_ignore_ascii_case(q))
        .collect();
    if let [only] = path_matches.as_slice() {
        return Ok(*only);
    }
    let named: Vec<usize> = (0..h.ou_count())
        .filter(|&i| h.ou(i).name.eq_ignore_ascii_case(q))
        .collect();
    match named.as_slice() {
        [only] => Ok(*only),
        [] => Err(CliError::usage(format!(
            "no OU `{q}`: give its ID (ou-…), its path (e.g. Workloads/Prod) or its name"
        ))),
        several => {
            let mut msg = format!("`{q}` names several OUs; use the ID or the path:");
            for &i in several {
                msg.push_str(&format!(
                    "\n  {}  {}",
                    h.ou(i).id,
                    Hierarchy::path_string(h.ou_path(i))
                ));
            }
            Err(CliError::usage(msg))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hierarchy::tests::{account, sample_org};

    fn h() -> Hierarchy {
        let mut org = sample_org();
        org.accounts.push(account("444444444444", "shared", "ou-p"));
        org.accounts.push(account("555555555555", "shared", "ou-d"));
        Hierarchy::new(org)
    }

    fn name(h: &Hierarchy, r: Result<usize, CliError>) -> String {
        h.account(r.unwrap_or_else(|e| panic!("{}", e.message)))
            .name
            .clone()
    }

    #[test]
    fn ids_names_and_clear_fuzzy_matches_resolve() {
        let h = h();
        assert_eq!(
            name(&h, resolve_account(&h, "222222222222")),
            "billing-prod"
        );
        assert_eq!(
            name(&h, resolve_account(&h, "Payments-Dev")),
            "payments-dev"
        );
        assert_eq!(name(&h, resolve_account(&h, "billing")), "billing-prod");
        assert_eq!(name(&h, resolve_account(&h, "manag")), "management");
    }

    #[test]
    fn ous_resolve_by_id_path_and_name() {
        let h = h();
        let root = h.root();
        assert_eq!(resolve_ou(&h, "/").unwrap(), root);
        let i = resolve_ou(&h, &h.ou(1).id).unwrap();
        assert_eq!(i, 1);
        let path = Hierarchy::path_string(h.ou_path(1)).to_uppercase();
        assert_eq!(resolve_ou(&h, &path).unwrap(), 1);
        assert_eq!(resolve_ou(&h, "no-such-ou").unwrap_err().code, 2);
        assert_eq!(h.accounts_under(root).len(), h.account_count());
        let workloads = resolve_ou(&h, "workloads").unwrap();
        let names: Vec<&str> = h
            .accounts_under(workloads)
            .into_iter()
            .map(|i| h.account(i).name.as_str())
            .collect();
        assert_eq!(names.len(), 5, "{names:?}");
        assert!(!names.contains(&"management"));
    }

    #[test]
    fn ambiguity_and_unknowns_are_usage_errors() {
        let h = h();
        let e = resolve_account(&h, "payments").unwrap_err();
        assert_eq!(e.code, 2);
        assert!(
            e.message.contains("payments-prod") && e.message.contains("payments-dev"),
            "{}",
            e.message
        );
        let e = resolve_account(&h, "shared").unwrap_err();
        assert!(e.message.contains("444444444444") && e.message.contains("555555555555"));
        assert_eq!(resolve_account(&h, "999999999999").unwrap_err().code, 2);
        assert_eq!(resolve_account(&h, "zzqqxx").unwrap_err().code, 2);
    }
}
