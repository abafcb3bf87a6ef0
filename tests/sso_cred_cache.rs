//! Identity Center role credentials cached between processes, like assumed-role ones: the
//! portal (a loopback stand-in, moto has none) counts its GetRoleCredentials requests.
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::sync::mpsc::Receiver;

use support::{Sandbox, run};

/// A sandbox signed in as `access_token` that has entered `sso-dev` once; the portal (see
/// `portal_routes`), and the request lines it served.
fn entered_once(access_token: &str) -> (Sandbox, String, Receiver<String>) {
    let s = Sandbox::new();
    let (portal, requests) = support::http::serve(support::http::portal_routes());
    signed_in(&s, access_token);
    credential_process(&s, &portal);
    (s, portal, requests)
}

/// A sandbox signed in to `[sso-session corp]` with the bearer token `access_token`.
fn signed_in(s: &Sandbox, access_token: &str) {
    support::write_sso_session_corp(s);
    s.write_config("[sso]\nmode = \"only\"\nsession = \"corp\"\n");
    sign_in_as(s, access_token);
}

fn sign_in_as(s: &Sandbox, access_token: &str) {
    let cache = orgnav::sso::token::cache_path(s.dir.path(), "corp");
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::write(
        &cache,
        format!(
            r#"{{"startUrl":"https://d-1234567890.awsapps.com/start","region":"eu-west-1",
                "accessToken":"{access_token}","expiresAt":"2099-01-01T00:00:00Z"}}"#
        ),
    )
    .unwrap();
}

fn credential_process(s: &Sandbox, portal: &str) -> serde_json::Value {
    let mut cmd = s.orgnav(None);
    cmd.env("AWS_ENDPOINT_URL_SSO", portal)
        .env("AWS_ENDPOINT_URL_SSO_OIDC", portal)
        .args(["credential-process", "123456789012", "--role", "Developer"]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn role_credential_calls(requests: &Receiver<String>) -> usize {
    requests
        .try_iter()
        .filter(|line| line.contains("/federation/credentials"))
        .count()
}

#[test]
fn two_processes_make_one_get_role_credentials() {
    let (s, portal, requests) = entered_once("alice-BEARER-TOKEN-1");
    let second = credential_process(&s, &portal);
    assert_eq!(second["AccessKeyId"], "ASIAPORTAL0000000001");
    assert_eq!(
        role_credential_calls(&requests),
        1,
        "the second process reused the cached session"
    );
    let dir = s.cache_dir().join("credentials");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&files[0].path()), 0o600);
    assert_eq!(mode(&dir), 0o700);
    let entry = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(
        !entry.contains("alice-BEARER-TOKEN-1"),
        "the bearer token itself is not kept"
    );
}

#[test]
fn another_sign_in_does_not_get_the_cached_session() {
    let (s, portal, requests) = entered_once("alice-BEARER-TOKEN-1");
    // Someone else signs in to the same start URL: their own GetRoleCredentials.
    sign_in_as(&s, "bob-BEARER-TOKEN-2");
    credential_process(&s, &portal);
    assert_eq!(role_credential_calls(&requests), 2);
}

#[test]
fn logout_forgets_identity_center_sessions_too() {
    let (s, portal, requests) = entered_once("alice-BEARER-TOKEN-1");
    let out = run(s.orgnav(None).args(["logout", "123456789012"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        "removed 123456789012 identity-center:123456789012/Developer"
    );
    credential_process(&s, &portal);
    assert_eq!(role_credential_calls(&requests), 2);
}
