//! Which account and role an entry means, and the assume: what `roles` shows and what
//! `shell`, `exec`, `env`, `credential-process` and `console` (entry_cmds) enter.

use std::io::{BufRead, IsTerminal, Write};

use super::child::Entered;
use super::org_cmds::snapshot_for_cli;
use super::prompt::prompt_mfa;
use super::target::{Confirm, choose_or_pick};
use super::{CliError, Ctx};
use crate::access::demo;
use crate::access::history::{EntryKind, History};
use crate::access::{AccessError, Assumed};
use crate::aws::roles::{
    RoleInputs, RoleOption, RoleSetup, RoleSource, load_profile_roles, partition, role_arn,
    role_options,
};
use crate::model::Hierarchy;

struct Target {
    h: Hierarchy,
    account: usize,
    options: Vec<RoleOption>,
    production: bool,
    /// Picked in the account picker: the role is then picked too (when there is a choice).
    picked: bool,
}

/// The region named by `--region` or the config ("" when the profile decides): used for
/// role ARN partitions before any SDK configuration is loaded.
fn explicit_region(ctx: &Ctx) -> String {
    ctx.cli
        .region
        .clone()
        .or_else(|| ctx.config.region.clone())
        .unwrap_or_default()
}

/// How a fuzzy ACCOUNT is confirmed: `--pick-best`, else a picker on a terminal, else refused.
/// `credential-process` runs under SDKs, never at a person's terminal: it never asks.
pub(super) fn confirm_mode(ctx: &Ctx, may_ask: bool) -> Confirm {
    if ctx.cli.pick_best {
        Confirm::PickBest
    } else if may_ask && super::picker::interactive() {
        Confirm::Ask
    } else {
        Confirm::Refuse
    }
}

/// Entering an account that is not ACTIVE is refused, as in the TUI.
pub(super) fn refuse_inactive(a: &crate::model::Account) -> Result<(), CliError> {
    a.entry_refusal()
        .map_or(Ok(()), |why| Err(CliError::usage(why)))
}

async fn target(ctx: &Ctx, query: Option<&str>, confirm: Confirm) -> Result<Target, CliError> {
    let snapshot = snapshot_for_cli(ctx).await?;
    let h = Hierarchy::new(snapshot.org);
    let roles = role_setup(ctx).await;
    let history = History::load_for(ctx.cli.demo);
    let chosen = choose_or_pick(&h, query, confirm, &history)?;
    let account = chosen.account;
    let a = h.account(account);
    let options = account_options(ctx, &h, account, &roles, history.last_role(&a.id));
    let production = ctx.config.production.is_production(a);
    Ok(Target {
        h,
        account,
        options,
        production,
        picked: chosen.picked,
    })
}

/// The role options of account `account` (`last_used` first), as `roles` and every entry
/// command compute them.
pub(super) fn account_options(
    ctx: &Ctx,
    h: &Hierarchy,
    account: usize,
    roles: &RoleSetup,
    last_used: Option<&str>,
) -> Vec<RoleOption> {
    let a = h.account(account);
    let region = explicit_region(ctx);
    let inputs = RoleInputs {
        sso_roles: h.org.sso_roles.get(&a.id).map_or(&[][..], Vec::as_slice),
        rules: &roles.rules,
        profiles: &roles.profiles,
        default_role: &roles.default_role,
        partition: partition(&region),
        last_used,
    };
    role_options(a, h.account_path(account), &inputs)
}

/// Where role options come from: the config and `~/.aws/config`, or the demo's own.
pub(super) async fn role_setup(ctx: &Ctx) -> RoleSetup {
    if ctx.cli.demo {
        return demo::roles();
    }
    RoleSetup {
        rules: ctx.config.roles.clone(),
        profiles: load_profile_roles().await,
        default_role: ctx.config.default_role.clone(),
    }
}

/// `--role` by name or ARN among the options; an unlisted name is still tried (the user may
/// know a role orgnav was not told about). Without `--role`: the first option.
fn choose(t: &Target, role: Option<&str>, region: &str) -> Result<RoleOption, CliError> {
    let a = t.h.account(t.account);
    match role {
        Some(r) => Ok(t
            .options
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(r) || o.role_arn == r)
            .cloned()
            .unwrap_or_else(|| RoleOption {
                name: r.rsplit('/').next().unwrap_or(r).to_string(),
                role_arn: if r.starts_with("arn:") { r.to_string() } else { role_arn(partition(region), &a.id, r) },
                source: RoleSource::Config,
                via_profile: None,
            })),
        None => t.options.first().cloned().ok_or_else(|| {
            CliError::usage(format!(
                "no role to assume in {}: add a [[roles]] rule or a profile with role_arn, or pass --role",
                a.name
            ))
        }),
    }
}

/// The role picker, after the account picker: the last role used first; Esc exits 2.
fn pick_role(t: &Target) -> Result<RoleOption, CliError> {
    let width = t.options.iter().map(|o| o.name.len()).max().unwrap_or(0);
    let title = format!("Which role in {}?", t.h.account(t.account).name);
    let picked = super::picker::pick(&title, "", |typed| {
        let typed = typed.trim().to_lowercase();
        t.options
            .iter()
            .filter(|o| o.name.to_lowercase().contains(&typed))
            .map(|o| {
                let row = format!("{:<width$}  {}", o.name, o.source_label());
                (o.clone(), row)
            })
            .collect()
    })?;
    picked.ok_or_else(|| CliError::usage("cancelled: no role chosen"))
}

fn confirm_production(name: &str, yes: bool) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "{name} is a production account: pass --yes to confirm"
        )));
    }
    crate::note_inline!("{name} is a PRODUCTION account. Continue? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(CliError::runtime("cancelled"))
    }
}

async fn assume(
    ctx: &Ctx,
    t: &Target,
    option: &RoleOption,
    kind: EntryKind,
) -> Result<Assumed, CliError> {
    let access = ctx.access();
    let a = t.h.account(t.account);
    let result = match access.assume(a, option, t.production, None).await {
        Err(AccessError::MfaRequired { serial, .. }) => {
            let code = prompt_mfa(&serial)?;
            access.assume(a, option, t.production, Some(&code)).await
        }
        other => other,
    };
    let assumed = result.map_err(|e| CliError::runtime(e.to_string()))?;
    History::record_for(ctx.cli.demo, &a.id, &option.name, kind);
    Ok(assumed)
}

/// How `prepared` treats the production confirmation and the fuzzy-match picker.
#[derive(Clone, Copy)]
pub(super) struct Entry {
    /// Some(yes): ask for production accounts unless `--yes`; None: never ask.
    pub(super) production_guard: Option<bool>,
    /// Whether a person may be asked to pick among fuzzy matches.
    pub(super) may_ask: bool,
    /// Recorded in the history once credentials arrive.
    pub(super) kind: EntryKind,
}

/// ACCOUNT `-`: the account a person entered last (by ID; background `credential_process`
/// runs do not count), with the role used then unless `--role` names another. Anything else is passed through.
fn last_entered(
    ctx: &Ctx,
    account: Option<&str>,
    role: Option<&str>,
) -> Result<(Option<String>, Option<String>), CliError> {
    if account != Some("-") {
        return Ok((account.map(str::to_string), role.map(str::to_string)));
    }
    let history = History::load_for(ctx.cli.demo);
    let last = history.last_interactive().ok_or_else(|| {
        CliError::usage(
            "no account entered yet: `-` stands for the last account entered; \
             name one (ID, exact name or a query) this time",
        )
    })?;
    Ok((
        Some(last.account_id.clone()),
        Some(role.map_or_else(|| last.role.clone(), str::to_string)),
    ))
}

pub(super) async fn prepared(
    ctx: &Ctx,
    account: Option<&str>,
    role: Option<&str>,
    entry: Entry,
) -> Result<Assumed, CliError> {
    prepared_entry(ctx, account, role, entry)
        .await
        .map(|e| e.assumed)
}

pub(super) async fn prepared_entry(
    ctx: &Ctx,
    account: Option<&str>,
    role: Option<&str>,
    entry: Entry,
) -> Result<Entered, CliError> {
    let chosen = chosen_entry(ctx, account, role, entry).await?;
    enter(ctx, chosen, entry.kind).await
}

/// An account and role chosen (and confirmed for production), not yet assumed.
pub(super) struct Chosen {
    t: Target,
    pub(super) option: RoleOption,
}

impl Chosen {
    pub(super) fn account(&self) -> &crate::model::Account {
        self.t.h.account(self.t.account)
    }
    pub(super) fn path(&self) -> &[String] {
        self.t.h.account_path(self.t.account)
    }
    pub(super) fn production(&self) -> bool {
        self.t.production
    }
}

/// The assume for a chosen account and role.
pub(super) async fn enter(ctx: &Ctx, c: Chosen, kind: EntryKind) -> Result<Entered, CliError> {
    let assumed = assume(ctx, &c.t, &c.option, kind).await?;
    Ok(Entered {
        assumed,
        account: c.t.h.account(c.t.account).clone(),
        option: c.option,
        production: c.t.production,
    })
}

/// Which account and role an entry means: everything `prepared_entry` does but the assume.
pub(super) async fn chosen_entry(
    ctx: &Ctx,
    account: Option<&str>,
    role: Option<&str>,
    entry: Entry,
) -> Result<Chosen, CliError> {
    let (account, role) = last_entered(ctx, account, role)?;
    let (account, role) = (account.as_deref(), role.as_deref());
    let t = target(ctx, account, confirm_mode(ctx, entry.may_ask)).await?;
    refuse_inactive(t.h.account(t.account))?;
    let guard = entry.production_guard;
    let region = explicit_region(ctx);
    let option = if role.is_none() && t.picked && t.options.len() > 1 {
        pick_role(&t)?
    } else {
        choose(&t, role, &region)?
    };
    if let Some(yes) = guard
        && t.production
    {
        confirm_production(&t.h.account(t.account).name, yes)?;
    }
    Ok(Chosen { t, option })
}

pub async fn roles(ctx: &Ctx, account: &str, json: bool) -> Result<u8, CliError> {
    let t = target(ctx, Some(account), confirm_mode(ctx, true)).await?;
    let out = if json {
        serde_json::to_string_pretty(&t.options).map_err(|e| CliError::runtime(e.to_string()))?
            + "\n"
    } else {
        use super::table::{Column, Look, Table};
        let mut table = Table::new(&[
            Column::shrinkable("ROLE", 0),
            Column::fixed("SOURCE"),
            Column::fixed("ARN"),
        ]);
        for o in &t.options {
            table.push_plain(vec![o.name.clone(), o.source_label(), o.role_arn.clone()]);
        }
        table.render(&Look::stdout())
    };
    super::output::emit(&out)?;
    Ok(0)
}
