//! Extractors that turn a request into a [`Viewer`]: from the session cookie on HTML pages,
//! from a bearer token on the JSON API.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::error::AppError;
use crate::services::members::{self, Viewer};
use crate::state::AppState;

/// Session key holding the logged-in member's id.
pub const MEMBER_KEY: &str = "member_id";

/// The member behind a valid `Authorization: Bearer` token; 401 otherwise.
pub struct ApiViewer(pub Viewer);

impl FromRequestParts<AppState> for ApiViewer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers).ok_or(AppError::Unauthorized)?;
        let member_id = crate::services::tokens::resolve(&state.db, &token)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let viewer = members::load_viewer(&state.db, member_id)
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(ApiViewer(viewer))
    }
}

/// The raw token from an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_string())
}

/// The logged-in member on an HTML page, if any.
pub struct OptionalWebViewer(pub Option<Viewer>);

impl FromRequestParts<AppState> for OptionalWebViewer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, msg)| AppError::Internal(msg.to_string()))?;
        let member_id = session
            .get::<i32>(MEMBER_KEY)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let viewer = match member_id {
            Some(id) => members::load_viewer(&state.db, id).await?,
            None => None,
        };
        Ok(OptionalWebViewer(viewer))
    }
}

/// The logged-in member on an HTML page; anyone else is sent to the login page.
pub struct WebViewer(pub Viewer);

impl FromRequestParts<AppState> for WebViewer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let OptionalWebViewer(viewer) = OptionalWebViewer::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        viewer.map(WebViewer).ok_or_else(|| {
            // Only same-site paths are remembered, so `next` cannot become an open redirect.
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = format!("/login?next={}", urlencode(next));
            Redirect::to(&target).into_response()
        })
    }
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}
