//! IAM Identity Center (formerly AWS SSO): which sign-in to use, its token (shared with the
//! AWS CLI's cache), the device-authorization login, and the portal's accounts and roles.

pub mod center;
pub mod device;
pub mod portal;
pub mod settings;
pub mod token;

pub use center::IdentityCenter;
pub use settings::SsoSettings;
pub use token::SsoToken;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SsoError {
    #[error("no valid IAM Identity Center login for {0}: run `orgnav login` (or `aws sso login`)")]
    LoginRequired(String),
    #[error("IAM Identity Center login: {0}")]
    Login(String),
    #[error("{0}")]
    Aws(#[from] crate::aws::error::AwsFailure),
    #[error("IAM Identity Center token cache {path}: {message}")]
    Cache { path: String, message: String },
}
