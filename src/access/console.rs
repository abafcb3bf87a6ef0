//! The console sign-in URL for an assumed session: the partition's federation endpoint (or the
//! configured one), the destination for the service, and AWS's `SessionDuration` rule.

use secrecy::SecretString;

use super::{Access, AccessError, Assumed};
use crate::aws::console::{SigninRequest, destination, hosts, signin_url};
use crate::aws::roles::partition;

/// The issuer the federation endpoint is told about.
pub const ISSUER: &str = "orgnav";

impl Access {
    /// The console sign-in URL for a session (a bearer secret).
    pub async fn console_url(
        &self,
        assumed: &Assumed,
        service: Option<&str>,
    ) -> Result<SecretString, AccessError> {
        if self.demo {
            return Ok(super::demo::console_url(assumed, service));
        }
        let s = &assumed.session;
        let part = partition(&s.region);
        let federation_url = self
            .settings
            .federation_url
            .clone()
            .unwrap_or_else(|| hosts(part).federation.to_string());
        let dest = destination(part, service, &s.region);
        let req = SigninRequest {
            federation_url: &federation_url,
            credentials: &s.credentials,
            session_duration: (!assumed.chained).then_some(self.settings.duration_seconds),
            destination: &dest,
            issuer: ISSUER,
        };
        signin_url(self.federation_http(), &req)
            .await
            .map_err(|e| AccessError::Console(e.to_string()))
    }
}
