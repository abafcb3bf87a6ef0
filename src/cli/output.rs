//! What `ls` and `tree` print: public so benchmarks measure exactly the shipped code.

use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::model::{Hierarchy, Node, Tags};
use crate::search::{Scope, SearchIndex, Searcher};
use crate::text::pad;

#[derive(Serialize)]
struct AccountJson<'a> {
    id: &'a str,
    name: &'a str,
    email: &'a str,
    status: &'a str,
    path: &'a [String],
    tags: &'a Tags,
}

/// Accounts matching `query`, best first; without a query, in tree order.
pub fn ranked_accounts(h: &Hierarchy, query: &str) -> Vec<usize> {
    if query.trim().is_empty() {
        // Tree order: the hierarchy's children are already sorted, so a walk needs no sort.
        let mut all = Vec::with_capacity(h.account_count());
        let mut stack = vec![h.root()];
        while let Some(ou) = stack.pop() {
            all.extend_from_slice(h.child_accounts(ou));
            stack.extend(h.child_ous(ou).iter().rev());
        }
        return all;
    }
    let index = SearchIndex::new(h);
    Searcher::default()
        .search(&index, query, Scope::AccountsOnly, None)
        .into_iter()
        .filter_map(|hit| match hit.node {
            Node::Account(i) => Some(i),
            Node::Ou(_) => None,
        })
        .collect()
}

pub fn write_json(out: &mut impl Write, h: &Hierarchy, accounts: &[usize]) -> std::io::Result<()> {
    let rows: Vec<AccountJson> = accounts
        .iter()
        .map(|&i| {
            let a = h.account(i);
            AccountJson {
                id: &a.id,
                name: &a.name,
                email: &a.email,
                status: a.status.as_str(),
                path: h.account_path(i),
                tags: &a.tags,
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
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

pub fn write_table(out: &mut impl Write, h: &Hierarchy, accounts: &[usize]) -> std::io::Result<()> {
    let rows: Vec<[String; 4]> = accounts
        .iter()
        .map(|&i| {
            let a = h.account(i);
            [
                a.name.clone(),
                a.id.clone(),
                a.status.as_str().to_string(),
                Hierarchy::path_string(h.account_path(i)),
            ]
        })
        .collect();
    let header = ["NAME", "ID", "STATUS", "PATH"].map(String::from);
    let mut widths = [0usize; 3];
    for r in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.width());
        }
    }
    for r in std::iter::once(&header).chain(&rows) {
        writeln!(
            out,
            "{}  {}  {}  {}",
            pad(&r[0], widths[0]),
            pad(&r[1], widths[1]),
            pad(&r[2], widths[2]),
            r[3]
        )?;
    }
    Ok(())
}

pub fn write_tree(out: &mut impl Write, h: &Hierarchy) -> std::io::Result<()> {
    let mut stack = vec![(Node::Ou(h.root()), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        let indent = "  ".repeat(depth);
        match node {
            Node::Ou(i) => {
                let ou = h.ou(i);
                let partial = if ou.incomplete.is_some() {
                    " [partial: access denied]"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{indent}{}/ ({}, {} accounts){partial}",
                    ou.name,
                    ou.id,
                    h.total_accounts(i)
                )?;
                stack.extend(
                    h.child_accounts(i)
                        .iter()
                        .rev()
                        .map(|&a| (Node::Account(a), depth + 1)),
                );
                stack.extend(
                    h.child_ous(i)
                        .iter()
                        .rev()
                        .map(|&o| (Node::Ou(o), depth + 1)),
                );
            }
            Node::Account(i) => {
                let a = h.account(i);
                let status = if a.status.is_inactive() {
                    format!(" [{}]", a.status.as_str())
                } else {
                    String::new()
                };
                writeln!(out, "{indent}{}  {}{status}", a.name, a.id)?;
            }
        }
    }
    Ok(())
}
