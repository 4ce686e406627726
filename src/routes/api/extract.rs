//! JSON API extractors whose rejections are problem details, not axum's plain text.

use axum::extract::{FromRequest, FromRequestParts};

use crate::error::AppError;

/// A JSON body; syntax errors are 400, shape errors 422.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// Path parameters; a non-numeric id is a 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// Query-string parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// Deserialises a field that may be absent (`None`), null (`Some(None)`) or set.
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// Parses a JSON body kept as bytes (for requests whose raw body is also fingerprinted).
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            AppError::invalid("body", format!("the JSON does not fit: {e}"))
        } else {
            AppError::BadRequest(format!("the body is not valid JSON: {e}"))
        }
    })
}

/// The `Idempotency-Key` header, if sent.
pub fn idempotency_key(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}
