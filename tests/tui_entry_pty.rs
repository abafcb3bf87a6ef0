//! End to end in a pseudo-terminal against moto: a background refresh that reorders the
//! accounts lands while the production confirmation is open; `y` must still enter the account
//! the dialog names, as the subshell's own credentials prove.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use expectrl::{Expect, Session};
use support::delay_proxy::DelayProxy;
use support::{Sandbox, python, run};

const CALLER: &str =
    "import boto3; print('CALLER=' + boto3.client('sts').get_caller_identity()['Account'])";

fn account_order(cache: &std::path::Path) -> Vec<String> {
    let snapshot = orgnav::source::cache::parse(&std::fs::read(cache).unwrap()).unwrap();
    snapshot.org.accounts.into_iter().map(|a| a.id).collect()
}

#[test]
fn a_refresh_under_the_production_confirmation_enters_the_account_it_names() {
    let (moto, seed) = support::seeded_org();
    let proxy = DelayProxy::start(moto.port);
    let s = Sandbox::new();
    let tui = |s: &Sandbox| {
        let mut cmd = s.orgnav(Some(moto));
        cmd.env("AWS_ENDPOINT_URL", proxy.endpoint());
        cmd
    };
    assert_eq!(run(tui(&s).arg("refresh")).code, 0);

    // The cache lists the accounts in reverse and is 3 hours old: the TUI shows it, then
    // refreshes in the background and gets them in the crawl's order.
    let cache = s.cache_file(Some(&proxy.endpoint()));
    let mut snapshot = orgnav::source::cache::parse(&std::fs::read(&cache).unwrap()).unwrap();
    snapshot.org.accounts.reverse();
    let reversed: Vec<String> = snapshot.org.accounts.iter().map(|a| a.id.clone()).collect();
    snapshot.fetched_at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(3);
    std::fs::write(&cache, serde_json::to_vec(&snapshot).unwrap()).unwrap();

    let shell = s.path("shell.sh");
    let script = format!(
        "#!/bin/sh\necho ENTERED=$ORGNAV_ACCOUNT_ID\n'{}' -c \"{CALLER}\"\n",
        python().display()
    );
    std::fs::write(&shell, script).unwrap();
    std::fs::set_permissions(&shell, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    s.write_config(&format!("shell = \"{}\"\n", shell.display()));

    proxy.set_delay(Duration::from_millis(500));
    let mut p = Session::spawn(tui(&s)).unwrap();
    p.get_process_mut().set_window_size(110, 30).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    p.expect("cached 3h ago").unwrap();
    p.send("/payments-prod").unwrap();
    p.expect("match").unwrap(); // "1 match" or "N matches"
    p.send("\r").unwrap();
    p.send("s").unwrap();
    p.expect("PRODUCTION account").unwrap();
    // The refresh is still under way (else this test would prove nothing).
    assert_eq!(
        account_order(&cache),
        reversed,
        "the refresh landed before the dialog"
    );

    // The refresh has been installed once the TUI saved its result over the reversed cache.
    let deadline = Instant::now() + Duration::from_secs(60);
    while account_order(&cache) == reversed {
        assert!(
            Instant::now() < deadline,
            "the background refresh never landed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    proxy.set_delay(Duration::ZERO);
    p.send("y").unwrap();
    let want = &seed.account("payments-prod").id;
    // All twelve digits: a read can split the line, and `[0-9]+` would match a prefix.
    p.expect(expectrl::Regex("ENTERED=([0-9]{12})"))
        .map(|m| {
            let got = String::from_utf8_lossy(m.get(1).unwrap()).into_owned();
            assert_eq!(&got, want);
        })
        .unwrap();
    p.expect(format!("CALLER={want}").as_str()).unwrap();
    p.expect("Organization").unwrap();
    p.send("q").unwrap();
    p.expect(expectrl::Eof).unwrap();
}
