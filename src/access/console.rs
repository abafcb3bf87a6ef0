//! The console sign-in URL for an assumed session: the partition's federation endpoint (or the
//! configured one), the destination (`console_dest` builds it), and AWS's `SessionDuration` rule.

use secrecy::SecretString;

use super::{Access, AccessError, Assumed};
use crate::aws::console::{SigninRequest, signin_url};

/// The issuer the federation endpoint is told about.
pub const ISSUER: &str = "orgnav";

impl Access {
    /// The console sign-in URL for a session (a bearer secret), landing on `destination`,
    /// behind AWS's sign-out redirect with `console.logout_first`
    /// (`console_dest::destination_url` makes it from an alias, path or URL).
    pub async fn console_url(
        &self,
        assumed: &Assumed,
        destination: &str,
    ) -> Result<SecretString, AccessError> {
        if self.demo {
            return Ok(super::demo::console_url(assumed, destination));
        }
        let s = &assumed.session;
        let federation_url = self
            .settings
            .federation_url
            .clone()
            .unwrap_or_else(|| super::console_dest::federation_url(&s.region).to_string());
        let req = SigninRequest {
            federation_url: &federation_url,
            credentials: &s.credentials,
            session_duration: (!assumed.chained).then_some(self.settings.duration_seconds),
            destination,
            issuer: ISSUER,
        };
        let url = signin_url(self.federation_http(), &req)
            .await
            .map_err(|e| AccessError::Console(e.to_string()))?;
        // Every caller (open, print, copy) gets the sign-out-first form when configured.
        Ok(super::console_links::signout_first(
            self.settings.logout_first,
            url,
        ))
    }
}
