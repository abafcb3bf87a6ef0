//! How AWS says "slow down": HTTP 429, or an error code naming throttling in the
//! `x-amzn-ErrorType` header or, in JSON protocols, only in the body's `__type`.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// AWS answered "slow down": HTTP 429, or an error code naming throttling.
pub fn is_throttling(response: &HttpResponse) -> bool {
    throttling(
        response.status().as_u16(),
        header_error_code(response).as_deref(),
    )
}

pub(crate) fn throttling(status: u16, code: Option<&str>) -> bool {
    status == 429 || code.is_some_and(|c| c.contains("Throttl") || c.contains("TooManyRequests"))
}

/// The error code AWS names in `x-amzn-ErrorType` (`Code:http://…` → `Code`).
pub(crate) fn header_error_code(response: &HttpResponse) -> Option<String> {
    response
        .headers()
        .get("x-amzn-errortype")
        .map(|c| c.split(':').next().unwrap_or(c).to_string())
}

/// The error code a JSON error body names (`"__type"` or `"code"`, e.g.
/// `com.amazonaws.organizations#TooManyRequestsException` → `TooManyRequestsException`), for
/// answers that name it nowhere else. The body is read into memory and put back for the SDK.
pub(crate) async fn body_error_code(response: &mut HttpResponse) -> Option<String> {
    let body = aws_smithy_types::byte_stream::ByteStream::new(response.take_body());
    let bytes = body.collect().await.ok()?.into_bytes();
    *response.body_mut() = aws_smithy_types::body::SdkBody::from(bytes.clone());
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let named = json.get("__type").or_else(|| json.get("code"))?.as_str()?;
    let code = named.rsplit('#').next().unwrap_or(named);
    Some(code.split(':').next().unwrap_or(code).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_code_named_only_in_the_body_is_read_and_the_body_kept() {
        let body =
            r#"{"__type":"com.amazonaws.organizations#TooManyRequestsException","message":"x"}"#;
        let mut response = HttpResponse::new(
            400.try_into().expect("a status"),
            aws_smithy_types::body::SdkBody::from(body),
        );
        let code = body_error_code(&mut response).await;
        assert_eq!(code.as_deref(), Some("TooManyRequestsException"));
        assert_eq!(response.body().bytes(), Some(body.as_bytes()));
    }
}
