//! The one table of key bindings: mode, default keys, what they do, help text. `map_key` and
//! the `?` overlay both read it (through `Keymap`), so they cannot disagree.
//!
//! A row with a `name` can be rebound from config `[keys]`; the names are a public contract
//! like the CLI's flags: never rename one. Rows without a name are fixed: Ctrl-C/Ctrl-Z
//! everywhere, and the keys of text fields (search, dialogs), where a rebound letter would
//! stop being typeable.

use crate::tui::action::{Action, HelpScroll, Purpose};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// The tree (and the details pane beside it).
    Browse,
    /// In every mode, before the mode's own keys.
    Global,
    Search,
    /// Dialogs: role picker, production confirmation, MFA prompt, sign-in.
    Modal,
    Help,
    Sweep,
}

impl Mode {
    pub const ALL: [Mode; 6] = [
        Mode::Browse,
        Mode::Global,
        Mode::Search,
        Mode::Modal,
        Mode::Help,
        Mode::Sweep,
    ];

    /// The section title in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Browse => "Tree",
            Mode::Global => "Everywhere",
            Mode::Search => "Search",
            Mode::Modal => "Dialogs",
            Mode::Help => "This help",
            Mode::Sweep => "Quota sweep",
        }
    }
}

/// What a binding does.
#[derive(Debug, Clone)]
pub enum Does {
    Act(Action),
    /// Any character without Ctrl that no other row of the mode takes: text input.
    Type(fn(char) -> Action),
}

impl Does {
    /// The fixed action; None for text input.
    pub fn action(&self) -> Option<&Action> {
        match self {
            Does::Act(a) => Some(a),
            Does::Type(_) => None,
        }
    }
}

#[derive(Debug)]
pub struct Binding {
    pub mode: Mode,
    /// The config `[keys]` name; None: not rebindable.
    pub name: Option<&'static str>,
    /// Default keys, in the syntax of `chord::Chord::parse`.
    pub keys: &'static [&'static str],
    pub does: Does,
    pub help: &'static str,
}

/// A row config `[keys]` can rebind by `name`.
const fn bind(
    mode: Mode,
    name: &'static str,
    keys: &'static [&'static str],
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        mode,
        name: Some(name),
        keys,
        does: Does::Act(action),
        help,
    }
}

/// A row that config `[keys]` cannot change.
const fn fixed(
    mode: Mode,
    keys: &'static [&'static str],
    action: Action,
    help: &'static str,
) -> Binding {
    let mut row = bind(mode, "", keys, action, help);
    row.name = None;
    row
}

const fn typed(mode: Mode, action: fn(char) -> Action, help: &'static str) -> Binding {
    Binding {
        mode,
        name: None,
        keys: &[],
        does: Does::Type(action),
        help,
    }
}

use Mode::{Browse, Global, Help, Modal, Search, Sweep};

// One row a line reads as a table; rustfmt would spread each over seven.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(Browse, "up", &["up", "k"], Action::MoveUp, "move up"),
    bind(Browse, "down", &["down", "j"], Action::MoveDown, "move down"),
    bind(Browse, "page_up", &["pgup"], Action::PageUp, "a page up"),
    bind(Browse, "page_down", &["pgdn"], Action::PageDown, "a page down"),
    bind(Browse, "top", &["home", "g"], Action::Top, "first row"),
    bind(Browse, "bottom", &["end", "G"], Action::Bottom, "last row"),
    bind(Browse, "expand", &["right", "l"], Action::Expand, "expand OU, or step into it"),
    bind(Browse, "collapse", &["left", "h"], Action::Collapse, "collapse OU, or go to parent"),
    bind(Browse, "activate", &["enter"], Action::Activate, "OU: toggle; account: shell"),
    bind(Browse, "shell", &["s"], Action::Enter(Purpose::Shell), "shell (picks a role)"),
    bind(Browse, "console", &["c"], Action::Enter(Purpose::Console), "AWS console (asks how, if configured)"),
    bind(Browse, "console_last", &["C"], Action::ConsoleLast, "AWS console as last chosen in c's menu"),
    bind(Browse, "favourite", &["f"], Action::ToggleFavourite, "★ add/remove the account as a favourite"),
    bind(Browse, "search", &["/"], Action::OpenSearch, "search accounts and OUs"),
    bind(Browse, "quotas_tab", &["tab"], Action::ToggleDetailsTab, "details ⇄ quotas of the account"),
    bind(Browse, "quota_region", &["R"], Action::CycleQuotaRegion, "quotas: next region"),
    bind(Browse, "quota_filter", &["u"], Action::ToggleQuotaFilter, "quotas: hide/show without usage"),
    bind(Browse, "sweep", &["Q"], Action::OpenSweep, "quota sweep (OU: its subtree)"),
    bind(Browse, "copy_id", &["y"], Action::CopyId, "copy the selected ID (OSC 52)"),
    bind(Browse, "copy_name", &["Y"], Action::CopyName, "copy the selected name (OSC 52)"),
    bind(Browse, "login", &["L"], Action::Login, "sign in to IAM Identity Center"),
    bind(Browse, "region", &["@"], Action::OpenRegionPicker, "region for shells and the console"),
    bind(Browse, "refresh_item", &["r"], Action::RefreshItem, "re-read the account/OU (Quotas tab: quotas)"),
    bind(Browse, "refresh", &["ctrl-r"], Action::Refresh, "refresh the whole tree from AWS"),
    bind(Browse, "cancel", &["esc"], Action::CancelPending, "cancel the entry in progress"),
    bind(Browse, "help", &["?"], Action::ToggleHelp, "this help"),
    bind(Browse, "quit", &["q"], Action::Quit, "quit"),
    fixed(Global, &["ctrl-c"], Action::Quit, "quit"),
    fixed(Global, &["ctrl-z"], Action::Suspend, "suspend orgnav (fg resumes)"),
    typed(Search, Action::SearchInput, "fuzzy names; ID, email, path, tag"),
    fixed(Search, &["up", "ctrl-p"], Action::MoveUp, "previous result"),
    fixed(Search, &["down", "ctrl-n"], Action::MoveDown, "next result"),
    fixed(Search, &["pgup"], Action::PageUp, "a page up"),
    fixed(Search, &["pgdn"], Action::PageDown, "a page down"),
    fixed(Search, &["enter"], Action::SearchAccept, "jump to the result in the tree"),
    fixed(Search, &["backspace"], Action::SearchBackspace, "delete a character"),
    fixed(Search, &["ctrl-u"], Action::SearchClear, "clear the query"),
    fixed(Search, &["ctrl-y"], Action::CopyId, "copy the selected ID (OSC 52)"),
    fixed(Search, &["esc"], Action::CloseSearch, "close search"),
    typed(Modal, Action::ModalInput, "MFA code; j/k pick a role; y/n answer; region filter"),
    fixed(Modal, &["up"], Action::MoveUp, "previous role"),
    fixed(Modal, &["down"], Action::MoveDown, "next role"),
    fixed(Modal, &["backspace"], Action::ModalBackspace, "delete a character"),
    fixed(Modal, &["enter"], Action::ModalConfirm, "confirm"),
    fixed(Modal, &["esc"], Action::ModalCancel, "cancel"),
    fixed(Help, &["up", "k"], Action::ScrollHelp(HelpScroll::Up), "scroll up"),
    fixed(Help, &["down", "j"], Action::ScrollHelp(HelpScroll::Down), "scroll down"),
    fixed(Help, &["pgup"], Action::ScrollHelp(HelpScroll::PageUp), "a page up"),
    fixed(Help, &["pgdn"], Action::ScrollHelp(HelpScroll::PageDown), "a page down"),
    fixed(Help, &["esc", "q"], Action::ToggleHelp, "close this help"),
    bind(Help, "help", &["?"], Action::ToggleHelp, "close this help"),
    bind(Sweep, "up", &["up", "k"], Action::MoveUp, "move up"),
    bind(Sweep, "down", &["down", "j"], Action::MoveDown, "move down"),
    bind(Sweep, "page_up", &["pgup"], Action::PageUp, "a page up"),
    bind(Sweep, "page_down", &["pgdn"], Action::PageDown, "a page down"),
    bind(Sweep, "top", &["home", "g"], Action::Top, "first row"),
    bind(Sweep, "bottom", &["end", "G"], Action::Bottom, "last row"),
    bind(Sweep, "activate", &["enter"], Action::SweepAccept, "show the account in the tree"),
    bind(Sweep, "quota_filter", &["u"], Action::ToggleQuotaFilter, "hide/show unknown usage"),
    bind(Sweep, "console", &["c"], Action::OpenQuotaConsole, "console: the quota's Service Quotas page"),
    bind(Sweep, "refresh", &["r"], Action::Refresh, "sweep again"),
    fixed(Sweep, &["esc", "q"], Action::CloseSweep, "back to the tree (it goes on)"),
    bind(Sweep, "sweep", &["Q"], Action::CloseSweep, "back to the tree (it goes on)"),
    bind(Sweep, "help", &["?"], Action::ToggleHelp, "this help"),
];
