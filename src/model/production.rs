//! Which accounts count as production (highlighted in the tree, guarded in later features).

use serde::Deserialize;

use super::org::Account;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ProductionRule {
    /// Tag keys that carry the environment (matched case-insensitively).
    pub tag_keys: Vec<String>,
    /// Values of those tags that mean production (case-insensitive).
    pub tag_values: Vec<String>,
    /// Substrings of the account name that mean production (case-insensitive).
    pub name_contains: Vec<String>,
    /// Substrings ignored before `name_contains` is checked, so `network-nonprod` is not
    /// production (case-insensitive).
    pub name_excludes: Vec<String>,
}

impl Default for ProductionRule {
    fn default() -> Self {
        Self {
            tag_keys: vec!["Environment".into(), "env".into()],
            tag_values: vec!["prod".into(), "production".into()],
            name_contains: vec!["prod".into()],
            name_excludes: vec![
                "nonprod".into(),
                "non-prod".into(),
                "preprod".into(),
                "pre-prod".into(),
            ],
        }
    }
}

impl ProductionRule {
    pub fn is_production(&self, account: &Account) -> bool {
        let tags = account.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        self.is_production_named(&account.name, tags)
    }

    /// The same judgement from an account's name and tags, wherever they are held.
    pub fn is_production_named<'a>(
        &self,
        name: &str,
        mut tags: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> bool {
        let tagged = tags.any(|(k, v)| {
            self.tag_keys.iter().any(|tk| tk.eq_ignore_ascii_case(k))
                && self
                    .tag_values
                    .iter()
                    .any(|tv| tv.eq_ignore_ascii_case(v.trim()))
        });
        if tagged {
            return true;
        }
        // Called for every account when a tree is installed: no allocation unless a name has
        // capitals or an exclusion actually occurs in it.
        let mut name = lowercase(name);
        for ex in self.name_excludes.iter().filter(|e| !e.is_empty()) {
            let ex = lowercase(ex);
            if name.contains(ex.as_ref()) {
                name = std::borrow::Cow::Owned(name.replace(ex.as_ref(), " "));
            }
        }
        self.name_contains
            .iter()
            .any(|n| !n.is_empty() && name.contains(lowercase(n).as_ref()))
    }
}

/// `text` lowercased, borrowed when it already is (rules and names nearly always are).
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.is_ascii() {
        std::borrow::Cow::Owned(text.to_lowercase())
    } else if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hierarchy::tests::account;

    #[test]
    fn default_rule_matches_tags_and_names() {
        let rule = ProductionRule::default();
        let mut a = account("111111111111", "ledger-primary", "r");
        assert!(!rule.is_production(&a));
        a.tags.insert("environment".into(), "Production".into());
        assert!(rule.is_production(&a));
        let mut b = account("111111111112", "Payments-PROD", "r");
        assert!(rule.is_production(&b));
        b.name = "payments-dev".into();
        b.tags.insert("env".into(), "dev".into());
        assert!(!rule.is_production(&b));
        assert!(!rule.is_production(&account("111111111113", "network-NonProd", "r")));
        assert!(rule.is_production(&account("111111111114", "nonprod-mirror-of-prod", "r")));
    }

    #[test]
    fn empty_rule_matches_nothing() {
        let rule = ProductionRule {
            tag_keys: vec![],
            tag_values: vec![],
            name_contains: vec![],
            name_excludes: vec![],
        };
        assert!(!rule.is_production(&account("111111111111", "prod", "r")));
    }
}
