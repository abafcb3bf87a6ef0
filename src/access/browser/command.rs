//! Which browser, and how: config `console.browser` (a command template with `{url}`),
//! `console.container` (a Firefox container per account), and `[[console.rules]]` that
//! override both for the accounts they match.

use super::super::console_links::Container;
use crate::config::{ConsoleConfig, ConsoleRule};
use crate::model::Account;

/// A browser command split like a POSIX shell would (quotes, backslashes), never run
/// through one: `google-chrome --profile-directory="Profile 2" {url}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserCommand {
    words: Vec<String>,
}

impl BrowserCommand {
    pub const PLACEHOLDER: &'static str = "{url}";

    pub fn parse(template: &str) -> Result<Self, String> {
        let words = shlex::split(template)
            .ok_or_else(|| format!("`{template}` has an unclosed quote or a trailing backslash"))?;
        if words.is_empty() {
            return Err("the browser command is empty".into());
        }
        Ok(Self { words })
    }

    /// The program and its arguments for `url`: each `{url}` replaced, or the URL appended
    /// when the template names none (as `BROWSER` does).
    pub fn argv(&self, url: &str) -> Vec<String> {
        let mut argv: Vec<String> = self
            .words
            .iter()
            .map(|w| w.replace(Self::PLACEHOLDER, url))
            .collect();
        if !self.words.iter().any(|w| w.contains(Self::PLACEHOLDER)) {
            argv.push(url.to_string());
        }
        argv
    }
}

/// How the console is opened for one account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowserChoice {
    /// None: `BROWSER`, then the system's opener (or `firefox` for a container).
    pub command: Option<BrowserCommand>,
    pub container: Option<Container>,
}

impl BrowserChoice {
    /// A short label for menus: "Firefox container payments" or "firefox -P work".
    pub fn label(&self) -> String {
        match (&self.container, &self.command) {
            (Some(c), _) => format!("container {}", c.name),
            (None, Some(cmd)) => cmd
                .words
                .iter()
                .filter(|w| !w.contains(BrowserCommand::PLACEHOLDER))
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            (None, None) => "default browser".into(),
        }
    }

    pub fn is_default(&self) -> bool {
        self.command.is_none() && self.container.is_none()
    }
}

/// What an account's console choice is made from besides the config.
pub struct AccountContext<'a> {
    pub account: &'a Account,
    /// OU names from the root, as role rules see them.
    pub path: &'a [String],
    pub role: &'a str,
    pub production: bool,
}

/// The browser and container for `ctx`: the first `[[console.rules]]` entry that matches and
/// sets a field wins for that field; otherwise `console.browser` / `console.container`.
/// Templates were checked when the config was loaded; one that fails here is left out.
pub fn browser_for(config: &ConsoleConfig, ctx: &AccountContext<'_>) -> BrowserChoice {
    let matching: Vec<&ConsoleRule> = config
        .rules
        .iter()
        .filter(|r| {
            crate::aws::roles::account_matches(
                r.ou.as_deref(),
                r.account.as_deref(),
                r.tag.as_deref(),
                ctx.account,
                ctx.path,
            )
        })
        .collect();
    let browser = matching
        .iter()
        .find_map(|r| r.browser.as_deref())
        .or(config.browser.as_deref());
    let container = matching
        .iter()
        .find_map(|r| r.container.as_deref())
        .or(config.container.as_deref());
    BrowserChoice {
        command: browser.and_then(|b| BrowserCommand::parse(b).ok()),
        container: container
            .filter(|c| !c.is_empty())
            .and_then(|c| container_name(c, &ctx.account.name, &ctx.account.id, ctx.role).ok())
            .map(|name| Container::for_account(name, ctx.production)),
    }
}

/// The container name template with `{account_name}`, `{account_id}` and `{role}` filled in.
pub fn container_name(
    template: &str,
    account_name: &str,
    account_id: &str,
    role: &str,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("`{template}` has a `{{` without `}}`"))?;
        let value = match &rest[open + 1..open + close] {
            "account_name" => account_name,
            "account_id" => account_id,
            "role" => role,
            other => {
                return Err(format!(
                    "unknown placeholder `{{{other}}}` (use {{account_name}}, {{account_id}} or {{role}})"
                ));
            }
        };
        out.push_str(value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The config check of `console.browser`, `console.container` and `[[console.rules]]`.
pub fn check_config(config: &crate::config::Config) -> Result<(), (String, String)> {
    let c = &config.console;
    let check = |key: String,
                 browser: Option<&str>,
                 container: Option<&str>|
     -> Result<(), (String, String)> {
        if let Some(b) = browser {
            BrowserCommand::parse(b).map_err(|e| (format!("{key}browser"), e))?;
        }
        if let Some(t) = container {
            container_name(t, "sample", "000000000000", "role")
                .map_err(|e| (format!("{key}container"), e))?;
        }
        Ok(())
    };
    check(
        "console.".into(),
        c.browser.as_deref(),
        c.container.as_deref(),
    )?;
    for (i, r) in c.rules.iter().enumerate() {
        let key = format!("console.rules[{i}].");
        check(key.clone(), r.browser.as_deref(), r.container.as_deref())?;
        if r.browser.is_none() && r.container.is_none() {
            return Err((
                format!("console.rules[{i}]"),
                "a console rule needs `browser` or `container`".into(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "command_tests.rs"]
mod tests;
