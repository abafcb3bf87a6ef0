//! `orgnav profiles`: one named profile per (account, role) in the AWS config file, inside a
//! managed block that orgnav owns; everything around the block is the user's and kept byte
//! for byte.

pub mod block;
pub mod template;
pub mod write;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// The AWS config file the CLI and SDKs read: `AWS_CONFIG_FILE` (`~/` expanded, as they do),
/// else `~/.aws/config`; None without a home directory.
pub fn aws_config_path() -> Option<PathBuf> {
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    match std::env::var("AWS_CONFIG_FILE")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(v) => match (v.strip_prefix("~/"), home) {
            (Some(rest), Some(home)) => Some(home.join(rest)),
            _ => Some(PathBuf::from(v)),
        },
        None => home.map(|h| h.join(".aws/config")),
    }
}

/// The profiles in the managed block of the AWS config file. They are orgnav's own output:
/// read back as role options they would duplicate the options they came from and never
/// become stale.
pub fn managed_profile_names() -> HashSet<String> {
    let Some(text) = aws_config_path().and_then(|p| std::fs::read_to_string(p).ok()) else {
        return HashSet::new();
    };
    let Ok(split) = block::split(&text) else {
        return HashSet::new();
    };
    block::sections(split.inside.unwrap_or(""))
        .into_iter()
        .map(|s| s.name)
        .collect()
}

/// One profile orgnav wants: its name from the template (sanitised, maybe not yet unique)
/// and its settings in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    pub account_id: String,
    pub settings: Vec<(String, String)>,
}

/// The new file and what the user should hear about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub text: String,
    /// Profiles written, by final name.
    pub written: Vec<String>,
    /// "`name` → `name-<id>`" for every renamed candidate.
    pub renamed: Vec<String>,
    /// Names skipped because a profile outside the block has them.
    pub shadowed: Vec<String>,
    /// Profiles in the block that orgnav no longer generates (kept unless pruned).
    pub stale: Vec<String>,
}

/// Makes names unique: every candidate of a name that several share gets `-<account id>`;
/// if that is still not unique (one account, two options of the same name), `-2`, `-3`….
fn unique_names(candidates: &mut [Candidate]) -> Vec<String> {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for c in candidates.iter() {
        *count.entry(c.name.clone()).or_default() += 1;
    }
    let mut renamed = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    for c in candidates.iter_mut() {
        let original = c.name.clone();
        if count[&original] > 1 {
            c.name = format!("{original}-{}", c.account_id);
        }
        let base = c.name.clone();
        let mut n = 2;
        while !taken.insert(c.name.clone()) {
            c.name = format!("{base}-{n}");
            n += 1;
        }
        if c.name != original {
            renamed.push(format!("{original} → {}", c.name));
        }
    }
    renamed
}

/// The new content of a config file holding `existing`, with `candidates` in its block.
/// Errors (in words for "cannot update FILE: …") when the block's markers are broken.
pub fn plan(existing: &str, mut candidates: Vec<Candidate>, prune: bool) -> Result<Plan, String> {
    let split = block::split(existing)?;
    let outside: HashSet<String> = block::profile_names(split.before)
        .into_iter()
        .chain(block::profile_names(split.after))
        .collect();
    let renamed = unique_names(&mut candidates);
    let mut plan = Plan {
        renamed,
        ..Plan::default()
    };
    let mut sections = Vec::new();
    for c in &candidates {
        if outside.contains(&c.name) {
            plan.shadowed.push(c.name.clone());
            continue;
        }
        sections.push(block::render_section(&c.name, &c.settings));
        plan.written.push(c.name.clone());
    }
    let current: HashSet<&str> = plan.written.iter().map(String::as_str).collect();
    for old in block::sections(split.inside.unwrap_or("")) {
        if current.contains(old.name.as_str()) {
            continue;
        }
        plan.stale.push(old.name.clone());
        if !prune {
            sections.push(old.text);
        }
    }
    plan.text = block::assemble(&split, &sections);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(name: &str, id: &str) -> Candidate {
        Candidate {
            name: name.into(),
            account_id: id.into(),
            settings: vec![("sso_account_id".into(), id.into())],
        }
    }

    #[test]
    fn collisions_get_the_account_id_and_then_a_number() {
        let mut c = vec![
            candidate("dev.Admin", "111111111111"),
            candidate("dev.Admin", "222222222222"),
            candidate("dev.Admin", "222222222222"),
            candidate("ops.Admin", "333333333333"),
        ];
        let renamed = unique_names(&mut c);
        let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "dev.Admin-111111111111",
                "dev.Admin-222222222222",
                "dev.Admin-222222222222-2",
                "ops.Admin"
            ]
        );
        assert_eq!(renamed.len(), 3);
    }

    #[test]
    fn second_plan_is_identical_and_stale_sections_stay_unless_pruned() {
        let before = "# mine\n[profile keep]\nregion = x\n";
        let first = plan(
            before,
            vec![candidate("a", "1"), candidate("b", "2")],
            false,
        )
        .unwrap();
        assert!(first.text.starts_with(before));
        let again = plan(
            &first.text,
            vec![candidate("a", "1"), candidate("b", "2")],
            false,
        )
        .unwrap();
        assert_eq!(again.text, first.text);
        let kept = plan(&first.text, vec![candidate("a", "1")], false).unwrap();
        assert_eq!(kept.stale, ["b"]);
        assert_eq!(kept.text.len(), first.text.len());
        let pruned = plan(&first.text, vec![candidate("a", "1")], true).unwrap();
        assert_eq!(pruned.stale, ["b"]);
        assert!(!pruned.text.contains("[profile b]"));
    }

    #[test]
    fn names_outside_the_block_are_not_shadowed() {
        let p = plan(
            "[profile a]\n",
            vec![candidate("a", "1"), candidate("c", "3")],
            false,
        )
        .unwrap();
        assert_eq!(p.shadowed, ["a"]);
        assert_eq!(p.written, ["c"]);
    }
}
