//! One account as `ls` and `tree --json` print it, borrowed from wherever it is held: the
//! [`Hierarchy`] of a decoded snapshot, or the cache's stored listing (`source::listing`), which
//! `ls` reads without decoding the snapshot. One shape and one writer for both keeps their
//! output identical.

use serde::{Serialize, Serializer};

use super::hierarchy::{Hierarchy, Node};
use super::org::AccountStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub status: AccountStatus,
    /// OU names from the root down to the account's parent (the root excluded).
    pub path: Vec<&'a str>,
    /// Sorted by key, as the snapshot's map holds them.
    #[serde(serialize_with = "as_map")]
    pub tags: Vec<(&'a str, &'a str)>,
}

fn as_map<S: Serializer>(tags: &[(&str, &str)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(tags.iter().copied())
}

impl AccountView<'_> {
    /// `Workloads/Prod/Payments`, or `/` for the root.
    pub fn path_string(&self) -> String {
        if self.path.is_empty() {
            "/".to_string()
        } else {
            self.path.join("/")
        }
    }
}

impl Hierarchy {
    pub fn view(&self, i: usize) -> AccountView<'_> {
        let a = self.account(i);
        AccountView {
            id: &a.id,
            name: &a.name,
            email: &a.email,
            status: a.status,
            path: self.account_path(i).iter().map(String::as_str).collect(),
            tags: a
                .tags
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        }
    }

    /// Every node with its depth, in the navigator's order: an OU, then its child OUs (each
    /// with its whole subtree), then its own accounts. The children are already sorted.
    pub fn tree_order(&self) -> Vec<(Node, usize)> {
        let mut out = Vec::with_capacity(self.account_count() + self.ou_count());
        let mut stack = vec![(Node::Ou(self.root()), 0usize)];
        while let Some((node, depth)) = stack.pop() {
            out.push((node, depth));
            if let Node::Ou(i) = node {
                let accounts = self
                    .child_accounts(i)
                    .iter()
                    .rev()
                    .map(|&a| Node::Account(a));
                let ous = self.child_ous(i).iter().rev().map(|&o| Node::Ou(o));
                stack.extend(accounts.chain(ous).map(|n| (n, depth + 1)));
            }
        }
        out
    }

    /// The accounts in [`Self::tree_order`].
    pub fn accounts_in_tree_order(&self) -> Vec<usize> {
        self.tree_order()
            .into_iter()
            .filter_map(|(node, _)| match node {
                Node::Account(i) => Some(i),
                Node::Ou(_) => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hierarchy::tests::sample_org;

    #[test]
    fn a_view_serializes_as_the_snapshot_account_does() {
        let mut org = sample_org();
        for (k, v) in [("b", "2"), ("a=x", "1 z")] {
            org.accounts[1].tags.insert(k.into(), v.into());
        }
        let h = Hierarchy::new(org);
        let i = 1;
        assert!(!h.account_path(i).is_empty(), "an account below an OU");
        let a = h.account(i);
        let expected = serde_json::json!({
            "id": a.id, "name": a.name, "email": a.email, "status": a.status.as_str(),
            "path": h.account_path(i), "tags": a.tags,
        });
        assert_eq!(serde_json::to_value(h.view(i)).unwrap(), expected);
        assert_eq!(
            h.view(i).path_string(),
            Hierarchy::path_string(h.account_path(i))
        );
    }
}
