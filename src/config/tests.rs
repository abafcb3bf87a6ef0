use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/etc/orgnav.toml"))
}

#[test]
fn empty_file_gives_defaults() {
    assert_eq!(parse("").unwrap(), Config::default());
}

#[test]
fn values_are_read() {
    let c = parse(
        "profile = \"mgmt\"\n[crawl]\nconcurrency = 8\n[production]\nname_contains = [\"prd\"]\n",
    )
    .unwrap();
    assert_eq!(c.profile.as_deref(), Some("mgmt"));
    assert_eq!(c.crawl.concurrency, 8);
    assert_eq!(c.production.name_contains, ["prd"]);
}

#[test]
fn wrong_type_names_line_and_key() {
    let e = parse("# comment\n[crawl]\nconcurrency = \"four\"\n").unwrap_err();
    assert_eq!(e.line, 3);
    assert_eq!(e.key, "crawl.concurrency");
    let shown = e.to_string();
    assert!(shown.contains("/etc/orgnav.toml"), "{shown}");
    assert!(shown.contains("line 3"), "{shown}");
}

#[test]
fn unknown_key_is_named() {
    let e = parse("[crawl]\nconcurency = 3\n").unwrap_err();
    assert_eq!(e.key, "crawl.concurency");
    assert_eq!(e.line, 2);
}

#[test]
fn syntax_error_has_line() {
    let e = parse("[crawl\nconcurrency = 3\n").unwrap_err();
    assert_eq!(e.line, 1);
}

#[test]
fn out_of_range_is_rejected_with_line() {
    let e = parse("[crawl]\n\nconcurrency = 0\n").unwrap_err();
    assert_eq!((e.key.as_str(), e.line), ("crawl.concurrency", 3));
}

#[test]
fn role_rules_and_access_settings_are_read() {
    let c = parse(concat!(
        "base_profile = \"base\"\nduration_seconds = 7200\n",
        "[[roles]]\nname = \"ReadOnly\"\n[[roles]]\nname = \"Admin\"\nou = \"Workloads/Dev/**\"\n",
        "[console]\nfederation_url = \"http://127.0.0.1:1/federation\"\n"
    ))
    .unwrap();
    assert_eq!(c.roles.len(), 2);
    assert_eq!(c.roles[1].ou.as_deref(), Some("Workloads/Dev/**"));
    assert_eq!(c.base_profile.as_deref(), Some("base"));
    assert_eq!(
        c.console.federation_url.as_deref(),
        Some("http://127.0.0.1:1/federation")
    );
    let e = parse("[[roles]]\nname = \"A\"\nou = \"a/[\"\n").unwrap_err();
    assert_eq!(e.key, "roles[0].ou");
}

#[test]
fn region_shorthands_are_expanded_and_unknown_ones_refused() {
    let c = parse("region = \"euw1\"\n[quotas]\nregions = [\"ue1\", \"apse2\", \"eu-north-1\"]\n")
        .unwrap();
    assert_eq!(c.region.as_deref(), Some("eu-west-1"));
    assert_eq!(
        c.quotas.regions,
        ["us-east-1", "ap-southeast-2", "eu-north-1"]
    );
    let e = parse("[quotas]\nregions = [\"ue9\"]\n").unwrap_err();
    assert_eq!((e.key.as_str(), e.line), ("quotas.regions", 2));
    assert!(e.message.contains("unknown region `ue9`"), "{}", e.message);
}

#[test]
fn quota_settings_are_read_and_checked() {
    let c = parse("[quotas]\nrole = \"ReadOnly\"\nservices = [\"ec2\"]\nregions = [\"eu-west-1\", \"us-east-1\"]\nwarn = 0.7\n").unwrap();
    assert_eq!(c.quotas.role.as_deref(), Some("ReadOnly"));
    assert_eq!(c.quotas.services, ["ec2"]);
    assert_eq!(c.quotas.regions.len(), 2);
    assert_eq!((c.quotas.warn, c.quotas.critical), (0.7, 0.95));
    let e = parse("[quotas]\n\ncritical = 0.5\n").unwrap_err();
    assert_eq!((e.key.as_str(), e.line), ("quotas.critical", 3));
    let e = parse("[quotas]\nwarn = 80\n").unwrap_err();
    assert_eq!(e.key, "quotas.warn");
    assert!(parse("[quotas]\nservices = []\n").is_err());
}

#[test]
fn sso_settings_are_read() {
    let c = parse("[sso]\nsession = \"corp\"\nmode = \"only\"\n").unwrap();
    assert_eq!(c.sso.session.as_deref(), Some("corp"));
    assert_eq!(c.sso.mode, SsoMode::Only);
    let c = parse("[[sso.groups]]\nname = \"Prod\"\naccount = \"*-prod\"\n").unwrap();
    assert_eq!(c.sso.groups[0].name, "Prod");
    assert!(parse("[[sso.groups]]\nname = \"P\"\naccount = \"a[\"\n").is_err());
    let e = parse("[sso]\nmode = \"sometimes\"\n").unwrap_err();
    assert_eq!((e.key.as_str(), e.line), ("sso.mode", 2));
}

#[test]
fn missing_file_is_default_unless_explicit() {
    let p = Path::new("/nonexistent/orgnav/config.toml");
    assert_eq!(Config::load(p, false, &[]).unwrap(), Config::default());
    assert!(Config::load(p, true, &[]).is_err());
}
