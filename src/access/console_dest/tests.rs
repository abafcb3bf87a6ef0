use reqwest::Url;

use super::services::{self, RegionUse};
use super::*;

fn region_param(url: &Url) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == "region")
        .map(|(_, v)| v.into_owned())
}

/// Every alias of the data file, in every partition: the URL parses, is https on the
/// partition's console host (the region's own where AWS has them), keeps its region, or has
/// none for a global service, and ends in the page's path and fragment.
#[test]
fn every_alias_gives_a_console_url_that_keeps_its_region() {
    let regions = ["eu-west-1", "cn-north-1", "us-gov-west-1", "eusc-de-east-1"];
    let mut checked = 0;
    for region in regions {
        let p = partition::of_region(region);
        for service in services::all() {
            for alias in &service.aliases {
                let dest = destination_url(region, &Target::Service(alias.clone()))
                    .unwrap_or_else(|e| panic!("{alias}: {e}"));
                let url = Url::parse(&dest).unwrap_or_else(|e| panic!("{alias}: {dest}: {e}"));
                assert_eq!(url.scheme(), "https", "{dest}");
                let host = url.host_str().unwrap_or_default();
                let expected_host = match (&service.subdomain, p.regional_hosts, service.region) {
                    (Some(sub), true, _) => format!("{sub}.{}", p.console_host),
                    (_, true, RegionUse::Regional) => format!("{region}.{}", p.console_host),
                    _ => p.console_host.to_string(),
                };
                assert_eq!(host, expected_host, "{alias} in {region}: {dest}");
                let expected_region =
                    (service.region != RegionUse::None).then(|| region.to_string());
                assert_eq!(
                    region_param(&url),
                    expected_region,
                    "{alias} in {region}: {dest}"
                );
                let (path, fragment) = match service.path.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (service.path.as_str(), None),
                };
                assert_eq!(url.path(), format!("/{path}"), "{dest}");
                assert_eq!(url.fragment(), fragment, "{dest}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * 80, "only {checked} alias URLs checked");
}

#[test]
fn regional_and_global_pages_as_aws_links_them() {
    let cases = [
        (
            "eu-west-1",
            "ec2",
            "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Home:",
        ),
        (
            "eu-west-1",
            "iam",
            "https://console.aws.amazon.com/iam/home",
        ),
        (
            "eu-west-1",
            "org",
            "https://console.aws.amazon.com/organizations/v2/home",
        ),
        (
            "ap-southeast-2",
            "s3",
            "https://s3.console.aws.amazon.com/s3/buckets?region=ap-southeast-2",
        ),
        (
            "us-east-1",
            "logs",
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups",
        ),
        (
            "us-east-1",
            "support",
            "https://support.console.aws.amazon.com/support/home",
        ),
        (
            "cn-northwest-1",
            "s3",
            "https://console.amazonaws.cn/s3/buckets?region=cn-northwest-1",
        ),
        (
            "us-gov-east-1",
            "lambda",
            "https://console.amazonaws-us-gov.com/lambda/home?region=us-gov-east-1",
        ),
        (
            "us-gov-west-1",
            "iam",
            "https://console.amazonaws-us-gov.com/iam/home",
        ),
        (
            "eusc-de-east-1",
            "ddb",
            "https://console.amazonaws-eusc.eu/dynamodbv2/home?region=eusc-de-east-1",
        ),
    ];
    for (region, alias, want) in cases {
        assert_eq!(
            destination_url(region, &Target::Service(alias.into())).as_deref(),
            Ok(want),
            "{alias} in {region}"
        );
    }
    assert_eq!(
        destination_url("eu-central-1", &Target::Home).as_deref(),
        Ok("https://eu-central-1.console.aws.amazon.com/console/home?region=eu-central-1")
    );
}

#[test]
fn the_federation_endpoint_follows_the_partition() {
    assert_eq!(
        federation_url("eu-west-1"),
        "https://signin.aws.amazon.com/federation"
    );
    assert_eq!(
        federation_url("cn-north-1"),
        "https://signin.amazonaws.cn/federation"
    );
    assert_eq!(
        federation_url("us-gov-east-1"),
        "https://signin.amazonaws-us-gov.com/federation"
    );
    assert_eq!(
        federation_url("eusc-de-east-1"),
        "https://eusc-de-east-1.signin.amazonaws-eusc.eu/federation"
    );
}

#[test]
fn an_unknown_alias_names_close_matches() {
    let e = destination_url("eu-west-1", &Target::Service("lamda".into())).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("unknown console service `lamda`"), "{text}");
    assert!(text.contains("lambda"), "{text}");
    assert!(text.contains("--list-services"), "{text}");
    assert_eq!(
        Target::Service("cloudwatc".into()).check(),
        Err(e_for("cloudwatc"))
    );
}

fn e_for(typed: &str) -> DestinationError {
    match destination_url("us-east-1", &Target::Service(typed.into())) {
        Err(e) => e,
        Ok(u) => panic!("{typed} gave {u}"),
    }
}

#[test]
fn a_path_lands_on_the_region_console_with_its_fragment() {
    assert_eq!(
        destination_url("eu-west-1", &Target::Path("/ec2/home#Instances:".into())).as_deref(),
        Ok("https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:")
    );
    assert_eq!(
        destination_url("cn-north-1", &Target::Path("x/y?a=1#z".into())).as_deref(),
        Ok("https://console.amazonaws.cn/x/y?a=1&region=cn-north-1#z")
    );
    assert_eq!(
        destination_url("eu-west-1", &Target::Path("/x?region=us-east-1".into())).as_deref(),
        Ok("https://eu-west-1.console.aws.amazon.com/x?region=us-east-1")
    );
    for bad in [
        "",
        "//evil.example.com/x",
        "/a b",
        "https://evil.example.com/",
        "/a\\b",
    ] {
        assert!(
            matches!(
                Target::Path(bad.into()).check(),
                Err(DestinationError::BadPath { .. })
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn a_url_must_be_https_on_a_console_host_of_the_session_partition() {
    let fine = "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:";
    assert_eq!(
        destination_url("eu-west-1", &Target::Url(fine.into())).as_deref(),
        Ok(fine)
    );
    assert!(
        Target::Url("https://s3.console.aws.amazon.com/s3/buckets".into())
            .check()
            .is_ok()
    );
    assert!(
        Target::Url("https://console.amazonaws-eusc.eu/ec2/home".into())
            .check()
            .is_ok()
    );
    for bad in [
        "http://console.aws.amazon.com/ec2/home",
        "https://console.aws.amazon.com.evil.example.com/",
        "https://evil.example.com/?x=console.aws.amazon.com",
        "https://user@console.aws.amazon.com/",
        "https://console.aws.amazon.com:8443/",
        "https://a.b.console.aws.amazon.com/",
        "console.aws.amazon.com/ec2",
        "javascript:alert(1)",
    ] {
        assert!(
            matches!(
                Target::Url(bad.into()).check(),
                Err(DestinationError::BadUrl { .. })
            ),
            "{bad}"
        );
    }
    let e = destination_url(
        "eu-west-1",
        &Target::Url("https://console.amazonaws.cn/ec2/home".into()),
    )
    .unwrap_err();
    assert!(e.to_string().contains("partition aws-cn"), "{e}");
}

#[test]
fn a_quota_page_is_the_service_quotas_page_in_the_region() {
    assert_eq!(
        quota_destination("eu-west-1", "ec2", "L-1216C47A"),
        "https://eu-west-1.console.aws.amazon.com/servicequotas/home/services/ec2/quotas/L-1216C47A?region=eu-west-1"
    );
    assert_eq!(
        quota_destination("us-gov-west-1", "lambda", "L-B99A9384"),
        "https://console.amazonaws-us-gov.com/servicequotas/home/services/lambda/quotas/L-B99A9384?region=us-gov-west-1"
    );
    assert!(quota_destination("eu-west-1", "a/b", "c?d").contains("/services/a%2Fb/quotas/c%3Fd?"));
}

#[test]
fn the_markdown_table_has_a_row_per_page() {
    let table = services_markdown();
    assert_eq!(table.lines().count(), services::all().len() + 2);
    assert!(
        table.contains("| `ec2` | EC2 | `ec2/home#Home:` | regional |"),
        "{table}"
    );
    assert!(
        table.contains("| `iam` | IAM | `iam/home` | global |"),
        "{table}"
    );
}
