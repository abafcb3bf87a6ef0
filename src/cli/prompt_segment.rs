//! `orgnav prompt`: a short segment naming the account of the current orgnav shell, for shell
//! prompts (starship, PS1, fish). It runs before every prompt, so it reads only the `ORGNAV_*`
//! variables orgnav gave the shell: no config, no cache, no AWS, no logging, no async runtime.
//! Outside an orgnav shell it prints nothing and succeeds, so prompts can call it always.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use super::CliError;

/// What `--format` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PromptFormat {
    /// `payments-prod · Admin · PROD · 42m`, red for production when colour is on.
    Plain,
    /// The plain text, never coloured: starship styles (and escapes) a module's output itself.
    Starship,
    /// One JSON object, for prompts that build their own segment.
    Json,
}

/// Whether `plain` is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PromptColor {
    /// When stdout is a terminal (not inside `$(…)`) and `NO_COLOR` is unset or empty.
    Auto,
    /// Also when captured by the prompt (`$(orgnav prompt --color always)`), unless `NO_COLOR`.
    Always,
    /// Plain text in any case.
    Never,
}

/// The session of the current shell, as its environment describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub account_id: String,
    pub account_name: String,
    pub role: String,
    /// `prod` or `nonprod` (`ORGNAV_ENV`).
    pub env: String,
    /// Epoch seconds: `ORGNAV_EXPIRES_AT`, else `AWS_CREDENTIAL_EXPIRATION` (RFC 3339) for
    /// shells started by an orgnav without it; `None` when neither is readable.
    pub expires_at: Option<i64>,
    pub production: bool,
    pub demo: bool,
}

/// The segment of the shell whose variables `var` reads; `None` outside an orgnav shell.
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<Segment> {
    let account_id = var("ORGNAV_ACCOUNT_ID").filter(|v| !v.is_empty())?;
    let text = |name: &str| clean(&var(name).unwrap_or_default());
    let env = text("ORGNAV_ENV");
    let expires_at = var("ORGNAV_EXPIRES_AT")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or_else(|| {
            var("AWS_CREDENTIAL_EXPIRATION")
                .and_then(|v| v.trim().parse::<jiff::Timestamp>().ok())
                .map(|t| t.as_second())
        });
    Some(Segment {
        account_id: clean(&account_id),
        account_name: text("ORGNAV_ACCOUNT_NAME"),
        role: text("ORGNAV_ROLE"),
        production: env == "prod",
        env,
        expires_at,
        demo: var("ORGNAV_DEMO").is_some_and(|v| !v.is_empty() && v != "0"),
    })
}

/// Control characters dropped: the value lands in a prompt, where an escape sequence in an
/// account name would act on the terminal.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

impl Segment {
    /// Whole minutes left at `now` (epoch seconds), 0 once expired.
    pub fn minutes_left(&self, now: i64) -> Option<i64> {
        self.expires_at.map(|t| (t - now).max(0) / 60)
    }

    pub fn expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// `payments-prod · Admin · PROD · 42m`; `DEMO · ` first for the demo; `expired` at the end
    /// once the credentials are; the time left left out when unknown.
    pub fn text(&self, now: i64) -> String {
        let name = if self.account_name.is_empty() {
            &self.account_id
        } else {
            &self.account_name
        };
        let mut parts: Vec<String> = Vec::new();
        if self.demo {
            parts.push("DEMO".into());
        }
        parts.push(name.clone());
        if !self.role.is_empty() {
            parts.push(self.role.clone());
        }
        if self.production {
            parts.push("PROD".into());
        }
        if self.expired(now) {
            parts.push("expired".into());
        } else if let Some(m) = self.minutes_left(now) {
            parts.push(format!("{m}m"));
        }
        parts.join(" · ")
    }

    /// The text, bold red for production when `color`; other accounts stay uncoloured.
    pub fn plain(&self, now: i64, color: bool) -> String {
        let text = self.text(now);
        if color && self.production {
            format!("\x1b[1;31m{text}\x1b[0m")
        } else {
            text
        }
    }

    /// One object: the variables plus `minutes_left` and `expired` at `now`.
    pub fn json(&self, now: i64) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            #[serde(flatten)]
            segment: &'a Segment,
            minutes_left: Option<i64>,
            expired: bool,
        }
        let json = Json {
            segment: self,
            minutes_left: self.minutes_left(now),
            expired: self.expired(now),
        };
        serde_json::to_string(&json).unwrap_or_default()
    }
}

/// What `orgnav prompt` prints (without the newline) for `segment` at `now`.
pub fn render(
    segment: Option<&Segment>,
    format: PromptFormat,
    color: bool,
    now: i64,
) -> Option<String> {
    let s = segment?;
    Some(match format {
        PromptFormat::Plain => s.plain(now, color),
        PromptFormat::Starship => s.text(now),
        PromptFormat::Json => s.json(now),
    })
}

/// `orgnav prompt`: the segment of this shell on stdout, or nothing outside an orgnav shell.
pub fn run(format: PromptFormat, color: PromptColor) -> Result<u8, CliError> {
    let color = match color {
        PromptColor::Never => false,
        PromptColor::Always => super::table::colour_allowed(true),
        PromptColor::Auto => super::table::colour_allowed(std::io::stdout().is_terminal()),
    };
    let segment = from_env(|name| std::env::var(name).ok());
    let now = jiff::Timestamp::now().as_second();
    if let Some(line) = render(segment.as_ref(), format, color, now) {
        // A closed pipe is the prompt's business, not an error worth a message.
        let _ = writeln!(std::io::stdout(), "{line}");
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const PROD: &[(&str, &str)] = &[
        ("ORGNAV_ACCOUNT_ID", "111111111111"),
        ("ORGNAV_ACCOUNT_NAME", "payments-prod"),
        ("ORGNAV_ROLE", "Admin"),
        ("ORGNAV_ENV", "prod"),
        ("ORGNAV_EXPIRES_AT", "1800000000"),
    ];

    #[test]
    fn nothing_outside_an_orgnav_shell() {
        assert_eq!(from_env(env_of(&[])), None);
        assert_eq!(from_env(env_of(&[("ORGNAV_ACCOUNT_ID", "")])), None);
    }

    #[test]
    fn production_says_prod_and_is_red_only_with_colour() {
        let s = from_env(env_of(PROD)).unwrap();
        let now = 1_800_000_000 - 42 * 60 - 30;
        assert_eq!(s.text(now), "payments-prod · Admin · PROD · 42m");
        assert_eq!(s.plain(now, false), s.text(now));
        assert_eq!(
            s.plain(now, true),
            "\x1b[1;31mpayments-prod · Admin · PROD · 42m\x1b[0m"
        );
    }

    #[test]
    fn expiry_falls_back_to_the_aws_variable_and_expired_is_said() {
        let mut vars = PROD[..4].to_vec();
        vars.push(("AWS_CREDENTIAL_EXPIRATION", "2027-01-15T08:00:00Z"));
        let s = from_env(env_of(&vars)).unwrap();
        assert_eq!(s.expires_at, Some(1_800_000_000));
        assert!(s.text(1_800_000_000).ends_with(" · expired"));
        assert!(!from_env(env_of(&PROD[..4])).unwrap().text(0).ends_with('m'));
    }

    #[test]
    fn control_characters_never_reach_the_prompt() {
        let s = from_env(env_of(&[
            ("ORGNAV_ACCOUNT_ID", "111111111111"),
            ("ORGNAV_ACCOUNT_NAME", "evil\x1b]0;pwned\x07name"),
        ]))
        .unwrap();
        assert_eq!(s.text(0), "evil]0;pwnedname");
    }
}
