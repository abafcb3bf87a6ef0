//! The TUI's state, owned by the event loop alone and changed only by `update`.

use std::collections::BTreeMap;

use super::action::Purpose;
use super::quota_state::QuotaView;
use crate::access::history::History;
use crate::aws::roles::{ProfileRole, RoleInputs, RoleOption, partition, role_options};
use crate::config::RoleRule;
use crate::model::Account;
use crate::model::production::ProductionRule;
use crate::model::tree::TreeState;
use crate::model::{Hierarchy, Node, Snapshot};
use crate::search::{SearchHit, SearchIndex, Searcher};

/// Search results kept per keystroke; the list never shows more.
pub const SEARCH_LIMIT: usize = 200;

/// One loaded organization with everything derived from it.
pub struct OrgView {
    pub h: Hierarchy,
    pub tree: TreeState,
    pub index: SearchIndex,
    pub fetched_at: jiff::Timestamp,
    pub production: Vec<bool>,
    /// First visible row of the tree (kept so the selection stays on screen).
    pub offset: usize,
}

impl OrgView {
    pub fn new(snapshot: Snapshot, rule: &ProductionRule, previous: Option<&OrgView>) -> Self {
        let h = Hierarchy::new(snapshot.org);
        let tree = match previous {
            Some(p) => p.tree.carry_over(&p.h, &h),
            None => TreeState::new(&h),
        };
        let production = h
            .org
            .accounts
            .iter()
            .map(|a| rule.is_production(a))
            .collect();
        Self {
            index: SearchIndex::new(&h),
            tree,
            fetched_at: snapshot.fetched_at,
            production,
            offset: previous.map_or(0, |p| p.offset),
            h,
        }
    }

    pub fn is_production(&self, account: usize) -> bool {
        self.production.get(account).copied().unwrap_or(false)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot::new(self.h.org.clone(), self.fetched_at)
    }
}

#[derive(Default)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// Matches before the display limit.
    pub total: usize,
    pub selected: usize,
    pub offset: usize,
    pub searcher: Searcher,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    pub profile: String,
    pub region: String,
    pub demo: bool,
    pub offline: bool,
    pub refreshing: bool,
    pub loading_tags: bool,
    /// How far the refresh under way has got (accounts listed, tags read).
    pub progress: Option<crate::aws::progress::Progress>,
    /// AWS was out of reach (throttled beyond the retries, unreachable): when to try again.
    pub retry: Option<Retry>,
    /// The cached data could not be refreshed (network down): say it is stale.
    pub stale: bool,
    pub last_error: Option<String>,
    pub notice: Option<String>,
    /// `NO_COLOR` is set: markers that need no colour (▶ on the selected row) are drawn.
    pub no_color: bool,
}

/// A refresh (or tag read) to try again later, backing off while AWS stays out of reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// None once started: the delay stays to double on the next failure.
    pub at: Option<jiff::Timestamp>,
    pub delay_secs: i64,
    /// Only the tags left unread, not the tree.
    pub tags_only: bool,
}

pub struct State {
    pub org: Option<OrgView>,
    pub search: Option<SearchState>,
    pub help: bool,
    /// First line of the help overlay shown (it scrolls when taller than the screen).
    pub help_scroll: usize,
    /// The key bindings: the built-in table with config `[keys]` applied.
    pub keymap: super::keymap::Keymap,
    pub modal: Option<Modal>,
    pub access: AccessView,
    pub quotas: QuotaView,
    /// The one account entry in flight; answers carrying another request id are dropped.
    pub entry: Option<PendingEntry>,
    /// The Identity Center sign-in in flight: a second `L` joins it instead of starting another.
    pub login: Option<u64>,
    /// The sign-in's (user code, verification URL), kept for when its dialog is shown again.
    pub login_code: Option<(String, String)>,
    /// Source of request ids for entries and sign-ins.
    pub last_request: u64,
    /// The selected account's role options, computed when the selection (or what the options
    /// depend on) changes, not on every frame.
    pub selected_roles: Option<SelectedRoles>,
    pub status: Status,
    pub production_rule: ProductionRule,
    pub generation: u64,
    pub width: u16,
    pub height: u16,
    pub spinner: usize,
    pub now: jiff::Timestamp,
    pub quit: bool,
    /// The region picked with `@` for shells and the console (None: the session's).
    pub picked_region: Option<String>,
    /// When the credentials entered in this run expire, by (account ID, role name).
    pub expiries: BTreeMap<(String, String), jiff::Timestamp>,
    /// Entries and favourites: the groups above the tree and search's tie-breaks come from it.
    /// Loaded at start; `update` changes it and asks for the same change in the file.
    pub history: crate::access::history::History,
    /// Console settings and the `c` menu's choices.
    pub console: super::console_menu::ConsoleView,
    /// Where the console entry begun from the quota sweep lands (`c` there); any other
    /// entry clears it.
    pub console_deep_link: Option<ConsoleDeepLink>,
}

/// A console page for one account in one region (the entry in flight is for that account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleDeepLink {
    pub account_id: String,
    pub region: String,
    pub destination: String,
}

impl State {
    pub fn new(status: Status, production_rule: ProductionRule) -> Self {
        Self {
            org: None,
            search: None,
            help: false,
            help_scroll: 0,
            keymap: Default::default(),
            modal: None,
            access: AccessView::default(),
            quotas: QuotaView::default(),
            entry: None,
            login: None,
            login_code: None,
            last_request: 0,
            selected_roles: None,
            status,
            production_rule,
            generation: 0,
            width: 80,
            height: 24,
            spinner: 0,
            now: jiff::Timestamp::now(),
            quit: false,
            picked_region: None,
            expiries: BTreeMap::new(),
            history: Default::default(),
            console: Default::default(),
            console_deep_link: None,
        }
    }

    pub fn busy(&self) -> bool {
        self.status.refreshing
            || self.status.loading_tags
            || self.entry.is_some()
            || self.login.is_some()
            || self.quotas.entries.values().any(|e| e.loading)
            || self
                .quotas
                .sweep
                .as_ref()
                .is_some_and(|s| s.finished.is_none())
    }

    pub fn selected_node(&self) -> Option<Node> {
        self.org.as_ref().and_then(|o| o.tree.selected_node())
    }

    /// What the details pane shows: the selected search result while searching, else the
    /// tree's selection.
    pub fn focused_node(&self) -> Option<Node> {
        match &self.search {
            Some(s) => s.hits.get(s.selected).map(|h| h.node),
            None => self.selected_node(),
        }
    }
}

/// Role options of one account, by ID.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectedRoles {
    pub account_id: String,
    pub options: Vec<RoleOption>,
}

/// An access request (assume, Identity Center credentials, console) on its way: the account is
/// held by ID, so a refresh that reorders the tree cannot redirect it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEntry {
    pub request: u64,
    pub account_id: String,
    pub account_name: String,
    pub role: String,
    pub purpose: Purpose,
    /// Credentials arrived and the console sign-in is being opened.
    pub opening_console: bool,
}

impl PendingEntry {
    /// What the status bar says while it runs.
    pub fn label(&self) -> String {
        if self.opening_console {
            format!("opening the console for {}", self.account_name)
        } else {
            format!("assuming {} in {}", self.role, self.account_name)
        }
    }
}

/// Dialogs over the main screen; at most one at a time. Those that lead to credentials hold
/// the account itself (its ID), never a row of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    PickRole {
        account: Box<Account>,
        options: Vec<RoleOption>,
        selected: usize,
        purpose: Purpose,
    },
    ConfirmProduction {
        account: Box<Account>,
        option: RoleOption,
        purpose: Purpose,
    },
    /// Identity Center device login: (user code, verification URL) once known.
    Login { code: Option<(String, String)> },
    Mfa {
        account: Box<Account>,
        option: Box<RoleOption>,
        purpose: Purpose,
        serial: String,
        code: String,
    },
    /// `@`: the region for shells and the console.
    Region(super::region_picker::RegionPicker),
    /// No browser took the console sign-in link: offer copying it (never shown on screen).
    ConsoleLink {
        account_name: String,
        link: super::clipboard::SignInLink,
        why: String,
    },
    /// `c` with a browser, profile or container configured: how to open the console.
    ConsoleMenu {
        account_name: String,
        items: Vec<super::console_menu::MenuItem>,
        selected: usize,
    },
}

/// What the TUI needs to offer roles: config rules, AWS profiles (the last role per account
/// comes from the history).
#[derive(Debug, Clone, Default)]
pub struct AccessView {
    pub rules: Vec<RoleRule>,
    pub profiles: Vec<ProfileRole>,
    pub default_role: String,
    pub region: String,
}

impl AccessView {
    /// The account's role options, the role last used in it (`history`) first.
    pub fn options(&self, org: &OrgView, account: usize, history: &History) -> Vec<RoleOption> {
        let a = org.h.account(account);
        let inputs = RoleInputs {
            sso_roles: org
                .h
                .org
                .sso_roles
                .get(&a.id)
                .map_or(&[][..], Vec::as_slice),
            rules: &self.rules,
            profiles: &self.profiles,
            default_role: &self.default_role,
            partition: partition(&self.region),
            last_used: history.last_role(&a.id),
        };
        role_options(a, org.h.account_path(account), &inputs)
    }
}
