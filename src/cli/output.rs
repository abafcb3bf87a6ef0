//! What `ls` and `tree` print: public so benchmarks measure exactly the shipped code.

use std::io::Write;

use super::table::{Column, Look, Paint, Table};
use crate::model::production::ProductionRule;
use crate::model::{AccountView, Hierarchy, Node};
use crate::search::{Scope, SearchIndex, Searcher};

/// Accounts matching `query`, best first; without a query, in tree order (as `tree` and the
/// navigator show them).
pub fn ranked_accounts(h: &Hierarchy, query: &str) -> Vec<usize> {
    if query.trim().is_empty() {
        return h.accounts_in_tree_order();
    }
    accounts_matching(&SearchIndex::new(h), query)
}

/// The accounts of `index` matching `query`, best first.
pub fn accounts_matching(index: &SearchIndex, query: &str) -> Vec<usize> {
    search_index(index, query, Scope::AccountsOnly)
        .into_iter()
        .filter_map(|node| match node {
            Node::Account(i) => Some(i),
            Node::Ou(_) => None,
        })
        .collect()
}

/// What the fuzzy search finds for `query`, best first.
pub fn search(h: &Hierarchy, query: &str, scope: Scope) -> Vec<Node> {
    search_index(&SearchIndex::new(h), query, scope)
}

/// What the fuzzy search finds for `query` in `index`, best first.
pub fn search_index(index: &SearchIndex, query: &str, scope: Scope) -> Vec<Node> {
    Searcher::default()
        .search(index, query, scope, None)
        .into_iter()
        .map(|hit| hit.node)
        .collect()
}

pub fn write_json(out: &mut impl Write, h: &Hierarchy, accounts: &[usize]) -> std::io::Result<()> {
    write_json_views(out, accounts.iter().map(|&i| h.view(i)).collect())
}

/// The `ls --json` array of `rows`.
pub fn write_json_views(out: &mut impl Write, rows: Vec<AccountView>) -> std::io::Result<()> {
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
    let rows = accounts.iter().map(|&i| h.view(i));
    let table = view_table(rows, Some(production));
    out.write_all(table.render(look).as_bytes())
}

/// NAME, ID, STATUS, PATH of `accounts`; names in production colours when `production` says.
pub fn account_table(
    h: &Hierarchy,
    accounts: &[usize],
    production: Option<&ProductionRule>,
) -> Table {
    view_table(accounts.iter().map(|&i| h.view(i)), production)
}

/// [`account_table`] of accounts wherever they are held.
pub fn view_table<'a>(
    rows: impl Iterator<Item = AccountView<'a>>,
    production: Option<&ProductionRule>,
) -> Table {
    let mut table = Table::new(&[
        Column::shrinkable("NAME", 1),
        Column::fixed("ID"),
        Column::fixed("STATUS"),
        Column::path("PATH", 0),
    ]);
    for a in rows {
        let production =
            production.is_some_and(|p| p.is_production_named(a.name, a.tags.iter().copied()));
        let name_paint = if production {
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
            (a.name.to_string(), name_paint),
            (a.id.to_string(), Paint::Plain),
            (a.status.as_str().to_string(), status_paint),
            (a.path_string(), Paint::Plain),
        ]);
    }
    table
}
