//! Takes secret values out of log text. At `trace` the AWS SDK dumps whole requests and
//! responses (headers such as `x-amz-sso_bearer_token`, and with `LOG_SENSITIVE_BODIES` the
//! bodies too), in several spellings: HTTP header maps, escaped JSON inside a byte-string
//! dump, XML, form and URL encoding. Rather than chase each log site, every line is cleaned
//! here, on its way to the file: the value after any sensitive key is replaced.

use std::borrow::Cow;

/// What replaces a secret value.
pub const REDACTED: &str = "[redacted]";

/// Keys whose values are secrets, lower case. Matching is by substring, so
/// `aws_session_token` is covered by `session_token`, `SessionToken` by `sessiontoken`.
const SENSITIVE_KEYS: &[&str] = &[
    "x-amz-sso_bearer_token",
    "x-amz-security-token",
    "authorization",
    "accesstoken",
    "access_token",
    "refreshtoken",
    "refresh_token",
    "clientsecret",
    "client_secret",
    "secretaccesskey",
    "secret_access_key",
    "sessiontoken",
    "session_token",
    "signintoken",
    "sessionkey",
    "tokencode",
    "devicecode",
    "device_code",
    "codeverifier",
    "code_verifier",
    "samlassertion",
    "webidentitytoken",
    "password",
];

/// Between a key and its value: quotes, escapes, spaces, `:`, `=`, `>` and their URL encodings.
const SEPARATOR_TOKENS: &[&str] = &[
    "%22", "%3a", "%3A", "%3d", "%3D", "%20", "\"", "\\", "'", ":", "=", ">", " ", "\t",
];

/// Where an unquoted value ends.
const VALUE_ENDS: &[u8] = b"&<,;\"\\' \t\r\n)}]";

/// `text` with every sensitive value replaced by [`REDACTED`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some((start, key)) = next_key(&lower, from) {
        let after_key = start + key.len();
        from = after_key;
        // `</SessionToken>` closes a value; it does not start one.
        if lower[..start].ends_with("</") {
            continue;
        }
        let Some((value_start, quote)) = separator(text, after_key) else {
            continue;
        };
        let value_end = value_end(text, value_start, quote);
        if value_end > value_start {
            out.push_str(&text[copied..value_start]);
            out.push_str(REDACTED);
            copied = value_end;
            from = value_end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The earliest sensitive key at or after `from`.
fn next_key(lower: &str, from: usize) -> Option<(usize, &'static str)> {
    SENSITIVE_KEYS
        .iter()
        .filter_map(|k| lower[from..].find(k).map(|i| (from + i, *k)))
        .min_by_key(|(i, k)| (*i, std::cmp::Reverse(k.len())))
}

/// After a key: where the value starts and the quote that closes it (`"`, `\"` or `%22`), if
/// any. None when what follows is not an assignment (no `:`, `=` or `>` in between).
fn separator(text: &str, mut at: usize) -> Option<(usize, Option<&'static str>)> {
    let mut assigns = false;
    let mut last: Option<&'static str> = None;
    let mut before_last: Option<&'static str> = None;
    while let Some(token) = SEPARATOR_TOKENS
        .iter()
        .find(|t| text[at..].starts_with(**t))
    {
        assigns |= matches!(*token, ":" | "=" | ">" | "%3a" | "%3A" | "%3d" | "%3D");
        before_last = last;
        last = Some(token);
        at += token.len();
    }
    if !assigns {
        return None;
    }
    let quote = match (before_last, last) {
        (Some("\\"), Some("\"")) => Some("\\\""),
        (_, Some("\"")) => Some("\""),
        (_, Some("%22")) => Some("%22"),
        _ => None,
    };
    Some((at, quote))
}

fn value_end(text: &str, start: usize, quote: Option<&str>) -> usize {
    let rest = &text[start..];
    let len = match quote {
        Some(q) => rest.find(q),
        None => rest.bytes().position(|b| VALUE_ENDS.contains(&b)),
    };
    start + len.unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> String {
        redact(text).into_owned()
    }

    #[test]
    fn header_maps_lose_their_secret_values() {
        let dump = r#"headers: {"x-amz-sso_bearer_token": "aoa-TOKEN", "user-agent": "sdk", "authorization": "AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=abc", "x-amz-security-token": "IQoJ-TOKEN"}"#;
        assert_eq!(
            clean(dump),
            r#"headers: {"x-amz-sso_bearer_token": "[redacted]", "user-agent": "sdk", "authorization": "[redacted]", "x-amz-security-token": "[redacted]"}"#
        );
    }

    #[test]
    fn escaped_json_in_a_body_dump() {
        let dump = r#"response=b"{\"roleCredentials\":{\"accessKeyId\":\"ASIA1\",\"secretAccessKey\":\"s/k+1\",\"sessionToken\":\"t==\"}}""#;
        assert_eq!(
            clean(dump),
            r#"response=b"{\"roleCredentials\":{\"accessKeyId\":\"ASIA1\",\"secretAccessKey\":\"[redacted]\",\"sessionToken\":\"[redacted]\"}}""#
        );
    }

    #[test]
    fn xml_form_and_url_encodings() {
        assert_eq!(
            clean(r"<SecretAccessKey>abc/d</SecretAccessKey>\n<SessionToken>FQo=</SessionToken>"),
            r"<SecretAccessKey>[redacted]</SecretAccessKey>\n<SessionToken>[redacted]</SessionToken>"
        );
        assert_eq!(
            clean("Action=AssumeRole&TokenCode=123456&SerialNumber=arn"),
            "Action=AssumeRole&TokenCode=[redacted]&SerialNumber=arn"
        );
        assert_eq!(
            clean("?Action=login&SigninToken=abc-DEF_1&Destination=x"),
            "?Action=login&SigninToken=[redacted]&Destination=x"
        );
        assert_eq!(
            clean("Session=%7B%22sessionId%22%3A%22ASIA%22%2C%22sessionKey%22%3A%22k%2Fy%22%7D"),
            "Session=%7B%22sessionId%22%3A%22ASIA%22%2C%22sessionKey%22%3A%22[redacted]%22%7D"
        );
    }

    #[test]
    fn plain_words_and_empty_values_are_left_alone() {
        for text in [
            "no authorization scheme matched",
            "refreshed the Identity Center token",
            "aws_session_token=\"\"",
        ] {
            assert_eq!(redact(text), text);
        }
        assert_eq!(
            clean("access_token: SecretBox<str>([REDACTED])"),
            "access_token: [redacted]<str>([REDACTED])"
        );
    }
}
