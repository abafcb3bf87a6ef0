//! Profile names from a template such as `{account_name}.{role}`, made safe for the AWS CLI.

use std::collections::BTreeMap;

/// The template used when `--template` is not given.
pub const DEFAULT_TEMPLATE: &str = "{account_name}.{role}";

/// What a template can name about one (account, role).
#[derive(Debug, Clone, Default)]
pub struct NameFields<'a> {
    pub account_name: &'a str,
    pub account_id: &'a str,
    pub role: &'a str,
    /// OU names from the root down, joined with `/`.
    pub ou_path: &'a str,
    /// `prod` or `nonprod`, as in `ORGNAV_ENV`.
    pub env: &'a str,
    pub tags: Option<&'a BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    AccountName,
    AccountId,
    Role,
    OuPath,
    Env,
    Tag(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

const FIELDS_HELP: &str = "use account_name, account_id, role, ou_path, env or tag:KEY";

impl Template {
    /// Checked before any work so that a typo is a usage error, not a file full of odd names.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("--template `{text}` has a `{{` without `}}`"))?;
            parts.push(field(&after[..close]).ok_or_else(|| {
                format!(
                    "--template `{text}` names an unknown field `{{{}}}`: {FIELDS_HELP}",
                    &after[..close]
                )
            })?);
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        if !parts.iter().any(|p| !matches!(p, Part::Text(_))) {
            return Err(format!(
                "--template `{text}` names no field, so every profile would get the same name: {FIELDS_HELP}"
            ));
        }
        Ok(Self { parts })
    }

    /// The sanitised name (see [`sanitise`]).
    pub fn render(&self, f: &NameFields<'_>) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                // A name of only non-ASCII letters (決済-本番) would vanish: the ID stands in.
                Part::AccountName if sanitise(f.account_name).is_empty() => {
                    out.push_str(f.account_id)
                }
                Part::AccountName => out.push_str(f.account_name),
                Part::AccountId => out.push_str(f.account_id),
                Part::Role => out.push_str(f.role),
                Part::OuPath => out.push_str(f.ou_path),
                Part::Env => out.push_str(f.env),
                Part::Tag(key) => {
                    let value = f.tags.and_then(|tags| {
                        tags.iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(key))
                            .map(|(_, v)| v.as_str())
                    });
                    out.push_str(value.unwrap_or(""));
                }
            }
        }
        sanitise(&out)
    }
}

fn field(name: &str) -> Option<Part> {
    Some(match name.trim() {
        "account_name" => Part::AccountName,
        "account_id" => Part::AccountId,
        "role" => Part::Role,
        "ou_path" => Part::OuPath,
        "env" => Part::Env,
        other => Part::Tag(other.strip_prefix("tag:")?.trim().to_string()),
    })
}

/// Keeps letters, digits and `. _ - + @`; every run of anything else (spaces, `[`, `]`, `#`,
/// `;`, `=`, `/`, quotes…) becomes one `-`. Those characters break the `[profile NAME]`
/// header or a shell's `--profile NAME`. Leading and trailing `-`/`.` are dropped.
pub fn sanitise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut replaced = false;
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@') {
            out.push(c);
            replaced = false;
        } else if !replaced {
            out.push('-');
            replaced = true;
        }
    }
    out.trim_matches(|c| c == '-' || c == '.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_tags_are_filled_and_names_sanitised() {
        let mut tags = BTreeMap::new();
        tags.insert("Team".to_string(), "Pay Ments".to_string());
        let f = NameFields {
            account_name: "ledger [prod]",
            account_id: "123456789012",
            role: "Admin",
            ou_path: "Workloads/Prod",
            env: "prod",
            tags: Some(&tags),
        };
        let t = Template::parse("{ou_path}/{account_name}.{role}#{tag:team}").unwrap();
        assert_eq!(t.render(&f), "Workloads-Prod-ledger-prod-.Admin-Pay-Ments");
        let t = Template::parse(DEFAULT_TEMPLATE).unwrap();
        assert_eq!(t.render(&f), "ledger-prod-.Admin");
        let t = Template::parse("{env}-{account_id}-{tag:Missing}").unwrap();
        assert_eq!(t.render(&f), "prod-123456789012");
        let f = NameFields {
            account_name: "決済-本番",
            ..f
        };
        assert_eq!(t_default().render(&f), "123456789012.Admin");
    }

    fn t_default() -> Template {
        Template::parse(DEFAULT_TEMPLATE).unwrap()
    }

    #[test]
    fn bad_templates_are_refused() {
        assert!(
            Template::parse("{acount}")
                .unwrap_err()
                .contains("unknown field")
        );
        assert!(Template::parse("{role").unwrap_err().contains("without"));
        assert!(Template::parse("fixed").unwrap_err().contains("no field"));
    }

    #[test]
    fn sanitise_keeps_what_the_cli_accepts() {
        assert_eq!(sanitise("  a b;c=d  "), "a-b-c-d");
        assert_eq!(sanitise("x@y+z_1.2"), "x@y+z_1.2");
        assert_eq!(sanitise("[]"), "");
    }
}
