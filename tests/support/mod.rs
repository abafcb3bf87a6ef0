//! Test harness: a real moto server on loopback, an organization seeded through the real API,
//! and an isolated environment for running the `orgnav` binary against it.
#![allow(dead_code, clippy::unwrap_used)]

pub mod big_org;
pub mod cached;
pub mod delay_proxy;
pub mod http;
pub mod net_trap;
pub mod recorder;
pub mod refusing_port;
pub mod seed;
pub mod throttle;
pub mod throttle_proxy;
pub mod tui;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use aws_config::BehaviorVersion;
use aws_sdk_organizations::config::Credentials;

/// One moto server with the seeded organization, shared by the tests of one test binary.
/// Seeded on its own thread: the first caller may be an async test already inside a runtime.
pub fn seeded_org() -> &'static (Moto, seed::Seeded) {
    static ORG: std::sync::OnceLock<(Moto, seed::Seeded)> = std::sync::OnceLock::new();
    ORG.get_or_init(|| {
        std::thread::spawn(|| {
            let moto = Moto::start();
            let rt = tokio::runtime::Runtime::new().unwrap();
            let seeded = rt.block_on(async { seed::seed_org(&moto.organizations().await).await });
            (moto, seeded)
        })
        .join()
        .unwrap()
    })
}

/// A sandbox whose cache already holds the seeded organization (read by every later command).
pub fn refreshed_sandbox() -> Sandbox {
    let s = Sandbox::new();
    assert_eq!(run(s.orgnav(Some(&seeded_org().0)).arg("refresh")).code, 0);
    s
}

pub struct Moto {
    child: Child,
    pub port: u16,
}

/// The Python with `moto[server]`: `ORGNAV_TEST_PYTHON` (set by scripts/test), else the repo's
/// `.venv`, else `python3` from PATH.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("ORGNAV_TEST_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

impl Moto {
    pub fn start() -> Self {
        let launcher = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/moto_launcher.py");
        let mut child = Command::new(python())
            .arg(launcher)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto (run scripts/test, which installs moto[server])");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("moto launcher said {line:?}; is moto[server] installed?"));
        Self { child, port }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(self.endpoint())
            .credentials_provider(Credentials::for_tests())
            .load()
            .await
    }

    pub async fn organizations(&self) -> aws_sdk_organizations::Client {
        aws_sdk_organizations::Client::new(&self.sdk_config().await)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How long a pseudo-terminal test waits for text on the screen. A loaded 2-core machine
/// (other builds, moto, the rest of the suite) has taken over 30 s to start a shell from the
/// TUI; waits end as soon as the text is there, so a generous bound costs nothing when green.
pub const PTY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub const MOTO_ACCESS_KEY: &str = "AKIAMOTOTESTING00000";

/// An isolated HOME/XDG tree for one run of the binary.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    pub fn cache_dir(&self) -> PathBuf {
        self.path("cache/orgnav")
    }
    /// The cache file orgnav uses for the default profile at `endpoint` (with the moto test
    /// credentials), or without endpoint and credentials.
    #[allow(dead_code)]
    pub fn cache_file(&self, endpoint: Option<&str>) -> PathBuf {
        let key = orgnav::source::cache_key("default", endpoint, endpoint.map(|_| MOTO_ACCESS_KEY));
        self.cache_dir().join("orgs").join(format!("{key}.json"))
    }
    pub fn config_file(&self) -> PathBuf {
        self.path("config/orgnav/config.toml")
    }
    pub fn write_config(&self, text: &str) {
        std::fs::create_dir_all(self.config_file().parent().unwrap()).unwrap();
        std::fs::write(self.config_file(), text).unwrap();
    }
    /// `~/.aws/config` (`AWS_CONFIG_FILE`) holding `text`.
    pub fn write_aws_config(&self, text: &str) {
        std::fs::create_dir_all(self.path("aws")).unwrap();
        std::fs::write(self.path("aws/config"), text).unwrap();
    }
    /// `~/.aws/config` with a profile whose role `MfaRole` in `account_id` asks for an MFA
    /// code from `arn:aws:iam::000000000000:mfa/alice`.
    pub fn write_mfa_profile(&self, account_id: &str) {
        std::fs::create_dir_all(self.path("aws")).unwrap();
        std::fs::write(
            self.path("aws/config"),
            format!(
                "[profile dev-mfa]\nrole_arn = arn:aws:iam::{account_id}:role/MfaRole\n\
                 mfa_serial = arn:aws:iam::000000000000:mfa/alice\n"
            ),
        )
        .unwrap();
    }
    pub fn log_file(&self) -> PathBuf {
        self.path("state/orgnav/orgnav.log")
    }

    /// `orgnav` with a clean environment: no real AWS config, credentials for moto only.
    pub fn orgnav(&self, moto: Option<&Moto>) -> Command {
        self.command(env!("CARGO_BIN_EXE_orgnav"), moto)
    }

    /// Any program in the sandbox's environment (e.g. `sh -c '…orgnav…; stty -a'`).
    pub fn command(&self, program: &str, moto: Option<&Moto>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_STATE_HOME", self.path("state"))
            .env("AWS_CONFIG_FILE", self.path("aws/config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.path("aws/credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("TERM", "xterm-256color");
        if let Some(m) = moto {
            cmd.env("AWS_ENDPOINT_URL", m.endpoint())
                .env("AWS_ACCESS_KEY_ID", MOTO_ACCESS_KEY)
                .env("AWS_SECRET_ACCESS_KEY", "moto-secret-key-for-tests")
                .env("AWS_REGION", "us-east-1");
        }
        cmd
    }
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `cmd` (an `orgnav` command line for the sandbox) as `exec payments-dev` printing the
/// assumed session's secret key and session token; returns those two secrets and its stderr.
pub fn assumed_secrets(cmd: &mut Command) -> (Vec<String>, String) {
    let out = run(cmd.args([
        "exec",
        "payments-dev",
        "--",
        "sh",
        "-c",
        "echo $AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let secrets: Vec<String> = out.stdout.split_whitespace().map(String::from).collect();
    assert_eq!(secrets.len(), 2, "{}", out.stdout);
    (secrets, out.stderr)
}

/// `cmd` started with no stdin and its stdout and stderr piped to the test.
pub fn spawn_piped(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Which output a reader has already left (`… | head -c0`).
#[derive(Clone, Copy, PartialEq)]
pub enum Closed {
    Stdout,
    Stderr,
}

/// Runs `cmd` with one output already closed: whatever the program writes there meets a
/// broken pipe. The closed side reads back as "".
pub fn run_with_closed(cmd: &mut Command, closed: Closed) -> Output {
    let mut child = spawn_piped(cmd);
    match closed {
        Closed::Stdout => drop(child.stdout.take()),
        Closed::Stderr => drop(child.stderr.take()),
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The AWS config file of a sandbox naming one IAM Identity Center sign-in, `corp`.
pub fn write_sso_session_corp(s: &Sandbox) {
    std::fs::create_dir_all(s.path("aws")).unwrap();
    std::fs::write(
        s.path("aws/config"),
        "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\n\
         sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
    )
    .unwrap();
}

/// The process whose parent is `parent` (orgnav started by a shell).
pub fn child_of(parent: u32) -> i32 {
    for _ in 0..200 {
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'.
            let Some((_, after)) = stat.rsplit_once(')') else {
                continue;
            };
            let ppid = after.split_whitespace().nth(1);
            if ppid == Some(&parent.to_string()) {
                return entry.file_name().to_string_lossy().parse().unwrap();
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("no child of {parent}");
}
