//! Keeping the navigator's account-bound state in step with the organization: the selected
//! account's role options as the selection moves, and dialogs and the entry in flight after a
//! refresh (an account that left or was suspended closes them, by its 12-digit ID).

use super::state::{Modal, SelectedRoles, State};
use crate::model::{Account, Node};

/// Keeps `selected_roles` for the selected account: recomputed only when the selection moved
/// to another account or what the options depend on changed (then it was reset to None).
pub fn note_selection(state: &mut State) {
    let (Some(org), Some(Node::Account(i))) = (&state.org, state.focused_node()) else {
        state.selected_roles = None;
        return;
    };
    let id = &org.h.account(i).id;
    if state
        .selected_roles
        .as_ref()
        .is_some_and(|r| &r.account_id == id)
    {
        return;
    }
    state.selected_roles = Some(SelectedRoles {
        account_id: id.clone(),
        options: state.access.options(org, i, &state.history),
    });
}

/// After a refresh: dialogs and the entry in flight keep their account when it is still in
/// the organization and ACTIVE; otherwise they close and say why.
pub fn revalidate(state: &mut State) {
    let Some(org) = &state.org else { return };
    let current = |id: &str| org.h.account_index(id).map(|i| org.h.account(i).clone());
    if let Some(
        Modal::PickRole { account, .. }
        | Modal::ConfirmProduction { account, .. }
        | Modal::Mfa { account, .. },
    ) = &mut state.modal
    {
        match current(&account.id) {
            // Same ID, fresh details (a renamed account shows its new name).
            Some(a) if !a.status.is_inactive() => **account = a,
            found => {
                let message = gone_message(&account.name, &account.id, found.as_ref());
                state.modal = None;
                state.status.last_error = Some(message);
            }
        }
    }
    if let Some(entry) = &state.entry {
        match current(&entry.account_id) {
            Some(a) if !a.status.is_inactive() => {}
            found => {
                let message = gone_message(&entry.account_name, &entry.account_id, found.as_ref());
                state.entry = None;
                state.status.last_error = Some(message);
            }
        }
    }
}

fn gone_message(name: &str, id: &str, now: Option<&Account>) -> String {
    match now {
        Some(a) => format!("cancelled: {}", a.entry_refusal().unwrap_or_default()),
        None => format!("cancelled: {name} ({id}) is no longer in the organization"),
    }
}
