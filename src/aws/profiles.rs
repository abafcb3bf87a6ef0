//! The AWS config and credentials files, read once per process with aws-config's own loader
//! (`AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` respected). The cache key, the role
//! options and the Identity Center settings all read them at start-up; one parse serves all.

use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};
use tokio::sync::OnceCell;

static PROFILES: OnceCell<Result<ProfileSet, String>> = OnceCell::const_new();

/// The parsed files, or why they could not be read.
pub async fn profile_set() -> Result<&'static ProfileSet, &'static str> {
    PROFILES
        .get_or_init(|| async {
            aws_config::profile::load(
                &Fs::real(),
                &Env::real(),
                &EnvConfigFiles::default(),
                None::<std::borrow::Cow<'static, str>>,
            )
            .await
            .map_err(|e| e.to_string())
        })
        .await
        .as_ref()
        .map_err(String::as_str)
}
