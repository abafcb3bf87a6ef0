//! The virtual groups above the tree: ★ Favourites and Recent. They hold accounts (by index
//! into the hierarchy the tree was built from), open and close like OUs, and are hidden when
//! empty. Which accounts they hold is the caller's business (the history, by account ID).

use super::{Hierarchy, Node, Place, Row, TreeState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Favourites,
    Recent,
}

impl Group {
    pub const ALL: [Group; 2] = [Group::Favourites, Group::Recent];

    pub fn title(self) -> &'static str {
        match self {
            Group::Favourites => "★ Favourites",
            Group::Recent => "Recent",
        }
    }

    fn slot(self) -> usize {
        match self {
            Group::Favourites => 0,
            Group::Recent => 1,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Pins {
    /// Accounts per group, in display order.
    members: [Vec<usize>; 2],
    open: [bool; 2],
}

impl Default for Pins {
    fn default() -> Self {
        Self {
            members: [Vec::new(), Vec::new()],
            open: [true, true],
        }
    }
}

/// The row of a group's header (its `node` is the root: a header names no node).
pub(super) fn header_row(root: usize, g: Group) -> Row {
    Row {
        node: Node::Ou(root),
        depth: 0,
        place: Place::Header(g),
    }
}

/// The same group row in another hierarchy (the account found by ID), if it is still there.
pub(super) fn map_row(row: &Row, old: &Hierarchy, new: &Hierarchy) -> Option<Row> {
    let node = match (row.place, row.node) {
        (Place::Header(_), _) => Node::Ou(new.root()),
        (_, Node::Account(i)) => Node::Account(new.account_index(&old.account(i).id)?),
        _ => return None,
    };
    Some(Row { node, ..*row })
}

impl Pins {
    pub(super) fn is_open(&self, g: Group) -> bool {
        self.open[g.slot()]
    }

    pub(super) fn push_rows(&self, root: usize, rows: &mut Vec<Row>) {
        for g in Group::ALL {
            let members = &self.members[g.slot()];
            if members.is_empty() {
                continue;
            }
            rows.push(header_row(root, g));
            if self.is_open(g) {
                rows.extend(members.iter().map(|&a| Row {
                    node: Node::Account(a),
                    depth: 1,
                    place: Place::Pinned(g),
                }));
            }
        }
    }

    /// The groups for a new snapshot: the same accounts by ID, the same open/closed state.
    pub(super) fn carry_over(&self, old: &Hierarchy, new: &Hierarchy) -> Self {
        let map = |members: &Vec<usize>| -> Vec<usize> {
            members
                .iter()
                .filter_map(|&i| new.account_index(&old.account(i).id))
                .collect()
        };
        Self {
            members: [map(&self.members[0]), map(&self.members[1])],
            open: self.open,
        }
    }
}

impl TreeState {
    /// Sets the accounts of both groups (indices into `h`, display order). The selected row
    /// stays selected when it is still shown.
    pub fn set_groups(&mut self, h: &Hierarchy, favourites: Vec<usize>, recent: Vec<usize>) {
        let valid = |v: Vec<usize>| -> Vec<usize> {
            v.into_iter().filter(|&i| i < h.account_count()).collect()
        };
        let members = [valid(favourites), valid(recent)];
        if members == self.pins.members {
            return;
        }
        self.pins.members = members;
        self.rebuild_keeping_selection(h);
    }

    pub fn group_members(&self, g: Group) -> &[usize] {
        &self.pins.members[g.slot()]
    }

    pub fn is_group_open(&self, g: Group) -> bool {
        self.pins.is_open(g)
    }

    pub(super) fn set_group_open(&mut self, h: &Hierarchy, g: Group, open: bool) {
        if self.pins.is_open(g) == open {
            return;
        }
        self.pins.open[g.slot()] = open;
        self.rebuild_keeping_selection(h);
    }

    /// → on a header: open it, or step onto its first account when already open.
    pub(super) fn expand_or_enter_group(&mut self, h: &Hierarchy, g: Group) {
        if self.pins.is_open(g) {
            self.move_by(1);
        } else {
            self.set_group_open(h, g, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hierarchy::tests::sample_org;

    fn labels(t: &TreeState, h: &Hierarchy) -> Vec<String> {
        t.rows()
            .iter()
            .map(|r| {
                let name = match (r.place, r.node) {
                    (Place::Header(g), _) => g.title().to_string(),
                    (_, Node::Ou(i)) => h.ou(i).name.clone(),
                    (_, Node::Account(i)) => h.account(i).name.clone(),
                };
                format!("{}{}", "  ".repeat(r.depth), name)
            })
            .collect()
    }

    fn acc(h: &Hierarchy, id: &str) -> usize {
        h.account_index(id).unwrap()
    }

    #[test]
    fn groups_sit_above_the_tree_and_hide_when_empty() {
        let h = Hierarchy::new(sample_org());
        let mut t = TreeState::new(&h);
        t.set_groups(
            &h,
            vec![],
            vec![acc(&h, "333333333333"), acc(&h, "111111111111")],
        );
        assert_eq!(
            labels(&t, &h)[..4],
            ["Recent", "  payments-dev", "  payments-prod", "Root"]
        );
        t.set_groups(&h, vec![acc(&h, "222222222222")], vec![]);
        assert_eq!(
            labels(&t, &h)[..3],
            ["★ Favourites", "  billing-prod", "Root"]
        );
        t.set_groups(&h, vec![], vec![]);
        assert_eq!(labels(&t, &h)[0], "Root");
    }

    #[test]
    fn a_group_collapses_like_an_ou_and_its_rows_are_the_accounts() {
        let h = Hierarchy::new(sample_org());
        let mut t = TreeState::new(&h);
        let fav = acc(&h, "222222222222");
        t.set_groups(&h, vec![fav], vec![acc(&h, "111111111111")]);
        assert_eq!(t.selected_node(), Some(Node::Ou(h.root())), "still on Root");
        t.select_first();
        assert_eq!(t.selected_node(), None, "a header names no node");
        t.expand_or_enter(&h); // open: step onto the account
        assert_eq!(t.selected_node(), Some(Node::Account(fav)));
        t.collapse_or_leave(&h); // account: back to its header
        assert_eq!(t.selected(), 0);
        t.collapse_or_leave(&h); // header: close
        assert_eq!(
            labels(&t, &h)[..3],
            ["★ Favourites", "Recent", "  payments-prod"]
        );
        t.toggle(&h); // Enter opens it again
        assert_eq!(labels(&t, &h)[1], "  billing-prod");
        t.collapse_or_leave(&h);
        t.expand_or_enter(&h); // closed: → opens, stays on the header
        assert_eq!((t.selected(), t.rows().len()), (0, 8));
    }

    #[test]
    fn a_selected_row_that_leaves_its_group_never_hands_the_selection_to_another_account() {
        let h = Hierarchy::new(sample_org());
        let mut t = TreeState::new(&h);
        let (dev, prod) = (acc(&h, "333333333333"), acc(&h, "111111111111"));
        t.set_groups(&h, vec![], vec![dev, prod]);
        t.select_first();
        t.move_by(2); // prod, the second row of Recent
        assert_eq!(t.selected_node(), Some(Node::Account(prod)));
        // An entry elsewhere pushes prod out of Recent: the row under the cursor is now dev's.
        t.set_groups(&h, vec![], vec![acc(&h, "222222222222"), dev]);
        let now = t.selected_node();
        assert!(
            now.is_none() || now == Some(Node::Account(prod)),
            "the selection moved to {now:?}"
        );
    }

    #[test]
    fn the_selection_follows_its_row_when_groups_change() {
        let h = Hierarchy::new(sample_org());
        let mut t = TreeState::new(&h);
        t.move_by(3); // management, in the tree
        let management = t.selected_node();
        t.set_groups(&h, vec![acc(&h, "222222222222")], vec![]);
        assert_eq!(t.selected_node(), management);
        assert_eq!(t.selected_row().unwrap().place, Place::Tree);
        // Revealing an account selects its tree row, not its copy in a group.
        let billing = Node::Account(acc(&h, "222222222222"));
        t.reveal(&h, billing);
        assert_eq!(t.selected_row().unwrap().place, Place::Tree);
        assert_eq!(t.selected_node(), Some(billing));
    }

    #[test]
    fn a_new_snapshot_keeps_the_groups_by_account_id() {
        let h = Hierarchy::new(sample_org());
        let mut t = TreeState::new(&h);
        t.set_groups(&h, vec![], vec![acc(&h, "333333333333")]);
        t.select_first();
        t.move_by(1); // payments-dev in Recent
        let mut org = sample_org();
        org.accounts.reverse();
        let h2 = Hierarchy::new(org);
        let t2 = t.carry_over(&h, &h2);
        assert_eq!(t2.group_members(Group::Recent), [acc(&h2, "333333333333")]);
        let row = t2.selected_row().unwrap();
        assert_eq!(row.place, Place::Pinned(Group::Recent));
        assert_eq!(row.node, Node::Account(acc(&h2, "333333333333")));
    }
}
