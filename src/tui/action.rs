//! What can happen (Action) and what update asks the outside world to do (Effect).

use std::collections::HashMap;

use crate::model::{Snapshot, Tags};

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
    /// Enter: toggle an OU (accounts get their own action in a later feature).
    Activate,
    OpenSearch,
    CloseSearch,
    SearchInput(char),
    SearchBackspace,
    SearchClear,
    /// Enter in search: jump to the selected result in the tree.
    SearchAccept,
    ToggleHelp,
    Refresh,
    CopyId,
    Resize {
        width: u16,
        height: u16,
    },
    Tick,
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
    },
    Failed {
        generation: u64,
        message: String,
        network: bool,
    },
    CacheWriteFailed(String),
    /// The region aws-config resolved (for the status bar).
    Region(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Crawl {
        generation: u64,
    },
    FetchTags {
        generation: u64,
        org: Box<crate::model::Org>,
    },
    SaveCache(Box<Snapshot>),
    CopyToClipboard(String),
}
