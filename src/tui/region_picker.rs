//! The region picker (`@`): the region shells and the console use from then on. It lists
//! the session's region, then the configured quota regions, then every commercial region
//! (when the session is in the commercial partition), filtered as the user types.

use super::state::{Modal, State};
use crate::aws::roles::partition;

/// Where a region in the list comes from, shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Session,
    Quotas,
    Commercial,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionChoice {
    pub code: String,
    pub origin: Origin,
}

impl RegionChoice {
    pub fn description(&self) -> &'static str {
        crate::region::name(&self.code).unwrap_or("")
    }

    /// Every word of the filter is in the code, its shorthand or the description (any case).
    fn matches(&self, query: &str) -> bool {
        let short = crate::region::shorthand(&self.code).unwrap_or("");
        let text = format!("{} {short} {}", self.code, self.description()).to_lowercase();
        query
            .to_lowercase()
            .split_whitespace()
            .all(|word| text.contains(word))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPicker {
    pub regions: Vec<RegionChoice>,
    pub query: String,
    /// Index into `matches()`.
    pub selected: usize,
}

impl RegionPicker {
    pub fn new(session: &str, configured: &[String]) -> Self {
        let mut regions: Vec<RegionChoice> = Vec::new();
        let mut add = |code: &str, origin| {
            if !code.is_empty() && !regions.iter().any(|r| r.code == code) {
                regions.push(RegionChoice {
                    code: code.to_string(),
                    origin,
                });
            }
        };
        add(session, Origin::Session);
        // Credentials of one partition cannot reach another's regions.
        for r in configured
            .iter()
            .filter(|r| partition(r) == partition(session))
        {
            add(r, Origin::Quotas);
        }
        // A GovCloud or China session cannot use commercial regions.
        if partition(session) == "aws" {
            for code in crate::region::commercial() {
                add(code, Origin::Commercial);
            }
        }
        Self {
            regions,
            query: String::new(),
            selected: 0,
        }
    }

    pub fn matches(&self) -> Vec<&RegionChoice> {
        self.regions
            .iter()
            .filter(|r| r.matches(&self.query))
            .collect()
    }

    pub fn input(&mut self, c: char) {
        if !c.is_control() {
            self.query.push(c);
            self.selected = 0;
        }
    }

    pub fn backspace(&mut self) {
        self.query.pop();
        self.selected = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.matches().len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn picked(&self) -> Option<String> {
        self.matches().get(self.selected).map(|r| r.code.clone())
    }
}

/// The region shells and the console get: the one picked, else the session's.
pub fn effective(state: &State) -> &str {
    state
        .picked_region
        .as_deref()
        .unwrap_or(state.status.region.as_str())
}

/// `@`: opens the picker on the region in use.
pub fn open(state: &mut State) {
    let session = if state.status.region.is_empty() {
        crate::aws::session::FALLBACK_REGION
    } else {
        state.status.region.as_str()
    };
    let mut picker = RegionPicker::new(session, &state.quotas.config.regions);
    let current = effective(state).to_string();
    if let Some(at) = picker.regions.iter().position(|r| r.code == current) {
        picker.selected = at;
    }
    state.modal = Some(Modal::Region(picker));
}

/// Enter in the picker: the selected match is used from now on.
pub fn accept(state: &mut State, picker: RegionPicker) {
    match picker.picked() {
        Some(region) => {
            state.status.notice = Some(format!("shells and the console now use {region}"));
            state.picked_region = Some(region);
        }
        None => {
            state.status.notice = Some(format!("no region matches `{}`", picker.query));
            state.modal = Some(Modal::Region(picker));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: &RegionPicker) -> Vec<&str> {
        p.matches().iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn session_first_then_quota_regions_then_the_rest_once_each() {
        let p = RegionPicker::new("eu-west-1", &["us-east-1".into(), "eu-west-1".into()]);
        assert_eq!(codes(&p)[..3], ["eu-west-1", "us-east-1", "us-east-2"]);
        assert_eq!(p.regions[1].origin, Origin::Quotas);
        assert_eq!(p.regions.len(), crate::region::commercial().count());
    }

    #[test]
    fn other_partitions_list_only_their_own() {
        let p = RegionPicker::new("us-gov-west-1", &["us-gov-east-1".into()]);
        assert_eq!(codes(&p), ["us-gov-west-1", "us-gov-east-1"]);
    }

    #[test]
    fn configured_regions_of_another_partition_are_left_out() {
        let p = RegionPicker::new(
            "eu-west-1",
            &["us-gov-west-1".into(), "eu-central-1".into()],
        );
        assert!(!codes(&p).contains(&"us-gov-west-1"));
        assert_eq!(codes(&p)[..2], ["eu-west-1", "eu-central-1"]);
    }

    #[test]
    fn typing_filters_by_code_or_name() {
        let mut p = RegionPicker::new("eu-west-1", &[]);
        for c in "TOKYO".chars() {
            p.input(c);
        }
        assert_eq!(codes(&p), ["ap-northeast-1"]);
        p.query = "eu west".into();
        assert_eq!(codes(&p), ["eu-west-1", "eu-west-2", "eu-west-3"]);
        p.move_by(5);
        assert_eq!(p.picked().as_deref(), Some("eu-west-3"));
        p.query = "apse2".into();
        assert_eq!(codes(&p), ["ap-southeast-2"]);
        p.query = "nowhere".into();
        p.move_by(1);
        assert_eq!(p.picked(), None);
    }
}
