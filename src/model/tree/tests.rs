//! The visible rows of the tree and the selection.

use super::*;
use crate::model::hierarchy::tests::sample_org;

fn names(t: &TreeState, h: &Hierarchy) -> Vec<String> {
    t.rows()
        .iter()
        .map(|r| {
            let name = match r.node {
                Node::Ou(i) => h.ou(i).name.clone(),
                Node::Account(i) => h.account(i).name.clone(),
            };
            format!("{}{}", "  ".repeat(r.depth), name)
        })
        .collect()
}

#[test]
fn root_expanded_ous_before_accounts() {
    let h = Hierarchy::new(sample_org());
    let t = TreeState::new(&h);
    assert_eq!(
        names(&t, &h),
        ["Root", "  Sandbox", "  Workloads", "  management"]
    );
}

#[test]
fn expand_collapse_keeps_selection() {
    let h = Hierarchy::new(sample_org());
    let mut t = TreeState::new(&h);
    t.move_by(2); // Workloads
    t.expand_or_enter(&h);
    assert_eq!(
        names(&t, &h),
        [
            "Root",
            "  Sandbox",
            "  Workloads",
            "    Dev",
            "    Prod",
            "  management"
        ]
    );
    assert_eq!(t.selected(), 2);
    t.expand_or_enter(&h); // already open: step into Dev
    assert_eq!(t.selected(), 3);
    t.move_by(1);
    t.toggle(&h); // open Prod
    assert_eq!(t.rows().len(), 8);
    t.move_by(1); // billing-prod
    t.collapse_or_leave(&h); // account: go to parent Prod
    assert_eq!(
        t.selected_node(),
        Some(Node::Ou(h.ou_index("ou-p").unwrap()))
    );
    t.collapse_or_leave(&h); // collapse Prod
    assert_eq!(t.rows().len(), 6);
    t.collapse_or_leave(&h); // collapsed: go to Workloads
    assert_eq!(t.selected(), 2);
}

#[test]
fn nested_expansion_order_is_depth_first() {
    let h = Hierarchy::new(sample_org());
    let mut t = TreeState::new(&h);
    let w = h.ou_index("ou-w").unwrap();
    t.set_expanded(&h, h.ou_index("ou-p").unwrap(), true);
    t.set_expanded(&h, h.ou_index("ou-d").unwrap(), true);
    t.set_expanded(&h, w, true);
    assert_eq!(
        names(&t, &h),
        [
            "Root",
            "  Sandbox",
            "  Workloads",
            "    Dev",
            "      payments-dev",
            "    Prod",
            "      billing-prod",
            "      payments-prod",
            "  management"
        ]
    );
}

#[test]
fn movement_is_clamped() {
    let h = Hierarchy::new(sample_org());
    let mut t = TreeState::new(&h);
    t.move_by(-5);
    assert_eq!(t.selected(), 0);
    t.move_by(100);
    assert_eq!(t.selected(), 3);
    t.select_first();
    assert_eq!(t.selected(), 0);
    t.select_last();
    assert_eq!(t.selected(), 3);
}

#[test]
fn reveal_expands_ancestors_and_selects() {
    let h = Hierarchy::new(sample_org());
    let mut t = TreeState::new(&h);
    let acc = h.account_index("111111111111").unwrap();
    t.reveal(&h, Node::Account(acc));
    assert_eq!(t.selected_node(), Some(Node::Account(acc)));
    assert!(t.is_expanded(h.ou_index("ou-w").unwrap()));
}

#[test]
fn carry_over_keeps_selection_by_id() {
    let h = Hierarchy::new(sample_org());
    let mut t = TreeState::new(&h);
    let acc = h.account_index("333333333333").unwrap();
    t.reveal(&h, Node::Account(acc));
    let mut org = sample_org();
    org.accounts.reverse();
    let h2 = Hierarchy::new(org);
    let t2 = t.carry_over(&h, &h2);
    let sel = t2.selected_node().unwrap();
    assert_eq!(
        sel,
        Node::Account(h2.account_index("333333333333").unwrap())
    );
}

#[test]
fn root_cannot_collapse_to_empty() {
    let h = Hierarchy::new(sample_org());
    let mut t = TreeState::new(&h);
    t.collapse_or_leave(&h);
    assert_eq!(t.rows().len(), 4);
}
