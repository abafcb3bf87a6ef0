//! `orgnav profiles` against moto: the managed block, what stays byte for byte around it,
//! stale profiles, names, the diff, the backup and mode, and botocore reading the result.
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt;

use support::seed::Seeded;
use support::{Moto, Output, Sandbox, python, run};

const BEGIN: &str = "# >>> orgnav managed profiles (do not edit) >>>";
const END: &str = "# <<< orgnav managed profiles <<<";

fn org() -> &'static (Moto, Seeded) {
    support::seeded_org()
}

fn aws_config(s: &Sandbox) -> std::path::PathBuf {
    s.path("aws/config")
}

fn write_aws_config(s: &Sandbox, text: &str) {
    std::fs::create_dir_all(s.path("aws")).unwrap();
    std::fs::write(aws_config(s), text).unwrap();
}

fn read(p: &std::path::Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// `orgnav profiles ARGS` in the sandbox (AWS_CONFIG_FILE is the sandbox's aws/config).
fn profiles(s: &Sandbox, args: &[&str]) -> Output {
    let out = run(s.orgnav(Some(&org().0)).arg("profiles").args(args));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out
}

/// Text before the begin marker and after the end marker's line.
fn outside(text: &str) -> (String, String) {
    let (before, rest) = text.split_once(BEGIN).unwrap();
    let (_, after) = rest.split_once(END).unwrap();
    (
        before.to_string(),
        after.strip_prefix('\n').unwrap().to_string(),
    )
}

const FOREIGN_BEFORE: &str = "# my own settings; orgnav must not touch them\n\
    [default]\nregion=eu-west-1   \n\n;old style comment\n[profile  spaced ]\n\toutput = json\n\n";
const FOREIGN_AFTER: &str = "\n[profile after]   \nregion = eu-west-2\n# no newline at the end";

#[test]
fn a_second_run_leaves_the_file_byte_identical() {
    let (_, seed) = org();
    let s = support::refreshed_sandbox();
    write_aws_config(&s, FOREIGN_BEFORE);
    profiles(&s, &[]);
    let first = read(&aws_config(&s));
    assert!(first.starts_with(FOREIGN_BEFORE), "{first}");
    let id = &seed.account("payments-dev").id;
    assert!(first.contains(&format!(
        "[profile payments-dev.OrganizationAccountAccessRole]\n\
         role_arn = arn:aws:iam::{id}:role/OrganizationAccountAccessRole\n\
         source_profile = default\nregion = us-east-1\n"
    )));
    assert!(
        !first.contains("old-project"),
        "suspended accounts get no profile"
    );
    let out = profiles(&s, &[]);
    assert_eq!(read(&aws_config(&s)), first);
    assert!(out.stderr.contains("unchanged"), "{}", out.stderr);
    assert_eq!(
        read(&s.path("aws/config.bak")),
        FOREIGN_BEFORE,
        "an unchanged run does not replace the backup"
    );
}

#[test]
fn content_around_an_existing_block_is_kept_byte_for_byte() {
    let s = support::refreshed_sandbox();
    let file = format!(
        "{FOREIGN_BEFORE}{BEGIN}\n[profile gone.Admin]\nrole_arn = arn:aws:iam::999999999999:role/Admin\n{END}\n{FOREIGN_AFTER}"
    );
    write_aws_config(&s, &file);
    profiles(&s, &["--ou", "Workloads/Dev"]);
    let text = read(&aws_config(&s));
    assert_eq!(
        outside(&text),
        (FOREIGN_BEFORE.to_string(), FOREIGN_AFTER.to_string())
    );
    assert!(text.contains("[profile payments-dev.OrganizationAccountAccessRole]"));
    assert!(
        !text.contains("payments-prod"),
        "--ou keeps to Workloads/Dev"
    );
}

#[test]
fn stale_profiles_are_listed_and_kept_then_pruned() {
    let s = support::refreshed_sandbox();
    s.write_config("[[roles]]\nname = \"ReadOnly\"\n");
    profiles(&s, &["--ou", "Workloads/Prod/Payments"]);
    assert!(read(&aws_config(&s)).contains("[profile payments-prod.ReadOnly]"));
    s.write_config("[[roles]]\nname = \"Admin\"\n");
    let out = profiles(&s, &["--ou", "Workloads/Prod/Payments"]);
    let text = read(&aws_config(&s));
    assert!(
        text.contains("[profile payments-prod.ReadOnly]"),
        "kept: {text}"
    );
    assert!(text.contains("[profile payments-prod.Admin]"));
    assert!(
        out.stderr.contains("stale profile payments-prod.ReadOnly"),
        "{}",
        out.stderr
    );
    let out = profiles(&s, &["--ou", "Workloads/Prod/Payments", "--prune"]);
    let text = read(&aws_config(&s));
    assert!(!text.contains("ReadOnly"), "{text}");
    assert!(text.contains("[profile payments-prod.Admin]"));
    assert!(
        out.stderr
            .contains("removed stale profile payments-prod.ReadOnly")
    );
}

#[test]
fn collisions_get_the_account_id_and_outside_names_are_not_shadowed() {
    let (_, seed) = org();
    let s = support::refreshed_sandbox();
    let mine = "[profile payments-dev.OrganizationAccountAccessRole]\nregion = eu-north-1\n";
    write_aws_config(&s, mine);
    let out = profiles(&s, &["--ou", "Workloads"]);
    let text = read(&aws_config(&s));
    for a in seed.accounts.iter().filter(|a| a.name == "shared-tools") {
        let renamed = format!("shared-tools.OrganizationAccountAccessRole-{}", a.id);
        assert!(text.contains(&format!("[profile {renamed}]")), "{text}");
        assert!(out.stderr.contains(&renamed), "{}", out.stderr);
    }
    assert_eq!(
        text.matches("[profile payments-dev.OrganizationAccountAccessRole]")
            .count(),
        1,
        "the user's profile only"
    );
    assert!(text.starts_with(mine));
    assert!(
        out.stderr.contains(
            "skipped payments-dev.OrganizationAccountAccessRole: a profile of that name exists outside"
        ),
        "{}",
        out.stderr
    );
    // A name of non-ASCII letters only falls back to the account ID.
    let id = &seed.account("数据平台-开发").id;
    assert!(text.contains(&format!("[profile {id}.OrganizationAccountAccessRole]")));
}

#[test]
fn dry_run_prints_a_unified_diff_and_writes_nothing() {
    let s = support::refreshed_sandbox();
    let other = s.path("elsewhere/config");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    std::fs::write(&other, FOREIGN_BEFORE).unwrap();
    let out = profiles(
        &s,
        &[
            "--file",
            other.to_str().unwrap(),
            "--ou",
            "Workloads/Dev/Payments",
            "--dry-run",
        ],
    );
    assert_eq!(read(&other), FOREIGN_BEFORE);
    assert!(!s.path("elsewhere/config.bak").exists());
    let name = other.display().to_string();
    assert!(
        out.stdout
            .starts_with(&format!("--- {name}\n+++ {name}\n@@ ")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(&format!("+{BEGIN}\n")));
    assert!(
        out.stdout
            .contains("+[profile payments-dev.OrganizationAccountAccessRole]\n")
    );
    assert!(!aws_config(&s).exists(), "--file, not AWS_CONFIG_FILE");
}

#[test]
fn the_write_keeps_the_mode_and_a_backup_of_the_previous_version() {
    let s = support::refreshed_sandbox();
    write_aws_config(&s, FOREIGN_BEFORE);
    std::fs::set_permissions(aws_config(&s), std::fs::Permissions::from_mode(0o640)).unwrap();
    profiles(&s, &["--ou", "Workloads/Dev/Payments"]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&aws_config(&s)), 0o640);
    assert_eq!(read(&s.path("aws/config.bak")), FOREIGN_BEFORE);
    let first = read(&aws_config(&s));
    profiles(&s, &["--ou", "Workloads/Prod/Payments"]);
    assert_eq!(read(&s.path("aws/config.bak")), first);
    assert_eq!(mode(&s.path("aws/config.bak")), 0o640);
}

/// Python printing botocore's profile list, then the account STS reports for `profile`.
const BOTOCORE: &str = "import sys, botocore.session\n\
s = botocore.session.Session(profile=sys.argv[1])\n\
print(' '.join(sorted(s.available_profiles)))\n\
print(s.create_client('sts').get_caller_identity()['Account'])\n";

/// Runs BOTOCORE with only the credentials file's `[default]` as base credentials.
fn botocore(s: &Sandbox, profile: &str, path_prefix: Option<&str>) -> Output {
    let moto = &org().0;
    std::fs::write(
        s.path("aws/credentials"),
        format!(
            "[default]\naws_access_key_id = {}\naws_secret_access_key = moto-secret-key-for-tests\n",
            support::MOTO_ACCESS_KEY
        ),
    )
    .unwrap();
    let py = python();
    let mut cmd = s.command(py.to_str().unwrap(), None);
    cmd.env("AWS_ENDPOINT_URL", moto.endpoint())
        .args(["-c", BOTOCORE, profile]);
    if let Some(dir) = path_prefix {
        let path = std::env::var("PATH").unwrap_or_default();
        cmd.env("PATH", format!("{dir}:{path}"));
    }
    run(&mut cmd)
}

#[test]
fn botocore_lists_the_profiles_and_assumes_into_the_right_account() {
    let (_, seed) = org();
    let s = support::refreshed_sandbox();
    write_aws_config(&s, FOREIGN_BEFORE);
    profiles(&s, &["--ou", "Workloads/Dev/Payments"]);
    let profile = "payments-dev.OrganizationAccountAccessRole";
    let out = botocore(&s, profile, None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let listed: Vec<&str> = lines[0].split(' ').collect();
    assert!(listed.contains(&profile), "{listed:?}");
    assert!(listed.contains(&"spaced"), "{listed:?}");
    assert_eq!(lines[1], seed.account("payments-dev").id);
}

#[test]
fn credential_process_profiles_run_orgnav_for_the_account() {
    let (_, seed) = org();
    let s = support::refreshed_sandbox();
    profiles(
        &s,
        &["--ou", "Workloads/Dev/Payments", "--credential-process"],
    );
    let text = read(&aws_config(&s));
    let id = &seed.account("payments-dev").id;
    assert!(
        text.contains(&format!(
            "credential_process = orgnav credential-process {id} --role OrganizationAccountAccessRole\n"
        )),
        "{text}"
    );
    assert!(!text.contains("role_arn"));
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_orgnav"))
        .parent()
        .unwrap();
    let out = botocore(
        &s,
        "payments-dev.OrganizationAccountAccessRole",
        Some(bin_dir.to_str().unwrap()),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().nth(1), Some(id.as_str()));
}

#[test]
fn a_bad_template_is_a_usage_error_and_leaves_the_file() {
    let s = support::refreshed_sandbox();
    write_aws_config(&s, FOREIGN_BEFORE);
    let out = run(s
        .orgnav(Some(&org().0))
        .args(["profiles", "--template", "{account}.{role}"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown field `{account}`"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&aws_config(&s)), FOREIGN_BEFORE);
}

#[test]
fn generated_profiles_are_not_offered_back_as_roles() {
    let s = support::refreshed_sandbox();
    profiles(&s, &["--ou", "Workloads/Dev/Payments"]);
    let out = run(s
        .orgnav(Some(&org().0))
        .args(["roles", "payments-dev", "--json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let roles: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(roles.as_array().unwrap().len(), 1, "{roles}");
    assert_eq!(roles[0]["source"]["type"], "default", "{roles}");
}

#[test]
fn the_demo_never_writes_the_real_aws_config() {
    let s = Sandbox::new();
    write_aws_config(&s, FOREIGN_BEFORE);
    let out = run(s.orgnav(None).args(["--demo", "profiles"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--dry-run"), "{}", out.stderr);
    assert_eq!(read(&aws_config(&s)), FOREIGN_BEFORE);
    let out = run(s.orgnav(None).args(["--demo", "profiles", "--dry-run"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("+[profile payments-prod."),
        "{}",
        out.stdout
    );
}

#[test]
fn a_block_without_its_end_marker_stops_the_command_and_leaves_the_file() {
    let s = support::refreshed_sandbox();
    let broken = format!("{FOREIGN_BEFORE}{BEGIN}\n[profile half]\n");
    write_aws_config(&s, &broken);
    let out = run(s.orgnav(Some(&org().0)).arg("profiles"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no end marker; fix the markers by hand"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    assert_eq!(read(&aws_config(&s)), broken);
    assert!(!s.path("aws/config.bak").exists());
}
