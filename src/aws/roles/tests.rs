use super::*;
use crate::model::hierarchy::tests::account;

fn rules() -> Vec<RoleRule> {
    vec![
        RoleRule {
            name: "ReadOnly".into(),
            ou: None,
            account: None,
            tag: None,
        },
        RoleRule {
            name: "Admin".into(),
            ou: Some("Workloads/Dev/**".into()),
            account: None,
            tag: None,
        },
        RoleRule {
            name: "Payments".into(),
            ou: None,
            account: Some("payments-*".into()),
            tag: None,
        },
        RoleRule {
            name: "Breakglass".into(),
            ou: None,
            account: None,
            tag: Some("Environment=prod*".into()),
        },
    ]
}

fn names(o: &[RoleOption]) -> Vec<&str> {
    o.iter().map(|o| o.name.as_str()).collect()
}

fn inputs<'a>(
    rules: &'a [RoleRule],
    profiles: &'a [ProfileRole],
    last: Option<&'a str>,
) -> RoleInputs<'a> {
    RoleInputs {
        sso_roles: &[],
        rules,
        profiles,
        default_role: "OrganizationAccountAccessRole",
        partition: "aws",
        last_used: last,
    }
}

#[test]
fn rules_match_ou_globs_names_and_tags() {
    let rules = rules();
    let dev = account("111111111111", "payments-dev", "x");
    let p = ["Workloads".to_string(), "Dev".to_string()];
    assert_eq!(
        names(&role_options(&dev, &p, &inputs(&rules, &[], None))),
        ["ReadOnly", "Admin", "Payments"]
    );
    let p = [
        "Workloads".to_string(),
        "Dev".to_string(),
        "Team".to_string(),
    ];
    assert!(names(&role_options(&dev, &p, &inputs(&rules, &[], None))).contains(&"Admin"));
    let mut prod = account("222222222222", "ledger", "x");
    prod.tags.insert("environment".into(), "Production".into());
    let opts = role_options(
        &prod,
        &["Workloads".into(), "Prod".into()],
        &inputs(&rules, &[], None),
    );
    assert_eq!(names(&opts), ["ReadOnly", "Breakglass"]);
    assert_eq!(
        opts[1].role_arn,
        "arn:aws:iam::222222222222:role/Breakglass"
    );
}

#[test]
fn profiles_pointing_into_the_account_are_offered_and_default_is_fallback() {
    let profile = ProfileRole {
        profile: "ledger-admin".into(),
        role_arn: "arn:aws:iam::222222222222:role/team/LedgerAdmin".into(),
        source_profile: Some("base".into()),
        mfa_serial: Some("arn:aws:iam::1:mfa/alice".into()),
        duration_seconds: Some(7200),
        external_id: None,
    };
    let a = account("222222222222", "ledger", "x");
    let opts = role_options(&a, &[], &inputs(&[], std::slice::from_ref(&profile), None));
    assert_eq!(names(&opts), ["LedgerAdmin"]);
    assert_eq!(opts[0].mfa_serial(), Some("arn:aws:iam::1:mfa/alice"));
    let other = account("333333333333", "other", "x");
    let opts = role_options(
        &other,
        &[],
        &inputs(&[], std::slice::from_ref(&profile), None),
    );
    assert_eq!(names(&opts), ["OrganizationAccountAccessRole"]);
    assert_eq!(opts[0].source, RoleSource::Default);
}

#[test]
fn last_used_comes_first() {
    let rules = rules();
    let a = account("111111111111", "payments-dev", "x");
    let opts = role_options(&a, &[], &inputs(&rules, &[], Some("Payments")));
    assert_eq!(names(&opts), ["Payments", "ReadOnly"]);
}

#[test]
fn arns_and_partitions() {
    assert_eq!(
        parse_role_arn("arn:aws:iam::123456789012:role/path/Name"),
        Some(("123456789012", "Name"))
    );
    assert_eq!(parse_role_arn("arn:aws:iam::123456789012:user/Name"), None);
    assert_eq!(partition("cn-north-1"), "aws-cn");
    assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
    assert_eq!(partition("eu-west-1"), "aws");
}
