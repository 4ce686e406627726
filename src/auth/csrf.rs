//! CSRF protection for every HTML form: a per-session secret that each form echoes back.
//!
//! One middleware checks every state-changing request on the HTML side, so a new form cannot
//! forget the check. The JSON API is not covered because it never accepts the session cookie,
//! only bearer tokens, which a browser does not attach on its own.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use subtle::ConstantTimeEq;
use tower_sessions::Session;

/// The form field every HTML form carries.
pub const FIELD: &str = "csrf_token";
const SESSION_KEY: &str = "csrf";
/// Largest form body accepted; kith's forms are small.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, tower_sessions::session::Error> {
    if let Some(token) = session.get::<String>(SESSION_KEY).await? {
        return Ok(token);
    }
    let token = crate::services::tokens::random_secret();
    session.insert(SESSION_KEY, &token).await?;
    Ok(token)
}

/// Rejects unsafe requests whose form lacks the session's token, then passes the body on.
pub async fn verify(session: Session, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response();
    };
    let sent = form_urlencoded_field(&bytes, FIELD);
    let expected = session.get::<String>(SESSION_KEY).await.ok().flatten();
    let valid = match (sent, expected) {
        (Some(sent), Some(expected)) => bool::from(sent.as_bytes().ct_eq(expected.as_bytes())),
        _ => false,
    };
    if !valid {
        tracing::warn!(path = %parts.uri.path(), "form rejected: missing or wrong CSRF token");
        return (StatusCode::FORBIDDEN, Html(REJECTED_PAGE)).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

const REJECTED_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Form expired · kith</title></head>\
<body><main><h1>This form has expired</h1><p>For your safety kith only accepts forms it has just shown you. \
Go back, reload the page and try again.</p><p><a href=\"/\">Home</a></p></main></body></html>";
