//! What can happen (Action) and what update asks the outside world to do (Effect).

use std::collections::HashMap;

use crate::access::Assumed;
use crate::aws::roles::{ProfileRole, RoleOption};
use crate::model::{Account, Snapshot, Tags};
use crate::quotas::QuotaUsage;
use crate::quotas::{AccountQuotas, QuotaQuery, QuotaTarget};

/// Why an account is being entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub enum Purpose {
    Shell,
    Console,
}

/// How far the help overlay scrolls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub enum HelpScroll {
    Up,
    Down,
    PageUp,
    PageDown,
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub enum Action {
    Quit,
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Expand,
    Collapse,
    /// Enter: toggle an OU; on an account, open a shell there.
    Activate,
    /// `s` / `c`: enter the selected account with a shell or the console.
    Enter(Purpose),
    /// `C`: the console the way last chosen in the `c` menu, without the menu.
    ConsoleLast,
    /// In a modal: Enter / y.
    ModalConfirm,
    /// In a modal: Esc / n.
    ModalCancel,
    /// Esc outside dialogs: drop the account entry in flight (its answer is ignored).
    CancelPending,
    ModalInput(char),
    ModalBackspace,
    /// Ctrl-Z: hand the terminal back to the shell that started orgnav.
    Suspend,
    /// A child process (the subshell) ended; the TUI is back.
    ChildExited {
        message: String,
    },
    OpenSearch,
    CloseSearch,
    SearchInput(char),
    SearchBackspace,
    SearchClear,
    /// Enter in search: jump to the selected result in the tree.
    SearchAccept,
    ToggleHelp,
    /// Keys in the help overlay: it scrolls when taller than the screen.
    ScrollHelp(HelpScroll),
    Refresh,
    /// r: re-read the selected account's or OU's tags (an account's details too); on the
    /// root, refresh the whole tree.
    RefreshItem,
    CopyId,
    /// Y: the selected account's (or OU's) name to the clipboard.
    CopyName,
    Resize {
        width: u16,
        height: u16,
    },
    /// The spinner's beat, only while something is under way.
    SpinnerTick,
    /// The selection has rested on one account long enough to read its quotas (the event
    /// loop's debounce; scrolling past accounts reads nothing).
    SelectionRested,
    /// L: sign in to IAM Identity Center (device login).
    Login,
    /// Tab: account details ⇄ quotas.
    ToggleDetailsTab,
    /// R: the next configured region for quotas.
    CycleQuotaRegion,
    /// u: hide/show quotas without usage data.
    ToggleQuotaFilter,
    /// Q: sweep the quotas of every active account (of the selected OU's subtree).
    OpenSweep,
    /// Esc in the sweep: back to the tree (the sweep goes on).
    CloseSweep,
    /// Enter in the sweep: show the selected line's account in the tree.
    SweepAccept,
    /// `c` in the quota sweep: the selected quota's Service Quotas page, in its account and region.
    OpenQuotaConsole,
    /// `@`: pick the region for shells and the console.
    OpenRegionPicker,
    /// The minute changed: cache ages and credentials' remaining time move on.
    Clock,
    /// f: add the selected account to ★ Favourites, or remove it.
    ToggleFavourite,
    #[serde(skip)]
    Loaded(Loaded),
}

/// Results of effects, each tagged with the refresh generation that asked for it so answers
/// to a superseded request are dropped.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    Org {
        generation: u64,
        snapshot: Box<Snapshot>,
    },
    Tags {
        generation: u64,
        tags: HashMap<String, Tags>,
        failed: usize,
        first_error: Option<String>,
        /// Not read (failed, or not reached once AWS was out of reach): their old tags stay
        /// and the next refresh reads them.
        unread: Vec<String>,
        /// When the tags were read (Unix seconds).
        read_at: i64,
        /// AWS was out of reach (throttled beyond the retries, unreachable): try again later.
        interrupted: bool,
    },
    /// One account's details re-read (`r` on the account); its parent and tags are kept.
    AccountRead {
        generation: u64,
        result: Result<Box<Account>, String>,
    },
    /// How far the crawl or tag read of `generation` has got.
    Progress {
        generation: u64,
        progress: crate::aws::progress::Progress,
    },
    Failed {
        generation: u64,
        message: String,
        /// AWS could not answer now (unreachable, throttled out, failing): keep the tree,
        /// marked stale.
        network: bool,
    },
    CacheWriteFailed(String),
    /// The region aws-config resolved (for the status bar).
    Region(String),
    Profiles(Vec<ProfileRole>),
    /// What the entry was for (shell or console) is the pending entry's, not the answer's.
    Assumed {
        request: u64,
        assumed: Box<Assumed>,
    },
    /// The role's profile asks for MFA: prompt, then retry.
    MfaNeeded {
        request: u64,
        account: Box<Account>,
        option: Box<RoleOption>,
        serial: String,
    },
    AccessFailed {
        request: u64,
        message: String,
    },
    ConsoleOpened {
        request: u64,
        message: String,
    },
    /// The browser for the access portal's link could not be started.
    ConsoleFailed(String),
    /// The browser has not taken the console sign-in link (none started, or it is slow): the
    /// link, to offer copying it instead. The hand-off goes on until its own time limit.
    ConsoleStuck {
        request: u64,
        link: super::clipboard::SignInLink,
        why: String,
    },
    Quotas {
        account_id: String,
        region: String,
        result: Result<Vec<QuotaUsage>, String>,
    },
    SweepProgress {
        generation: u64,
        results: Vec<AccountQuotas>,
        done: usize,
    },
    SweepDone {
        generation: u64,
    },
    LoginCode {
        request: u64,
        user_code: String,
        url: String,
    },
    LoginDone {
        request: u64,
        result: Result<(), String>,
    },
}

impl Loaded {
    /// A crawl or tag fetch that failed: one line for the status bar; a transient failure
    /// (unreachable, throttled out, failing) keeps the tree, marked stale.
    pub fn failed(generation: u64, error: &crate::source::SourceError) -> Self {
        Self::Failed {
            generation,
            message: error.to_string(),
            network: error.is_transient(),
        }
    }
}

/// Which tags a [`Effect::FetchTags`] reads.
#[derive(Debug, Clone, PartialEq)]
pub enum TagReads {
    /// What `Org::plan_tag_reads` picks in this organization (new, moved, aged, unread).
    Planned(Box<crate::model::Org>),
    /// One account's or OU's (`r`): the organization is not needed, nor copied.
    One(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Crawl {
        generation: u64,
    },
    /// Tags to read: those a refresh plans, or one item's.
    FetchTags {
        generation: u64,
        reads: TagReads,
    },
    /// Re-read one account's details (`r` on the account).
    DescribeAccount {
        generation: u64,
        id: String,
    },
    SaveCache(Box<Snapshot>),
    /// Remember the role entered in the account (recents and the role offered first).
    RecordHistory {
        account_id: String,
        role: String,
        kind: crate::access::history::EntryKind,
        /// The demo organization's entries go to its own file.
        demo: bool,
    },
    /// Mark or unmark a favourite in the history file (the demo's own file for the demo).
    SetFavourite {
        account_id: String,
        favourite: bool,
        demo: bool,
    },
    /// Handled by the event loop: the OSC 52 sequence goes to the terminal it owns.
    CopyToClipboard(String),
    /// As `CopyToClipboard`, for the console sign-in link (a secret: never a plain String).
    CopySecret(super::clipboard::SignInLink),
    LoadProfiles,
    /// `request` comes back with the answer, so a superseded or cancelled entry is dropped.
    Assume {
        request: u64,
        account: Box<Account>,
        option: Box<RoleOption>,
        production: bool,
        mfa_code: Option<String>,
    },
    /// Handled by the event loop itself: it owns the terminal.
    RunShell(Box<Assumed>),
    OpenConsole {
        request: u64,
        assumed: Box<Assumed>,
        /// Where the console lands (the federation `Destination`).
        destination: String,
        /// Which browser, or copy the link instead.
        how: super::console_menu::ConsoleHow,
    },
    /// The access portal's shortcut link (no secret) in `choice`'s browser.
    OpenPortal {
        url: String,
        choice: crate::access::browser::command::BrowserChoice,
    },
    /// The user moved on (Esc, copied the link, another entry): stop the hand-off of that
    /// console opening, so a late browser opens no second session and the link is no longer
    /// served.
    StopConsole {
        request: u64,
    },
    /// Handled by the event loop: stop like a shell job on Ctrl-Z.
    SuspendSelf,
    FetchQuotas {
        target: Box<QuotaTarget>,
        query: QuotaQuery,
    },
    StartSweep {
        generation: u64,
        targets: Vec<QuotaTarget>,
        query: QuotaQuery,
        concurrency: usize,
    },
    CancelSweep,
    Login {
        request: u64,
    },
}
