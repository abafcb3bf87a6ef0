//! AWS failures classified into what the user can act on. Messages never carry request URLs
//! or credentials: only the API call, the service's error code and its message.

use aws_sdk_organizations::config::http::HttpResponse;
use aws_sdk_organizations::error::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::connector::{GaveUp, Unreachable};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AwsFailure {
    #[error(
        "no AWS credentials found ({detail}). Configure them with `aws configure` or `aws sso login`, \
         choose a profile with --profile or AWS_PROFILE, or try the built-in demo with `orgnav --demo`"
    )]
    NoCredentials { detail: String },
    #[error(
        "{call} was denied (AccessDenied): the caller lacks IAM permission `{action}`: {message}"
    )]
    AccessDenied {
        call: &'static str,
        action: String,
        message: String,
    },
    #[error("{call}: this account is not a member of an AWS organization")]
    NotInOrganization { call: &'static str },
    #[error(
        "{call}: the AWS session has expired or the credentials are invalid ({code}); log in again (`orgnav login` or `aws sso login`)"
    )]
    ExpiredCredentials { call: &'static str, code: String },
    #[error("cannot reach {} ({call}: {detail})", service_name(service))]
    Network {
        /// IAM prefix of the service, e.g. `organizations`.
        service: &'static str,
        call: &'static str,
        detail: String,
    },
    #[error(
        "{} kept throttling {call}: still throttled after retrying",
        service_name(service)
    )]
    Throttled {
        service: &'static str,
        call: &'static str,
    },
    #[error("{call}: AWS returned an internal error (HTTP {status})")]
    ServerError { call: &'static str, status: u16 },
    #[error("{call} failed: {detail}")]
    Other { call: &'static str, detail: String },
}

impl AwsFailure {
    pub fn is_network(&self) -> bool {
        matches!(self, Self::Network { .. })
    }
    /// AWS could not answer now (unreachable, throttled out, failing): trying again later may
    /// work, so a cached organization is the best answer meanwhile.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Network { .. } | Self::Throttled { .. } | Self::ServerError { .. }
        )
    }
}

/// The service as users know it, from its IAM prefix.
pub fn service_name(service: &str) -> &str {
    match service {
        "organizations" => "AWS Organizations",
        "sts" => "AWS STS",
        "sso" | "sso-oauth" => "IAM Identity Center",
        "servicequotas" => "Service Quotas",
        "cloudwatch" => "CloudWatch",
        other => other,
    }
}

/// `call` is the API operation name (e.g. `ListRoots`); `service` its IAM prefix.
pub fn classify<E>(
    service: &'static str,
    call: &'static str,
    err: &SdkError<E, HttpResponse>,
) -> AwsFailure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            classify_service_error(service, call, se.err(), status)
        }
        SdkError::TimeoutError(_) => AwsFailure::Network {
            service,
            call,
            detail: timed_out(err),
        },
        SdkError::DispatchFailure(df) => match (find::<Unreachable>(err), find::<GaveUp>(err)) {
            (Some(u), _) => AwsFailure::Network {
                service,
                call,
                detail: u.to_string(),
            },
            (_, Some(g)) if g.is_throttling() => AwsFailure::Throttled { service, call },
            (_, Some(g)) => AwsFailure::ServerError {
                call,
                status: g.status,
            },
            _ if df.is_io() || df.is_timeout() => AwsFailure::Network {
                service,
                call,
                detail: without_debug_dump(&source_summary(err)),
            },
            _ => other_failure(call, err),
        },
        SdkError::ResponseError(re) if re.raw().status().is_server_error() => {
            AwsFailure::ServerError {
                call,
                status: re.raw().status().as_u16(),
            }
        }
        _ => other_failure(call, err),
    }
}

fn classify_service_error<E>(
    service: &'static str,
    call: &'static str,
    e: &E,
    status: u16,
) -> AwsFailure
where
    E: ProvideErrorMetadata + std::error::Error,
{
    // Modeled errors display as `AccessDeniedException: message`; use that name when
    // the error metadata carries no code. Unmodeled ones display as `unhandled error`.
    let shown = e.to_string();
    let code = e.code().map(str::to_string).or_else(|| {
        shown
            .split([':', ' '])
            .next()
            .filter(|c| !c.is_empty() && !shown.starts_with("unhandled"))
            .map(str::to_string)
    });
    let message = e.message().unwrap_or("").to_string();
    match code.as_deref() {
        Some("AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation") => {
            AwsFailure::AccessDenied {
                call,
                action: format!("{service}:{call}"),
                message,
            }
        }
        Some("AWSOrganizationsNotInUseException") => AwsFailure::NotInOrganization { call },
        Some(
            code @ ("ExpiredTokenException"
            | "ExpiredToken"
            | "InvalidClientTokenId"
            | "UnauthorizedException"
            | "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "SignatureDoesNotMatch"),
        ) => AwsFailure::ExpiredCredentials {
            call,
            code: code.to_string(),
        },
        Some("TooManyRequestsException" | "ThrottlingException" | "Throttling") => {
            AwsFailure::Throttled { service, call }
        }
        _ if status >= 500 => AwsFailure::ServerError { call, status },
        Some(code) if !message.is_empty() => AwsFailure::Other {
            call,
            detail: format!("{code}: {message}"),
        },
        Some(code) => AwsFailure::Other {
            call,
            detail: format!("{code} (HTTP {status})"),
        },
        None => AwsFailure::Other {
            call,
            detail: format!("AWS answered HTTP {status} without an error code"),
        },
    }
}

/// Anything that is neither a service answer nor a connection failure: most often the
/// credential chain found nothing.
fn other_failure<E>(call: &'static str, err: &SdkError<E, HttpResponse>) -> AwsFailure
where
    E: std::error::Error + 'static,
{
    let detail = without_debug_dump(&source_summary(err));
    if detail.to_ascii_lowercase().contains("credential") {
        AwsFailure::NoCredentials {
            detail: credential_chain_summary(&detail),
        }
    } else {
        AwsFailure::Other { call, detail }
    }
}

/// What the fail-fast connector found ([`Unreachable`], [`GaveUp`]), if that is what this is.
pub(crate) fn find<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        next = e.source();
    }
    None
}

/// "no answer within 10s": the SDK's timeout errors end with "occurred after 10s".
fn timed_out(err: &(dyn std::error::Error + 'static)) -> String {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some((_, after)) = e.to_string().split_once("occurred after ") {
            return format!("no answer within {after}");
        }
        next = e.source();
    }
    "no answer in time".to_string()
}

/// The error chain as text, with anything that looks like a URL cut out: connector errors
/// embed request URLs, and later features sign secrets into URLs.
fn source_summary<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: std::error::Error + 'static,
{
    strip_urls(&DisplayErrorContext(err).to_string())
}

/// aws-config's "no credentials in chain" lists each provider on its own line: one line that
/// names the providers tried instead.
fn credential_chain_summary(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let first = first
        .rsplit("not enabled: ")
        .next()
        .unwrap_or(first)
        .trim_end_matches("Attempted:")
        .trim_end_matches(['.', ' ']);
    let tried: Vec<&str> = lines
        .filter_map(|l| l.trim().split_once(':').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && !name.contains(' '))
        .collect();
    if tried.is_empty() {
        first.to_string()
    } else {
        format!("{first}; tried {}", tried.join(", "))
    }
}

/// `DisplayErrorContext` ends with the error's Debug form in parentheses and starts with the
/// orchestrator's stage names; users need only the readable chain in between.
fn without_debug_dump(text: &str) -> String {
    let cut = text
        .find(" (")
        .filter(|&i| text[i + 2..].starts_with(|c: char| c.is_ascii_uppercase()));
    let mut text = cut.map_or(text, |i| &text[..i]);
    for stage in ["dispatch failure: ", "other: "] {
        text = text.strip_prefix(stage).unwrap_or(text);
    }
    text.trim().to_string()
}

pub fn strip_urls(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|w| if w.contains("://") { "<url> " } else { w })
        .collect::<String>()
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_credential_chain_is_summed_up_in_one_line() {
        let chain =
            "the credential provider was not enabled: no credentials found in chain. Attempted:
  Environment: the credential provider was not enabled: environment variable not set
  Profile: the credential provider was not enabled
  Ec2InstanceMetadata: the credential provider was not enabled: IMDS disabled";
        assert_eq!(
            super::credential_chain_summary(chain),
            "no credentials found in chain; tried Environment, Profile, Ec2InstanceMetadata"
        );
        assert_eq!(
            super::credential_chain_summary("failed to load credentials"),
            "failed to load credentials"
        );
    }

    use super::*;

    #[test]
    fn debug_dump_is_dropped_from_credential_errors() {
        let raw = "dispatch failure: other: no credentials found in chain. Attempted:\n  Environment: not set (DispatchFailure(DispatchFailure { source: ConnectorError { .. } }))";
        assert_eq!(
            without_debug_dump(raw),
            "no credentials found in chain. Attempted:\n  Environment: not set"
        );
    }

    fn answered(status: u16) -> AwsFailure {
        use aws_sdk_organizations::operation::list_roots::ListRootsError;
        use aws_smithy_types::error::ErrorMetadata;
        let raw = HttpResponse::new(
            status.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::empty(),
        );
        let err = SdkError::service_error(
            ListRootsError::generic(ErrorMetadata::builder().build()),
            raw,
        );
        classify("organizations", "ListRoots", &err)
    }

    #[test]
    fn answers_without_an_error_code_name_the_status() {
        let failure = answered(500);
        assert_eq!(
            failure.to_string(),
            "ListRoots: AWS returned an internal error (HTTP 500)"
        );
        assert!(failure.is_transient());
        let failure = answered(418);
        assert_eq!(
            failure.to_string(),
            "ListRoots failed: AWS answered HTTP 418 without an error code"
        );
        assert!(!failure.is_transient());
    }

    #[test]
    fn urls_are_removed() {
        let s = strip_urls(
            "error sending request for url (https://x.example/?SigninToken=abc) connection refused",
        );
        assert!(!s.contains("SigninToken"), "{s}");
        assert!(s.contains("connection refused"));
    }
}
