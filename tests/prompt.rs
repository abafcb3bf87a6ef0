//! `orgnav prompt`: the shell-prompt segment, answered from the `ORGNAV_*` variables alone —
//! no HOME, config, logging or AWS — and allowed inside the orgnav shell it describes.
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Command;

use support::{Output, Sandbox, run};

/// Seconds since the epoch, as the binary sees them.
fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// `orgnav ARGS` with nothing in its environment but `vars`: no HOME, no PATH, no XDG.
fn orgnav_with(vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orgnav"));
    cmd.env_clear().envs(vars.iter().copied()).args(args);
    run(&mut cmd)
}

/// `orgnav prompt ARGS` with nothing in its environment but `vars`.
fn prompt(vars: &[(&str, &str)], args: &[&str]) -> Output {
    orgnav_with(vars, &[&["prompt"][..], args].concat())
}

/// The variables of a shell in `name` as `role`, expiring `left` seconds from now. 30 seconds
/// past the minute keep the minutes whole however long the binary takes to start.
fn shell_vars(name: &str, env: &str, left: i64) -> Vec<(&'static str, String)> {
    vec![
        ("ORGNAV_ACCOUNT_ID", "111111111111".to_string()),
        ("ORGNAV_ACCOUNT_NAME", name.to_string()),
        ("ORGNAV_ROLE", "Admin".to_string()),
        ("ORGNAV_ENV", env.to_string()),
        ("ORGNAV_EXPIRES_AT", (now() + left).to_string()),
    ]
}

fn refs<'a>(vars: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    vars.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[test]
fn plain_names_account_role_and_minutes_left() {
    let vars = shell_vars("payments-dev", "nonprod", 42 * 60 + 30);
    let out = prompt(&refs(&vars), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "payments-dev · Admin · 42m\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn production_says_prod_and_is_red_only_when_colour_is_allowed() {
    let vars = shell_vars("payments-prod", "prod", 42 * 60 + 30);
    let text = "payments-prod · Admin · PROD · 42m";
    let mut vars = refs(&vars);
    // Captured by `$(…)`, stdout is no terminal: no colour unless asked.
    assert_eq!(prompt(&vars, &[]).stdout, format!("{text}\n"));
    assert_eq!(
        prompt(&vars, &["--color", "always"]).stdout,
        format!("\x1b[1;31m{text}\x1b[0m\n")
    );
    assert_eq!(
        prompt(&vars, &["--format", "starship", "--color", "always"]).stdout,
        format!("{text}\n"),
        "starship colours its modules itself"
    );
    vars.push(("NO_COLOR", "1"));
    assert_eq!(
        prompt(&vars, &["--color", "always"]).stdout,
        format!("{text}\n")
    );
}

#[test]
fn json_holds_every_field() {
    let mut vars = shell_vars("payments-prod", "prod", 42 * 60 + 30);
    vars.push(("ORGNAV_DEMO", "1".into()));
    let expires: i64 = vars[4].1.parse().unwrap();
    let out = prompt(&refs(&vars), &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "account_id": "111111111111",
            "account_name": "payments-prod",
            "role": "Admin",
            "env": "prod",
            "expires_at": expires,
            "minutes_left": 42,
            "expired": false,
            "production": true,
            "demo": true,
        })
    );
}

#[test]
fn expired_credentials_say_so() {
    let vars = shell_vars("payments-dev", "nonprod", -90);
    let out = prompt(&refs(&vars), &[]);
    assert_eq!(out.stdout, "payments-dev · Admin · expired\n");
    let v: serde_json::Value =
        serde_json::from_str(&prompt(&refs(&vars), &["--format", "json"]).stdout).unwrap();
    assert_eq!(
        (v["expired"].as_bool(), v["minutes_left"].as_i64()),
        (Some(true), Some(0))
    );
}

#[test]
fn outside_an_orgnav_shell_it_prints_nothing_and_succeeds() {
    for format in ["plain", "starship", "json"] {
        let out = prompt(&[("ORGNAV_ACCOUNT_NAME", "stale")], &["--format", format]);
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (0, "", ""),
            "{format}"
        );
    }
}

#[test]
fn it_reads_no_config_and_starts_no_logging() {
    let s = Sandbox::new();
    let broken = s.path("broken.toml");
    std::fs::write(&broken, "this is [not toml\n").unwrap();
    s.write_config("neither = [is this\n");
    let vars = shell_vars("payments-dev", "nonprod", 42 * 60 + 30);
    let mut vars = refs(&vars);
    let broken = broken.to_str().unwrap();
    let xdg = s.path("config");
    vars.extend([
        ("ORGNAV_CONFIG", broken),
        ("XDG_CONFIG_HOME", xdg.to_str().unwrap()),
        // Logging refuses a relative log file: a prompt that started logging would fail.
        ("ORGNAV_LOG_FILE", "relative.log"),
    ]);
    let out = prompt(&vars, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "payments-dev · Admin · 42m\n");
    // The same environment stops any other command: the traps are real.
    let other = orgnav_with(&vars, &["--demo", "ls"]);
    assert_eq!(other.code, 2, "{}", other.stderr);
    assert!(other.stderr.contains("broken.toml"), "{}", other.stderr);
}

#[test]
fn prompt_is_allowed_inside_an_orgnav_shell_where_sts_commands_are_not() {
    let vars = shell_vars("payments-prod", "prod", 42 * 60 + 30);
    let vars = refs(&vars);
    let out = prompt(&vars, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("payments-prod"), "{}", out.stdout);
    let guarded = orgnav_with(&vars, &["env", "payments-dev"]);
    assert_eq!(guarded.code, 2);
    assert!(
        guarded.stderr.contains("Exit the shell"),
        "{}",
        guarded.stderr
    );
}

#[test]
fn a_child_of_orgnav_gets_its_expiry_and_its_prompt() {
    let s = Sandbox::new();
    let bin = env!("CARGO_BIN_EXE_orgnav");
    let script = format!("echo $ORGNAV_EXPIRES_AT; '{bin}' prompt");
    let out = run(s.orgnav(None).args([
        "--demo",
        "exec",
        "payments-prod",
        "--role",
        "Admin",
        "--yes",
        "--",
        "sh",
        "-c",
        &script,
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut lines = out.stdout.lines();
    let expires: i64 = lines.next().unwrap().parse().unwrap();
    assert!(expires > now(), "{expires} is in the future");
    let segment = lines.next().unwrap();
    assert!(
        segment.starts_with("DEMO · payments-prod · Admin · PROD · ") && segment.ends_with('m'),
        "{segment}"
    );
}
