//! `orgnav logout [ACCOUNT]`: forgets the credentials cached between runs.

use super::org_cmds::snapshot_for_cli;
use super::{CliError, Ctx};
use crate::access::cred_cache::CredentialCache;
use crate::model::Hierarchy;

/// The account's ID: a 12-digit ID as given (no organization needed), else resolved like
/// every other ACCOUNT argument.
async fn account_id(ctx: &Ctx, account: &str) -> Result<String, CliError> {
    if crate::model::org::is_account_id(account) {
        return Ok(account.to_string());
    }
    let snapshot = snapshot_for_cli(ctx).await?;
    let h = Hierarchy::new(snapshot.org);
    let confirm = super::access_cmds::confirm_mode(ctx, true);
    let a = h.account(super::target::choose_account(&h, account, confirm)?);
    Ok(a.id.clone())
}

/// Removes every cached session, or one account's; one line per session removed.
pub async fn logout(ctx: &Ctx, account: Option<&str>) -> Result<u8, CliError> {
    let id = match account {
        Some(a) => Some(account_id(ctx, a).await?),
        None => None,
    };
    let Some(cache) = CredentialCache::for_logout() else {
        crate::note!("orgnav: no cached credentials (no cache directory)");
        return Ok(0);
    };
    let removed = cache.remove(id.as_deref()).map_err(|e| {
        CliError::runtime(format!(
            "cannot remove cached credentials in {}: {e}",
            cache.dir().display()
        ))
    })?;
    let mut out = String::new();
    for r in &removed {
        out += &format!("removed {} {}\n", r.account_id, r.role_arn);
    }
    super::output::emit(&out)?;
    let whose = id.map_or_else(String::new, |id| format!(" for {id}"));
    match removed.len() {
        0 => crate::note!("orgnav: no cached credentials{whose}"),
        n => crate::note!("orgnav: removed {n} cached session(s){whose}"),
    }
    Ok(0)
}
