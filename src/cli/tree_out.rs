//! What `tree` prints: the OU/account tree as indented text or nested JSON, whole or only
//! what a query matches (with the OUs above it, so every match is seen in place).

use std::collections::HashSet;
use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::output::search;
use super::table::{Look, Paint};
use crate::model::production::ProductionRule;
use crate::model::{AccountView, Hierarchy, Node};
use crate::search::Scope;
use crate::text::{cut, plural};

/// The narrowest a name is cut to when a line is wider than the terminal.
const MIN_NAME: usize = 8;

/// The nodes `tree QUERY` shows: every match (account or OU) and the OUs above it; `None`
/// without a query (everything).
pub fn kept_nodes(h: &Hierarchy, query: &str) -> Option<HashSet<Node>> {
    if query.trim().is_empty() {
        return None;
    }
    let mut kept = HashSet::new();
    for node in search(h, query, Scope::Everything) {
        kept.extend(h.ancestors(node).into_iter().map(Node::Ou));
        kept.insert(node);
    }
    Some(kept)
}

fn shown(kept: Option<&HashSet<Node>>, node: Node) -> bool {
    kept.is_none_or(|k| k.contains(&node))
}

/// `name` then `rest`, after `indent`, with the name cut when the line is wider than `look`'s.
fn line(indent: &str, name: &str, rest: &str, paint: Paint, look: &Look) -> String {
    let name = match look.width {
        Some(w) => {
            let room = w.saturating_sub(indent.width() + rest.width());
            cut(name, room.max(MIN_NAME))
        }
        None => name.to_string(),
    };
    format!("{indent}{}{rest}\n", look.paint(&name, paint))
}

/// The indented tree: `Name/ (ou-id, N accounts)` and `name  ID [STATUS]` lines.
pub fn write_tree(
    out: &mut impl Write,
    h: &Hierarchy,
    kept: Option<&HashSet<Node>>,
    production: &ProductionRule,
    look: &Look,
) -> std::io::Result<()> {
    let mut text = String::new();
    for (node, depth) in h.tree_order() {
        if !shown(kept, node) {
            continue;
        }
        let indent = "  ".repeat(depth);
        match node {
            Node::Ou(i) => {
                let ou = h.ou(i);
                let partial = if ou.incomplete.is_some() {
                    " [partial: access denied]"
                } else {
                    ""
                };
                let count = plural(h.total_accounts(i), "account");
                let rest = format!("/ ({}, {count}){partial}", ou.id);
                text.push_str(&line(&indent, &ou.name, &rest, Paint::Plain, look));
            }
            Node::Account(i) => {
                let a = h.account(i);
                let status = if a.status.is_inactive() {
                    format!(" [{}]", a.status.as_str())
                } else {
                    String::new()
                };
                let paint = if production.is_production(a) {
                    Paint::Production
                } else {
                    Paint::Plain
                };
                let rest = format!("  {}{}", a.id, look.paint(&status, Paint::Dim));
                text.push_str(&line(&indent, &a.name, &rest, paint, look));
            }
        }
    }
    out.write_all(text.as_bytes())
}

/// One OU of `tree --json`: its accounts and child OUs, nested.
#[derive(Serialize)]
struct OuJson<'a> {
    id: &'a str,
    name: &'a str,
    /// OU names from the root (empty for the root).
    path: &'a [String],
    /// Why the OU's children could not all be read; absent when they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    incomplete: Option<&'a str>,
    accounts: Vec<AccountView<'a>>,
    children: Vec<OuJson<'a>>,
}

fn ou_json<'a>(h: &'a Hierarchy, i: usize, kept: Option<&HashSet<Node>>) -> OuJson<'a> {
    let ou = h.ou(i);
    OuJson {
        id: &ou.id,
        name: &ou.name,
        path: h.ou_path(i),
        incomplete: ou.incomplete.as_deref(),
        accounts: (h.child_accounts(i).iter())
            .filter(|&&a| shown(kept, Node::Account(a)))
            .map(|&a| h.view(a))
            .collect(),
        children: (h.child_ous(i).iter())
            .filter(|&&o| shown(kept, Node::Ou(o)))
            .map(|&o| ou_json(h, o, kept))
            .collect(),
    }
}

/// The root OU as nested JSON (`null` when a query matched nothing).
pub fn write_tree_json(
    out: &mut impl Write,
    h: &Hierarchy,
    kept: Option<&HashSet<Node>>,
) -> std::io::Result<()> {
    let root = shown(kept, Node::Ou(h.root())).then(|| ou_json(h, h.root(), kept));
    serde_json::to_writer_pretty(&mut *out, &root).map_err(std::io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hierarchy::tests::sample_org;

    fn text(kept: Option<&HashSet<Node>>, look: &Look) -> String {
        let h = Hierarchy::new(sample_org());
        let mut out = Vec::new();
        write_tree(&mut out, &h, kept, &ProductionRule::default(), look).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_query_keeps_the_matches_and_the_ous_above_them() {
        let h = Hierarchy::new(sample_org());
        let all = text(None, &Look::default());
        let some = kept_nodes(&h, "payments-prod").unwrap();
        let filtered = text(Some(&some), &Look::default());
        assert!(filtered.lines().count() < all.lines().count(), "{filtered}");
        assert!(
            filtered.starts_with(all.lines().next().unwrap()),
            "{filtered}"
        );
        for l in filtered.lines() {
            assert!(all.contains(l), "{l}");
        }
    }

    #[test]
    fn narrow_terminals_cut_names_not_ids() {
        let look = Look {
            colour: false,
            width: Some(24),
        };
        let h = Hierarchy::new(sample_org());
        let narrow = text(None, &look);
        for l in narrow.lines() {
            // Only names are cut, and not below MIN_NAME: IDs and counts stay whole.
            let name = l.trim_start().split(['/', ' ']).next().unwrap();
            assert!(l.width() <= 24 || name.width() <= MIN_NAME, "{l}");
        }
        assert!(narrow.contains('…'), "{narrow}");
        for i in 0..h.account_count() {
            assert!(narrow.contains(&h.account(i).id));
        }
    }
}
