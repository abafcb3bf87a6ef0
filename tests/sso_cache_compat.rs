//! The token orgnav writes is the one the AWS SDKs read: aws-config's own SSO token provider
//! (the Rust SDK's reader of the AWS CLI's cache) loads it from `~/.aws/sso/cache`.
//! Its own binary: it points HOME at a temporary directory for the whole process.
#![allow(clippy::unwrap_used)]

use aws_credential_types::provider::token::ProvideToken;
use orgnav::sso::SsoToken;
use orgnav::sso::token::{cache_path, store};
use secrecy::SecretString;

#[test]
fn aws_config_reads_the_token_orgnav_writes() {
    let home = tempfile::tempdir().unwrap();
    // SAFETY: the only test of this binary, before any other thread starts.
    unsafe { std::env::set_var("HOME", home.path()) };
    let token = SsoToken {
        access_token: SecretString::from("written-by-orgnav".to_string()),
        expires_at: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(8),
        refresh_token: Some(SecretString::from("refresh".to_string())),
        client_id: Some("client".into()),
        client_secret: Some(SecretString::from("secret".to_string())),
        registration_expires_at: Some(
            jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 90),
        ),
        start_url: Some("https://d-1234567890.awsapps.com/start".into()),
        region: Some("eu-west-1".into()),
    };
    store(&cache_path(home.path(), "corp"), &token).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let read = rt.block_on(async {
        let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("eu-west-1"))
            .no_credentials()
            .load()
            .await;
        let provider = aws_config::sso::SsoTokenProvider::builder()
            .configure(&conf)
            .region(aws_config::Region::new("eu-west-1"))
            .session_name("corp")
            .start_url("https://d-1234567890.awsapps.com/start")
            .build()
            .await;
        provider.provide_token().await
    });
    assert_eq!(read.unwrap().token(), "written-by-orgnav");
}
