//! Shell completions and the manual: bash runs the script `orgnav completions bash` prints and
//! its completion function is called as bash would (COMP_WORDS/COMP_CWORD), against a cache
//! written for the test; no AWS anywhere (no endpoint, no credentials in the environment).
#![allow(clippy::unwrap_used)]

mod support;

use orgnav::model::{Snapshot, synthetic};
use support::{Sandbox, run};

/// A sandbox whose cache (default profile, no endpoint) holds a synthetic organization.
fn sandbox_with_cache(accounts: usize) -> (Sandbox, orgnav::model::Org) {
    let s = Sandbox::new();
    let mut org = synthetic::org(accounts, accounts / 10 + 1);
    org.sso_roles
        .insert(org.accounts[0].id.clone(), vec!["PowerUser".into()]);
    let file = s.cache_file(None);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let snapshot = Snapshot::new(org.clone(), jiff::Timestamp::now());
    std::fs::write(&file, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    (s, org)
}

/// What bash's completion for `orgnav WORDS…` offers (the last word is the one completed).
fn complete(s: &Sandbox, words: &[&str]) -> Vec<String> {
    let orgnav = env!("CARGO_BIN_EXE_orgnav");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let current = words.last().unwrap();
    let previous = if words.len() > 1 {
        words[words.len() - 2]
    } else {
        "orgnav"
    };
    let script = format!(
        "source <('{orgnav}' completions bash) || exit 9\n\
         COMP_WORDS=(orgnav {words}); COMP_CWORD={cword}\n\
         _clap_complete_orgnav orgnav '{current}' '{previous}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words = quoted.join(" "),
        cword = words.len(),
    );
    let out = run(s.command("bash", None).args(["--norc", "-c", &script]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout.lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_account_names_and_ids_from_the_cache() {
    let (s, org) = sandbox_with_cache(300);
    let a = &org.accounts[7];
    let prefix = &a.name[..a.name.len() - 1];
    for command in ["shell", "exec", "env", "console", "roles"] {
        let offered = complete(&s, &[command, prefix]);
        assert!(offered.contains(&a.name), "{command} {prefix}: {offered:?}");
        assert!(offered.iter().all(|o| o.starts_with(prefix)), "{offered:?}");
    }
    let offered = complete(&s, &["shell", &a.id[..9]]);
    assert!(offered.contains(&a.id), "{offered:?}");
    // Subcommands and flags still complete as clap knows them.
    assert!(complete(&s, &["she"]).contains(&"shell".to_string()));
}

#[test]
fn bash_completes_role_names() {
    let (s, _) = sandbox_with_cache(20);
    s.write_config("[[roles]]\nname = \"ReadOnly\"\n");
    let offered = complete(&s, &["shell", "x", "--role", ""]);
    for role in ["ReadOnly", "PowerUser", "OrganizationAccountAccessRole"] {
        assert!(offered.contains(&role.to_string()), "{offered:?}");
    }
    assert_eq!(complete(&s, &["exec", "--role", "Rea"]), ["ReadOnly"]);
}

#[test]
fn bash_completes_regions() {
    let (s, _) = sandbox_with_cache(5);
    let offered = complete(&s, &["shell", "x", "--region", "eu-w"]);
    assert!(offered.contains(&"eu-west-1".to_string()), "{offered:?}");
    assert!(offered.iter().all(|o| o.starts_with("eu-w")), "{offered:?}");
}

#[test]
fn completion_scripts_exist_for_each_shell() {
    let s = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(s.orgnav(None).args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(
            out.stdout.contains("ORGNAV_COMPLETE"),
            "{shell}: {}",
            out.stdout
        );
    }
    assert_eq!(run(s.orgnav(None).args(["completions", "tcsh"])).code, 2);
}

#[test]
fn the_manual_lists_the_subcommands() {
    let s = Sandbox::new();
    let out = run(s.orgnav(None).arg("man"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(".ie") || out.stdout.contains(".TH"),
        "{}",
        out.stdout
    );
    for sub in ["shell", "exec", "console", "completions", "quotas"] {
        assert!(out.stdout.contains(sub), "{sub}");
    }
}

/// The README's figure, not a check: the wall time of one completion request (process start,
/// cache read, candidates) at 10,000 accounts. Run it with
/// `ORGNAV_MEASURE_BIN=target/release/orgnav cargo test --test completions -- --ignored
/// --nocapture` (N=… sets the number of accounts).
#[test]
#[ignore]
fn measure_completion_at_10k_accounts() {
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let (s, org) = sandbox_with_cache(n);
    let prefix = &org.accounts[n / 2].name[..4];
    // A release build measures what people run: ORGNAV_MEASURE_BIN=target/release/orgnav.
    let bin = std::env::var("ORGNAV_MEASURE_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_orgnav").to_string());
    let mut times: Vec<std::time::Duration> = (0..21)
        .map(|_| {
            let started = std::time::Instant::now();
            let out = run(s
                .command(&bin, None)
                .env("ORGNAV_COMPLETE", "bash")
                .env("_CLAP_COMPLETE_INDEX", "2")
                .env("_CLAP_IFS", "\n")
                .args(["--", "orgnav", "shell", prefix]));
            let took = started.elapsed();
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert!(!out.stdout.trim().is_empty(), "no candidates");
            took
        })
        .collect();
    times.sort();
    println!(
        "completion at 10k accounts: median {:?}, max {:?} ({} bytes of cache)",
        times[times.len() / 2],
        times[times.len() - 1],
        std::fs::metadata(s.cache_file(None)).unwrap().len()
    );
}
