//! Community workers' tools: the dashboard, private notes, safeguarding, sign-in codes, and
//! redeeming a code.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::accounts::TokenResponse;
use super::extract::{ApiJson, ApiPath};
use super::introductions::NoteRequest;
use crate::auth::ApiViewer;
use crate::error::{AppResult, Problem};
use crate::services::dashboard::{self, Dashboard};
use crate::services::safeguarding::{self, NoteView, Subject};
use crate::services::{sign_in_codes, tokens};
use crate::state::AppState;

/// Best matches to introduce, pending introductions, unconfirmed exchanges, new residents
/// and residents with no offer yet, across the communities you work for.
#[utoipa::path(get, path = "/worker/dashboard", tag = "worker", security(("bearer" = [])),
    responses((status = 200, body = Dashboard), (status = 403, body = Problem)))]
pub async fn worker_dashboard(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> AppResult<Json<Dashboard>> {
    Ok(Json(dashboard::load(&state.db, &viewer).await?))
}

/// Workers' private notes on a member (never shown to residents).
#[utoipa::path(get, path = "/members/{id}/notes", tag = "worker", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = Vec<NoteView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn member_notes(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Vec<NoteView>>> {
    Ok(Json(
        safeguarding::list(&state.db, &viewer, Subject::Member(id)).await?,
    ))
}

/// Adds a private note on a member (workers of their community only).
#[utoipa::path(post, path = "/members/{id}/notes", tag = "worker", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = NoteRequest,
    responses((status = 201, body = NoteView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member_note(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<(StatusCode, Json<NoteView>)> {
    let note = safeguarding::add(&state.db, &viewer, Subject::Member(id), &body.body).await?;
    Ok((StatusCode::CREATED, Json(note)))
}

/// Whether a member's introductions need a second worker's approval.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Safeguarding {
    pub needs_second_approval: bool,
}

/// Sets the safeguarding flag on a member (workers of their community only).
#[utoipa::path(put, path = "/members/{id}/safeguarding", tag = "worker", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = Safeguarding,
    responses((status = 200, body = Safeguarding), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn set_safeguarding(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<Safeguarding>,
) -> AppResult<Json<Safeguarding>> {
    let member =
        safeguarding::set_second_approval(&state.db, &viewer, id, body.needs_second_approval)
            .await?;
    Ok(Json(Safeguarding {
        needs_second_approval: member.needs_second_approval,
    }))
}

/// A one-time sign-in code to hand to a resident, shown only this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignInCode {
    pub code: String,
    pub expires_at: DateTime<Utc>,
    /// Where the resident types it in.
    pub url: String,
}

/// Issues a one-time sign-in code for a resident you signed up (replacing any unused one).
#[utoipa::path(post, path = "/members/{id}/sign-in-code", tag = "worker", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 201, body = SignInCode), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn issue_sign_in_code(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<(StatusCode, Json<SignInCode>)> {
    let (code, expires_at) = sign_in_codes::issue(&state.db, &viewer, id).await?;
    let url = format!("{}/welcome", state.config.base_url);
    Ok((
        StatusCode::CREATED,
        Json(SignInCode {
            code,
            expires_at,
            url,
        }),
    ))
}

/// A sign-in code from a worker, and the password (and optionally email) to start using.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    pub code: String,
    pub password: String,
    pub email: Option<String>,
}

/// Uses a one-time sign-in code: sets your password and returns a bearer token.
#[utoipa::path(post, path = "/welcome", tag = "accounts", request_body = RedeemRequest,
    responses((status = 200, body = TokenResponse), (status = 422, body = Problem)))]
pub async fn redeem_sign_in_code(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RedeemRequest>,
) -> AppResult<Json<TokenResponse>> {
    let member =
        sign_in_codes::redeem(&state.db, &body.code, &body.password, body.email.as_deref()).await?;
    let token = tokens::issue(&state.db, member.id).await?;
    Ok(Json(TokenResponse {
        token,
        member_id: member.id,
        expires_in_days: tokens::TOKEN_LIFETIME_DAYS,
    }))
}
