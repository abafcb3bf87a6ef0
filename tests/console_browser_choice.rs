//! The console in the configured browser: a fake browser (a script) records its arguments and
//! environment, the test follows the link as a browser would. The sign-in token never shows
//! in either; the template is applied; a Firefox container gets the `ext+container:` address
//! of the one-shot hand-off, which answers only this user's processes.
#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use orgnav::access::browser::command::{BrowserChoice, BrowserCommand};
use orgnav::access::browser::open_secret_url_in;
use orgnav::access::console_links::Container;
use secrecy::SecretString;

const TOKEN: &str = "SECRET-SIGNIN-TOKEN";
const LINK: &str =
    "https://signin.aws.amazon.com/federation?Action=login&SigninToken=SECRET-SIGNIN-TOKEN";

/// A "browser" that writes each argument on a line to `argv`, its environment to `env`.
fn fake_browser(dir: &Path) -> PathBuf {
    let script = dir.join("fake-browser");
    let body = format!(
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > {0}/argv.tmp\nenv > {0}/env\nmv {0}/argv.tmp {0}/argv\n",
        dir.display()
    );
    std::fs::write(&script, body).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// The recorded arguments, once the fake browser has run.
async fn recorded(dir: &Path) -> Vec<String> {
    for _ in 0..200 {
        if let Ok(text) = std::fs::read_to_string(dir.join("argv")) {
            return text.lines().map(str::to_string).collect();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the fake browser never ran");
}

/// What the one-shot address answers: the status line and the `Location`, if any.
async fn follow(url: &str) -> (u16, Option<String>) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client.get(url).send().await.unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (r.status().as_u16(), location)
}

fn assert_no_token(dir: &Path, argv: &[String]) {
    for a in argv {
        assert!(!a.contains(TOKEN) && !a.contains("SigninToken"), "{a}");
    }
    let env = std::fs::read_to_string(dir.join("env")).unwrap();
    assert!(
        !env.contains(TOKEN),
        "the token is in the browser's environment"
    );
}

#[tokio::test]
async fn a_browser_template_gets_the_private_page_never_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let browser = fake_browser(dir.path());
    let template = format!(
        "'{}' -P \"work profile\" --new-tab={{url}}",
        browser.display()
    );
    let choice = BrowserChoice {
        command: Some(BrowserCommand::parse(&template).unwrap()),
        container: None,
    };
    let open =
        tokio::spawn(async move { open_secret_url_in(SecretString::from(LINK), &choice).await });
    let argv = recorded(dir.path()).await;
    assert_no_token(dir.path(), &argv);
    assert_eq!(argv[..2], ["-P", "work profile"]);
    let page = argv[2].strip_prefix("--new-tab=file://").expect("the page");
    let page = std::fs::read_to_string(page).unwrap();
    assert!(!page.contains(TOKEN));
    let start = page.find("url=http://127.0.0.1:").unwrap() + 4;
    let one_shot = &page[start..start + page[start..].find('"').unwrap()];
    assert_eq!(follow(one_shot).await, (302, Some(LINK.to_string())));
    tokio::time::timeout(Duration::from_secs(10), open)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

// Several threads: `curl` as another user is waited for while the hand-off answers it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_container_gets_the_one_shot_address_in_ext_container() {
    let dir = tempfile::tempdir().unwrap();
    let browser = fake_browser(dir.path());
    let choice = BrowserChoice {
        command: Some(BrowserCommand::parse(&format!("{} {{url}}", browser.display())).unwrap()),
        container: Some(Container::for_account("payments prod".into(), true)),
    };
    let open =
        tokio::spawn(async move { open_secret_url_in(SecretString::from(LINK), &choice).await });
    let argv = recorded(dir.path()).await;
    assert_no_token(dir.path(), &argv);
    assert_eq!(argv.len(), 1, "{argv:?}");
    let ext = argv[0]
        .strip_prefix("ext+container:name=payments%20prod&url=")
        .expect("an ext+container address");
    let (encoded, rest) = ext.split_once('&').unwrap();
    assert_eq!(rest, "color=red&icon=briefcase");
    let one_shot = percent_decode(encoded);
    assert!(one_shot.starts_with("http://127.0.0.1:"), "{one_shot}");

    // Another local user who reads the arguments and races the browser gets nothing.
    if unsafe { libc::getuid() } == 0 {
        assert_eq!(as_nobody(&one_shot), "404");
    }
    assert_eq!(follow(&one_shot).await, (302, Some(LINK.to_string())));
    tokio::time::timeout(Duration::from_secs(10), open)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

fn percent_decode(s: &str) -> String {
    let url = reqwest::Url::parse(&format!("http://x/?v={s}")).unwrap();
    url.query_pairs().next().unwrap().1.into_owned()
}

/// The status `curl` gets for `url` when run as user `nobody` (65534).
fn as_nobody(url: &str) -> String {
    use std::os::unix::process::CommandExt;
    let out = std::process::Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", url])
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}
