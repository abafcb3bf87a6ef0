//! The organization on screen: refreshes, crawl and tag results, installing a snapshot.

use super::action::{Effect, Loaded, TagReads};
use super::state::{OrgView, State};
use super::update_login::with_login_hint;
use super::update_reread as reread;
use super::update_search as search;
use crate::model::Snapshot;

/// `Ctrl-R` (`r` on the root; outside the quotas views): crawl again, unless there is
/// nothing to call.
pub fn refresh(state: &mut State) -> Vec<Effect> {
    if reread::no_aws(state) {
        return vec![];
    }
    // A retry's delay stays, to double if this one fails too.
    if let Some(r) = &mut state.status.retry {
        r.at = None;
    }
    state.generation += 1;
    state.status.refreshing = true;
    state.status.notice = None;
    vec![Effect::Crawl {
        generation: state.generation,
    }]
}

/// Results of crawls and cache writes; answers to an older refresh are dropped.
pub fn on_loaded(state: &mut State, loaded: Loaded) -> Vec<Effect> {
    match loaded {
        Loaded::Org {
            generation,
            snapshot,
        } if generation == state.generation => on_org(state, generation, *snapshot),
        Loaded::Tags {
            generation,
            tags,
            failed,
            first_error,
            unread,
            read_at,
            interrupted,
        } if generation == state.generation => {
            state.status.loading_tags = false;
            state.status.progress = None;
            if failed > 0 {
                let retry = if interrupted {
                    reread::schedule_retry(state, true)
                } else {
                    String::new()
                };
                state.status.last_error = Some(format!(
                    "tags of {failed} resources unavailable (cached ones kept): {}{retry}",
                    first_error.unwrap_or_default()
                ));
            } else if state.status.retry.is_some_and(|r| r.tags_only) {
                state.status.retry = None;
            }
            let Some(view) = &state.org else {
                return vec![];
            };
            let mut snapshot = view.snapshot();
            snapshot.org.apply_tags(&tags, &unread, read_at);
            install(state, snapshot.clone());
            vec![Effect::SaveCache(Box::new(snapshot))]
        }
        Loaded::Progress {
            generation,
            progress,
        } if generation == state.generation => {
            state.status.progress = Some(progress);
            vec![]
        }
        Loaded::AccountRead { generation, result } if generation == state.generation => {
            reread::on_account_read(state, result)
        }
        Loaded::Failed {
            generation,
            message,
            network,
        } if generation == state.generation => {
            state.status.refreshing = false;
            state.status.loading_tags = false;
            state.status.progress = None;
            state.status.stale = network && state.org.is_some();
            // Throttled beyond the retries or unreachable: the cached tree stays; try later.
            let retry = if state.status.stale {
                reread::schedule_retry(state, false)
            } else {
                String::new()
            };
            state.status.last_error = Some(with_login_hint(message) + &retry);
            vec![]
        }
        Loaded::Region(region) => {
            state.quotas.set_session_region(&region);
            if state.access.region.is_empty() {
                state.access.region.clone_from(&region);
            }
            state.status.region = region;
            vec![]
        }
        Loaded::CacheWriteFailed(message) => {
            state.status.last_error = Some(message);
            vec![]
        }
        // An answer for a refresh the user has since superseded.
        _ => vec![],
    }
}

fn on_org(state: &mut State, generation: u64, mut snapshot: Snapshot) -> Vec<Effect> {
    let replaced = state
        .org
        .as_ref()
        .and_then(|prev| crate::source::org_changed(&prev.h.org.id, &snapshot.org.id));
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
    state.status.progress = None;
    state.status.stale = false;
    state.status.retry = None;
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
            reads: TagReads::Planned(Box::new(org)),
        });
    }
    effects.extend(save.map(|s| Effect::SaveCache(Box::new(s))));
    effects
}

/// Shows a snapshot, keeping the user's place, its dialogs (by account ID) and any search.
pub fn install(state: &mut State, snapshot: Snapshot) {
    let first = state.org.is_none();
    let view = OrgView::new(snapshot, &state.production_rule, state.org.as_ref());
    state.org = Some(view);
    super::update_history::apply(state);
    if first && let Some(org) = &mut state.org {
        // The first screen starts at the top: the favourites and recents, when there are any.
        org.tree.select_first();
    }
    state.selected_roles = None;
    super::update_selection::revalidate(state);
    if let Some(s) = &mut state.search {
        let query = std::mem::take(&mut s.query);
        s.searcher = Default::default();
        s.query = query;
        search::rerun(state);
    }
}
