//! Resolving the ACCOUNT argument. Only a 12-digit ID or an exact name (case-insensitive)
//! resolves silently; anything fuzzy — even a single hit — is shown before it is used: an
//! inline picker on a terminal, otherwise a usage error listing the candidates (or, with
//! `--pick-best`, the best one, named on stderr).

use unicode_width::UnicodeWidthStr;

use super::CliError;
use crate::access::history::History;
use crate::model::org::is_account_id;
use crate::model::{Hierarchy, Node};
use crate::search::{Scope, SearchIndex, Searcher};

/// Candidates listed (and offered in the picker) at most.
const MAX_CANDIDATES: usize = 10;

/// What ACCOUNT names: one account for sure, or candidates (best first) to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Exact(usize),
    /// Several accounts have exactly this name: none is better than another.
    SameName(Vec<usize>),
    /// Fuzzy matches, best first.
    Candidates(Vec<usize>),
}

/// How candidates are confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Take the best candidate and say so on stderr (`--pick-best`).
    PickBest,
    /// Ask on the terminal with the inline picker.
    Ask,
    /// No terminal: list the candidates and exit 2.
    Refuse,
}

pub fn resolve_account(h: &Hierarchy, query: &str) -> Result<Resolved, CliError> {
    let q = query.trim();
    if q.is_empty() {
        return Err(CliError::usage("ACCOUNT is empty"));
    }
    if is_account_id(q) {
        return h.account_index(q).map(Resolved::Exact).ok_or_else(|| {
            CliError::usage(format!(
                "no account with ID {q} in the organization{}",
                partial_note(h)
            ))
        });
    }
    let exact: Vec<usize> = (0..h.account_count())
        .filter(|&i| h.account(i).name.eq_ignore_ascii_case(q))
        .collect();
    match exact.len() {
        1 => return Ok(Resolved::Exact(exact[0])),
        0 => {}
        _ => return Ok(Resolved::SameName(exact)),
    }
    let index = SearchIndex::new(h);
    let accounts: Vec<usize> = Searcher::default()
        .search(&index, q, Scope::AccountsOnly, Some(MAX_CANDIDATES + 1))
        .iter()
        .filter_map(|hit| match hit.node {
            Node::Account(i) => Some(i),
            Node::Ou(_) => None,
        })
        .collect();
    if accounts.is_empty() {
        return Err(CliError::usage(format!(
            "no account matches `{q}` (try `orgnav ls {q}`){}",
            partial_note(h)
        )));
    }
    Ok(Resolved::Candidates(accounts))
}

/// The account ACCOUNT names, confirmed as `confirm` says.
pub fn choose_account(h: &Hierarchy, query: &str, confirm: Confirm) -> Result<usize, CliError> {
    choose_or_pick(h, Some(query), confirm, &History::default()).map(|c| c.account)
}

/// The account chosen, and whether the user picked it in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen {
    pub account: usize,
    pub picked: bool,
}

/// As `choose_account`; without ACCOUNT the picker opens on a terminal (recents first), and
/// anything else is told to name one.
pub fn choose_or_pick(
    h: &Hierarchy,
    query: Option<&str>,
    confirm: Confirm,
    history: &History,
) -> Result<Chosen, CliError> {
    let Some(query) = query else {
        if confirm != Confirm::Ask {
            return Err(CliError::usage(
                "name an ACCOUNT (ID, exact name or a search): `orgnav ls QUERY` lists them; \
                 on a terminal orgnav offers a picker",
            ));
        }
        return pick_account(h, "Enter which account?", "", None, history);
    };
    let q = query.trim();
    let (candidates, same_name) = match resolve_account(h, query)? {
        Resolved::Exact(i) => {
            return Ok(Chosen {
                account: i,
                picked: false,
            });
        }
        Resolved::SameName(c) => (c, true),
        Resolved::Candidates(c) => (c, false),
    };
    let best = match confirm {
        // Among accounts of one name there is no best: only the ID (or the picker) decides.
        Confirm::PickBest if same_name => return Err(unconfirmed(h, q, &candidates, same_name)),
        Confirm::PickBest => candidates[0],
        Confirm::Ask => {
            let title = format!("`{q}` is not an exact account name or ID; enter which account?");
            return pick_account(h, &title, q, Some(&candidates), history);
        }
        Confirm::Refuse => return Err(unconfirmed(h, q, &candidates, same_name)),
    };
    crate::note!(
        "orgnav: `{q}` → {} ({}), the best of {} match{}",
        h.account(best).name,
        h.account(best).id,
        candidates.len(),
        if candidates.len() == 1 { "" } else { "es" }
    );
    Ok(Chosen {
        account: best,
        picked: false,
    })
}

/// The inline picker over every account, starting at `query` (whose own matches are
/// `candidates` when ACCOUNT already found them); Esc is a usage error (exit 2).
fn pick_account(
    h: &Hierarchy,
    title: &str,
    query: &str,
    candidates: Option<&[usize]>,
    history: &History,
) -> Result<Chosen, CliError> {
    let mut filter = super::account_picker::AccountFilter::new(h, history);
    let picked = super::picker::pick(title, query, |typed| match candidates {
        Some(c) if typed == query => c.iter().copied().zip(account_rows(h, c)).collect(),
        _ => filter.rows(typed),
    })?;
    match picked {
        Some(account) => Ok(Chosen {
            account,
            picked: true,
        }),
        None => Err(CliError::usage("cancelled: no account chosen")),
    }
}

/// One aligned line per account: name, ID, OU path, state when not ACTIVE.
pub fn account_rows(h: &Hierarchy, accounts: &[usize]) -> Vec<String> {
    let width = accounts
        .iter()
        .map(|&i| h.account(i).name.width())
        .max()
        .unwrap_or(0);
    accounts
        .iter()
        .map(|&i| {
            let a = h.account(i);
            let pad = " ".repeat(width - a.name.width());
            let state = if a.status.is_inactive() {
                format!("  [{}]", a.status.as_str())
            } else {
                String::new()
            };
            let path = Hierarchy::path_string(h.account_path(i));
            format!("{}{pad}  {}  {path}{state}", a.name, a.id)
        })
        .collect()
}

fn unconfirmed(h: &Hierarchy, q: &str, candidates: &[usize], same_name: bool) -> CliError {
    let mut msg = if same_name {
        format!("`{q}` names {} accounts; use the ID:", candidates.len())
    } else {
        format!(
            "`{q}` is not an exact account name or ID; matching accounts, best first \
             (use the ID or the exact name, or --pick-best to take the first):"
        )
    };
    // The `ls` table, indented under the message (without production colours: no config here).
    let shown = &candidates[..candidates.len().min(MAX_CANDIDATES)];
    let mut look = super::table::Look::stderr();
    look.width = look.width.map(|w| w.saturating_sub(2));
    let table = super::output::account_table(h, shown, None).render(&look);
    for row in table.lines() {
        msg.push_str("\n  ");
        msg.push_str(row);
    }
    if candidates.len() > MAX_CANDIDATES {
        msg.push_str("\n  … and more (`orgnav ls QUERY` lists them all)");
    }
    msg.push_str(&partial_note(h));
    CliError::usage(msg)
}

/// When part of the tree could not be read, the account meant may be the missing one.
fn partial_note(h: &Hierarchy) -> String {
    let partial: Vec<String> = h
        .incomplete_ous()
        .map(|i| Hierarchy::path_string(h.ou_path(i)))
        .map(|p| if p.is_empty() { "Root".to_string() } else { p })
        .collect();
    if partial.is_empty() {
        return String::new();
    }
    format!(
        "\nnote: the tree is partial ({} could not be read): the account you mean may be there",
        partial.join(", ")
    )
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

    fn exact(h: &Hierarchy, q: &str) -> String {
        match resolve_account(h, q) {
            Ok(Resolved::Exact(i)) => h.account(i).name.clone(),
            other => panic!("{q}: {other:?}"),
        }
    }

    fn candidates(h: &Hierarchy, q: &str) -> Vec<String> {
        match resolve_account(h, q) {
            Ok(Resolved::Candidates(c)) => c.iter().map(|&i| h.account(i).name.clone()).collect(),
            other => panic!("{q}: {other:?}"),
        }
    }

    #[test]
    fn only_ids_and_exact_names_resolve_silently() {
        let h = h();
        assert_eq!(exact(&h, "222222222222"), "billing-prod");
        assert_eq!(exact(&h, "Payments-Dev"), "payments-dev");
        // A single fuzzy hit, or one clearly best, still has to be confirmed.
        assert_eq!(candidates(&h, "billing"), ["billing-prod"]);
        assert_eq!(candidates(&h, "manag"), ["management"]);
    }

    #[test]
    fn a_prefix_match_never_hides_a_better_account() {
        let mut org = sample_org();
        org.accounts
            .push(account("666666666666", "prod-legacy", "ou-p"));
        let h = Hierarchy::new(org);
        let found = candidates(&h, "prod");
        // The only prefix match no longer stands alone: every account with "prod" is listed.
        for name in ["prod-legacy", "payments-prod", "billing-prod"] {
            assert!(found.contains(&name.to_string()), "{name}: {found:?}");
        }
        let e = choose_account(&h, "prod", Confirm::Refuse).unwrap_err();
        assert_eq!(e.code, 2);
        assert!(
            e.message.contains("prod-legacy") && e.message.contains("--pick-best"),
            "{}",
            e.message
        );
        let best = choose_account(&h, "prod", Confirm::PickBest).unwrap();
        assert_eq!(h.account(best).name, found[0]);
    }

    #[test]
    fn candidates_are_listed_aligned_and_a_partial_tree_is_mentioned() {
        let mut org = sample_org();
        org.ous[1].incomplete = Some("AccessDenied".into());
        let h = Hierarchy::new(org);
        let e = choose_account(&h, "payments", Confirm::Refuse).unwrap_err();
        let rows: Vec<&str> = (e.message.lines().filter(|l| l.starts_with("  ")))
            .skip(1) // the header
            .collect();
        assert!(rows.len() >= 2, "{}", e.message);
        let id_column: Vec<usize> = rows
            .iter()
            .map(|r| r.find(char::is_numeric).unwrap())
            .collect();
        assert!(id_column.windows(2).all(|w| w[0] == w[1]), "{}", e.message);
        assert!(e.message.contains("partial"), "{}", e.message);
    }

    #[test]
    fn without_account_and_terminal_the_user_is_told_to_name_one() {
        let h = h();
        for confirm in [Confirm::Refuse, Confirm::PickBest] {
            let e = choose_or_pick(&h, None, confirm, &History::default()).unwrap_err();
            assert_eq!(e.code, 2);
            assert!(e.message.contains("name an ACCOUNT"), "{}", e.message);
        }
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
        let e = choose_account(&h, "payments", Confirm::Refuse).unwrap_err();
        assert_eq!(e.code, 2);
        assert!(
            e.message.contains("payments-prod") && e.message.contains("payments-dev"),
            "{}",
            e.message
        );
        // Two accounts of one name: refused, even with --pick-best (no match is better).
        for confirm in [Confirm::Refuse, Confirm::PickBest] {
            let e = choose_account(&h, "shared", confirm).unwrap_err();
            assert_eq!(e.code, 2);
            assert!(
                e.message.contains("444444444444") && e.message.contains("use the ID"),
                "{}",
                e.message
            );
        }
        assert_eq!(resolve_account(&h, "999999999999").unwrap_err().code, 2);
        assert_eq!(resolve_account(&h, "zzqqxx").unwrap_err().code, 2);
    }
}
