//! Credentials cached between processes, against moto: AssumeRole counted by a loopback proxy
//! in front of it; file modes; staleness; `cache = "off"`; `logout`; MFA; no secret logged.
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use expectrl::{Eof, Expect, Session};
use support::delay_proxy::DelayProxy;
use support::{Sandbox, python, run};

const ROLE: &str = "OrganizationAccountAccessRole";

/// A sandbox whose organization is cached for the proxy's endpoint, and the proxy.
fn setup() -> (Sandbox, DelayProxy) {
    let (moto, _) = support::seeded_org();
    let proxy = DelayProxy::start(moto.port);
    let s = Sandbox::new();
    let out = run(orgnav(&s, &proxy).arg("refresh"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    (s, proxy)
}

/// `orgnav` in the sandbox, talking to moto through the proxy.
fn orgnav(s: &Sandbox, proxy: &DelayProxy) -> std::process::Command {
    let mut cmd = s.orgnav(Some(&support::seeded_org().0));
    cmd.env("AWS_ENDPOINT_URL", proxy.endpoint());
    cmd
}

fn account_id(name: &str) -> String {
    support::seeded_org().1.account(name).id.clone()
}

/// `credential-process` for `name`: its JSON answer.
fn credential_process(s: &Sandbox, proxy: &DelayProxy, name: &str) -> serde_json::Value {
    let out = run(orgnav(s, proxy).args(["credential-process", &account_id(name), "--role", ROLE]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "", "silent: SDKs show its stderr");
    serde_json::from_str(&out.stdout).unwrap()
}

fn entries(s: &Sandbox) -> Vec<PathBuf> {
    match std::fs::read_dir(s.cache_dir().join("credentials")) {
        // All but `keyring.lock` (no secret), which sits beside the sessions under
        // `cache = "keyring"` and after a `logout`, which clears the keyring too.
        Ok(dir) => (dir.flatten().map(|e| e.path()))
            .filter(|p| !p.ends_with("keyring.lock"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn two_aws_cli_calls_through_credential_process_make_one_assume_role() {
    let (s, proxy) = setup();
    let id = account_id("payments-dev");
    let bin = env!("CARGO_BIN_EXE_orgnav");
    std::fs::create_dir_all(s.path("aws")).unwrap();
    std::fs::write(
        s.path("aws/config"),
        format!("[profile dev]\ncredential_process = {bin} credential-process {id} --role {ROLE}\nregion = us-east-1\n"),
    )
    .unwrap();
    // botocore, as the AWS CLI runs it: each call is a new process asking orgnav.
    let script = "import boto3; print(boto3.Session(profile_name='dev').client('sts').get_caller_identity()['Account'])";
    for _ in 0..2 {
        let mut cmd = s.command(python().to_str().unwrap(), Some(&support::seeded_org().0));
        cmd.env("AWS_ENDPOINT_URL", proxy.endpoint())
            .args(["-c", script]);
        let out = run(&mut cmd);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout.trim(), id);
    }
    assert_eq!(
        proxy.assume_roles(),
        1,
        "the second call reused the cached session"
    );
    let files = entries(&s);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(&s.cache_dir().join("credentials")), 0o700);
}

#[test]
fn exec_and_env_reuse_the_session_of_credential_process() {
    let (s, proxy) = setup();
    let first = credential_process(&s, &proxy, "payments-dev");
    let out = run(orgnav(&s, &proxy).args([
        "exec",
        "payments-dev",
        "--role",
        ROLE,
        "--",
        "sh",
        "-c",
        "echo $AWS_ACCESS_KEY_ID",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), first["AccessKeyId"].as_str().unwrap());
    assert_eq!(proxy.assume_roles(), 1);
}

#[test]
fn entries_within_five_minutes_of_expiry_are_not_reused() {
    let (s, proxy) = setup();
    let first = credential_process(&s, &proxy, "payments-dev");
    let [file] = &entries(&s)[..] else {
        panic!("one entry")
    };
    let mut entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(240);
    entry["Expiration"] = soon.strftime("%Y-%m-%dT%H:%M:%SZ").to_string().into();
    std::fs::write(file, entry.to_string()).unwrap();
    let second = credential_process(&s, &proxy, "payments-dev");
    assert_eq!(
        proxy.assume_roles(),
        2,
        "a stale entry made a new AssumeRole"
    );
    assert_ne!(first["AccessKeyId"], second["AccessKeyId"]);
    let third = credential_process(&s, &proxy, "payments-dev");
    assert_eq!(
        third["AccessKeyId"], second["AccessKeyId"],
        "the new session is cached"
    );
    assert_eq!(proxy.assume_roles(), 2);
}

#[test]
fn cache_off_assumes_every_time_and_writes_nothing() {
    let (s, proxy) = setup();
    s.write_config("[credentials]\ncache = \"off\"\n");
    credential_process(&s, &proxy, "payments-dev");
    credential_process(&s, &proxy, "payments-dev");
    assert_eq!(proxy.assume_roles(), 2);
    assert!(entries(&s).is_empty());
}

#[test]
fn an_unknown_cache_setting_is_a_usage_error_naming_file_line_and_key() {
    let s = Sandbox::new();
    s.write_config("region = \"us-east-1\"\n[credentials]\ncache = \"sometimes\"\n");
    let out = run(s.orgnav(None).args(["logout"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("line 3"), "{}", out.stderr);
    assert!(out.stderr.contains("credentials.cache"), "{}", out.stderr);
}

/// `logout payments-dev`, which says it removed that account's one session.
fn logout_payments_dev(s: &Sandbox, proxy: &DelayProxy) {
    let out = run(orgnav(s, proxy).args(["logout", "payments-dev"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dev = account_id("payments-dev");
    assert_eq!(
        out.stdout.trim(),
        format!("removed {dev} arn:aws:iam::{dev}:role/{ROLE}")
    );
}

#[test]
fn logout_removes_one_account_or_all_and_says_what() {
    let (s, proxy) = setup();
    credential_process(&s, &proxy, "payments-dev");
    credential_process(&s, &proxy, "payments-prod");
    assert_eq!(entries(&s).len(), 2);
    logout_payments_dev(&s, &proxy);
    assert_eq!(entries(&s).len(), 1);
    credential_process(&s, &proxy, "payments-dev");
    assert_eq!(
        proxy.assume_roles(),
        3,
        "after logout the account is assumed again"
    );
    let out = run(orgnav(&s, &proxy).arg("logout"));
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    assert!(entries(&s).is_empty());
    let out = run(orgnav(&s, &proxy).arg("logout"));
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    assert!(
        out.stderr.contains("no cached credentials"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_mfa_session_is_cached_so_the_second_command_does_not_ask() {
    let (s, proxy) = setup();
    let id = account_id("payments-dev");
    s.write_mfa_profile(&id);
    let bin = env!("CARGO_BIN_EXE_orgnav");
    let enter =
        format!("'{bin}' exec payments-dev --role MfaRole -- sh -c 'echo ENTERED=$ORGNAV_ROLE'");
    let mut cmd = s.command("sh", Some(&support::seeded_org().0));
    cmd.env("AWS_ENDPOINT_URL", proxy.endpoint())
        .args(["-c", &format!("{enter}; {enter}; echo DONE")]);
    let mut p = Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    p.expect("MFA code for").unwrap();
    p.send("493817\r").unwrap();
    let rest = p.expect(Eof).unwrap();
    let rest: String = std::iter::once(rest.before())
        .chain(rest.matches())
        .map(String::from_utf8_lossy)
        .collect();
    assert_eq!(rest.matches("ENTERED=MfaRole").count(), 2, "{rest}");
    assert!(rest.contains("DONE"), "{rest}");
    assert!(!rest.contains("MFA code"), "asked a second time: {rest}");
    assert_eq!(proxy.assume_roles(), 1);
}

/// Makes the kernel refuse keyutils to the command (`add_key`, `request_key`, `keyctl` fail
/// with ENOSYS), as a container's seccomp profile may: no keyring answers it.
fn without_keyutils(cmd: &mut std::process::Command) -> &mut std::process::Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec only two prctl calls, on memory owned by the closure.
    unsafe { cmd.pre_exec(block_keyutils) }
}

fn block_keyutils() -> std::io::Result<()> {
    use libc::{BPF_ABS, BPF_JEQ, BPF_JMP, BPF_K, BPF_LD, BPF_RET, BPF_W};
    let op = |code: u32, jt: u8, jf: u8, k: u32| libc::sock_filter {
        code: code as u16,
        jt,
        jf,
        k,
    };
    let refuse = libc::SECCOMP_RET_ERRNO | libc::ENOSYS as u32;
    let filter = [
        op(BPF_LD | BPF_W | BPF_ABS, 0, 0, 0), // the syscall number
        op(BPF_JMP | BPF_JEQ | BPF_K, 3, 0, libc::SYS_add_key as u32),
        op(
            BPF_JMP | BPF_JEQ | BPF_K,
            2,
            0,
            libc::SYS_request_key as u32,
        ),
        op(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, libc::SYS_keyctl as u32),
        op(BPF_RET | BPF_K, 0, 0, libc::SECCOMP_RET_ALLOW),
        op(BPF_RET | BPF_K, 0, 0, refuse),
    ];
    let program = libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_ptr().cast_mut(),
    };
    // SAFETY: plain prctl calls; `program` outlives the second one.
    let ok = unsafe {
        libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
            && libc::prctl(
                libc::PR_SET_SECCOMP,
                libc::SECCOMP_MODE_FILTER,
                &program as *const libc::sock_fprog,
            ) == 0
    };
    if ok {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[test]
fn keyring_keeps_sessions_out_of_files_and_logout_clears_it() {
    if !kernel_keyrings_answer() {
        // A container whose seccomp profile refuses keyctl (Docker's default) has no keyring:
        // the fallback test below covers that case.
        eprintln!("kernel keyrings refused here: the keyring round trip is not exercised");
        return;
    }
    let (s, proxy) = setup();
    s.write_config("[credentials]\ncache = \"keyring\"\n");
    let first = credential_process(&s, &proxy, "payments-dev");
    let second = credential_process(&s, &proxy, "payments-dev");
    assert_eq!(second["AccessKeyId"], first["AccessKeyId"]);
    assert_eq!(proxy.assume_roles(), 1, "the second run read the keyring");
    assert!(entries(&s).is_empty(), "no file: {:?}", entries(&s));
    let secret = first["SecretAccessKey"].as_str().unwrap();
    let out = run(std::process::Command::new("grep")
        .args(["-rl", secret])
        .arg(s.dir.path()));
    assert_eq!(out.stdout, "", "the secret key is in a file");

    logout_payments_dev(&s, &proxy);
    credential_process(&s, &proxy, "payments-dev");
    assert_eq!(
        proxy.assume_roles(),
        2,
        "after logout the account is assumed again"
    );
    assert_eq!(
        run(orgnav(&s, &proxy).arg("logout")).stdout.lines().count(),
        1
    );
}

#[test]
fn without_a_keyring_the_file_cache_is_used_and_said_once_except_to_sdks() {
    let (s, proxy) = setup();
    s.write_config("[credentials]\ncache = \"keyring\"\n");
    let id = account_id("payments-dev");
    let out = run(without_keyutils(&mut orgnav(&s, &proxy)).args([
        "credential-process",
        &id,
        "--role",
        ROLE,
    ]));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "silent to SDKs");
    let first: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let out = run(without_keyutils(&mut orgnav(&s, &proxy)).args([
        "env",
        "payments-dev",
        "--role",
        ROLE,
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("no keyring").count(),
        1,
        "{}",
        out.stderr
    );
    let key = first["AccessKeyId"].as_str().unwrap();
    assert!(out.stdout.contains(key), "env reused the cached session");
    assert_eq!(proxy.assume_roles(), 1);
    assert_eq!(entries(&s).len(), 1);
}

#[test]
fn a_cached_session_takes_the_region_of_this_run() {
    let (s, proxy) = setup();
    credential_process(&s, &proxy, "payments-dev");
    let out = run(orgnav(&s, &proxy).args([
        "--region",
        "eu-west-1",
        "env",
        "payments-dev",
        "--role",
        ROLE,
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("AWS_REGION='eu-west-1'"),
        "{}",
        out.stdout
    );
    assert_eq!(proxy.assume_roles(), 1, "the session came from the cache");
}

/// Whether this process may use the kernel's key management (the Linux keyring backend).
fn kernel_keyrings_answer() -> bool {
    const KEYCTL_GET_KEYRING_ID: libc::c_long = 0;
    const KEY_SPEC_SESSION_KEYRING: libc::c_long = -3;
    // SAFETY: keyctl(GET_KEYRING_ID) only reads (or creates) this process's session keyring.
    unsafe {
        libc::syscall(
            libc::SYS_keyctl,
            KEYCTL_GET_KEYRING_ID,
            KEY_SPEC_SESSION_KEYRING,
            1 as libc::c_long,
        ) >= 0
    }
}

/// Sessions written to and read back from the cache — files, then the keyring where the
/// kernel allows one — leave no secret in the trace log (the reads and writes are logged; the
/// credentials never).
#[test]
fn the_trace_log_of_cached_sessions_holds_no_secret() {
    let (s, proxy) = setup();
    let mut secrets = Vec::new();
    let caches = if kernel_keyrings_answer() {
        &["file", "keyring"][..]
    } else {
        &["file"][..]
    };
    for (pass, cache) in caches.iter().enumerate() {
        s.write_config(&format!("[credentials]\ncache = \"{cache}\"\n"));
        for _ in 0..2 {
            let out = run(orgnav(&s, &proxy).env("ORGNAV_LOG", "trace").args([
                "credential-process",
                &account_id("payments-dev"),
                "--role",
                ROLE,
            ]));
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert!(out.stderr.is_empty(), "{}", out.stderr);
            let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
            for key in ["SecretAccessKey", "SessionToken"] {
                secrets.push(v[key].as_str().unwrap().to_string());
            }
        }
        let log = std::fs::read_to_string(s.log_file()).unwrap();
        assert_eq!(
            log.matches("credentials from the cache").count(),
            pass + 1,
            "{cache}: the second run read the cache"
        );
    }
    let log = std::fs::read_to_string(s.log_file()).unwrap();
    assert!(log.contains("TRACE"), "traced: {log}");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "a secret is in the trace log"
        );
    }
    run(orgnav(&s, &proxy).arg("logout"));
}
