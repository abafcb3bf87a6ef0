//! Organizations' throttling answer, as aws-smithy-mocks rules return it.

use aws_sdk_organizations::error::ErrorMetadata;
use aws_sdk_organizations::types::error::TooManyRequestsException;

/// HTTP 400 `TooManyRequestsException`. Real responses carry the code in the metadata; the
/// SDK's retry classifier reads it.
pub fn too_many_requests() -> TooManyRequestsException {
    TooManyRequestsException::builder()
        .message("Rate exceeded")
        .meta(
            ErrorMetadata::builder()
                .code("TooManyRequestsException")
                .build(),
        )
        .build()
}
