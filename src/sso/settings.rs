//! Which Identity Center sign-in orgnav uses, read from `~/.aws/config` with aws-config's own
//! profile loader: config `sso.session` names an `[sso-session]`; otherwise the active
//! profile's `sso_session` (or its legacy `sso_start_url` / `sso_region`); otherwise the only
//! `[sso-session]` in the file.

/// The scope that lets a token list accounts and get role credentials.
pub const ACCOUNT_ACCESS_SCOPE: &str = "sso:account:access";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSettings {
    /// The `[sso-session]` name; None for a legacy profile (its token is keyed by start URL).
    pub session: Option<String>,
    pub start_url: String,
    /// The Identity Center region (`sso_region`).
    pub region: String,
    /// `sso_registration_scopes` of the session (legacy profiles have none).
    pub scopes: Vec<String>,
}

impl SsoSettings {
    /// What the AWS CLI hashes into the token file name: the session name, else the start URL.
    pub fn cache_key(&self) -> &str {
        self.session.as_deref().unwrap_or(&self.start_url)
    }

    /// For messages and the status bar.
    pub fn label(&self) -> String {
        match &self.session {
            Some(s) => format!("sso-session {s}"),
            None => self.start_url.clone(),
        }
    }

    /// Only sessions issue refresh tokens; legacy start-URL tokens must be renewed by logging in.
    pub fn refreshable(&self) -> bool {
        self.session.is_some()
    }
}

/// `explicit`: config `sso.session`. `profile`: the active profile name, if any.
pub async fn detect(
    explicit: Option<&str>,
    profile: Option<&str>,
) -> Result<Option<SsoSettings>, String> {
    let set = match crate::aws::profiles::profile_set().await {
        Ok(set) => set,
        Err(e) => {
            tracing::debug!(error = %e, "no AWS profiles to read Identity Center settings from");
            return Ok(None);
        }
    };
    let session = |name: &str| -> Result<SsoSettings, String> {
        let s = set
            .sso_session(name)
            .ok_or_else(|| format!("there is no [sso-session {name}] in the AWS config file"))?;
        let get = |k: &str| s.get(k).map(str::to_string);
        Ok(SsoSettings {
            session: Some(name.to_string()),
            start_url: get("sso_start_url")
                .ok_or_else(|| format!("[sso-session {name}] has no sso_start_url"))?,
            region: get("sso_region")
                .ok_or_else(|| format!("[sso-session {name}] has no sso_region"))?,
            scopes: get("sso_registration_scopes")
                .map(|v| {
                    v.split(',')
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        })
    };
    if let Some(name) = explicit {
        return session(name).map(Some);
    }
    let active = profile
        .map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".to_string());
    if let Some(p) = set.get_profile(&active) {
        if let Some(name) = p.get("sso_session") {
            return session(name)
                .map(Some)
                .map_err(|e| format!("profile `{active}` names sso_session `{name}`, but {e}"));
        }
        if let (Some(url), Some(region)) = (p.get("sso_start_url"), p.get("sso_region")) {
            return Ok(Some(SsoSettings {
                session: None,
                start_url: url.to_string(),
                region: region.to_string(),
                scopes: Vec::new(),
            }));
        }
    }
    let sessions: Vec<&str> = set.sso_sessions().collect();
    match sessions.as_slice() {
        [only] => session(only).map(Some),
        _ => Ok(None),
    }
}
