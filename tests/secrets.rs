//! Secrets stay secret with real traffic: the trace log of AWS and Identity Center calls, the
//! console hand-off to the browser, and the CLI's MFA prompt in a real terminal.
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Session};
use support::{Sandbox, python, run};

fn session_json(token: &str) -> String {
    format!("{{\"SigninToken\":\"{token}\"}}")
}

/// Trace everything, make the SDK dump even the bodies it marks sensitive, and use base
/// credentials with a session token (sent as `x-amz-security-token` on every call).
fn traced(cmd: &mut Command) -> &mut Command {
    cmd.env("ORGNAV_LOG", "trace")
        .env("LOG_SENSITIVE_BODIES", "true")
        .env("AWS_SESSION_TOKEN", "base-SESSION-TOKEN-0001")
}

/// The secret parts of the `Session` a getSigninToken request line carries.
fn federation_session_secrets(request_line: &str) -> Vec<String> {
    let path = request_line.split_whitespace().nth(1).unwrap();
    let url = reqwest::Url::parse(&format!("http://federation{path}")).unwrap();
    let (_, session) = url.query_pairs().find(|(k, _)| k == "Session").unwrap();
    let session: serde_json::Value = serde_json::from_str(&session).unwrap();
    let secrets: Vec<String> = ["sessionKey", "sessionToken"]
        .iter()
        .map(|k| session[k].as_str().unwrap().to_string())
        .collect();
    assert!(secrets.iter().all(|v| v.len() > 8), "{secrets:?}");
    secrets
}

/// STS AssumeRole on moto and the console's federation call, traced. Returns the secrets.
fn traced_assume_and_console(s: &Sandbox) -> Vec<String> {
    let moto = &support::seeded_org().0;
    assert_eq!(
        run(traced(&mut s.orgnav(Some(moto))).arg("refresh")).code,
        0
    );
    let (mut secrets, _) = support::assumed_secrets(traced(&mut s.orgnav(Some(moto))));
    let (federation, requests) = support::http::serve(vec![(
        "GET",
        "/federation",
        session_json("tok-SECRET-LOG-1"),
    )]);
    let mut cmd = s.orgnav(Some(moto));
    traced(&mut cmd).env("ORGNAV_FEDERATION_URL", format!("{federation}/federation"));
    let console = run(cmd.args(["console", "payments-dev", "--print"]));
    assert_eq!(console.code, 0, "{}", console.stderr);
    // The console's own assumed session (a fresh AssumeRole) went to the federation endpoint:
    // its keys are secrets too.
    secrets.extend(federation_session_secrets(&requests.recv().unwrap()));
    secrets.extend(["tok-SECRET-LOG-1".into(), "base-SESSION-TOKEN-0001".into()]);
    secrets.push("moto-secret-key-for-tests".into());
    secrets
}

/// An Identity Center sign-in whose cached token has expired: orgnav refreshes it (OIDC
/// CreateToken with the client secret and refresh token), lists the portal's accounts and
/// gets role credentials with the bearer token.
fn traced_identity_center(s: &Sandbox) -> Vec<String> {
    let token = (
        "POST",
        "/token",
        r#"{"accessToken":"fresh-BEARER-TOKEN-2","tokenType":"Bearer","expiresIn":3600,"refreshToken":"fresh-REFRESH-TOKEN-2"}"#.into(),
    );
    let routes = std::iter::once(token).chain(support::http::portal_routes());
    let (portal, _) = support::http::serve(routes.collect());
    support::write_sso_session_corp(s);
    s.write_config("[sso]\nmode = \"only\"\nsession = \"corp\"\n");
    let cache = orgnav::sso::token::cache_path(s.dir.path(), "corp");
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::write(
        &cache,
        r#"{"startUrl":"https://d-1234567890.awsapps.com/start","region":"eu-west-1",
            "accessToken":"stale-BEARER-TOKEN-1","expiresAt":"2020-01-01T00:00:00Z",
            "clientId":"client-1","clientSecret":"oidc-CLIENT-SECRET-1",
            "registrationExpiresAt":"2099-01-01T00:00:00Z","refreshToken":"oidc-REFRESH-TOKEN-1"}"#,
    )
    .unwrap();
    let mut cmd = s.orgnav(None);
    traced(&mut cmd)
        .env("AWS_ENDPOINT_URL_SSO", &portal)
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &portal);
    let out = run(cmd.args(["env", "sso-dev"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("portal-SECRET-KEY-3"), "{}", out.stdout);
    [
        "stale-BEARER-TOKEN-1",
        "oidc-CLIENT-SECRET-1",
        "oidc-REFRESH-TOKEN-1",
        "fresh-BEARER-TOKEN-2",
        "fresh-REFRESH-TOKEN-2",
        "portal-SECRET-KEY-3",
        "portal-SESSION-TOKEN-3",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn trace_logs_of_real_traffic_hold_no_secret() {
    let aws = Sandbox::new();
    let mut secrets = traced_assume_and_console(&aws);
    let sso = Sandbox::new();
    secrets.extend(traced_identity_center(&sso));
    let log = std::fs::read_to_string(aws.log_file()).unwrap()
        + &std::fs::read_to_string(sso.log_file()).unwrap();
    // The dumps are there (so a leak would be seen), with their values taken out.
    for dumped in [
        "x-amz-security-token",
        "x-amz-sso_bearer_token",
        "SecretAccessKey",
        "secretAccessKey",
        "refreshToken",
    ] {
        assert!(log.contains(dumped), "the trace log has no `{dumped}`");
    }
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "`{secret}` is in the log");
    }
}

/// A stand-in browser: records its argv, the mode of the file it is given and of that file's
/// directory, then follows the page's redirect while holding a second connection open that
/// never sends a byte (a local user stalling the hand-off).
fn stand_in_browser(s: &Sandbox) -> (String, std::path::PathBuf) {
    let record = s.path("browser.txt");
    let script = s.path("browser.py");
    let lines = [
        "import sys, os, re, socket, http.client, urllib.parse",
        "arg = sys.argv[1]",
        "path = urllib.parse.unquote(urllib.parse.urlparse(arg).path) if arg.startswith('file:') else arg",
        "mode = oct(os.stat(path).st_mode & 0o777) + ' ' + oct(os.stat(os.path.dirname(path)).st_mode & 0o777)",
        "page = open(path).read()",
        "m = re.search(r'url=http://127\\.0\\.0\\.1:(\\d+)(/[^\"\\'>;]*)', page)",
        "stall = socket.create_connection(('127.0.0.1', int(m.group(1))))",
        "c = http.client.HTTPConnection('127.0.0.1', int(m.group(1)))",
        "c.request('GET', m.group(2))",
        "r = c.getresponse()",
        "rec = [repr(sys.argv), path, mode, str(r.status), r.getheader('Location', '')]",
        &format!(
            "open({:?}, 'w').write(chr(10).join(rec) + chr(10))",
            record.display().to_string()
        ),
    ];
    std::fs::write(&script, lines.join("\n")).unwrap();
    (
        format!("{} {} %s", python().display(), script.display()),
        record,
    )
}

#[test]
fn console_hand_off_keeps_the_sign_in_token_out_of_argv() {
    let moto = &support::seeded_org().0;
    let s = Sandbox::new();
    assert_eq!(run(s.orgnav(Some(moto)).arg("refresh")).code, 0);
    let runtime = s.path("run");
    std::fs::create_dir(&runtime).unwrap();
    std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    let (federation, _) =
        support::http::serve(vec![("GET", "/federation", session_json("tok-SECRET-789"))]);
    let (browser, record) = stand_in_browser(&s);
    let mut cmd = s.orgnav(Some(moto));
    cmd.env("ORGNAV_FEDERATION_URL", format!("{federation}/federation"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("BROWSER", browser);
    let out = run(cmd.args(["console", "payments-dev"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // orgnav returns once the browser followed the redirect; the stand-in writes right after.
    let mut text = String::new();
    for _ in 0..100 {
        text = std::fs::read_to_string(&record).unwrap_or_default();
        if text.lines().count() >= 5 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let lines: Vec<&str> = text.lines().collect();
    let [argv, page, modes, status, location] = lines[..] else {
        panic!("the browser ran to the end: {text:?}");
    };
    assert!(
        !argv.contains("tok-SECRET-789") && !argv.contains("http"),
        "argv: {argv}"
    );
    assert!(Path::new(page).starts_with(&runtime), "{page}");
    assert_eq!(modes, "0o600 0o700");
    assert_eq!(status, "302");
    assert!(
        location.contains("SigninToken=tok-SECRET-789"),
        "{location}"
    );
    assert!(!Path::new(page).exists(), "the page is removed after use");
    assert!(!Path::new(page).parent().unwrap().exists());
    assert!(!out.stderr.contains("tok-SECRET-789"));
}

/// A sandbox with the organization cached and a `[profile]` whose role asks for an MFA code.
fn mfa_sandbox() -> Sandbox {
    let (moto, seed) = support::seeded_org();
    let s = Sandbox::new();
    assert_eq!(run(s.orgnav(Some(moto)).arg("refresh")).code, 0);
    s.write_mfa_profile(&seed.account("payments-dev").id);
    s
}

/// `orgnav exec … --role MfaRole` in a pseudo-terminal that echoes what is typed (as a
/// user's terminal does), then `stty -a`. The trap keeps the shell alive through a Ctrl-C.
fn mfa_session(s: &Sandbox) -> OsSession {
    let script = format!(
        "trap 'echo INTERRUPTED' INT; stty echo; '{}' exec payments-dev --role MfaRole -- sh -c 'echo ENTERED=$ORGNAV_ROLE'; echo EXIT=$?; stty -a",
        env!("CARGO_BIN_EXE_orgnav")
    );
    let mut cmd = s.command("sh", Some(&support::seeded_org().0));
    cmd.args(["-c", &script]);
    let mut p = Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    p
}

fn rest_of(p: &mut OsSession) -> String {
    let rest = p.expect(Eof).unwrap();
    std::iter::once(rest.before())
        .chain(rest.matches())
        .map(String::from_utf8_lossy)
        .collect()
}

fn echo_is_on(stty: &str) -> bool {
    stty.split_whitespace().any(|w| w == "echo")
}

#[test]
fn the_mfa_code_is_not_echoed() {
    let s = mfa_sandbox();
    let mut p = mfa_session(&s);
    let prompt = p
        .expect("MFA code for arn:aws:iam::000000000000:mfa/alice")
        .unwrap();
    let mut seen = String::from_utf8_lossy(prompt.before()).into_owned();
    p.send("493817\r").unwrap();
    let entered = p.expect("ENTERED=MfaRole").unwrap();
    seen += &String::from_utf8_lossy(entered.before());
    let rest = rest_of(&mut p);
    assert!(rest.contains("EXIT=0"), "{rest}");
    assert!(!seen.contains("493817"), "the code was echoed: {seen:?}");
    assert!(echo_is_on(&rest), "echo is back on: {rest}");
}

#[test]
fn a_signal_at_the_mfa_prompt_restores_echo_before_orgnav_ends() {
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let s = mfa_sandbox();
        let mut p = mfa_session(&s);
        p.expect("MFA code for").unwrap();
        let orgnav = support::child_of(p.get_process().pid().as_raw() as u32);
        // SAFETY: signals only the orgnav this test started.
        assert_eq!(unsafe { libc::kill(orgnav, signal) }, 0);
        let rest = rest_of(&mut p);
        assert!(!rest.contains("ENTERED="), "{rest}");
        assert!(rest.contains(&format!("EXIT={}", 128 + signal)), "{rest}");
        assert!(
            echo_is_on(&rest),
            "echo is back on after signal {signal}: {rest}"
        );
    }
}

#[test]
fn ctrl_c_at_the_mfa_prompt_cancels_and_restores_echo() {
    let s = mfa_sandbox();
    let mut p = mfa_session(&s);
    p.expect("MFA code for").unwrap();
    p.send("12\x03").unwrap();
    let rest = rest_of(&mut p);
    assert!(!rest.contains("ENTERED="), "{rest}");
    assert!(!rest.contains("EXIT=0"), "{rest}");
    assert!(echo_is_on(&rest), "echo is back on: {rest}");
}
