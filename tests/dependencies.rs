//! One HTTP/TLS stack: the AWS SDK and the federation client (reqwest) share hyper 1,
//! rustls 0.23 and one crypto provider (aws-lc). The SDK crates' default features add a second,
//! legacy stack (hyper 0.14, rustls 0.21, ring); a dependency change that brings it back fails
//! here rather than as a bigger binary nobody looks at.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// The crates of an HTTP client and its TLS: each may appear at one version only.
const STACK: &[&str] = &[
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "h2",
    "http",
    "http-body",
    "rustls",
    "rustls-webpki",
    "tokio-rustls",
];

/// Versions allowed beside the current ones, and why.
const ALLOWED: &[(&str, &str, &str)] = &[
    // aws-sdk-cloudwatch (1.140) turns on aws-smithy-types' `http-body-0-4-x` for its types
    // alone; nothing in the tree sends a request with them.
    ("http", "v0.2.12", "aws-sdk-cloudwatch's types"),
    ("http-body", "v0.4.6", "aws-sdk-cloudwatch's types"),
];

/// `name → versions` of every crate `cargo tree` lists for this package (all edge kinds, as
/// `cargo tree -d` looks at them).
fn crate_versions() -> BTreeMap<String, BTreeSet<String>> {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut words = line.split_whitespace();
        if let (Some(name), Some(version)) = (words.next(), words.next()) {
            versions
                .entry(name.to_string())
                .or_default()
                .insert(version.to_string());
        }
    }
    versions
}

#[test]
fn one_http_and_tls_stack() {
    let versions = crate_versions();
    assert!(
        versions.contains_key("hyper") && versions.contains_key("rustls"),
        "the tree lists the HTTP stack at all: {versions:?}"
    );
    let duplicated: Vec<String> = STACK
        .iter()
        .filter_map(|name| {
            let found = versions.get(*name)?;
            let extra: Vec<&String> = found
                .iter()
                .filter(|v| !ALLOWED.iter().any(|(n, a, _)| n == name && a == v))
                .collect();
            (extra.len() > 1).then(|| format!("{name} {extra:?}"))
        })
        .collect();
    assert!(duplicated.is_empty(), "two HTTP/TLS stacks: {duplicated:?}");
    assert!(
        !versions.contains_key("ring"),
        "a second crypto provider (ring) next to aws-lc: {:?}",
        versions.get("ring")
    );
    assert!(
        versions.contains_key("aws-lc-rs"),
        "aws-lc is the crypto provider"
    );
}
