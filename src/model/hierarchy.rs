//! Index over an [`Org`]: parent/child links by position, OU paths and account totals.
//! Built once per snapshot (O(n)); the tree, the search index and the details pane read it.

use std::collections::HashMap;

use super::org::{Account, Org, Ou};

/// A node of the organization: an OU (the root included) or an account, by index into
/// `Org::ous` / `Org::accounts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    Ou(usize),
    Account(usize),
}

#[derive(Debug, Clone)]
pub struct Hierarchy {
    pub org: Org,
    ou_by_id: HashMap<String, usize>,
    account_by_id: HashMap<String, usize>,
    /// Parent OU of each OU (None for the root).
    ou_parent: Vec<Option<usize>>,
    /// Parent OU of each account.
    account_parent: Vec<usize>,
    /// Child OUs of each OU, sorted by name.
    child_ous: Vec<Vec<usize>>,
    /// Accounts directly in each OU, sorted by name.
    child_accounts: Vec<Vec<usize>>,
    /// Accounts anywhere below each OU.
    total_accounts: Vec<usize>,
    /// OUs anywhere below each OU.
    total_ous: Vec<usize>,
    /// Names from the root's child down to the OU itself (empty for the root).
    ou_path: Vec<Vec<String>>,
    root: usize,
}

fn sort_key(name: &str) -> String {
    name.to_lowercase()
}

impl Hierarchy {
    /// Builds the index. Accounts or OUs whose parent is unknown are attached to the root, so
    /// a partial crawl never loses them.
    pub fn new(org: Org) -> Self {
        let ou_by_id: HashMap<String, usize> = org
            .ous
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        let account_by_id: HashMap<String, usize> = org
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let root = ou_by_id.get(&org.root_id).copied().unwrap_or(0);
        let n = org.ous.len().max(1);
        let mut ou_parent = vec![None; org.ous.len()];
        let mut child_ous = vec![Vec::new(); n];
        let mut child_accounts = vec![Vec::new(); n];
        for (i, ou) in org.ous.iter().enumerate() {
            if i == root {
                continue;
            }
            let p = ou
                .parent_id
                .as_ref()
                .and_then(|p| ou_by_id.get(p))
                .copied()
                .unwrap_or(root);
            ou_parent[i] = Some(p);
            child_ous[p].push(i);
        }
        let mut account_parent = Vec::with_capacity(org.accounts.len());
        for (i, a) in org.accounts.iter().enumerate() {
            let p = ou_by_id.get(&a.parent_id).copied().unwrap_or(root);
            account_parent.push(p);
            child_accounts[p].push(i);
        }
        for c in &mut child_ous {
            c.sort_by_cached_key(|&i| (sort_key(&org.ous[i].name), i));
        }
        for c in &mut child_accounts {
            c.sort_by_cached_key(|&i| (sort_key(&org.accounts[i].name), i));
        }
        let mut h = Self {
            ou_by_id,
            account_by_id,
            ou_parent,
            account_parent,
            child_ous,
            child_accounts,
            total_accounts: vec![0; n],
            total_ous: vec![0; n],
            ou_path: vec![Vec::new(); n],
            root,
            org,
        };
        h.compute_paths_and_totals();
        h
    }

    fn compute_paths_and_totals(&mut self) {
        // Depth-first order from the root; an explicit stack keeps cycles in bad data harmless.
        let mut order = Vec::with_capacity(self.org.ous.len());
        let mut seen = vec![false; self.org.ous.len()];
        let mut stack = vec![self.root];
        while let Some(i) = stack.pop() {
            if i >= seen.len() || seen[i] {
                continue;
            }
            seen[i] = true;
            order.push(i);
            for &c in &self.child_ous[i] {
                let mut path = self.ou_path[i].clone();
                path.push(self.org.ous[c].name.clone());
                self.ou_path[c] = path;
                stack.push(c);
            }
        }
        for &i in order.iter().rev() {
            let mut accounts = self.child_accounts[i].len();
            let mut ous = self.child_ous[i].len();
            for &c in &self.child_ous[i] {
                accounts += self.total_accounts[c];
                ous += self.total_ous[c];
            }
            self.total_accounts[i] = accounts;
            self.total_ous[i] = ous;
        }
    }

    pub fn root(&self) -> usize {
        self.root
    }
    pub fn ou(&self, i: usize) -> &Ou {
        &self.org.ous[i]
    }
    pub fn account(&self, i: usize) -> &Account {
        &self.org.accounts[i]
    }
    pub fn ou_count(&self) -> usize {
        self.org.ous.len()
    }
    pub fn account_count(&self) -> usize {
        self.org.accounts.len()
    }
    pub fn ou_index(&self, id: &str) -> Option<usize> {
        self.ou_by_id.get(id).copied()
    }
    pub fn account_index(&self, id: &str) -> Option<usize> {
        self.account_by_id.get(id).copied()
    }
    pub fn child_ous(&self, i: usize) -> &[usize] {
        &self.child_ous[i]
    }
    pub fn child_accounts(&self, i: usize) -> &[usize] {
        &self.child_accounts[i]
    }
    pub fn total_accounts(&self, i: usize) -> usize {
        self.total_accounts[i]
    }
    pub fn total_ous(&self, i: usize) -> usize {
        self.total_ous[i]
    }
    pub fn ou_parent(&self, i: usize) -> Option<usize> {
        self.ou_parent[i]
    }
    pub fn account_parent(&self, i: usize) -> usize {
        self.account_parent[i]
    }
    pub fn parent(&self, node: Node) -> Option<usize> {
        match node {
            Node::Ou(i) => self.ou_parent(i),
            Node::Account(i) => Some(self.account_parent(i)),
        }
    }

    /// OU names from the root down to OU `i` (the root excluded).
    pub fn ou_path(&self, i: usize) -> &[String] {
        &self.ou_path[i]
    }

    /// OU names from the root down to the account's parent (the root excluded).
    pub fn account_path(&self, i: usize) -> &[String] {
        &self.ou_path[self.account_parent[i]]
    }

    /// `Workloads/Prod/Payments`, or `/` for the root.
    pub fn path_string(path: &[String]) -> String {
        if path.is_empty() {
            "/".to_string()
        } else {
            path.join("/")
        }
    }

    /// OU ancestors of a node, nearest first, the root last.
    pub fn ancestors(&self, node: Node) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self.parent(node);
        while let Some(p) = cur {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            cur = self.ou_parent(p);
        }
        out
    }

    /// Accounts in OU `i` and every OU below it, in tree order.
    pub fn accounts_under(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(ou) = stack.pop() {
            out.extend_from_slice(self.child_accounts(ou));
            stack.extend(self.child_ous(ou).iter().rev());
        }
        out
    }

    /// Every OU whose listing failed, for the status bar.
    pub fn incomplete_ous(&self) -> impl Iterator<Item = usize> + '_ {
        self.org
            .ous
            .iter()
            .enumerate()
            .filter(|(_, o)| o.incomplete.is_some())
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::org::{AccountStatus, Tags};

    pub fn ou(id: &str, name: &str, parent: Option<&str>) -> Ou {
        Ou {
            id: id.into(),
            name: name.into(),
            parent_id: parent.map(Into::into),
            tags: Tags::new(),
            incomplete: None,
        }
    }

    pub fn account(id: &str, name: &str, parent: &str) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            email: format!("{name}@example.com"),
            status: AccountStatus::Active,
            joined: None,
            parent_id: parent.into(),
            tags: Tags::new(),
        }
    }

    /// Root ─ Workloads ─ Prod ─ (payments-prod, billing-prod); Workloads ─ Dev (payments-dev);
    /// Sandbox (empty); management at the root.
    pub fn sample_org() -> Org {
        Org {
            id: "o-test".into(),
            management_account_id: Some("000000000001".into()),
            root_id: "r-1".into(),
            ous: vec![
                ou("r-1", "Root", None),
                ou("ou-w", "Workloads", Some("r-1")),
                ou("ou-p", "Prod", Some("ou-w")),
                ou("ou-d", "Dev", Some("ou-w")),
                ou("ou-s", "Sandbox", Some("r-1")),
            ],
            accounts: vec![
                account("000000000001", "management", "r-1"),
                account("111111111111", "payments-prod", "ou-p"),
                account("222222222222", "billing-prod", "ou-p"),
                account("333333333333", "payments-dev", "ou-d"),
            ],
            tags_loaded: true,
            sso_roles: Default::default(),
            tags_read: Default::default(),
        }
    }

    #[test]
    fn totals_and_paths() {
        let h = Hierarchy::new(sample_org());
        let w = h.ou_index("ou-w").unwrap();
        assert_eq!(h.total_accounts(h.root()), 4);
        assert_eq!(h.total_accounts(w), 3);
        assert_eq!(h.child_accounts(w).len(), 0);
        assert_eq!(h.total_ous(h.root()), 4);
        assert_eq!(
            h.ou_path(h.ou_index("ou-p").unwrap()),
            ["Workloads", "Prod"]
        );
        assert_eq!(
            h.account_path(h.account_index("000000000001").unwrap()),
            Vec::<String>::new()
        );
        assert_eq!(Hierarchy::path_string(&[]), "/");
    }

    #[test]
    fn children_sorted_by_name_case_insensitively() {
        let h = Hierarchy::new(sample_org());
        let p = h.ou_index("ou-p").unwrap();
        let names: Vec<_> = h
            .child_accounts(p)
            .iter()
            .map(|&i| h.account(i).name.as_str())
            .collect();
        assert_eq!(names, ["billing-prod", "payments-prod"]);
        let names: Vec<_> = h
            .child_ous(h.ou_index("ou-w").unwrap())
            .iter()
            .map(|&i| h.ou(i).name.as_str())
            .collect();
        assert_eq!(names, ["Dev", "Prod"]);
    }

    #[test]
    fn orphans_attach_to_root_and_cycles_do_not_hang() {
        let mut org = sample_org();
        org.accounts
            .push(account("444444444444", "orphan", "ou-missing"));
        org.ous.push(ou("ou-a", "A", Some("ou-b")));
        org.ous.push(ou("ou-b", "B", Some("ou-a")));
        let h = Hierarchy::new(org);
        let orphan = h.account_index("444444444444").unwrap();
        assert_eq!(h.account_parent(orphan), h.root());
        let a = h.ou_index("ou-a").unwrap();
        assert!(h.ancestors(Node::Ou(a)).len() <= 2);
    }

    #[test]
    fn ancestors_nearest_first() {
        let h = Hierarchy::new(sample_org());
        let acc = h.account_index("111111111111").unwrap();
        let names: Vec<_> = h
            .ancestors(Node::Account(acc))
            .iter()
            .map(|&i| h.ou(i).name.clone())
            .collect();
        assert_eq!(names, ["Prod", "Workloads", "Root"]);
    }
}
