//! `update`: the pure state machine. Changes state, returns effects as data, never awaits.
//!
//! Every `Action` is matched here by name (no catch-all arm), so an action that nothing
//! handles does not compile; each concern's details live in its own `update_*` module.

use super::action::{Action, Effect, HelpScroll, Loaded, Purpose};
use super::layout::{scroll_window, search_rows, tree_rows};
use super::quota_state::DetailsTab;
use super::state::State;
use super::update_access as access;
use super::update_login as login;
use super::update_org as org;
use super::update_quotas as quotas;
use super::update_search as search;
use crate::model::Node;

pub use super::update_org::install;

/// The clock moved (spinner frame, minute) or the terminal changed size.
fn on_time_or_size(state: &mut State, action: Action) {
    match action {
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
        }
        Action::SpinnerTick => {
            state.spinner = state.spinner.wrapping_add(1);
            state.now = jiff::Timestamp::now();
        }
        _ => state.now = jiff::Timestamp::now(),
    }
}

/// The one way the navigator's state changes: every action is matched by name, and what must
/// happen outside (AWS, files, the terminal) comes back as effects.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = match action {
        Action::Quit => {
            state.quit = true;
            vec![]
        }
        a @ (Action::Resize { .. } | Action::SpinnerTick) => {
            on_time_or_size(state, a);
            vec![]
        }
        a @ Action::Clock => {
            on_time_or_size(state, a);
            super::update_reread::on_clock(state)
        }
        Action::OpenRegionPicker => {
            super::region_picker::open(state);
            vec![]
        }
        Action::SelectionRested => quotas::on_rest(state),
        Action::Suspend => vec![Effect::SuspendSelf],
        Action::ChildExited { message } => {
            state.status.notice = Some(message);
            vec![]
        }
        Action::ToggleHelp => {
            state.help = !state.help;
            state.help_scroll = 0;
            vec![]
        }
        Action::ScrollHelp(by) => {
            scroll_help(state, by);
            vec![]
        }
        Action::CopyId => copy_selected(state, |id, _| id),
        Action::CopyName => copy_selected(state, |_, name| name),
        Action::ToggleFavourite => super::update_history::toggle_favourite(state),
        Action::Refresh => on_refresh(state),
        Action::RefreshItem => on_refresh_item(state),
        Action::Login => login::start(state),
        ref nav @ (Action::MoveUp
        | Action::MoveDown
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom
        | Action::Expand
        | Action::Collapse) => {
            on_move(state, nav);
            vec![]
        }
        Action::Activate => on_activate(state),
        a @ (Action::Enter(_)
        | Action::ConsoleLast
        | Action::ModalConfirm
        | Action::ModalCancel
        | Action::CancelPending
        | Action::ModalInput(_)
        | Action::ModalBackspace) => on_access(state, a),
        a @ (Action::OpenSearch
        | Action::CloseSearch
        | Action::SearchInput(_)
        | Action::SearchBackspace
        | Action::SearchClear
        | Action::SearchAccept) => {
            on_search(state, a);
            vec![]
        }
        a @ (Action::ToggleDetailsTab
        | Action::CycleQuotaRegion
        | Action::ToggleQuotaFilter
        | Action::OpenSweep
        | Action::CloseSweep
        | Action::SweepAccept) => on_quotas(state, a),
        Action::OpenQuotaConsole => super::update_console::open_quota_page(state),
        Action::Loaded(loaded) => on_loaded(state, loaded),
    };
    scroll(state);
    quotas::note_wanted(state);
    super::update_selection::note_selection(state);
    effects
}

fn on_access(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Enter(Purpose::Console) if state.quotas.tab == DetailsTab::Quotas => {
            super::update_console::open_quotas_tab_page(state)
        }
        Action::Enter(Purpose::Console) => super::console_menu::console_key(state),
        Action::ConsoleLast => super::console_menu::console_last(state),
        Action::Enter(purpose) => access::enter(state, purpose),
        Action::ModalConfirm => access::confirm(state),
        Action::ModalInput(c) => super::update_modal::input(state, c),
        Action::ModalCancel => access::cancel(state),
        Action::CancelPending => access::cancel_pending(state),
        Action::ModalBackspace => {
            super::update_modal::backspace(state);
            vec![]
        }
        _ => vec![],
    }
}

fn on_search(state: &mut State, action: Action) {
    match action {
        Action::OpenSearch => search::open(state),
        Action::CloseSearch => search::close(state),
        Action::SearchInput(c) => search::edit_query(state, |q| q.push(c)),
        Action::SearchBackspace => search::edit_query(state, |q| {
            q.pop();
        }),
        Action::SearchClear => search::edit_query(state, String::clear),
        Action::SearchAccept => search::accept(state),
        _ => {}
    }
}

fn on_quotas(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::ToggleDetailsTab => return quotas::toggle_tab(state),
        Action::CycleQuotaRegion => return quotas::cycle_region(state),
        Action::OpenSweep => return quotas::open_sweep(state, false),
        Action::ToggleQuotaFilter => quotas::toggle_filter(state),
        Action::CloseSweep => quotas::close_sweep(state),
        Action::SweepAccept => quotas::accept_sweep(state),
        _ => {}
    }
    vec![]
}

/// `r`: sweep again in the sweep, re-read the quotas on the Quotas tab, else refresh the tree.
fn on_refresh(state: &mut State) -> Vec<Effect> {
    if state.quotas.sweep_open {
        quotas::open_sweep(state, true)
    } else if state.quotas.tab == DetailsTab::Quotas
        && matches!(state.selected_node(), Some(Node::Account(_)))
    {
        quotas::fetch_selected(state, true)
    } else {
        org::refresh(state)
    }
}

/// `r`: the quotas on the Quotas tab, else the selected account or OU (the root: the tree).
fn on_refresh_item(state: &mut State) -> Vec<Effect> {
    if state.quotas.sweep_open
        || (state.quotas.tab == DetailsTab::Quotas
            && matches!(state.selected_node(), Some(Node::Account(_))))
    {
        on_refresh(state)
    } else {
        super::update_reread::refresh_item(state)
    }
}

/// Enter outside search and dialogs: a shell on an account, open/close on an OU.
fn on_activate(state: &mut State) -> Vec<Effect> {
    if matches!(state.selected_node(), Some(Node::Account(_))) && state.search.is_none() {
        return access::enter(state, Purpose::Shell);
    }
    on_move(state, &Action::Activate);
    vec![]
}

/// Movement goes to the dialog, the sweep, the search results or the tree, in that order.
fn on_move(state: &mut State, action: &Action) {
    if state.modal.is_some() {
        match action {
            Action::MoveUp => super::update_modal::move_selection(state, -1),
            Action::MoveDown => super::update_modal::move_selection(state, 1),
            _ => false,
        };
        return;
    }
    if quotas::navigate(state, action) || search::navigate(state, action) {
        return;
    }
    let page = tree_rows(state.width, state.height).max(1) as isize;
    let Some(org) = &mut state.org else { return };
    let (tree, h) = (&mut org.tree, &org.h);
    match action {
        Action::MoveUp => tree.move_by(-1),
        Action::MoveDown => tree.move_by(1),
        Action::PageUp => tree.move_by(-page),
        Action::PageDown => tree.move_by(page),
        Action::Top => tree.select_first(),
        Action::Bottom => tree.select_last(),
        Action::Expand => tree.expand_or_enter(h),
        Action::Collapse => tree.collapse_or_leave(h),
        Action::Activate => tree.toggle(h),
        _ => {}
    }
}

/// `y` / `Y`: the focused node's ID or name (`pick` chooses from id, name) to the terminal's
/// clipboard. OSC 52 is never answered, so the notice says it was sent, not copied.
fn copy_selected(state: &mut State, pick: fn(String, String) -> String) -> Vec<Effect> {
    let Some(org) = &state.org else { return vec![] };
    let (id, name) = match state.focused_node() {
        Some(Node::Account(i)) => (org.h.account(i).id.clone(), org.h.account(i).name.clone()),
        Some(Node::Ou(i)) => (org.h.ou(i).id.clone(), org.h.ou(i).name.clone()),
        None => return vec![],
    };
    let text = pick(id, name);
    state.status.notice = Some(format!("sent {text} to the terminal's clipboard (OSC 52)"));
    vec![Effect::CopyToClipboard(text)]
}

fn on_loaded(state: &mut State, loaded: Loaded) -> Vec<Effect> {
    match loaded {
        l @ (Loaded::Org { .. }
        | Loaded::Tags { .. }
        | Loaded::Progress { .. }
        | Loaded::AccountRead { .. }
        | Loaded::Failed { .. }
        | Loaded::Region(_)
        | Loaded::CacheWriteFailed(_)) => org::on_loaded(state, l),
        l @ (Loaded::Profiles(_)
        | Loaded::Assumed { .. }
        | Loaded::MfaNeeded { .. }
        | Loaded::AccessFailed { .. }
        | Loaded::ConsoleOpened { .. }
        | Loaded::ConsoleFailed(_)
        | Loaded::ConsoleStuck { .. }) => access::on_loaded(state, l),
        l @ (Loaded::Quotas { .. } | Loaded::SweepProgress { .. } | Loaded::SweepDone { .. }) => {
            quotas::on_loaded(state, l)
        }
        Loaded::LoginCode {
            request,
            user_code,
            url,
        } => {
            login::on_code(state, request, user_code, url);
            vec![]
        }
        Loaded::LoginDone { request, result } => {
            if !login::on_done(state, request, result) {
                return vec![];
            }
            // Read again with the new sign-in; the tree keeps the user's place.
            let effects = org::refresh(state);
            state.status.notice = Some("signed in to IAM Identity Center".into());
            effects
        }
    }
}

fn scroll(state: &mut State) {
    let rows = tree_rows(state.width, state.height);
    if let Some(org) = &mut state.org {
        let total = org.tree.rows().len();
        org.offset = scroll_window(org.offset, org.tree.selected(), rows, total);
    }
    let rows = search_rows(state.width, state.height);
    if let Some(s) = &mut state.search {
        s.offset = scroll_window(s.offset, s.selected, rows, s.hits.len());
    }
    let rows = super::layout::sweep_rows(state.width, state.height);
    if let Some(s) = &mut state.quotas.sweep {
        s.offset = scroll_window(s.offset, s.selected, rows, s.lines.len());
    }
}

/// Moves the help overlay by a line or a page, never past its last screenful.
fn scroll_help(state: &mut State, by: HelpScroll) {
    let lines = state.keymap.help().len();
    let rows = super::layout::help_rows(state.height, lines);
    let last = lines - rows;
    let page = rows.saturating_sub(1).max(1);
    let at = state.help_scroll.min(last);
    state.help_scroll = match by {
        HelpScroll::Up => at.saturating_sub(1),
        HelpScroll::Down => (at + 1).min(last),
        HelpScroll::PageUp => at.saturating_sub(page),
        HelpScroll::PageDown => (at + page).min(last),
    };
}
