//! Sandboxes whose cache already holds an organization: for commands that only read it.

use orgnav::model::{Org, Snapshot};
use orgnav::source::cache::Cache;

use super::{Output, Sandbox, run};

/// A sandbox whose default-profile cache (JSON, binary twin, listing) holds `org`, crawled now.
pub fn sandbox_with(org: &Org) -> (Sandbox, Cache) {
    let s = Sandbox::new();
    let cache = Cache::for_key(&s.cache_dir(), "default");
    cache
        .store(&Snapshot::new(org.clone(), jiff::Timestamp::now()))
        .unwrap();
    (s, cache)
}

/// `org` with its first account named `name`: a name only one copy of the data holds.
pub fn renamed(org: &Org, name: &str) -> Org {
    let mut org = org.clone();
    org.accounts[0].name = name.into();
    org
}

/// `orgnav ARGS` in `s`, which must succeed.
pub fn run_ok(s: &Sandbox, args: &[&str]) -> Output {
    let out = run(s.orgnav(None).args(args));
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out
}
