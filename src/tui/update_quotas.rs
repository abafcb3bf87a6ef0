//! The Quotas tab and the sweep view: pure state changes returning effects as data. In the
//! demo organization quotas come from `quotas::demo` synchronously instead.

use super::action::{Action, Effect, Loaded};
use super::layout::{scroll_window, sweep_rows};
use super::quota_state::{DetailsTab, QuotaEntry, SweepView};
use super::state::State;
use crate::aws::roles::partition;
use crate::model::{AccountStatus, Node};
use crate::quotas::demo::demo_quotas;
use crate::quotas::{AccountQuotas, QuotaQuery, QuotaTarget, quota_role};

fn selected_account(state: &State) -> Option<usize> {
    match state.selected_node() {
        Some(Node::Account(i)) if state.search.is_none() => Some(i),
        _ => None,
    }
}

fn target(state: &State, i: usize) -> Option<QuotaTarget> {
    let org = state.org.as_ref()?;
    let a = org.h.account(i);
    let options = state.access.options(org, i, &state.history);
    let part = partition(&state.access.region);
    Some(QuotaTarget {
        account: a.clone(),
        role: quota_role(&options, state.quotas.config.role.as_deref(), &a.id, part),
        production: org.is_production(i),
    })
}

fn query(state: &State, region: &str) -> QuotaQuery {
    QuotaQuery {
        services: state.quotas.config.services.clone(),
        codes: Vec::new(),
        regions: vec![region.to_string()],
    }
}

/// Tab: flip between account details and quotas; showing quotas reads them if needed.
pub fn toggle_tab(state: &mut State) -> Vec<Effect> {
    state.quotas.tab = match state.quotas.tab {
        DetailsTab::Info => DetailsTab::Quotas,
        DetailsTab::Quotas => DetailsTab::Info,
    };
    fetch_selected(state, false)
}

/// Reads the selected account's quotas in the current region (again, when `force`).
pub fn fetch_selected(state: &mut State, force: bool) -> Vec<Effect> {
    state.quotas.wanted = None;
    if state.quotas.tab != DetailsTab::Quotas {
        return vec![];
    }
    let Some(i) = selected_account(state) else {
        return vec![];
    };
    let Some(t) = target(state, i) else {
        return vec![];
    };
    let region = state.quotas.current_region().to_string();
    let key = (t.account.id.clone(), region.clone());
    let existing = state.quotas.entries.get(&key);
    if existing.is_some_and(|e| e.loading || !force) {
        return vec![];
    }
    if t.account.status != AccountStatus::Active {
        state.quotas.entries.insert(
            key,
            QuotaEntry {
                error: Some(format!("{} is not active", t.account.name)),
                ..QuotaEntry::default()
            },
        );
        return vec![];
    }
    if state.status.demo {
        let rows = demo_quotas(&t.account.id, &region, &state.quotas.config.services);
        state.quotas.entries.insert(
            key,
            QuotaEntry {
                loading: false,
                fetched_at: Some(state.now),
                rows,
                error: None,
            },
        );
        return vec![];
    }
    let previous = state.quotas.entries.remove(&key).unwrap_or_default();
    state.quotas.entries.insert(
        key,
        QuotaEntry {
            loading: true,
            ..previous
        },
    );
    vec![Effect::FetchQuotas {
        query: query(state, &region),
        target: Box::new(t),
    }]
}

/// After any action: remember an account the tab rests on without data; a tick reads it.
pub fn note_wanted(state: &mut State) {
    let wanted = match (state.quotas.tab, selected_account(state), &state.org) {
        (DetailsTab::Quotas, Some(i), Some(org)) => {
            let id = &org.h.account(i).id;
            state.quotas.entry(id).is_none().then(|| id.clone())
        }
        _ => None,
    };
    state.quotas.wanted = wanted;
}

pub fn on_rest(state: &mut State) -> Vec<Effect> {
    if state.quotas.wanted.is_some() {
        fetch_selected(state, false)
    } else {
        vec![]
    }
}

pub fn cycle_region(state: &mut State) -> Vec<Effect> {
    let n = state.quotas.regions.len().max(1);
    state.quotas.region = (state.quotas.region + 1) % n;
    state.status.notice = Some(format!("quotas in {}", state.quotas.current_region()));
    fetch_selected(state, false)
}

pub fn toggle_filter(state: &mut State) {
    match &mut state.quotas.sweep {
        Some(s) if state.quotas.sweep_open => {
            s.show_unknown = !s.show_unknown;
            s.relayout();
        }
        _ => state.quotas.hide_without_usage = !state.quotas.hide_without_usage,
    }
}

/// Q: sweep every active account under the selected OU (the whole organization on an
/// account or the root). The same scope and region again just shows the last sweep.
pub fn open_sweep(state: &mut State, rerun: bool) -> Vec<Effect> {
    let Some(org) = &state.org else { return vec![] };
    let top = match state.selected_node() {
        Some(Node::Ou(i)) if state.search.is_none() => i,
        _ => org.h.root(),
    };
    let scope = if top == org.h.root() {
        "organization".to_string()
    } else {
        crate::model::Hierarchy::path_string(org.h.ou_path(top))
    };
    let region = state.quotas.current_region().to_string();
    if !rerun
        && let Some(s) = &state.quotas.sweep
        && s.scope == scope
        && s.region == region
    {
        state.quotas.sweep_open = true;
        return vec![];
    }
    let accounts: Vec<usize> = org
        .h
        .accounts_under(top)
        .into_iter()
        .filter(|&i| org.h.account(i).status == AccountStatus::Active)
        .collect();
    let targets: Vec<QuotaTarget> = accounts.iter().filter_map(|&i| target(state, i)).collect();
    state.quotas.sweep_generation += 1;
    let generation = state.quotas.sweep_generation;
    let mut view = SweepView::new(generation, scope, region.clone(), targets.len());
    view.started = state.now;
    let mut effects = vec![Effect::CancelSweep];
    if state.status.demo {
        let results: Vec<AccountQuotas> = targets
            .iter()
            .map(|t| AccountQuotas {
                account_id: t.account.id.clone(),
                account_name: t.account.name.clone(),
                region: region.clone(),
                result: Ok(demo_quotas(
                    &t.account.id,
                    &region,
                    &state.quotas.config.services,
                )),
            })
            .collect();
        view.add(&results, targets.len());
        view.finished = Some(state.now);
    } else {
        effects.push(Effect::StartSweep {
            generation,
            query: query(state, &region),
            targets,
            concurrency: state.quotas.config.concurrency,
        });
    }
    state.quotas.sweep = Some(view);
    state.quotas.sweep_open = true;
    effects
}

pub fn close_sweep(state: &mut State) {
    state.quotas.sweep_open = false;
}

/// Enter: the selected line's account, revealed in the tree.
pub fn accept_sweep(state: &mut State) {
    let Some(id) = state
        .quotas
        .sweep
        .as_ref()
        .and_then(|s| s.selected_account())
        .map(str::to_string)
    else {
        return;
    };
    state.quotas.sweep_open = false;
    if let Some(org) = &mut state.org
        && let Some(i) = org.h.account_index(&id)
    {
        org.tree.reveal(&org.h, Node::Account(i));
    }
}

/// Movement inside the open sweep. Returns false when the sweep is not showing.
pub fn navigate(state: &mut State, action: &Action) -> bool {
    let page = sweep_rows(state.width, state.height).max(1);
    let Some(s) = state
        .quotas
        .sweep
        .as_mut()
        .filter(|_| state.quotas.sweep_open)
    else {
        return false;
    };
    let last = s.lines.len().saturating_sub(1);
    s.selected = match action {
        Action::MoveUp => s.selected.saturating_sub(1),
        Action::MoveDown => (s.selected + 1).min(last),
        Action::PageUp => s.selected.saturating_sub(page),
        Action::PageDown => (s.selected + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => s.selected,
    };
    s.offset = scroll_window(s.offset, s.selected, page, s.lines.len());
    true
}

pub fn on_loaded(state: &mut State, loaded: Loaded) -> Vec<Effect> {
    match loaded {
        Loaded::Quotas {
            account_id,
            region,
            result,
        } => {
            let (rows, error) = match result {
                Ok(rows) => (rows, None),
                Err(e) => (Vec::new(), Some(e)),
            };
            state.quotas.entries.insert(
                (account_id, region),
                QuotaEntry {
                    loading: false,
                    fetched_at: Some(state.now),
                    rows,
                    error,
                },
            );
        }
        Loaded::SweepProgress {
            generation,
            results,
            done,
        } => {
            if let Some(s) = state
                .quotas
                .sweep
                .as_mut()
                .filter(|s| s.generation == generation)
            {
                s.add(&results, done);
            }
        }
        Loaded::SweepDone { generation } => {
            if let Some(s) = state
                .quotas
                .sweep
                .as_mut()
                .filter(|s| s.generation == generation)
            {
                s.finished = Some(state.now);
            }
        }
        _ => {}
    }
    vec![]
}
