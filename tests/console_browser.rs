//! The console hand-off when no browser takes the sign-in link: after the patience runs out
//! (or at once, when no browser can be started) the link is handed back to be offered another
//! way, while the hand-off goes on. `BROWSER` points at a "browser" that never opens anything.
//! One test in this binary: it sets `BROWSER` for the process.
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use orgnav::access::browser::command::BrowserChoice;
use orgnav::access::browser::open_secret_url_watched_in;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::oneshot;

const LINK: &str = "https://signin.aws.amazon.com/federation?Action=login&SigninToken=SECRET";

async fn watch(patience: Duration) -> (Option<(String, String)>, Option<Result<(), String>>) {
    let (tx, rx) = oneshot::channel();
    let choice = BrowserChoice::default();
    let open = async move {
        open_secret_url_watched_in(
            SecretString::from(LINK),
            &choice,
            patience,
            move |link, why| {
                let _ = tx.send((link.expose_secret().to_string(), why));
            },
        )
        .await
    };
    let handle = tokio::spawn(open);
    let stuck = tokio::time::timeout(Duration::from_secs(30), rx)
        .await
        .ok()
        .and_then(Result::ok);
    // The hand-off itself goes on after the link was handed back; stop it here.
    let finished = if handle.is_finished() {
        Some(handle.await.unwrap())
    } else {
        handle.abort();
        None
    };
    (stuck, finished)
}

#[tokio::test]
async fn a_browser_that_never_comes_hands_the_link_back() {
    let dir = tempfile::tempdir().unwrap();
    let slow = dir.path().join("slow-browser");
    std::fs::write(&slow, "#!/bin/sh\nsleep 30\n").unwrap();
    std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).unwrap();
    // SAFETY: the only test of this binary; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var("BROWSER", &slow) };
    let (stuck, finished) = watch(Duration::from_millis(300)).await;
    assert_link_back(stuck, "no browser has opened");
    assert!(finished.is_none(), "the hand-off was still waiting");

    // No browser at all: the link comes back at once, with the reason.
    let missing = dir.path().join("no-such-browser");
    // SAFETY: as above.
    unsafe { std::env::set_var("BROWSER", &missing) };
    let (stuck, _) = watch(Duration::from_secs(60)).await;
    assert_link_back(stuck, "cannot start a browser");
}

/// The link came back whole, with a reason that says `why` and holds no part of the link.
fn assert_link_back(stuck: Option<(String, String)>, why: &str) {
    let (link, reason) = stuck.expect("the link came back");
    assert_eq!(link, LINK);
    assert!(
        reason.contains(why) && !reason.contains("SECRET"),
        "{reason}"
    );
}
