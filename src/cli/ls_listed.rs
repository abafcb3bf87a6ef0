//! `ls` from the cache's stored listing (`source::listing`): the same rows, ranking and output
//! as from the snapshot, without decoding it. Used when the snapshot itself would be used as
//! it is (fresh enough, or `--offline`); anything else goes the long way.

use std::io::Write;

use super::Ctx;
use super::output::{search_index, view_table, write_json_views};
use super::table::Look;
use crate::model::Node;
use crate::search::Scope;
use crate::source::listing::Listing;

/// The stored listing, when `ls` may answer from it.
pub fn usable_listing(ctx: &Ctx) -> Option<Listing> {
    if ctx.cli.demo || (ctx.cli.refresh && !ctx.cli.offline) {
        return None;
    }
    let listing = ctx.source.load_listing()?;
    let age = jiff::Timestamp::now().as_second() - listing.fetched_at().as_second();
    let fresh = u64::try_from(age).is_ok_and(|a| a < ctx.source.cli_max_age.as_secs());
    (ctx.cli.offline || fresh).then_some(listing)
}

/// `ls [QUERY] [--json]` of every account, from `listing`.
pub fn ls(ctx: &Ctx, listing: &Listing, query: &str, json: bool) -> std::io::Result<()> {
    for (name, id, why) in listing.partial_ous() {
        super::org_cmds::warn_partial_ou(name, id, why);
    }
    let accounts = if query.trim().is_empty() {
        listing.tree_order()
    } else {
        (search_index(listing.index(), query, Scope::AccountsOnly).into_iter())
            .filter_map(|node| match node {
                Node::Account(i) => Some(i),
                Node::Ou(_) => None,
            })
            .collect()
    };
    let mut out = super::org_cmds::buffered_stdout();
    let rows = accounts.iter().map(|&i| listing.view(i));
    if json {
        write_json_views(&mut out, rows.collect())?;
    } else {
        let table = view_table(rows, Some(&ctx.config.production));
        out.write_all(table.render(&Look::stdout()).as_bytes())?;
    }
    out.flush()
}
