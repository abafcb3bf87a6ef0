//! What `ls` and `tree` print: public so benchmarks measure exactly the shipped code.

use std::io::Write;

use serde::Serialize;

use super::table::{Column, Look, Paint, Table};
use crate::model::production::ProductionRule;
use crate::model::{Hierarchy, Node, Tags};
use crate::search::{Scope, SearchIndex, Searcher};

#[derive(Serialize)]
pub(super) struct AccountJson<'a> {
    id: &'a str,
    name: &'a str,
    email: &'a str,
    status: &'a str,
    path: &'a [String],
    tags: &'a Tags,
}

/// Accounts matching `query`, best first; without a query, in tree order (as `tree` and the
/// navigator show them).
pub fn ranked_accounts(h: &Hierarchy, query: &str) -> Vec<usize> {
    if query.trim().is_empty() {
        return tree_order(h)
            .into_iter()
            .filter_map(|(node, _)| match node {
                Node::Account(i) => Some(i),
                Node::Ou(_) => None,
            })
            .collect();
    }
    search(h, query, Scope::AccountsOnly)
        .into_iter()
        .filter_map(|node| match node {
            Node::Account(i) => Some(i),
            Node::Ou(_) => None,
        })
        .collect()
}

/// What the fuzzy search finds for `query`, best first.
pub fn search(h: &Hierarchy, query: &str, scope: Scope) -> Vec<Node> {
    let index = SearchIndex::new(h);
    Searcher::default()
        .search(&index, query, scope, None)
        .into_iter()
        .map(|hit| hit.node)
        .collect()
}

/// Every node with its depth, in the navigator's order: an OU, then its child OUs (each with
/// its whole subtree), then its own accounts. The hierarchy's children are already sorted.
pub fn tree_order(h: &Hierarchy) -> Vec<(Node, usize)> {
    let mut out = Vec::with_capacity(h.account_count() + h.ou_count());
    let mut stack = vec![(Node::Ou(h.root()), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        out.push((node, depth));
        if let Node::Ou(i) = node {
            let accounts = h.child_accounts(i).iter().rev().map(|&a| Node::Account(a));
            let ous = h.child_ous(i).iter().rev().map(|&o| Node::Ou(o));
            stack.extend(accounts.chain(ous).map(|n| (n, depth + 1)));
        }
    }
    out
}

impl<'a> AccountJson<'a> {
    pub(super) fn of(h: &'a Hierarchy, i: usize) -> Self {
        let a = h.account(i);
        AccountJson {
            id: &a.id,
            name: &a.name,
            email: &a.email,
            status: a.status.as_str(),
            path: h.account_path(i),
            tags: &a.tags,
        }
    }
}

pub fn write_json(out: &mut impl Write, h: &Hierarchy, accounts: &[usize]) -> std::io::Result<()> {
    let rows: Vec<AccountJson> = accounts.iter().map(|&i| AccountJson::of(h, i)).collect();
    // `From` keeps the I/O error kind, so a closed pipe stays a closed pipe.
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// The outcome of writing to stdout: a closed pipe (`orgnav ls | head`) is not an error.
pub fn written(r: std::io::Result<()>) -> Result<(), super::CliError> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| super::CliError::runtime(format!("cannot write output: {e}"))),
    }
}

/// Prints `text` to stdout without panicking on a closed pipe.
pub fn emit(text: &str) -> Result<(), super::CliError> {
    written(std::io::stdout().lock().write_all(text.as_bytes()))
}

/// The `ls` table: production accounts marked on a terminal, paths then names shortened to
/// fit it, IDs never.
pub fn write_table(
    out: &mut impl Write,
    h: &Hierarchy,
    accounts: &[usize],
    production: &ProductionRule,
    look: &Look,
) -> std::io::Result<()> {
    let table = account_table(h, accounts, Some(production));
    out.write_all(table.render(look).as_bytes())
}

/// NAME, ID, STATUS, PATH of `accounts`; names in production colours when `production` says.
pub fn account_table(
    h: &Hierarchy,
    accounts: &[usize],
    production: Option<&ProductionRule>,
) -> Table {
    let mut table = Table::new(&[
        Column::shrinkable("NAME", 1),
        Column::fixed("ID"),
        Column::fixed("STATUS"),
        Column::path("PATH", 0),
    ]);
    for &i in accounts {
        let a = h.account(i);
        let name_paint = if production.is_some_and(|p| p.is_production(a)) {
            Paint::Production
        } else {
            Paint::Plain
        };
        let status_paint = if a.status.is_inactive() {
            Paint::Dim
        } else {
            Paint::Plain
        };
        table.push(vec![
            (a.name.clone(), name_paint),
            (a.id.clone(), Paint::Plain),
            (a.status.as_str().to_string(), status_paint),
            (Hierarchy::path_string(h.account_path(i)), Paint::Plain),
        ]);
    }
    table
}
