//! `[console]` beyond the federation endpoint: several sessions side by side or sign-out
//! first, the way in (federation or the Identity Center portal), and which browser.

use serde::Deserialize;

/// How the console is reached.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleVia {
    /// A sign-in URL made here from the role's credentials (`getSigninToken`).
    #[default]
    Federation,
    /// For Identity Center roles: the access portal's shortcut link, signed in by the
    /// portal's own browser session; no credentials on this machine.
    Portal,
}

/// `[[console.rules]]`: another browser or container for the accounts every given condition
/// matches (the same conditions as `[[roles]]`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConsoleRule {
    /// Glob over the account's OU path, e.g. `Workloads/Prod/**`. Case-insensitive.
    pub ou: Option<String>,
    /// Glob over the account name. Case-insensitive.
    pub account: Option<String>,
    /// `Key=Value` tag condition; the value may be a glob.
    pub tag: Option<String>,
    /// Browser command template for these accounts.
    pub browser: Option<String>,
    /// Firefox container name template for these accounts.
    pub container: Option<String>,
}

/// The checks config can make alone: globs of the rules, and sign-out first beside
/// multi-session (they contradict each other).
pub(super) fn validate(c: &super::ConsoleConfig) -> Result<(), (String, String)> {
    if c.multi_session && c.logout_first {
        return Err((
            "console.logout_first".into(),
            "contradicts `multi_session = true` (which leaves other console sessions alone): set one of them".into(),
        ));
    }
    for (i, r) in c.rules.iter().enumerate() {
        for (name, glob) in [("ou", &r.ou), ("account", &r.account)] {
            if let Some(g) = glob {
                super::check_glob(g, || format!("console.rules[{i}].{name}"))?;
            }
        }
    }
    Ok(())
}
