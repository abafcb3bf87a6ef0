//! Search (`/`): the query, its ranked results, moving through them, and the jump to the tree.

use super::action::Action;
use super::layout::{search_rows, tree_rows};
use super::state::{SEARCH_LIMIT, SearchState, State};
use crate::search::Scope;

pub fn open(state: &mut State) {
    let mut s = SearchState::default();
    if let Some(org) = &state.org {
        s.hits = s
            .searcher
            .search(&org.index, "", Scope::Everything, Some(SEARCH_LIMIT));
        s.total = org.index.len();
    }
    state.search = Some(s);
    state.help = false;
}

pub fn close(state: &mut State) {
    state.search = None;
}

pub fn edit_query(state: &mut State, edit: impl FnOnce(&mut String)) {
    if let Some(s) = &mut state.search {
        edit(&mut s.query);
        rerun(state);
    }
}

/// Runs the query again (after an edit, or over a newly installed organization).
pub fn rerun(state: &mut State) {
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

/// Enter: jump to the selected result in the tree, centred so its surroundings show.
pub fn accept(state: &mut State) {
    let Some(s) = state.search.take() else { return };
    let (Some(hit), Some(org)) = (s.hits.get(s.selected), &mut state.org) else {
        return;
    };
    org.tree.reveal(&org.h, hit.node);
    let rows = tree_rows(state.width, state.height);
    org.offset = org.tree.selected().saturating_sub(rows / 2);
}

/// ↑/↓/PgUp/PgDn through the results. False when search is not open.
pub fn navigate(state: &mut State, action: &Action) -> bool {
    let page = search_rows(state.width, state.height).max(1) as isize;
    let Some(s) = &mut state.search else {
        return false;
    };
    let delta = match action {
        Action::MoveUp => -1,
        Action::MoveDown => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        _ => 0,
    };
    let last = s.hits.len().saturating_sub(1);
    s.selected = s.selected.saturating_add_signed(delta).min(last);
    true
}
