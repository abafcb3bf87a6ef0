//! The console's service aliases (`ec2`, `logs`, `sq`, …), read from the data file
//! `data/console_services.toml` that is built into the binary.

use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("../../../data/console_services.toml");

/// How a page treats the region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionUse {
    /// The region's console host and `?region=`.
    #[default]
    Regional,
    /// The partition's console host and `?region=` (S3: buckets are listed globally).
    Query,
    /// A global service: no region at all.
    None,
}

/// One console page and the aliases that lead to it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub aliases: Vec<String>,
    pub name: String,
    /// After the console host, without a leading `/`; may end in a `#fragment`.
    pub path: String,
    #[serde(default)]
    pub region: RegionUse,
    /// A host of its own in the commercial partition (`s3` → `s3.console.aws.amazon.com`).
    #[serde(default)]
    pub subdomain: Option<String>,
}

#[derive(Deserialize)]
struct File {
    service: Vec<Service>,
}

/// Every service of the data file, in its order. The file is part of the binary and checked
/// by the tests, so a broken one is a build defect: it panics with the parser's message.
pub fn all() -> &'static [Service] {
    static SERVICES: OnceLock<Vec<Service>> = OnceLock::new();
    SERVICES.get_or_init(|| match toml::from_str::<File>(DATA) {
        Ok(file) => file.service,
        Err(e) => panic!("data/console_services.toml is invalid: {e}"),
    })
}

/// The service an alias (any case, surrounding spaces ignored) names.
pub fn find(alias: &str) -> Option<&'static Service> {
    let alias = alias.trim().to_ascii_lowercase();
    all().iter().find(|s| s.aliases.contains(&alias))
}

/// Up to `max` aliases close to `typed`: those it starts or that start with it, then those
/// within a small edit distance, nearest first.
pub fn close_matches(typed: &str, max: usize) -> Vec<&'static str> {
    let typed = typed.trim().to_ascii_lowercase();
    if typed.is_empty() {
        return Vec::new();
    }
    let limit = (typed.len() / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &'static str)> = all()
        .iter()
        .flat_map(|s| s.aliases.iter().map(String::as_str))
        .filter_map(|alias| {
            // `lamda` starts with the alias `l`: too short to be a hint.
            let prefix =
                alias.starts_with(&typed) || (alias.len() >= 3 && typed.starts_with(alias));
            let distance = edit_distance(&typed, alias);
            match (prefix, distance <= limit) {
                (true, _) => Some((0, alias)),
                (false, true) => Some((distance, alias)),
                _ => None,
            }
        })
        .collect();
    scored.sort();
    scored.into_iter().take(max).map(|(_, a)| a).collect()
}

/// Levenshtein distance (aliases are short ASCII: a single-row table is plenty).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_has_eighty_services_and_unique_lowercase_aliases() {
        assert!(all().len() >= 80, "only {} services", all().len());
        let mut seen = std::collections::BTreeSet::new();
        for s in all() {
            assert!(!s.aliases.is_empty(), "{} has no alias", s.name);
            assert!(
                !s.path.starts_with('/') && !s.path.contains(' '),
                "{}",
                s.path
            );
            for a in &s.aliases {
                assert_eq!(*a, a.to_ascii_lowercase(), "{a}");
                assert!(seen.insert(a.clone()), "alias {a} twice");
            }
        }
    }

    #[test]
    fn aliases_are_found_in_any_case() {
        assert_eq!(
            find(" EC2 ").map(|s| s.path.as_str()),
            Some("ec2/home#Home:")
        );
        assert_eq!(find("ddb"), find("dynamodb"));
        assert_eq!(find("nope"), None);
    }

    #[test]
    fn close_matches_take_prefixes_and_typos() {
        assert!(close_matches("lamda", 5).contains(&"lambda"));
        assert!(!close_matches("lamda", 5).contains(&"l"));
        assert!(close_matches("cloudwatc", 5).contains(&"cloudwatch"));
        assert!(close_matches("ec3", 5).contains(&"ec2"));
        assert!(close_matches("xyzzyplugh", 5).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
