//! Why the organization could not be read: from Organizations (a crawl) or from IAM Identity
//! Center. The source's own error, so that `aws/` need not know `sso/` (which builds on `aws/`).

use crate::aws::crawl::CrawlError;
use crate::aws::error::AwsFailure;
use crate::sso::SsoError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Organizations(#[from] CrawlError),
    #[error("{0}")]
    IdentityCenter(#[from] SsoError),
}

impl From<AwsFailure> for SourceError {
    fn from(f: AwsFailure) -> Self {
        Self::Organizations(CrawlError::Aws(f))
    }
}

impl SourceError {
    /// AWS could not answer now (unreachable, throttled out, failing): callers fall back to
    /// the cache, marked stale.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Organizations(e) => e.is_transient(),
            Self::IdentityCenter(SsoError::Aws(f)) => f.is_transient(),
            Self::IdentityCenter(_) => false,
        }
    }

    /// Organizations is out of reach for this caller: Identity Center may still work.
    pub fn organizations_unavailable(&self) -> bool {
        matches!(self, Self::Organizations(e) if e.organizations_unavailable())
    }
}
