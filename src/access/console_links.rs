//! The addresses around a console sign-in that are built, not fetched: the sign-out redirect
//! that makes a new sign-in replace the browser's old one, the Identity Center access
//! portal's shortcut link, and the `ext+container:` address of Firefox containers.
//!
//! The sign-out address wraps the sign-in URL and so is as secret as it is (a bearer token);
//! the shortcut link holds no secret; the container address wraps only the local hand-off.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What JavaScript's `encodeURIComponent` leaves alone, minus `!*'()`: every byte of a
/// nested URL that could end or split the outer parameter is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `s` as one query or fragment parameter value.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The sign-out redirect in front of `signin_url` (a federation `Action=login` URL): AWS's
/// `/oauth?Action=logout` on the same sign-in host ends the browser's current console
/// session, then sends it on to `redirect_uri`, so the new sign-in replaces the old one
/// instead of stopping at "you must first log out". The host is the sign-in URL's own, so
/// the partition (aws-cn, aws-us-gov) and a configured federation endpoint carry over.
/// None when `signin_url` is not an absolute http(s) URL.
pub fn logout_first_url(signin_url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(signin_url).ok()?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return None;
    }
    let origin = parsed.origin().ascii_serialization();
    Some(format!(
        "{origin}/oauth?Action=logout&redirect_uri={}",
        encode_component(signin_url)
    ))
}

/// With `logout_first`, `url` behind the sign-out redirect (`console.logout_first`); as it is
/// otherwise, or when it is no http(s) URL.
pub fn signout_first(logout_first: bool, url: secrecy::SecretString) -> secrecy::SecretString {
    use secrecy::ExposeSecret;
    if !logout_first {
        return url;
    }
    match logout_first_url(url.expose_secret()) {
        Some(wrapped) => secrecy::SecretString::from(wrapped),
        None => url,
    }
}

/// The access portal's shortcut link: the portal signs in with its own browser session and
/// opens `destination` in `account_id` as permission set `role_name`
/// (`<start URL>/#/console?account_id=…&role_name=…&destination=…`). The start URL is taken
/// as configured (`https://d-xxxxxxxxxx.awsapps.com/start`, or a custom one), without a
/// trailing `/` or an old fragment.
pub fn portal_shortcut_url(
    start_url: &str,
    account_id: &str,
    role_name: &str,
    destination: &str,
) -> String {
    let base = start_url.split('#').next().unwrap_or(start_url);
    let base = base.trim_end_matches('/');
    format!(
        "{base}/#/console?account_id={}&role_name={}&destination={}",
        encode_component(account_id),
        encode_component(role_name),
        encode_component(destination)
    )
}

/// A Firefox container: name, colour and icon as the *Open external links in a container*
/// extension understands them (it creates the container when missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub name: String,
    pub color: &'static str,
    pub icon: &'static str,
}

impl Container {
    /// Red for production accounts, blue otherwise: the colour Firefox shows on the tab.
    pub fn for_account(name: String, production: bool) -> Self {
        Self {
            name,
            color: if production { "red" } else { "blue" },
            icon: "briefcase",
        }
    }

    /// `ext+container:name=…&url=…&color=…&icon=…`, each value encoded.
    pub fn url(&self, url: &str) -> String {
        format!(
            "ext+container:name={}&url={}&color={}&icon={}",
            encode_component(&self.name),
            encode_component(url),
            self.color,
            self.icon
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNIN: &str = "https://signin.aws.amazon.com/federation?Action=login&Issuer=orgnav&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Deu-west-1&SigninToken=T0K+/=";

    #[test]
    fn logout_first_wraps_the_whole_signin_url_once_encoded() {
        assert_eq!(
            logout_first_url(SIGNIN).unwrap(),
            "https://signin.aws.amazon.com/oauth?Action=logout&redirect_uri=\
             https%3A%2F%2Fsignin.aws.amazon.com%2Ffederation%3FAction%3Dlogin%26Issuer%3Dorgnav\
             %26Destination%3Dhttps%253A%252F%252Fconsole.aws.amazon.com%252Fec2%252Fhome%253Fregion%253Deu-west-1\
             %26SigninToken%3DT0K%2B%2F%3D"
        );
    }

    #[test]
    fn logout_first_decodes_back_to_the_signin_url() {
        let wrapped = reqwest::Url::parse(&logout_first_url(SIGNIN).unwrap()).unwrap();
        let params: Vec<(String, String)> = wrapped.query_pairs().into_owned().collect();
        assert_eq!(
            params,
            [
                ("Action".to_string(), "logout".to_string()),
                ("redirect_uri".to_string(), SIGNIN.to_string())
            ]
        );
    }

    #[test]
    fn logout_first_stays_on_the_partition_and_configured_host() {
        let cn = "https://signin.amazonaws.cn/federation?Action=login&SigninToken=x";
        assert!(
            logout_first_url(cn)
                .unwrap()
                .starts_with("https://signin.amazonaws.cn/oauth?Action=logout&redirect_uri=https%3A%2F%2Fsignin.amazonaws.cn%2F")
        );
        let gov = "https://signin.amazonaws-us-gov.com/federation?Action=login&SigninToken=x";
        assert!(
            logout_first_url(gov)
                .unwrap()
                .starts_with("https://signin.amazonaws-us-gov.com/oauth?Action=logout&")
        );
        let local = "http://127.0.0.1:8080/federation?Action=login&SigninToken=x";
        assert!(
            logout_first_url(local)
                .unwrap()
                .starts_with("http://127.0.0.1:8080/oauth?Action=logout&")
        );
        assert_eq!(logout_first_url("not a url"), None);
        assert_eq!(logout_first_url("file:///tmp/x"), None);
    }

    #[test]
    fn portal_shortcut_has_the_exact_parameters_encoded() {
        let dest = "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:";
        assert_eq!(
            portal_shortcut_url(
                "https://d-9067642ac7.awsapps.com/start",
                "123456789012",
                "Admin+Ops@x",
                dest
            ),
            "https://d-9067642ac7.awsapps.com/start/#/console?account_id=123456789012\
             &role_name=Admin%2BOps%40x\
             &destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Deu-west-1%23Instances%3A"
        );
    }

    #[test]
    fn portal_shortcut_tolerates_trailing_slash_and_fragment() {
        for start in [
            "https://d-1.awsapps.com/start/",
            "https://d-1.awsapps.com/start#/",
            "https://d-1.awsapps.com/start/#/",
        ] {
            assert!(
                portal_shortcut_url(start, "1", "R", "d")
                    .starts_with("https://d-1.awsapps.com/start/#/console?account_id=1&"),
                "{start}"
            );
        }
    }

    #[test]
    fn container_url_encodes_name_and_url_and_is_red_for_production() {
        let url = "http://127.0.0.1:4242/0a1b?x=1&y=2";
        assert_eq!(
            Container::for_account("Payments Prod & Co".into(), true).url(url),
            "ext+container:name=Payments%20Prod%20%26%20Co\
             &url=http%3A%2F%2F127.0.0.1%3A4242%2F0a1b%3Fx%3D1%26y%3D2&color=red&icon=briefcase"
        );
        let dev = Container::for_account("dev".into(), false);
        assert!(dev.url(url).contains("&color=blue&"), "{}", dev.url(url));
    }
}
