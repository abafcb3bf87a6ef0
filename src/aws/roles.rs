//! Role options per account: config rules, `~/.aws/config` profiles whose `role_arn` points
//! into the account, then the default role. The last role used is offered first.

use globset::{Glob, GlobMatcher};
use serde::Serialize;

use crate::config::RoleRule;
use crate::model::Account;

/// A profile in the AWS config files that assumes a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileRole {
    pub profile: String,
    pub role_arn: String,
    pub source_profile: Option<String>,
    pub mfa_serial: Option<String>,
    pub duration_seconds: Option<i32>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoleSource {
    Config,
    Profile {
        profile: String,
    },
    Default,
    /// A permission set the person may use through IAM Identity Center.
    IdentityCenter,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleOption {
    pub name: String,
    pub role_arn: String,
    pub source: RoleSource,
    #[serde(skip)]
    pub via_profile: Option<ProfileRole>,
}

impl RoleOption {
    pub fn source_label(&self) -> String {
        match &self.source {
            RoleSource::Config => "config rule".into(),
            RoleSource::Profile { profile } => format!("profile {profile}"),
            RoleSource::Default => "default".into(),
            RoleSource::IdentityCenter => "Identity Center".into(),
        }
    }
    pub fn mfa_serial(&self) -> Option<&str> {
        self.via_profile
            .as_ref()
            .and_then(|p| p.mfa_serial.as_deref())
    }
}

/// Identity Center roles have generated IAM names (`AWSReservedSSO_<set>_<hash>`) that the
/// portal does not reveal; this stands in for the ARN where options need a unique key.
pub fn sso_role_ref(account_id: &str, role: &str) -> String {
    format!("identity-center:{account_id}/{role}")
}

/// `aws`, `aws-cn`, `aws-us-gov` or `aws-eusc`, from a region name.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("eusc-") {
        // The AWS European Sovereign Cloud (eusc-de-east-1): ARNs are `arn:aws-eusc:`.
        "aws-eusc"
    } else {
        "aws"
    }
}

pub fn role_arn(partition: &str, account_id: &str, name: &str) -> String {
    format!("arn:{partition}:iam::{account_id}:role/{name}")
}

/// (account id, role name) of an IAM role ARN.
pub fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, service, _, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let name = resource.strip_prefix("role/")?.rsplit('/').next()?;
    (service == "iam" && !account.is_empty()).then_some((account, name))
}

fn glob(pattern: &str) -> Option<GlobMatcher> {
    Glob::new(&pattern.to_lowercase())
        .ok()
        .map(|g| g.compile_matcher())
}

fn rule_applies(rule: &RoleRule, account: &Account, path: &[String]) -> bool {
    account_matches(
        rule.ou.as_deref(),
        rule.account.as_deref(),
        rule.tag.as_deref(),
        account,
        path,
    )
}

/// Whether every given condition of a rule holds for `account` at OU `path`: `ou` a glob over
/// the OU path (`X/**` also matching accounts directly in `X`), `account` a glob over the
/// name, `tag` `Key=ValueGlob`; all case-insensitive. Role rules and console rules share it.
pub fn account_matches(
    ou: Option<&str>,
    name: Option<&str>,
    tag: Option<&str>,
    account: &Account,
    path: &[String],
) -> bool {
    if let Some(p) = ou {
        let path = path.join("/").to_lowercase();
        let under = p
            .strip_suffix("/**")
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(&path));
        if !under && !glob(p).is_some_and(|g| g.is_match(&path)) {
            return false;
        }
    }
    if let Some(a) = name
        && !glob(a).is_some_and(|g| g.is_match(account.name.to_lowercase()))
    {
        return false;
    }
    if let Some(t) = tag {
        let (key, value) = t.split_once('=').unwrap_or((t, "*"));
        let matched = account.tags.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case(key.trim())
                && glob(value.trim()).is_some_and(|g| g.is_match(v.to_lowercase()))
        });
        if !matched {
            return false;
        }
    }
    true
}

/// What role options are made from besides the account: `[[roles]]` rules, profiles that
/// assume roles, and the default role (the user's, or the demo's own).
#[derive(Debug, Clone, Default)]
pub struct RoleSetup {
    pub rules: Vec<RoleRule>,
    pub profiles: Vec<ProfileRole>,
    pub default_role: String,
}

pub struct RoleInputs<'a> {
    pub rules: &'a [RoleRule],
    pub profiles: &'a [ProfileRole],
    /// Offered when nothing else applies; empty disables it.
    pub default_role: &'a str,
    pub partition: &'a str,
    pub last_used: Option<&'a str>,
    /// The account's Identity Center roles (permission sets), offered first.
    pub sso_roles: &'a [String],
}

pub fn role_options(
    account: &Account,
    path: &[String],
    inputs: &RoleInputs<'_>,
) -> Vec<RoleOption> {
    let mut out: Vec<RoleOption> = Vec::new();
    fn push(out: &mut Vec<RoleOption>, o: RoleOption) {
        if !out
            .iter()
            .any(|e| e.role_arn == o.role_arn && e.source == o.source)
        {
            out.push(o);
        }
    }
    for name in inputs.sso_roles {
        push(
            &mut out,
            RoleOption {
                name: name.clone(),
                role_arn: sso_role_ref(&account.id, name),
                source: RoleSource::IdentityCenter,
                via_profile: None,
            },
        );
    }
    for rule in inputs
        .rules
        .iter()
        .filter(|r| rule_applies(r, account, path))
    {
        push(
            &mut out,
            RoleOption {
                name: rule.name.clone(),
                role_arn: role_arn(inputs.partition, &account.id, &rule.name),
                source: RoleSource::Config,
                via_profile: None,
            },
        );
    }
    for p in inputs.profiles {
        if let Some((acct, name)) = parse_role_arn(&p.role_arn)
            && acct == account.id
        {
            push(
                &mut out,
                RoleOption {
                    name: name.to_string(),
                    role_arn: p.role_arn.clone(),
                    source: RoleSource::Profile {
                        profile: p.profile.clone(),
                    },
                    via_profile: Some(p.clone()),
                },
            );
        }
    }
    if out.is_empty() && !inputs.default_role.is_empty() {
        push(
            &mut out,
            RoleOption {
                name: inputs.default_role.to_string(),
                role_arn: role_arn(inputs.partition, &account.id, inputs.default_role),
                source: RoleSource::Default,
                via_profile: None,
            },
        );
    }
    if let Some(last) = inputs.last_used
        && let Some(pos) = out
            .iter()
            .position(|o| o.name == last || o.role_arn == last)
    {
        let o = out.remove(pos);
        out.insert(0, o);
    }
    out
}

/// Profiles with a `role_arn`, read with aws-config's own profile loader (config and
/// credentials files, `AWS_CONFIG_FILE` respected), except those `orgnav profiles` wrote.
pub async fn load_profile_roles() -> Vec<ProfileRole> {
    let set = match super::profiles::profile_set().await {
        Ok(set) => set,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read AWS profiles");
            return Vec::new();
        }
    };
    let generated = crate::profiles::managed_profile_names();
    let mut out: Vec<ProfileRole> = set
        .profiles()
        .filter(|name| !generated.contains(*name))
        .filter_map(|name| {
            let p = set.get_profile(name)?;
            Some(ProfileRole {
                profile: name.to_string(),
                role_arn: p.get("role_arn")?.to_string(),
                source_profile: p.get("source_profile").map(str::to_string),
                mfa_serial: p.get("mfa_serial").map(str::to_string),
                duration_seconds: p
                    .get("duration_seconds")
                    .and_then(|d| d.trim().parse().ok()),
                external_id: p.get("external_id").map(str::to_string),
            })
        })
        .collect();
    out.sort_by(|a, b| a.profile.cmp(&b.profile));
    out
}

#[cfg(test)]
mod tests;
