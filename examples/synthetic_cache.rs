//! Writes a synthetic organization as the cache of the default profile, as a crawl would
//! (through `Cache::store`), for `scripts/measure-whole-process`:
//!
//!     cargo run --release --example synthetic_cache -- ACCOUNTS OUS CACHE_DIR
//!
//! CACHE_DIR is orgnav's cache directory (`$XDG_CACHE_HOME/orgnav`).

use orgnav::model::{Snapshot, synthetic};
use orgnav::source::cache::Cache;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [accounts, ous, dir] = args.as_slice() else {
        return Err("usage: synthetic_cache ACCOUNTS OUS CACHE_DIR".into());
    };
    let number = |s: &str| s.parse::<usize>().map_err(|e| format!("{s}: {e}"));
    let org = synthetic::org(number(accounts)?, number(ous)?);
    let cache = Cache::for_key(std::path::Path::new(dir), "default");
    cache
        .store(&Snapshot::new(org, jiff::Timestamp::now()))
        .map_err(|e| format!("{}: {e}", cache.path().display()))?;
    println!("{}", cache.path().display());
    Ok(())
}
