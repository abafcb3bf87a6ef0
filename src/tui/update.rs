//! `update`: the pure state machine. Changes state, returns effects as data, never awaits.

use super::action::{Action, Effect, HelpScroll, Loaded, Purpose};
use super::layout::{keep_visible, search_rows, tree_rows};
use super::quota_state::DetailsTab;
use super::state::{OrgView, SEARCH_LIMIT, SearchState, State};
use super::update_access as access;
use super::update_login as login;
use super::update_quotas as quotas;
use crate::model::{Node, Snapshot};
use crate::search::Scope;

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = match action {
        Action::Quit => {
            state.quit = true;
            vec![]
        }
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            vec![]
        }
        Action::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            state.now = jiff::Timestamp::now();
            quotas::on_tick(state)
        }
        Action::Login => login::start(state),
        Action::ToggleDetailsTab => quotas::toggle_tab(state),
        Action::CycleQuotaRegion => quotas::cycle_region(state),
        Action::ToggleQuotaFilter => {
            quotas::toggle_filter(state);
            vec![]
        }
        Action::OpenSweep => quotas::open_sweep(state, false),
        Action::CloseSweep => {
            quotas::close_sweep(state);
            vec![]
        }
        Action::SweepAccept => {
            quotas::accept_sweep(state);
            vec![]
        }
        Action::Refresh if state.quotas.sweep_open => quotas::open_sweep(state, true),
        Action::Refresh
            if state.quotas.tab == DetailsTab::Quotas
                && matches!(state.selected_node(), Some(Node::Account(_))) =>
        {
            quotas::fetch_selected(state, true)
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
        Action::Refresh => refresh(state),
        Action::Enter(purpose) => access::enter(state, purpose),
        Action::ModalConfirm => access::confirm(state),
        Action::ModalCancel => {
            access::cancel(state);
            vec![]
        }
        Action::CancelPending => {
            access::cancel_pending(state);
            vec![]
        }
        Action::ModalInput(c) => access::input(state, c),
        Action::ModalBackspace => {
            access::backspace(state);
            vec![]
        }
        Action::Suspend => vec![Effect::SuspendSelf],
        Action::ChildExited { message } => {
            state.status.notice = Some(message);
            vec![]
        }
        ref nav @ (Action::MoveUp
        | Action::MoveDown
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom)
            if state.modal.is_none() && quotas::navigate(state, nav) =>
        {
            vec![]
        }
        Action::MoveUp if access::move_selection(state, -1) => vec![],
        Action::MoveDown if access::move_selection(state, 1) => vec![],
        Action::Activate
            if matches!(state.selected_node(), Some(Node::Account(_)))
                && state.search.is_none() =>
        {
            access::enter(state, Purpose::Shell)
        }
        Action::CopyId => copy_id(state),
        Action::Loaded(loaded) => on_loaded(state, loaded),
        Action::OpenSearch => {
            let mut s = SearchState::default();
            if let Some(org) = &state.org {
                s.hits = s
                    .searcher
                    .search(&org.index, "", Scope::Everything, Some(SEARCH_LIMIT));
                s.total = org.index.len();
            }
            state.search = Some(s);
            state.help = false;
            vec![]
        }
        Action::CloseSearch => {
            state.search = None;
            vec![]
        }
        Action::SearchInput(c) => edit_query(state, |q| q.push(c)),
        Action::SearchBackspace => edit_query(state, |q| {
            q.pop();
        }),
        Action::SearchClear => edit_query(state, String::clear),
        Action::SearchAccept => {
            accept_search(state);
            vec![]
        }
        nav => {
            navigate(state, nav);
            vec![]
        }
    };
    scroll(state);
    quotas::note_wanted(state);
    effects
}

pub(super) fn refresh(state: &mut State) -> Vec<Effect> {
    if state.status.demo {
        state.status.notice = Some("demo organization: nothing to refresh".into());
        return vec![];
    }
    if state.status.offline {
        state.status.notice = Some("offline mode: not calling AWS".into());
        return vec![];
    }
    state.generation += 1;
    state.status.refreshing = true;
    state.status.notice = None;
    vec![Effect::Crawl {
        generation: state.generation,
    }]
}

/// Errors a new sign-in would fix say how to get one.
pub fn with_login_hint(message: String) -> String {
    if message.contains("orgnav login") {
        format!("{message} — press L to sign in")
    } else {
        message
    }
}

fn copy_id(state: &mut State) -> Vec<Effect> {
    let node = match &state.search {
        Some(s) => s.hits.get(s.selected).map(|h| h.node),
        None => state.selected_node(),
    };
    let Some(org) = &state.org else { return vec![] };
    let id = match node {
        Some(Node::Account(i)) => org.h.account(i).id.clone(),
        Some(Node::Ou(i)) => org.h.ou(i).id.clone(),
        None => return vec![],
    };
    state.status.notice = Some(format!("copied {id}"));
    vec![Effect::CopyToClipboard(id)]
}

fn on_loaded(state: &mut State, loaded: Loaded) -> Vec<Effect> {
    match loaded {
        Loaded::Org {
            generation,
            snapshot,
        } if generation == state.generation => {
            let mut snapshot = *snapshot;
            let replaced = state
                .org
                .as_ref()
                .and_then(|prev| crate::source::org_changed(&prev.h.org, &snapshot.org));
            match (&state.org, &replaced) {
                (Some(prev), None) => snapshot.org.inherit_tags(&prev.h.org),
                // Another organization: nothing of the old one may show through.
                (Some(_), Some(_)) => state.search = None,
                (None, _) => {}
            }
            let org = snapshot.org.clone();
            // Cleared first: installing may report a dialog it had to close.
            state.status.last_error = None;
            install(state, snapshot);
            state.status.refreshing = false;
            state.status.stale = false;
            if replaced.is_some() {
                state.status.notice = replaced;
            }
            // Identity Center's flat list has no tags to fetch.
            state.status.loading_tags = !org.tags_loaded;
            let save = state.org.as_ref().map(OrgView::snapshot);
            let mut effects = Vec::new();
            if !org.tags_loaded {
                effects.push(Effect::FetchTags {
                    generation,
                    org: Box::new(org),
                });
            }
            effects.extend(save.map(|s| Effect::SaveCache(Box::new(s))));
            effects
        }
        Loaded::Tags {
            generation,
            tags,
            failed,
            first_error,
        } if generation == state.generation => {
            state.status.loading_tags = false;
            if failed > 0 {
                state.status.last_error = Some(format!(
                    "tags of {failed} resources unavailable: {}",
                    first_error.unwrap_or_default()
                ));
            }
            let Some(view) = &state.org else {
                return vec![];
            };
            let mut snapshot = view.snapshot();
            snapshot.org.apply_tags(&tags);
            install(state, snapshot.clone());
            vec![Effect::SaveCache(Box::new(snapshot))]
        }
        Loaded::Failed {
            generation,
            message,
            network,
        } if generation == state.generation => {
            state.status.refreshing = false;
            state.status.loading_tags = false;
            state.status.stale = network && state.org.is_some();
            state.status.last_error = Some(with_login_hint(message));
            vec![]
        }
        Loaded::Region(region) => {
            state.status.region = region;
            vec![]
        }
        other @ (Loaded::Profiles(_)
        | Loaded::Assumed { .. }
        | Loaded::MfaNeeded { .. }
        | Loaded::AccessFailed { .. }
        | Loaded::ConsoleOpened { .. }) => access::on_loaded(state, other),
        other @ (Loaded::Quotas { .. }
        | Loaded::SweepProgress { .. }
        | Loaded::SweepDone { .. }) => quotas::on_loaded(state, other),
        Loaded::LoginCode {
            request,
            user_code,
            url,
        } => {
            login::on_code(state, request, user_code, url);
            vec![]
        }
        Loaded::LoginDone { request, result } => login::on_done(state, request, result),
        Loaded::CacheWriteFailed(message) => {
            state.status.last_error = Some(message);
            vec![]
        }
        // An answer for a request the user has since superseded.
        _ => vec![],
    }
}

/// Shows a snapshot, keeping the user's place and any search in progress.
pub fn install(state: &mut State, snapshot: Snapshot) {
    let view = OrgView::new(snapshot, &state.production_rule, state.org.as_ref());
    state.org = Some(view);
    access::revalidate(state);
    if let Some(s) = &mut state.search {
        let query = std::mem::take(&mut s.query);
        s.searcher = Default::default();
        s.query = query;
        rerun_search(state);
    }
}

fn edit_query(state: &mut State, edit: impl FnOnce(&mut String)) -> Vec<Effect> {
    if let Some(s) = &mut state.search {
        edit(&mut s.query);
        rerun_search(state);
    }
    vec![]
}

fn rerun_search(state: &mut State) {
    let (Some(s), Some(org)) = (&mut state.search, &state.org) else {
        return;
    };
    s.hits = s
        .searcher
        .search(&org.index, &s.query, Scope::Everything, Some(SEARCH_LIMIT));
    s.total = s.searcher.match_count();
    s.selected = 0;
    s.offset = 0;
}

fn accept_search(state: &mut State) {
    let Some(s) = state.search.take() else { return };
    let (Some(hit), Some(org)) = (s.hits.get(s.selected), &mut state.org) else {
        return;
    };
    org.tree.reveal(&org.h, hit.node);
    // Centre the jump target so its surroundings are visible.
    let rows = tree_rows(state.width, state.height);
    org.offset = org.tree.selected().saturating_sub(rows / 2);
}

fn navigate(state: &mut State, action: Action) {
    if let Some(s) = &mut state.search {
        let page = search_rows(state.width, state.height).max(1) as isize;
        let delta = match action {
            Action::MoveUp => -1,
            Action::MoveDown => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            _ => 0,
        };
        let last = s.hits.len().saturating_sub(1);
        s.selected = s.selected.saturating_add_signed(delta).min(last);
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

fn scroll(state: &mut State) {
    let rows = tree_rows(state.width, state.height);
    if let Some(org) = &mut state.org {
        org.offset = keep_visible(org.offset, org.tree.selected(), rows);
    }
    let rows = search_rows(state.width, state.height);
    if let Some(s) = &mut state.search {
        s.offset = keep_visible(s.offset, s.selected, rows);
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
