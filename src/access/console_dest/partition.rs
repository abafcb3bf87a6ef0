//! The console and sign-in hosts of each AWS partition, and which partition a console URL's
//! host belongs to (for `--url`).

/// One partition's public console and federation endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// AWS's partition name, as in ARNs (`aws`, `aws-cn`, …).
    pub name: &'static str,
    /// The console's host (`console.aws.amazon.com`).
    pub console_host: &'static str,
    /// The federation endpoint (`getSigninToken`, `login`).
    pub federation: &'static str,
    /// Whether the console has a host per region (`eu-west-1.console.aws.amazon.com`): AWS
    /// documents them for the commercial partition ("AWS Management Console endpoints and
    /// quotas", docs.aws.amazon.com/general/latest/gr/mgmt-console.html). Elsewhere the one
    /// console host with `?region=` is used, which is what AWS's own links there do.
    pub regional_hosts: bool,
}

const PARTITIONS: &[Partition] = &[
    Partition {
        name: "aws",
        console_host: "console.aws.amazon.com",
        federation: "https://signin.aws.amazon.com/federation",
        regional_hosts: true,
    },
    Partition {
        name: "aws-cn",
        console_host: "console.amazonaws.cn",
        federation: "https://signin.amazonaws.cn/federation",
        regional_hosts: false,
    },
    Partition {
        name: "aws-us-gov",
        console_host: "console.amazonaws-us-gov.com",
        federation: "https://signin.amazonaws-us-gov.com/federation",
        regional_hosts: false,
    },
    // The AWS European Sovereign Cloud (region eusc-de-east-1, launched January 2026). Console
    // host: console.amazonaws-eusc.eu (cambelo.com "AWS European Sovereign Cloud technical
    // guide"; granted's pkg/console/partition.go uses the same). Sign-in is regional there:
    // the AWS SDKs' sign-in endpoint rule for aws-eusc is `https://{Region}.signin.amazonaws-eusc.eu`;
    // eusc-de-east-1 is the partition's only region so far.
    Partition {
        name: "aws-eusc",
        console_host: "console.amazonaws-eusc.eu",
        federation: "https://eusc-de-east-1.signin.amazonaws-eusc.eu/federation",
        regional_hosts: false,
    },
];

/// The partition of a region (`crate::aws::roles::partition` names it).
pub fn of_region(region: &str) -> Partition {
    named(crate::aws::roles::partition(region))
}

/// The partition called `name`; the commercial one for a name orgnav does not know.
pub fn named(name: &str) -> Partition {
    PARTITIONS
        .iter()
        .find(|p| p.name == name)
        .copied()
        .unwrap_or(PARTITIONS[0])
}

/// Every partition orgnav knows, commercial first.
pub fn all() -> &'static [Partition] {
    PARTITIONS
}

/// The partition whose console `host` is: the console host itself, or one more DNS label in
/// front of it (a region, `eu-west-1.console.aws.amazon.com`, or a service,
/// `s3.console.aws.amazon.com`). Anything else — other domains, deeper names, look-alikes
/// such as `console.aws.amazon.com.example.com` — is None.
pub fn of_console_host(host: &str) -> Option<Partition> {
    let host = host.to_ascii_lowercase();
    PARTITIONS.iter().copied().find(|p| {
        if host == p.console_host {
            return true;
        }
        host.strip_suffix(p.console_host)
            .and_then(|front| front.strip_suffix('.'))
            .is_some_and(is_dns_label)
    })
}

/// One DNS label: 1–63 of `a-z0-9-`, not starting or ending with `-`.
fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_partition_is_found_from_its_regions() {
        for (region, name, console, federation) in [
            (
                "eu-west-1",
                "aws",
                "console.aws.amazon.com",
                "https://signin.aws.amazon.com/federation",
            ),
            (
                "cn-north-1",
                "aws-cn",
                "console.amazonaws.cn",
                "https://signin.amazonaws.cn/federation",
            ),
            (
                "us-gov-west-1",
                "aws-us-gov",
                "console.amazonaws-us-gov.com",
                "https://signin.amazonaws-us-gov.com/federation",
            ),
            (
                "eusc-de-east-1",
                "aws-eusc",
                "console.amazonaws-eusc.eu",
                "https://eusc-de-east-1.signin.amazonaws-eusc.eu/federation",
            ),
        ] {
            let p = of_region(region);
            assert_eq!(
                (p.name, p.console_host, p.federation),
                (name, console, federation),
                "{region}"
            );
        }
    }

    #[test]
    fn console_hosts_are_recognised_strictly() {
        for (host, partition) in [
            ("console.aws.amazon.com", "aws"),
            ("eu-west-1.console.aws.amazon.com", "aws"),
            ("S3.Console.AWS.Amazon.com", "aws"),
            ("console.amazonaws.cn", "aws-cn"),
            ("us-gov-east-1.console.amazonaws-us-gov.com", "aws-us-gov"),
            ("console.amazonaws-eusc.eu", "aws-eusc"),
        ] {
            assert_eq!(
                of_console_host(host).map(|p| p.name),
                Some(partition),
                "{host}"
            );
        }
        for host in [
            "aws.amazon.com",
            "evilconsole.aws.amazon.com.example.com",
            "console.aws.amazon.com.example.com",
            "a.b.console.aws.amazon.com",
            ".console.aws.amazon.com",
            "-x.console.aws.amazon.com",
            "xconsole.aws.amazon.com",
            "signin.aws.amazon.com",
            "console.amazonaws.com",
        ] {
            assert_eq!(of_console_host(host), None, "{host}");
        }
    }
}
