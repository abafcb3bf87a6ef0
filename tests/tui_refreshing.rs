//! `[credentials] refreshing = true` reaches the navigator's `s` subshell: in a real
//! pseudo-terminal against moto, the shell finds a loopback credential endpoint instead of
//! keys, botocore gets its credentials from it, and the endpoint closes when the shell exits.
#![allow(clippy::unwrap_used)]

#[path = "support/pty.rs"]
mod pty;
mod support;

use pty::Pty;
use support::{Sandbox, python, run};

const CALLER: &str =
    "import boto3; print('CALLER=' + boto3.client('sts').get_caller_identity()['Account'])";

/// A shell that shows what it got, records the endpoint's URL, and asks STS who it is.
fn reporting_shell(s: &Sandbox) -> std::path::PathBuf {
    let shell = s.path("shell.sh");
    let script = format!(
        "#!/bin/sh\n\
         echo URI=${{AWS_CONTAINER_CREDENTIALS_FULL_URI:-none}}\n\
         echo SECRET=${{AWS_SECRET_ACCESS_KEY:-none}}\n\
         echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > '{}'\n\
         '{}' -c \"{CALLER}\" 2>'{}'\n",
        s.path("uri").display(),
        python().display(),
        s.path("python.err").display()
    );
    std::fs::write(&shell, script).unwrap();
    std::fs::set_permissions(&shell, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    shell
}

/// A sandbox with the organization cached, the reporting shell and `refreshing = true`.
fn refreshing_sandbox() -> Sandbox {
    let s = Sandbox::new();
    assert_eq!(
        run(s.orgnav(Some(&support::seeded_org().0)).arg("refresh")).code,
        0
    );
    let shell = reporting_shell(&s);
    s.write_config(&format!(
        "shell = \"{}\"\n[credentials]\nrefreshing = true\n",
        shell.display()
    ));
    s
}

/// In the navigator: find `payments-dev` and press `s`.
fn shell_in_payments_dev(p: &mut Pty) {
    p.expect("Organization");
    p.send("/payments-dev");
    p.expect("match");
    p.send("\r");
    p.send("s");
}

#[test]
fn the_subshell_reads_its_credentials_from_the_endpoint_which_stops_with_it() {
    let s = refreshing_sandbox();
    let mut p = Pty::spawn(s.orgnav(Some(&support::seeded_org().0)), true);
    shell_in_payments_dev(&mut p);
    p.expect("URI=");
    let uri = p.expect("\r\n");
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    p.expect("SECRET=none");
    let want = &support::seeded_org().1.account("payments-dev").id;
    p.expect(&format!("CALLER={want}"));
    // Back in the navigator (its full redraw), the shell and its endpoint are gone.
    p.expect("Organization");
    let recorded = std::fs::read_to_string(s.path("uri")).unwrap();
    assert_eq!(recorded.trim(), uri);
    let host = uri.trim_start_matches("http://");
    let host = &host[..host.find('/').unwrap()];
    assert!(
        std::net::TcpStream::connect(host).is_err(),
        "the endpoint outlived the subshell"
    );
    p.send("q");
    assert!(p.wait_exit(support::PTY_TIMEOUT).is_some());
}

#[test]
fn no_subshell_when_the_default_profile_would_shadow_the_endpoint() {
    let s = refreshing_sandbox();
    // AWS tools would read these before the endpoint: the shell would act as this profile.
    std::fs::create_dir_all(s.path("aws")).unwrap();
    std::fs::write(
        s.path("aws/config"),
        "[default]\ncredential_process = /bin/false\n",
    )
    .unwrap();
    let mut p = Pty::spawn(s.orgnav(Some(&support::seeded_org().0)), true);
    shell_in_payments_dev(&mut p);
    // The status bar names the setting (ratatui skips unchanged cells, spaces among them, so
    // only a single word can be looked for).
    p.expect("credential_process");
    p.send("q");
    assert!(p.wait_exit(support::PTY_TIMEOUT).is_some());
    assert!(!s.path("uri").exists(), "the shell ran");
}
