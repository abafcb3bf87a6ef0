//! The region picker (`@`): the region shells and the console use from then on. It lists
//! the session's region, then the configured quota regions, then every commercial region
//! (when the session is in the commercial partition), filtered as the user types.

use super::state::{Modal, State};
use crate::aws::roles::partition;

/// The commercial regions with AWS's own descriptions (from the SDK's partition table).
pub const COMMERCIAL: &[(&str, &str)] = &[
    ("us-east-1", "US East (N. Virginia)"),
    ("us-east-2", "US East (Ohio)"),
    ("us-west-1", "US West (N. California)"),
    ("us-west-2", "US West (Oregon)"),
    ("af-south-1", "Africa (Cape Town)"),
    ("ap-east-1", "Asia Pacific (Hong Kong)"),
    ("ap-east-2", "Asia Pacific (Taipei)"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)"),
    ("ap-northeast-2", "Asia Pacific (Seoul)"),
    ("ap-northeast-3", "Asia Pacific (Osaka)"),
    ("ap-south-1", "Asia Pacific (Mumbai)"),
    ("ap-south-2", "Asia Pacific (Hyderabad)"),
    ("ap-southeast-1", "Asia Pacific (Singapore)"),
    ("ap-southeast-2", "Asia Pacific (Sydney)"),
    ("ap-southeast-3", "Asia Pacific (Jakarta)"),
    ("ap-southeast-4", "Asia Pacific (Melbourne)"),
    ("ap-southeast-5", "Asia Pacific (Malaysia)"),
    ("ap-southeast-6", "Asia Pacific (New Zealand)"),
    ("ap-southeast-7", "Asia Pacific (Thailand)"),
    ("ca-central-1", "Canada (Central)"),
    ("ca-west-1", "Canada West (Calgary)"),
    ("eu-central-1", "Europe (Frankfurt)"),
    ("eu-central-2", "Europe (Zurich)"),
    ("eu-north-1", "Europe (Stockholm)"),
    ("eu-south-1", "Europe (Milan)"),
    ("eu-south-2", "Europe (Spain)"),
    ("eu-west-1", "Europe (Ireland)"),
    ("eu-west-2", "Europe (London)"),
    ("eu-west-3", "Europe (Paris)"),
    ("il-central-1", "Israel (Tel Aviv)"),
    ("me-central-1", "Middle East (UAE)"),
    ("me-south-1", "Middle East (Bahrain)"),
    ("mx-central-1", "Mexico (Central)"),
    ("sa-east-1", "South America (Sao Paulo)"),
];

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
        COMMERCIAL
            .iter()
            .find(|(c, _)| *c == self.code)
            .map_or("", |(_, d)| d)
    }

    /// Every word of the filter is in the code or the description (any case).
    fn matches(&self, query: &str) -> bool {
        let text = format!("{} {}", self.code, self.description()).to_lowercase();
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
        for r in configured {
            add(r, Origin::Quotas);
        }
        // A GovCloud or China session cannot use commercial regions.
        if partition(session) == "aws" {
            for (code, _) in COMMERCIAL {
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
        assert_eq!(p.regions.len(), COMMERCIAL.len());
    }

    #[test]
    fn other_partitions_list_only_their_own() {
        let p = RegionPicker::new("us-gov-west-1", &["us-gov-east-1".into()]);
        assert_eq!(codes(&p), ["us-gov-west-1", "us-gov-east-1"]);
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
        p.query = "nowhere".into();
        p.move_by(1);
        assert_eq!(p.picked(), None);
    }
}
