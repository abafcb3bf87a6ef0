//! `orgnav quotas`: one account's quota headroom, or a sweep over the organization.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use super::org_cmds::snapshot_for_cli;
use super::output::emit;
use super::prompt::prompt_mfa;
use super::quota_table::{ProductionIds, only_unknown_services, table, warn_unmatched};
use super::table::{Look, Paint};
use super::target::{choose_account, resolve_ou};
use super::{CliError, Ctx};
use crate::access::history::History;
use crate::access::{AccessError, AccessSettings};
use crate::aws::roles::{RoleInputs, load_profile_roles, partition, role_options};
use crate::aws::session::load_sdk_config;
use crate::model::Hierarchy;
use crate::quotas::demo::demo_quotas;
use crate::quotas::format::bar;
use crate::quotas::{
    AccountQuotas, QuotaQuery, QuotaReader, QuotaTarget, SweepProgress, SweepRow, quota_role,
    sweep, worst_first,
};
use crate::text::plural;

pub struct QuotaArgs<'a> {
    pub account: Option<&'a str>,
    pub all_accounts: bool,
    pub ou: Option<&'a str>,
    pub services: &'a [String],
    pub codes: &'a [String],
    pub all_regions: bool,
    pub json: bool,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| CliError::runtime(e.to_string()))
}

pub async fn quotas(ctx: &Ctx, args: &QuotaArgs<'_>) -> Result<u8, CliError> {
    let settings =
        AccessSettings::new(&ctx.config, ctx.cli.profile.clone(), ctx.cli.region.clone());
    // The demo has no AWS behind it: no SDK configuration to resolve.
    let base = if ctx.cli.demo {
        None
    } else {
        Some(load_sdk_config(&settings.session).await)
    };
    let session_region = base
        .as_ref()
        .and_then(|b| b.region())
        .map(|r| r.to_string())
        .or_else(|| ctx.config.region.clone())
        .unwrap_or_else(|| crate::aws::session::FALLBACK_REGION.to_string());
    let regions = match (&ctx.cli.region, args.all_regions) {
        (Some(r), _) => vec![r.clone()],
        (None, true) if !ctx.config.quotas.regions.is_empty() => ctx.config.quotas.regions.clone(),
        _ => vec![session_region.clone()],
    };
    let query = QuotaQuery {
        services: if args.services.is_empty() {
            ctx.config.quotas.services.clone()
        } else {
            args.services.to_vec()
        },
        codes: args.codes.to_vec(),
        regions,
    };
    let h = Hierarchy::new(snapshot_for_cli(ctx).await?.org);
    let accounts = chosen_accounts(ctx, &h, args)?;
    let targets = targets(ctx, &h, &accounts, partition(&session_region)).await;
    let production: ProductionIds = (targets.iter())
        .filter(|t| t.production)
        .map(|t| t.account.id.clone())
        .collect();
    let Some(base) = base else {
        let results = demo_results(&targets, &query);
        return if args.all_accounts {
            print_sweep(ctx, &results, &query, &production, args.json)
        } else {
            let first = targets
                .first()
                .ok_or_else(|| CliError::usage("no account to read"))?;
            print_one(ctx, first, &query, &results, args.json)
        };
    };
    let reader = Arc::new(QuotaReader::new(ctx.access(), base));
    if args.all_accounts {
        let query = Arc::new(query);
        let results = run_sweep(ctx, reader, targets, Arc::clone(&query)).await;
        print_sweep(ctx, &results, &query, &production, args.json)
    } else {
        one_account(ctx, &reader, &targets, &query, args.json).await
    }
}

/// ACCOUNT (confirmed like every ACCOUNT, and ACTIVE), or every ACTIVE account of `--ou`.
fn chosen_accounts(ctx: &Ctx, h: &Hierarchy, args: &QuotaArgs<'_>) -> Result<Vec<usize>, CliError> {
    match (args.account, args.all_accounts) {
        (Some(q), _) => {
            let i = choose_account(h, q, super::access_cmds::confirm_mode(ctx, true))?;
            super::access_cmds::refuse_inactive(h.account(i))?;
            Ok(vec![i])
        }
        (None, true) => {
            let top = args.ou.map_or(Ok(h.root()), |q| resolve_ou(h, q))?;
            Ok(h.accounts_under(top)
                .into_iter()
                .filter(|&i| h.account(i).status == crate::model::org::AccountStatus::Active)
                .collect())
        }
        (None, false) => Err(CliError::usage("name an ACCOUNT or pass --all-accounts")),
    }
}

/// Each account with the role its quotas are read with.
async fn targets(ctx: &Ctx, h: &Hierarchy, accounts: &[usize], part: &str) -> Vec<QuotaTarget> {
    let profiles = load_profile_roles().await;
    let history = History::load_for(ctx.cli.demo);
    accounts
        .iter()
        .map(|&i| {
            let a = h.account(i);
            let inputs = RoleInputs {
                sso_roles: h.org.sso_roles.get(&a.id).map_or(&[][..], Vec::as_slice),
                rules: &ctx.config.roles,
                profiles: &profiles,
                default_role: &ctx.config.default_role,
                partition: part,
                last_used: history.last_role(&a.id),
            };
            let options = role_options(a, h.account_path(i), &inputs);
            QuotaTarget {
                account: a.clone(),
                role: quota_role(&options, ctx.config.quotas.role.as_deref(), &a.id, part),
                production: ctx.config.production.is_production(a),
            }
        })
        .collect()
}

/// The demo organization's generated quotas, filtered like real ones.
fn demo_results(targets: &[QuotaTarget], query: &QuotaQuery) -> Vec<AccountQuotas> {
    let mut out = Vec::new();
    for t in targets {
        for region in &query.regions {
            let mut rows = demo_quotas(&t.account.id, region, &query.services);
            if !query.codes.is_empty() {
                rows.retain(|q| {
                    query
                        .codes
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(&q.quota_code))
                });
            }
            out.push(AccountQuotas {
                account_id: t.account.id.clone(),
                account_name: t.account.name.clone(),
                region: region.clone(),
                result: Ok(rows),
            });
        }
    }
    out
}

async fn one_account(
    ctx: &Ctx,
    reader: &QuotaReader,
    targets: &[QuotaTarget],
    query: &QuotaQuery,
    json_out: bool,
) -> Result<u8, CliError> {
    let Some(target) = targets.first() else {
        return Err(CliError::usage("no account to read"));
    };
    let assumed = match reader.assume(target, None).await {
        Err(AccessError::MfaRequired { serial, .. }) => {
            let code = prompt_mfa(&serial)?;
            reader.assume(target, Some(&code)).await
        }
        other => other,
    }
    .map_err(|e| CliError::runtime(e.to_string()))?;
    let results = reader.read_assumed(&assumed, query).await;
    print_one(ctx, target, query, &results, json_out)
}

fn print_one(
    ctx: &Ctx,
    target: &QuotaTarget,
    query: &QuotaQuery,
    results: &[AccountQuotas],
    json_out: bool,
) -> Result<u8, CliError> {
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| {
            r.result
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", r.region))
        })
        .collect();
    if !failed.is_empty() && failed.len() == results.len() {
        return Err(CliError::runtime(failed.join("\n")));
    }
    if only_unknown_services(query, results) {
        return Ok(warn_unmatched(query, results));
    }
    let (rows, _) = worst_first(results);
    if json_out {
        let quotas: Vec<_> = rows.iter().map(|r| &r.quota).collect();
        emit(&json(&quotas)?)?;
    } else {
        let role = target.role.as_ref().map_or("", |r| r.name.as_str());
        let look = Look::stdout();
        let production = ProductionIds::new();
        let paint = if target.production {
            Paint::Production
        } else {
            Paint::Plain
        };
        emit(&format!(
            "{} ({}) as {role} · {}\n{}",
            look.paint(&target.account.name, paint),
            target.account.id,
            query.regions.join(", "),
            table(&rows, &ctx.config.quotas, false, &production, &look)
        ))?;
    }
    for f in &failed {
        crate::note!("orgnav: {f}");
    }
    Ok(u8::from(!failed.is_empty()).max(warn_unmatched(query, results)))
}

async fn run_sweep(
    ctx: &Ctx,
    reader: Arc<QuotaReader>,
    targets: Vec<QuotaTarget>,
    query: Arc<QuotaQuery>,
) -> Vec<AccountQuotas> {
    let show_progress = std::io::stderr().is_terminal();
    let results = sweep(
        Arc::clone(&reader),
        targets,
        query,
        ctx.config.quotas.concurrency,
        |_, p| {
            if show_progress {
                progress_line(p);
            }
        },
    )
    .await;
    if show_progress {
        crate::note!();
    }
    tracing::info!(calls = ?reader.counter.by_operation(), "quota sweep done");
    results
}

fn print_sweep(
    ctx: &Ctx,
    results: &[AccountQuotas],
    query: &QuotaQuery,
    production: &ProductionIds,
    json_out: bool,
) -> Result<u8, CliError> {
    if only_unknown_services(query, results) {
        return Ok(warn_unmatched(query, results));
    }
    let (rows, failures) = worst_first(results);
    if json_out {
        let mut all: Vec<serde_json::Value> = Vec::with_capacity(rows.len() + failures.len());
        for r in &rows {
            all.push(serde_json::to_value(r).map_err(|e| CliError::runtime(e.to_string()))?);
        }
        for f in &failures {
            all.push(serde_json::to_value(f).map_err(|e| CliError::runtime(e.to_string()))?);
        }
        emit(&json(&all)?)?;
    } else {
        let known: Vec<SweepRow> = rows
            .iter()
            .filter(|r| r.quota.usage.is_some())
            .cloned()
            .collect();
        let look = Look::stdout();
        let mut text = table(&known, &ctx.config.quotas, true, production, &look);
        let hidden = rows.len() - known.len();
        if hidden > 0 {
            text.push_str(&format!(
                "({} without usage data not shown; --json lists them)\n",
                plural(hidden, "quota")
            ));
        }
        emit(&text)?;
        print_failures(results, &failures);
    }
    Ok(u8::from(!failures.is_empty()).max(warn_unmatched(query, results)))
}

fn print_failures(results: &[AccountQuotas], failures: &[crate::quotas::SweepFailure]) {
    if failures.is_empty() {
        return;
    }
    let accounts: std::collections::BTreeSet<&str> =
        results.iter().map(|r| r.account_id.as_str()).collect();
    crate::note!(
        "orgnav: {} of {} account/region reads failed ({} in all):",
        failures.len(),
        results.len(),
        plural(accounts.len(), "account")
    );
    for f in failures {
        crate::note!(
            "  {} ({}) {}: {}",
            f.account_name,
            f.account_id,
            f.region,
            f.error
        );
    }
}

/// `[########----------] 120/500 accounts · 12s`, redrawn in place.
fn progress_line(p: SweepProgress) {
    let u = (p.total > 0).then(|| p.done as f64 / p.total as f64);
    crate::note_inline!(
        "\r{} {}/{} accounts · {}s ",
        bar(u, 24),
        p.done,
        p.total,
        p.elapsed.as_secs()
    );
    let _ = std::io::stderr().flush();
}
