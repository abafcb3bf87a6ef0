//! `profiles`: the organization's (account, role) pairs as named profiles in the AWS config
//! file, for the AWS CLI, SDKs, Terraform and IDEs. Reads what `ls` and `roles` read; calls
//! no AWS API of its own.

use std::path::{Path, PathBuf};

use super::access_cmds::{account_options, role_setup};
use super::org_cmds::snapshot_for_cli;
use super::target::resolve_ou;
use super::{CliError, Ctx};
use crate::aws::roles::{RoleOption, RoleSource};
use crate::model::Hierarchy;
use crate::profiles::template::{NameFields, Template};
use crate::profiles::{Candidate, Plan, block, plan, write};

pub struct ProfilesArgs<'a> {
    pub ou: Option<&'a str>,
    pub roles: &'a [String],
    pub template: &'a str,
    pub dry_run: bool,
    pub prune: bool,
    pub file: Option<&'a Path>,
    pub credential_process: bool,
}

/// What every generated profile shares.
struct Common {
    /// The profile the base credentials come from (`source_profile` of assume-role profiles).
    base_profile: String,
    /// `--profile` as given, passed on to `orgnav credential-process`.
    cli_profile: Option<String>,
    sso: Option<crate::sso::settings::SsoSettings>,
    region: String,
    credential_process: bool,
}

/// `--file`, else the AWS config file (`AWS_CONFIG_FILE`, else `~/.aws/config`).
fn config_path(file: Option<&Path>) -> Result<PathBuf, CliError> {
    file.map(Path::to_path_buf)
        .or_else(crate::profiles::aws_config_path)
        .ok_or_else(|| CliError::usage("no home directory to find ~/.aws/config in: pass --file"))
}

fn read_existing(path: &Path) -> Result<String, CliError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(CliError::runtime(format!(
            "cannot read {}: {e}; check the path and its permissions",
            path.display()
        ))),
    }
}

async fn common(ctx: &Ctx, credential_process: bool) -> Common {
    let region = match &ctx.source.session.region {
        Some(r) => r.clone(),
        None if ctx.cli.demo => crate::aws::session::FALLBACK_REGION.to_string(),
        None => ctx.source.sdk_config().await.region().map_or_else(
            || crate::aws::session::FALLBACK_REGION.to_string(),
            |r| r.to_string(),
        ),
    };
    Common {
        // As `Access` picks it: `--profile`, config `base_profile`, config `profile`, then
        // AWS_PROFILE or `default`.
        base_profile: crate::aws::session::profile_label(
            ctx.cli
                .profile
                .as_deref()
                .or(ctx.config.base_profile.as_deref())
                .or(ctx.config.profile.as_deref()),
        ),
        cli_profile: ctx.cli.profile.clone(),
        sso: ctx.identity_center().map(|ic| ic.settings.clone()),
        region,
        credential_process,
    }
}

/// The settings of one profile; None for an Identity Center role without a sign-in to name.
fn settings(c: &Common, account_id: &str, o: &RoleOption) -> Option<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut set = |k: &str, v: String| out.push((k.to_string(), v));
    if c.credential_process {
        let profile = c
            .cli_profile
            .as_ref()
            .map_or_else(String::new, |p| format!(" --profile {p}"));
        set(
            "credential_process",
            format!(
                "orgnav{profile} credential-process {account_id} --role {}",
                o.name
            ),
        );
    } else if o.source == RoleSource::IdentityCenter {
        let sso = c.sso.as_ref()?;
        match &sso.session {
            Some(session) => set("sso_session", session.clone()),
            None => {
                set("sso_start_url", sso.start_url.clone());
                set("sso_region", sso.region.clone());
            }
        }
        set("sso_account_id", account_id.to_string());
        set("sso_role_name", o.name.clone());
    } else {
        let via = o.via_profile.as_ref();
        set("role_arn", o.role_arn.clone());
        let source = via.and_then(|p| p.source_profile.clone());
        set(
            "source_profile",
            source.unwrap_or_else(|| c.base_profile.clone()),
        );
        if let Some(v) = via.and_then(|p| p.mfa_serial.clone()) {
            set("mfa_serial", v);
        }
        if let Some(v) = via.and_then(|p| p.external_id.clone()) {
            set("external_id", v);
        }
        if let Some(v) = via.and_then(|p| p.duration_seconds) {
            set("duration_seconds", v.to_string());
        }
    }
    set("region", c.region.clone());
    Some(out)
}

/// `--role` keeps the options of those names (or ARNs); without it, every option.
fn wanted(o: &RoleOption, roles: &[String]) -> bool {
    roles.is_empty()
        || roles
            .iter()
            .any(|r| o.name.eq_ignore_ascii_case(r) || o.role_arn == *r)
}

/// One candidate per (ACTIVE account under `top`, wanted role option), in tree order.
fn candidates(
    ctx: &Ctx,
    h: &Hierarchy,
    top: usize,
    roles: &crate::aws::roles::RoleSetup,
    args: &ProfilesArgs<'_>,
    template: &Template,
    common: &Common,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for i in h.accounts_under(top) {
        let a = h.account(i);
        if a.entry_refusal().is_some() {
            continue;
        }
        let ou_path = Hierarchy::path_string(h.account_path(i));
        let production = ctx.config.production.is_production(a);
        for o in account_options(ctx, h, i, roles, None) {
            if !wanted(&o, args.roles) {
                continue;
            }
            let fields = NameFields {
                account_name: &a.name,
                account_id: &a.id,
                role: &o.name,
                ou_path: &ou_path,
                env: if production { "prod" } else { "nonprod" },
                tags: Some(&a.tags),
            };
            let name = template.render(&fields);
            let Some(settings) = settings(common, &a.id, &o) else {
                crate::note!(
                    "orgnav: skipped {name}: an Identity Center role, but no IAM Identity Center sign-in is configured"
                );
                continue;
            };
            let name = if name.is_empty() { a.id.clone() } else { name };
            out.push(Candidate {
                name,
                account_id: a.id.clone(),
                settings,
            });
        }
    }
    out
}

fn report(p: &Plan, prune: bool) {
    for r in &p.renamed {
        crate::note!("orgnav: name collision, renamed {r}");
    }
    for s in &p.shadowed {
        crate::note!(
            "orgnav: skipped {s}: a profile of that name exists outside the managed block"
        );
    }
    for s in &p.stale {
        if prune {
            crate::note!("orgnav: removed stale profile {s}");
        } else {
            crate::note!(
                "orgnav: stale profile {s}: not among the accounts and roles of this run (kept; --prune removes it)"
            );
        }
    }
}

pub async fn profiles(ctx: &Ctx, args: &ProfilesArgs<'_>) -> Result<u8, CliError> {
    let template = Template::parse(args.template).map_err(CliError::usage)?;
    if ctx.cli.demo && !args.dry_run && args.file.is_none() {
        return Err(CliError::usage(
            "the demo organization is not yours: pass --dry-run to see its profiles, \
             or --file PATH to write them somewhere other than your AWS config",
        ));
    }
    let path = config_path(args.file)?;
    let existing = read_existing(&path)?;
    let cannot = |e: String| CliError::runtime(format!("cannot update {}: {e}", path.display()));
    // Checked before the crawl: a broken block stops the command before any work.
    block::split(&existing).map_err(cannot)?;
    let snapshot = snapshot_for_cli(ctx).await?;
    let h = Hierarchy::new(snapshot.org);
    let top = args.ou.map_or(Ok(h.root()), |q| resolve_ou(&h, q))?;
    let roles = role_setup(ctx).await;
    let common = common(ctx, args.credential_process).await;
    let found = candidates(ctx, &h, top, &roles, args, &template, &common);
    let plan = plan(&existing, found, args.prune).map_err(cannot)?;
    report(&plan, args.prune);
    if args.dry_run {
        super::output::emit(&write::unified_diff(&path, &existing, &plan.text))?;
        return Ok(0);
    }
    let shown = path.display();
    if plan.text == existing {
        crate::note!(
            "orgnav: {} profiles in {shown}, unchanged",
            plan.written.len()
        );
        return Ok(0);
    }
    write::write_config(&path, &plan.text).map_err(|e| cannot(e.to_string()))?;
    let count = plan.written.len();
    if existing.is_empty() {
        crate::note!("orgnav: {count} profiles written to {shown}");
    } else {
        let bak = write::backup_path(&path);
        crate::note!(
            "orgnav: {count} profiles written to {shown} (previous version: {})",
            bak.display()
        );
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::roles::ProfileRole;

    fn common(sso_session: Option<&str>, credential_process: bool) -> Common {
        Common {
            base_profile: "base".into(),
            cli_profile: Some("org".into()),
            sso: Some(crate::sso::settings::SsoSettings {
                session: sso_session.map(str::to_string),
                start_url: "https://d-1.awsapps.com/start".into(),
                region: "eu-west-1".into(),
                scopes: Vec::new(),
            }),
            region: "eu-central-1".into(),
            credential_process,
        }
    }

    fn option(source: RoleSource, via: Option<ProfileRole>) -> RoleOption {
        RoleOption {
            name: "Admin".into(),
            role_arn: "arn:aws:iam::111111111111:role/team/Admin".into(),
            source,
            via_profile: via,
        }
    }

    fn keys(s: &[(String, String)]) -> Vec<String> {
        s.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    #[test]
    fn identity_center_roles_name_the_session_or_the_start_url() {
        let o = option(RoleSource::IdentityCenter, None);
        let s = settings(&common(Some("corp"), false), "111111111111", &o).unwrap();
        assert_eq!(
            keys(&s),
            [
                "sso_session=corp",
                "sso_account_id=111111111111",
                "sso_role_name=Admin",
                "region=eu-central-1"
            ]
        );
        let s = settings(&common(None, false), "111111111111", &o).unwrap();
        assert_eq!(
            keys(&s)[..2],
            [
                "sso_start_url=https://d-1.awsapps.com/start",
                "sso_region=eu-west-1"
            ]
        );
        let mut no_sso = common(None, false);
        no_sso.sso = None;
        assert!(settings(&no_sso, "111111111111", &o).is_none());
    }

    #[test]
    fn assume_role_options_carry_their_profile_settings_over() {
        let via = ProfileRole {
            profile: "team-admin".into(),
            role_arn: "arn:aws:iam::111111111111:role/team/Admin".into(),
            source_profile: Some("corp-base".into()),
            mfa_serial: Some("arn:aws:iam::222222222222:mfa/alice".into()),
            duration_seconds: Some(7200),
            external_id: Some("ext-1".into()),
        };
        let o = option(
            RoleSource::Profile {
                profile: "team-admin".into(),
            },
            Some(via),
        );
        let s = settings(&common(None, false), "111111111111", &o).unwrap();
        assert_eq!(
            keys(&s),
            [
                "role_arn=arn:aws:iam::111111111111:role/team/Admin",
                "source_profile=corp-base",
                "mfa_serial=arn:aws:iam::222222222222:mfa/alice",
                "external_id=ext-1",
                "duration_seconds=7200",
                "region=eu-central-1"
            ]
        );
        let plain = option(RoleSource::Config, None);
        let s = settings(&common(None, false), "111111111111", &plain).unwrap();
        assert_eq!(keys(&s)[1], "source_profile=base");
        let s = settings(&common(None, true), "111111111111", &plain).unwrap();
        assert_eq!(
            keys(&s)[0],
            "credential_process=orgnav --profile org credential-process 111111111111 --role Admin"
        );
    }
}
