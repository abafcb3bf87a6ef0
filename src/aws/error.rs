//! AWS failures classified into what the user can act on. Messages never carry request URLs
//! or credentials: only the API call, the service's error code and its message.

use aws_sdk_organizations::error::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

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
    #[error("{call}: cannot reach AWS ({detail})")]
    Network { call: &'static str, detail: String },
    #[error("{call}: still throttled after all retries")]
    Throttled { call: &'static str },
    #[error("{call} failed: {detail}")]
    Other { call: &'static str, detail: String },
}

impl AwsFailure {
    pub fn is_network(&self) -> bool {
        matches!(self, Self::Network { .. })
    }
    pub fn is_access_denied(&self) -> bool {
        matches!(self, Self::AccessDenied { .. })
    }
}

/// `call` is the API operation name (e.g. `ListRoots`); `service` its IAM prefix.
pub fn classify<E, R>(service: &str, call: &'static str, err: &SdkError<E, R>) -> AwsFailure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            // Modeled errors display as `AccessDeniedException: message`; use that name when
            // the error metadata carries no code.
            let shown = e.to_string();
            let code = e.code().map(str::to_string).unwrap_or_else(|| {
                shown
                    .split([':', ' '])
                    .next()
                    .filter(|c| !c.is_empty())
                    .unwrap_or("Unknown")
                    .to_string()
            });
            let message = e.message().unwrap_or("").to_string();
            match code.as_str() {
                "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => {
                    AwsFailure::AccessDenied {
                        call,
                        action: format!("{service}:{call}"),
                        message,
                    }
                }
                "AWSOrganizationsNotInUseException" => AwsFailure::NotInOrganization { call },
                "ExpiredTokenException"
                | "ExpiredToken"
                | "InvalidClientTokenId"
                | "UnauthorizedException"
                | "UnrecognizedClientException"
                | "InvalidSignatureException"
                | "SignatureDoesNotMatch" => AwsFailure::ExpiredCredentials { call, code },
                "TooManyRequestsException" | "ThrottlingException" | "Throttling" => {
                    AwsFailure::Throttled { call }
                }
                _ => AwsFailure::Other {
                    call,
                    detail: format!("{code}: {message}"),
                },
            }
        }
        SdkError::TimeoutError(_) => AwsFailure::Network {
            call,
            detail: "timed out".into(),
        },
        SdkError::DispatchFailure(df) if df.is_io() || df.is_timeout() => AwsFailure::Network {
            call,
            detail: source_summary(err),
        },
        _ => {
            let detail = source_summary(err);
            if detail.to_ascii_lowercase().contains("credential") {
                AwsFailure::NoCredentials {
                    detail: without_debug_dump(&detail),
                }
            } else {
                AwsFailure::Other { call, detail }
            }
        }
    }
}

/// The error chain as text, with anything that looks like a URL cut out: connector errors
/// embed request URLs, and later features sign secrets into URLs.
fn source_summary<E, R>(err: &SdkError<E, R>) -> String
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    strip_urls(&DisplayErrorContext(err).to_string())
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
    use super::*;

    #[test]
    fn debug_dump_is_dropped_from_credential_errors() {
        let raw = "dispatch failure: other: no credentials found in chain. Attempted:\n  Environment: not set (DispatchFailure(DispatchFailure { source: ConnectorError { .. } }))";
        assert_eq!(
            without_debug_dump(raw),
            "no credentials found in chain. Attempted:\n  Environment: not set"
        );
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
