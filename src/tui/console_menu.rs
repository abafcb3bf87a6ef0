//! The `c` menu: when an account has a browser, profile or container configured, `c` asks how
//! to open the console (there, in the default browser, or copy the sign-in link); `C` opens
//! the way chosen last, without asking. Pure like `update`.

use super::action::{Effect, Purpose};
use super::state::{Modal, State};
use crate::access::browser::command::{AccountContext, BrowserChoice, browser_for};
use crate::access::console_dest;
use crate::config::ConsoleConfig;
use crate::model::Node;

/// A way to open the console, as the menu offers it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConsoleKind {
    /// The account's configured browser, profile or container.
    #[default]
    Configured,
    /// `BROWSER` or the system's opener, ignoring the configuration.
    DefaultBrowser,
    /// The sign-in link to the terminal's clipboard (OSC 52), no browser.
    CopyLink,
}

/// What the console opening of an entry does once credentials are there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleHow {
    Open(BrowserChoice),
    CopyLink,
}

/// The console settings and choices of the navigator.
#[derive(Debug, Clone, Default)]
pub struct ConsoleView {
    pub config: ConsoleConfig,
    /// The menu's last choice: what `C` does.
    pub last: ConsoleKind,
    /// The choice for the entry in flight (None: the configured way).
    pub chosen: Option<ConsoleKind>,
    /// The entry whose link is to be copied, not opened.
    pub copying: Option<u64>,
    /// The Identity Center start URL, for `console.via = "portal"`.
    pub portal_start_url: Option<String>,
}

/// One line of the menu: its key, what it does, how it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub key: char,
    pub kind: ConsoleKind,
    pub label: String,
}

/// The account's configured browser (role not known yet: `{role}` reads empty).
fn configured(state: &State, account: usize, role: &str) -> Option<BrowserChoice> {
    let org = state.org.as_ref()?;
    let a = org.h.account(account);
    let ctx = AccountContext {
        account: a,
        path: org.h.account_path(account),
        role,
        production: state.production_rule.is_production(a),
    };
    Some(browser_for(&state.console.config, &ctx))
}

/// The menu for the selected account, when it has more than one way to open.
fn menu_items(state: &State) -> Option<(String, Vec<MenuItem>)> {
    let Some(Node::Account(i)) = state.selected_node() else {
        return None;
    };
    let choice = configured(state, i, "")?;
    if choice.is_default() {
        return None;
    }
    let name = state.org.as_ref()?.h.account(i).name.clone();
    let items = vec![
        MenuItem {
            key: 'o',
            kind: ConsoleKind::Configured,
            label: format!("open in {}", choice.label()),
        },
        MenuItem {
            key: 'd',
            kind: ConsoleKind::DefaultBrowser,
            label: "open in the default browser".into(),
        },
        MenuItem {
            key: 'y',
            kind: ConsoleKind::CopyLink,
            label: "copy the sign-in link (OSC 52)".into(),
        },
    ];
    Some((name, items))
}

/// `c`: the menu when there is a choice to make, else the console the configured way.
pub fn console_key(state: &mut State) -> Vec<Effect> {
    if state.modal.is_none()
        && let Some((account_name, items)) = menu_items(state)
    {
        // The last way is preselected, except copying the secret link: a stray Enter must
        // never put it on the clipboard (as in the no-browser dialog, only its key does).
        let selected = items
            .iter()
            .position(|i| i.kind == state.console.last && i.kind != ConsoleKind::CopyLink)
            .unwrap_or(0);
        state.modal = Some(Modal::ConsoleMenu {
            account_name,
            items,
            selected,
        });
        return vec![];
    }
    enter_as(state, ConsoleKind::Configured)
}

/// `C`: the console the way chosen last in the menu.
pub fn console_last(state: &mut State) -> Vec<Effect> {
    let last = state.console.last;
    enter_as(state, last)
}

fn enter_as(state: &mut State, kind: ConsoleKind) -> Vec<Effect> {
    let effects = super::update_access::enter(state, Purpose::Console);
    // Set after `enter`: it cancels the entry before, and with it the earlier choice.
    state.console.chosen = Some(kind);
    effects
}

/// A key in the menu: an item's key chooses it; j/k move.
pub fn input(state: &mut State, c: char) -> Vec<Effect> {
    let Some(Modal::ConsoleMenu { items, .. }) = &state.modal else {
        return vec![];
    };
    match c {
        'j' => move_by(state, 1),
        'k' => move_by(state, -1),
        'q' => state.modal = None,
        _ => {
            if let Some(kind) = items.iter().find(|i| i.key == c).map(|i| i.kind) {
                return choose(state, kind);
            }
        }
    }
    vec![]
}

pub fn move_by(state: &mut State, delta: isize) {
    if let Some(Modal::ConsoleMenu {
        items, selected, ..
    }) = &mut state.modal
    {
        *selected = selected
            .saturating_add_signed(delta)
            .min(items.len().saturating_sub(1));
    }
}

/// Enter in the menu: the highlighted item.
pub fn confirm(state: &mut State) -> Vec<Effect> {
    let Some(Modal::ConsoleMenu {
        items, selected, ..
    }) = &state.modal
    else {
        return vec![];
    };
    let kind = items
        .get(*selected)
        .map_or_else(ConsoleKind::default, |i| i.kind);
    choose(state, kind)
}

fn choose(state: &mut State, kind: ConsoleKind) -> Vec<Effect> {
    state.modal = None;
    state.console.last = kind;
    enter_as(state, kind)
}

/// What the console opening of entry `request` in account `account_id` as `role` does: the
/// choice made for it, resolved now that the role is known. Taken: the next entry chooses anew.
pub fn how_for(state: &mut State, request: u64, account_id: &str, role: &str) -> ConsoleHow {
    let kind = state.console.chosen.take().unwrap_or_default();
    let index = state
        .org
        .as_ref()
        .and_then(|o| o.h.account_index(account_id));
    match kind {
        ConsoleKind::CopyLink => {
            state.console.copying = Some(request);
            ConsoleHow::CopyLink
        }
        ConsoleKind::DefaultBrowser => ConsoleHow::Open(BrowserChoice::default()),
        ConsoleKind::Configured => ConsoleHow::Open(
            index
                .and_then(|i| configured(state, i, role))
                .unwrap_or_default(),
        ),
    }
}

/// `console.via = "portal"` and an Identity Center role: the access portal's shortcut link
/// instead of credentials (None: the federation way). Opened, copied, or on the demo shown.
pub fn via_portal(
    state: &mut State,
    account: &crate::model::Account,
    option: &crate::aws::roles::RoleOption,
) -> Option<Vec<Effect>> {
    use crate::aws::roles::RoleSource;
    if state.console.config.via != crate::config::ConsoleVia::Portal
        || option.source != RoleSource::IdentityCenter
    {
        return None;
    }
    let kind = state.console.chosen.take().unwrap_or_default();
    let Some(start_url) = state.console.portal_start_url.clone() else {
        state.status.last_error =
            Some("console.via = \"portal\" needs an IAM Identity Center sign-in".into());
        return Some(vec![]);
    };
    let region = state
        .picked_region
        .clone()
        .unwrap_or_else(|| state.access.region.clone());
    let region = if region.is_empty() {
        "us-east-1".into()
    } else {
        region
    };
    // A deep link begun for this account (the quota sweep's `c`) lands there, else home.
    let destination = match &state.console_deep_link {
        Some(link) if link.account_id == account.id => link.destination.clone(),
        _ => {
            console_dest::destination_url(&region, &console_dest::Target::Home).unwrap_or_default()
        }
    };
    let url = crate::access::console_links::portal_shortcut_url(
        &start_url,
        &account.id,
        &option.name,
        &destination,
    );
    let kind_of_entry = crate::access::history::EntryKind::Console;
    super::update_history::entered(state, &account.id, &option.name, kind_of_entry);
    let mut effects = vec![Effect::RecordHistory {
        account_id: account.id.clone(),
        role: option.name.clone(),
        kind: kind_of_entry,
        demo: state.status.demo,
    }];
    let index = state
        .org
        .as_ref()
        .and_then(|o| o.h.account_index(&account.id));
    match kind {
        ConsoleKind::CopyLink => {
            state.status.notice = Some(format!(
                "sent the access portal link for {} to the terminal's clipboard (OSC 52)",
                account.name
            ));
            effects.push(Effect::CopyToClipboard(url));
        }
        _ if state.status.demo => {
            state.status.notice = Some(format!("demo access portal, not opened: {url}"));
        }
        kind => {
            let choice = match (kind, index) {
                (ConsoleKind::Configured, Some(i)) => {
                    configured(state, i, &option.name).unwrap_or_default()
                }
                _ => BrowserChoice::default(),
            };
            state.status.notice = Some(format!(
                "opening the access portal for {} as {}",
                account.name, option.name
            ));
            effects.push(Effect::OpenPortal { url, choice });
        }
    }
    Some(effects)
}
