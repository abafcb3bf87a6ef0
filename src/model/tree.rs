//! The navigable tree: which OUs are expanded, the visible rows, the selection.
//! UI-free so it can be unit-tested without a terminal.

use super::hierarchy::{Hierarchy, Node};

mod pins;

pub use pins::Group;
use pins::Pins;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// A group header names no node: its `node` is the root and `selected_node` is `None`.
    pub node: Node,
    pub depth: usize,
    pub place: Place,
}

/// Where a row sits: in the organization tree, or in a virtual group above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    #[default]
    Tree,
    /// The group's own row (`★ Favourites`, `Recent`): it opens and closes like an OU.
    Header(Group),
    /// An account shown in a group; the same account also has its place in the tree.
    Pinned(Group),
}

#[derive(Debug, Clone)]
pub struct TreeState {
    expanded: Vec<bool>,
    rows: Vec<Row>,
    selected: usize,
    pins: Pins,
}

impl TreeState {
    /// The root starts expanded so the first screen shows the top-level OUs.
    pub fn new(h: &Hierarchy) -> Self {
        let mut expanded = vec![false; h.ou_count()];
        if let Some(e) = expanded.get_mut(h.root()) {
            *e = true;
        }
        let mut t = Self {
            expanded,
            rows: Vec::new(),
            selected: 0,
            pins: Pins::default(),
        };
        t.rebuild(h);
        t
    }

    /// Re-derives the state for a new snapshot, keeping expansion and selection by id.
    pub fn carry_over(&self, old: &Hierarchy, new: &Hierarchy) -> Self {
        let mut t = Self::new(new);
        for (i, &e) in self.expanded.iter().enumerate() {
            if e && i < old.ou_count()
                && let Some(j) = new.ou_index(&old.ou(i).id)
            {
                t.expanded[j] = true;
            }
        }
        t.pins = self.pins.carry_over(old, new);
        t.rebuild(new);
        if let Some(row) = self
            .rows
            .get(self.selected)
            .filter(|r| r.place != Place::Tree)
            && let Some(mapped) = pins::map_row(row, old, new)
            && t.select_row(mapped)
        {
            return t;
        }
        if let Some(sel) = self.selected_node() {
            let mapped = match sel {
                Node::Ou(i) => new.ou_index(&old.ou(i).id).map(Node::Ou),
                Node::Account(i) => new.account_index(&old.account(i).id).map(Node::Account),
            };
            match mapped {
                Some(n) => t.reveal(new, n),
                None => t.selected = self.selected.min(t.rows.len().saturating_sub(1)),
            }
        }
        t
    }

    fn rebuild(&mut self, h: &Hierarchy) {
        self.rows.clear();
        if h.ou_count() == 0 {
            return;
        }
        self.pins.push_rows(h.root(), &mut self.rows);
        // Pre-order walk; children pushed in reverse so they pop in display order (OUs first).
        // The depth cap guards against cyclic data; AWS itself allows five OU levels.
        let mut stack = vec![Row {
            node: Node::Ou(h.root()),
            depth: 0,
            place: Place::Tree,
        }];
        while let Some(row) = stack.pop() {
            self.rows.push(row);
            if let Node::Ou(i) = row.node
                && self.expanded[i]
                && row.depth < 64
            {
                let depth = row.depth + 1;
                stack.extend(h.child_accounts(i).iter().rev().map(|&a| Row {
                    node: Node::Account(a),
                    depth,
                    place: Place::Tree,
                }));
                stack.extend(h.child_ous(i).iter().rev().map(|&o| Row {
                    node: Node::Ou(o),
                    depth,
                    place: Place::Tree,
                }));
            }
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// The node of the selected row; `None` on a group header.
    pub fn selected_node(&self) -> Option<Node> {
        self.selected_row()
            .filter(|r| !matches!(r.place, Place::Header(_)))
            .map(|r| r.node)
    }
    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }
    pub fn is_expanded(&self, ou: usize) -> bool {
        self.expanded.get(ou).copied().unwrap_or(false)
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }
    pub fn select_first(&mut self) {
        self.selected = 0;
    }
    pub fn select_last(&mut self) {
        self.selected = self.rows.len().saturating_sub(1);
    }

    pub fn set_expanded(&mut self, h: &Hierarchy, ou: usize, open: bool) {
        if self.expanded.get(ou).copied() == Some(open) {
            return;
        }
        if let Some(e) = self.expanded.get_mut(ou) {
            *e = open;
        }
        self.rebuild_keeping_selection(h);
    }

    /// Rebuilds the rows; the selected row stays selected wherever it moved. When it is gone
    /// the selection keeps its position — except for an account's row in a group: the rows
    /// after it moved up, so its position now holds another account. Then the account's row in
    /// the tree is selected, else the group's header (or Root), which enters nothing.
    fn rebuild_keeping_selection(&mut self, h: &Hierarchy) {
        let sel = self.selected_row().copied();
        self.rebuild(h);
        let Some(row) = sel else { return };
        if self.select_row(row) {
            return;
        }
        if let Place::Pinned(g) = row.place
            && !self.select_visible(row.node)
        {
            let header = self.rows.iter().position(|r| r.place == Place::Header(g));
            let root = self.rows.iter().position(|r| r.place == Place::Tree);
            self.selected = header.or(root).unwrap_or(0);
        }
    }

    fn select_row(&mut self, row: Row) -> bool {
        match self.rows.iter().position(|r| *r == row) {
            Some(pos) => {
                self.selected = pos;
                true
            }
            None => false,
        }
    }

    /// → / l: expand a collapsed OU, or step into its first child when already open.
    pub fn expand_or_enter(&mut self, h: &Hierarchy) {
        if let Some(Place::Header(g)) = self.selected_row().map(|r| r.place) {
            return self.expand_or_enter_group(h, g);
        }
        if let Some(Node::Ou(i)) = self.selected_node() {
            if !self.is_expanded(i) {
                self.set_expanded(h, i, true);
            } else if !h.child_ous(i).is_empty() || !h.child_accounts(i).is_empty() {
                self.move_by(1);
            }
        }
    }

    /// ← / h: collapse an open OU, or go to the parent.
    pub fn collapse_or_leave(&mut self, h: &Hierarchy) {
        match self.selected_row().map(|r| r.place) {
            Some(Place::Header(g)) => return self.set_group_open(h, g, false),
            Some(Place::Pinned(g)) => {
                self.select_row(pins::header_row(h.root(), g));
                return;
            }
            _ => {}
        }
        match self.selected_node() {
            Some(Node::Ou(i)) if self.is_expanded(i) && i != h.root() => {
                self.set_expanded(h, i, false)
            }
            Some(node) => {
                if let Some(p) = h.parent(node) {
                    self.select_visible(Node::Ou(p));
                }
            }
            None => {}
        }
    }

    /// Enter on an OU.
    pub fn toggle(&mut self, h: &Hierarchy) {
        if let Some(Place::Header(g)) = self.selected_row().map(|r| r.place) {
            let open = !self.pins.is_open(g);
            return self.set_group_open(h, g, open);
        }
        if let Some(Node::Ou(i)) = self.selected_node() {
            let open = !self.is_expanded(i);
            self.set_expanded(h, i, open);
        }
    }

    /// Selects the node's row in the tree (not a copy of it in a group).
    fn select_visible(&mut self, node: Node) -> bool {
        match self
            .rows
            .iter()
            .position(|r| r.node == node && r.place == Place::Tree)
        {
            Some(pos) => {
                self.selected = pos;
                true
            }
            None => false,
        }
    }

    /// Expands every ancestor of `node` and selects it (search jump).
    pub fn reveal(&mut self, h: &Hierarchy, node: Node) {
        for a in h.ancestors(node) {
            if let Some(e) = self.expanded.get_mut(a) {
                *e = true;
            }
        }
        self.rebuild(h);
        self.select_visible(node);
    }
}

#[cfg(test)]
#[path = "tree/tests.rs"]
mod tests;
