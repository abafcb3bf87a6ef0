//! `ls` from the cache's stored listing (`source::listing`): the same rows, ranking and output
//! as from the snapshot, without decoding it. Used when the snapshot itself would be used as
//! it is (fresh enough, or `--offline`); anything else goes the long way.

use std::io::Write;

use super::Ctx;
use super::org_cmds::fresh_enough;
use super::output::{accounts_matching, view_table, write_json_views};
use super::table::Look;
use crate::source::listing::Listing;

/// The stored listing, when `ls` may answer from it: where `snapshot_for_cli` would take the
/// cache as it is.
pub fn usable_listing(ctx: &Ctx) -> Option<Listing> {
    if ctx.cli.demo {
        return None;
    }
    let listing = ctx.source.load_listing()?;
    let now = jiff::Timestamp::now();
    (ctx.cli.offline || fresh_enough(ctx, listing.fetched_at(), now)).then_some(listing)
}

/// `ls [QUERY] [--json]` of every account, from `listing`.
pub fn ls(ctx: &Ctx, listing: &Listing, query: &str, json: bool) -> std::io::Result<()> {
    for (name, id, why) in listing.partial_ous() {
        super::org_cmds::warn_partial_ou(name, id, why);
    }
    let accounts = if query.trim().is_empty() {
        listing.tree_order()
    } else {
        accounts_matching(listing.index(), query)
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
