//! Region names as people type them: a full code (`eu-west-1`) or a shorthand (`euw1`, `ue1`,
//! `apse2`). Every place that takes a region (`--region`, config `region` and
//! `quotas.regions`, the TUI's region picker) goes through `expand`, so a typo is one clear
//! usage error instead of an endpoint that does not resolve.

use std::fmt;

/// Known regions (code, shorthand, AWS's name) and their shorthand: the area code's letters (only `u` for the US), then the
/// initials of the direction (`se` for southeast), then the number.
const KNOWN: &[(&str, &str, &str)] = &[
    ("us-east-1", "ue1", "US East (N. Virginia)"),
    ("us-east-2", "ue2", "US East (Ohio)"),
    ("us-west-1", "uw1", "US West (N. California)"),
    ("us-west-2", "uw2", "US West (Oregon)"),
    ("af-south-1", "afs1", "Africa (Cape Town)"),
    ("ap-east-1", "ape1", "Asia Pacific (Hong Kong)"),
    ("ap-east-2", "ape2", "Asia Pacific (Taipei)"),
    ("ap-south-1", "aps1", "Asia Pacific (Mumbai)"),
    ("ap-south-2", "aps2", "Asia Pacific (Hyderabad)"),
    ("ap-northeast-1", "apne1", "Asia Pacific (Tokyo)"),
    ("ap-northeast-2", "apne2", "Asia Pacific (Seoul)"),
    ("ap-northeast-3", "apne3", "Asia Pacific (Osaka)"),
    ("ap-southeast-1", "apse1", "Asia Pacific (Singapore)"),
    ("ap-southeast-2", "apse2", "Asia Pacific (Sydney)"),
    ("ap-southeast-3", "apse3", "Asia Pacific (Jakarta)"),
    ("ap-southeast-4", "apse4", "Asia Pacific (Melbourne)"),
    ("ap-southeast-5", "apse5", "Asia Pacific (Malaysia)"),
    ("ap-southeast-6", "apse6", "Asia Pacific (New Zealand)"),
    ("ap-southeast-7", "apse7", "Asia Pacific (Thailand)"),
    ("ca-central-1", "cac1", "Canada (Central)"),
    ("ca-west-1", "caw1", "Canada West (Calgary)"),
    ("eu-central-1", "euc1", "Europe (Frankfurt)"),
    ("eu-central-2", "euc2", "Europe (Zurich)"),
    ("eu-west-1", "euw1", "Europe (Ireland)"),
    ("eu-west-2", "euw2", "Europe (London)"),
    ("eu-west-3", "euw3", "Europe (Paris)"),
    ("eu-north-1", "eun1", "Europe (Stockholm)"),
    ("eu-south-1", "eus1", "Europe (Milan)"),
    ("eu-south-2", "eus2", "Europe (Spain)"),
    ("il-central-1", "ilc1", "Israel (Tel Aviv)"),
    ("me-central-1", "mec1", "Middle East (UAE)"),
    ("me-south-1", "mes1", "Middle East (Bahrain)"),
    ("mx-central-1", "mxc1", "Mexico (Central)"),
    ("sa-east-1", "sae1", "South America (Sao Paulo)"),
    ("us-gov-east-1", "uge1", "AWS GovCloud (US-East)"),
    ("us-gov-west-1", "ugw1", "AWS GovCloud (US-West)"),
    ("cn-north-1", "cnn1", "China (Beijing)"),
    ("cn-northwest-1", "cnnw1", "China (Ningxia)"),
    // A partition of its own (aws-eusc), launched January 2026 in Brandenburg.
    (
        "eusc-de-east-1",
        "eusce1",
        "AWS European Sovereign Cloud (Germany)",
    ),
];

/// (region code, shorthand) for every region orgnav knows by name, in a stable order.
pub fn known() -> impl Iterator<Item = (&'static str, &'static str)> + Clone {
    KNOWN.iter().map(|(code, short, _)| (*code, *short))
}

/// The regions of the commercial partition (`aws`), in the table's order.
pub fn commercial() -> impl Iterator<Item = &'static str> {
    KNOWN
        .iter()
        .map(|(code, _, _)| *code)
        .filter(|code| crate::aws::roles::partition(code) == "aws")
}

/// AWS's name of the region (`Europe (Ireland)`).
pub fn name(code: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, n)| *n)
}

/// The region's shorthand (`euw1`).
pub fn shorthand(code: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, s, _)| *s)
}

/// A region that is neither a code nor a known shorthand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRegion(pub String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown region `{}`: give a region code such as us-east-1, or a shorthand such as \
             ue1 (us-east-1), euw1 (eu-west-1), apse2 (ap-southeast-2)",
            self.0
        )
    }
}

impl std::error::Error for UnknownRegion {}

/// The region code for a code or shorthand (any case). A well-formed code orgnav does not list
/// (a region newer than this build) is kept as it is.
pub fn expand(input: &str) -> Result<String, UnknownRegion> {
    let name = input.trim().to_ascii_lowercase();
    if let Some((code, _, _)) = KNOWN
        .iter()
        .find(|(code, short, _)| *code == name || *short == name || long_shorthand(code) == name)
    {
        return Ok((*code).to_string());
    }
    if looks_like_code(&name) {
        return Ok(name);
    }
    Err(UnknownRegion(input.trim().to_string()))
}

/// `use1`, `usgw1`: the shorthand with the US area code spelt out, as some teams write it.
fn long_shorthand(code: &str) -> String {
    let parts: Vec<&str> = code.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return String::new();
    };
    let mut short = String::new();
    for (i, word) in words.iter().enumerate() {
        if i == 0 {
            short.push_str(word);
        } else if *word == "gov" {
            short.push('g');
        } else {
            short.push_str(&direction_initials(word));
        }
    }
    short + number
}

fn direction_initials(word: &str) -> String {
    ["north", "south", "east", "west", "central"]
        .iter()
        .filter(|d| word.contains(*d))
        .map(|d| &d[..1])
        .collect::<Vec<_>>()
        .join("")
}

/// `xx-word-9` (or `xx-gov-word-9`): lowercase letters, dashes, a trailing number.
fn looks_like_code(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
        && words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
}

/// serde: a region field of the config, expanded (an unknown shorthand is a config error).
pub fn deserialize_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value: Option<String> = serde::Deserialize::deserialize(d)?;
    value
        .map(|v| expand(&v).map_err(serde::de::Error::custom))
        .transpose()
}

/// serde: a list of regions of the config, each expanded.
pub fn deserialize_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let values: Vec<String> = serde::Deserialize::deserialize(d)?;
    values
        .iter()
        .map(|v| expand(v).map_err(serde::de::Error::custom))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthands_and_codes_expand() {
        let table = [
            ("ue1", "us-east-1"),
            ("UE1", "us-east-1"),
            ("use1", "us-east-1"),
            ("uw2", "us-west-2"),
            ("euw1", "eu-west-1"),
            ("euc1", "eu-central-1"),
            ("eun1", "eu-north-1"),
            ("apse2", "ap-southeast-2"),
            ("apne1", "ap-northeast-1"),
            ("aps1", "ap-south-1"),
            ("cac1", "ca-central-1"),
            ("sae1", "sa-east-1"),
            ("ugw1", "us-gov-west-1"),
            ("usgw1", "us-gov-west-1"),
            ("cnnw1", "cn-northwest-1"),
            (" eu-west-1 ", "eu-west-1"),
            // Newer than this table: a well-formed code is trusted.
            ("xy-central-9", "xy-central-9"),
        ];
        for (input, code) in table {
            assert_eq!(expand(input).as_deref(), Ok(code), "{input}");
        }
    }

    #[test]
    fn unknown_shorthands_are_refused_with_examples() {
        for input in ["ue9", "europe", "", "eu-west", "us_east_1", "euw-1"] {
            let e = expand(input).unwrap_err();
            assert!(e.to_string().contains("ue1 (us-east-1)"), "{input}: {e}");
        }
    }

    #[test]
    fn the_european_sovereign_cloud_is_known_but_not_commercial() {
        assert_eq!(expand("eusce1").as_deref(), Ok("eusc-de-east-1"));
        assert!(name("eusc-de-east-1").is_some_and(|n| n.contains("Sovereign")));
        assert!(commercial().all(|c| crate::aws::roles::partition(c) == "aws"));
    }

    #[test]
    fn every_listed_shorthand_is_unique_and_round_trips() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, short) in known() {
            assert!(seen.insert(short), "{short} twice");
            assert_eq!(expand(short).as_deref(), Ok(code));
            assert_eq!(expand(code).as_deref(), Ok(code));
            assert!(
                name(code).is_some_and(|n| !n.is_empty()),
                "{code} has no name"
            );
        }
    }
}
