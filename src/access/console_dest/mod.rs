//! Where the console lands after sign-in: the federation `Destination` for a service alias
//! (`ec2`, `logs`, `sq`), a console path (`--path /ec2/home#Instances:`) or a whole console
//! URL (`--url`), in the session's region and partition. Pure: no I/O, no secrets.
//!
//! `destination_url` is the one entry point for the CLI, the TUI and any other hand-off
//! (portal shortcuts take the same destination).

mod markdown;
pub mod partition;
pub mod services;

use reqwest::Url;

pub use markdown::{BEGIN_MARKER, END_MARKER, services_markdown};
use partition::Partition;
use services::{RegionUse, Service};

/// What the user asked the console to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The console home.
    Home,
    /// A service alias from the data file (`ec2`, `logs`, `sq`).
    Service(String),
    /// A console path (`/ec2/home#Instances:`), on the region's console host.
    Path(String),
    /// A whole console URL, used as it is once its host is checked.
    Url(String),
}

/// Why a target cannot be a console destination; a usage error (exit 2) in the CLI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DestinationError {
    #[error("unknown console service `{typed}`{hint}: `orgnav console --list-services` lists them")]
    UnknownService { typed: String, hint: String },
    #[error("console path `{path}` {why}")]
    BadPath { path: String, why: &'static str },
    #[error("console URL `{url}` {why}")]
    BadUrl { url: String, why: String },
}

impl Target {
    /// `--service`, `--path`, `--url` (at most one is given; clap enforces it), or home.
    pub fn from_flags(service: Option<&str>, path: Option<&str>, url: Option<&str>) -> Self {
        match (service, path, url) {
            (_, _, Some(u)) => Target::Url(u.to_string()),
            (_, Some(p), _) => Target::Path(p.to_string()),
            (Some(s), _, _) => Target::Service(s.to_string()),
            _ => Target::Home,
        }
    }

    /// The checks that need no region: the alias exists, the path is a path, the URL is a
    /// console URL. The CLI runs them before any credentials are fetched.
    pub fn check(&self) -> Result<(), DestinationError> {
        match self {
            Target::Home => Ok(()),
            Target::Service(s) => find_service(s).map(|_| ()),
            Target::Path(p) => checked_path(p).map(|_| ()),
            Target::Url(u) => checked_url(u).map(|_| ()),
        }
    }
}

/// The federation `Destination` for `target` in `region` (its partition follows from it).
pub fn destination_url(region: &str, target: &Target) -> Result<String, DestinationError> {
    let partition = partition::of_region(region);
    match target {
        Target::Home => Ok(service_url(&partition, region, home())),
        Target::Service(s) => Ok(service_url(&partition, region, find_service(s)?)),
        Target::Path(p) => {
            let path = checked_path(p)?;
            Ok(with_region(
                format!("https://{}{path}", console_host(&partition, region)),
                region,
            ))
        }
        Target::Url(u) => {
            let (url, of) = checked_url(u)?;
            if of.name != partition.name {
                return Err(DestinationError::BadUrl {
                    url: u.clone(),
                    why: format!(
                        "is in partition {}, but the session's region {region} is in {}: \
                         give a URL on {} or another --region",
                        of.name, partition.name, partition.console_host
                    ),
                });
            }
            Ok(url.to_string())
        }
    }
}

/// The Service Quotas page of one quota, where its increase is requested.
pub fn quota_destination(region: &str, service_code: &str, quota_code: &str) -> String {
    let partition = partition::of_region(region);
    let path = format!(
        "/servicequotas/home/services/{}/quotas/{}",
        path_segment(service_code),
        path_segment(quota_code)
    );
    with_region(
        format!("https://{}{path}", console_host(&partition, region)),
        region,
    )
}

/// The federation endpoint of the region's partition.
pub fn federation_url(region: &str) -> &'static str {
    partition::of_region(region).federation
}

fn home() -> &'static Service {
    services::all()
        .iter()
        .find(|s| s.path == "console/home")
        .unwrap_or(&services::all()[0])
}

fn find_service(typed: &str) -> Result<&'static Service, DestinationError> {
    services::find(typed).ok_or_else(|| {
        let close = services::close_matches(typed, 5);
        DestinationError::UnknownService {
            typed: typed.trim().to_string(),
            hint: if close.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", close.join(", "))
            },
        }
    })
}

/// The console host for a regional page: the region's own where the partition has them.
fn console_host(partition: &Partition, region: &str) -> String {
    if partition.regional_hosts && !region.is_empty() {
        format!("{region}.{}", partition.console_host)
    } else {
        partition.console_host.to_string()
    }
}

fn service_url(partition: &Partition, region: &str, service: &Service) -> String {
    let host = match (&service.subdomain, partition.regional_hosts, service.region) {
        (Some(sub), true, _) => format!("{sub}.{}", partition.console_host),
        (_, _, RegionUse::Regional) => console_host(partition, region),
        _ => partition.console_host.to_string(),
    };
    let url = format!("https://{host}/{}", service.path);
    match service.region {
        RegionUse::None => url,
        RegionUse::Regional | RegionUse::Query => with_region(url, region),
    }
}

/// `region=` in the query, before any `#fragment` (the console reads it from there); kept
/// as it is when the URL names a region already.
fn with_region(url: String, region: &str) -> String {
    if region.is_empty() {
        return url;
    }
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b.to_string(), Some(f.to_string())),
        None => (url, None),
    };
    let query = base.split_once('?').map(|(_, q)| q);
    if query.is_some_and(|q| q.split('&').any(|kv| kv.starts_with("region="))) {
        return match fragment {
            Some(f) => format!("{base}#{f}"),
            None => base,
        };
    }
    let joiner = if query.is_some() { '&' } else { '?' };
    let mut out = format!("{base}{joiner}region={region}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(&f);
    }
    out
}

/// A path segment from AWS codes (`L-1216C47A`, `ec2`): anything unexpected is encoded.
fn path_segment(code: &str) -> String {
    super::console_links::encode_component(code)
}

/// A console path as given: it must stay on the console host, so it starts with one `/`
/// (a leading `//` would name another host) and holds no spaces, backslashes or controls.
fn checked_path(path: &str) -> Result<String, DestinationError> {
    let bad = |why| DestinationError::BadPath {
        path: path.to_string(),
        why,
    };
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Err(bad("is empty"));
    }
    let with_slash = if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    };
    if with_slash.starts_with("//") {
        return Err(bad(
            "must start with a single `/` (like /ec2/home#Instances:)",
        ));
    }
    if with_slash.contains("://") {
        return Err(bad("is a URL, not a path: give it with --url"));
    }
    if with_slash
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err(bad(
            "must not hold spaces, backslashes or control characters",
        ));
    }
    Ok(with_slash)
}

/// A console URL: `https://`, no user or port, on a console host of a known partition.
fn checked_url(raw: &str) -> Result<(Url, Partition), DestinationError> {
    let bad = |why: &str| DestinationError::BadUrl {
        url: raw.to_string(),
        why: why.to_string(),
    };
    let url = Url::parse(raw.trim()).map_err(|_| bad("is not a valid URL"))?;
    if url.scheme() != "https" {
        return Err(bad("must be an https:// address"));
    }
    if !url.username().is_empty() || url.password().is_some() || url.port().is_some() {
        return Err(bad("must not name a user, password or port"));
    }
    let host = url.host_str().unwrap_or_default();
    let Some(partition) = partition::of_console_host(host) else {
        return Err(bad(
            "is not on an AWS console host (console.aws.amazon.com, <region>.console.aws.amazon.com, \
             console.amazonaws.cn, console.amazonaws-us-gov.com, console.amazonaws-eusc.eu)",
        ));
    };
    Ok((url, partition))
}

#[cfg(test)]
mod tests;
