//! Introductions: workers propose, members ask, both members answer; contacts shared only
//! when both accept.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath, parse_json};
use crate::auth::ApiViewer;
use crate::domain::introduction::parse_note;
use crate::error::{AppResult, Problem};
use crate::services::introduction_details::{self, IntroductionDetails};
use crate::services::introductions::{self, Action};
use crate::services::safeguarding::{self, NoteView, Subject};
use crate::state::AppState;

/// An introduction to start for one match (an offer that meets a want).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartIntroduction {
    pub offer: i32,
    pub want: i32,
    /// A short personal note to both members (up to 1000 characters).
    pub note: Option<String>,
}

/// Optional body of accept and decline: a worker answering for a member who cannot log in.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// Member id to answer for; leave out to answer for yourself.
    pub on_behalf_of: Option<i32>,
}

/// A private note for workers.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// Up to 2000 characters.
    pub body: String,
}

/// Introductions you are part of or asked for, and (for workers) all in your communities.
#[utoipa::path(get, path = "/introductions", tag = "introductions", security(("bearer" = [])),
    responses((status = 200, body = Vec<IntroductionDetails>), (status = 401, body = Problem)))]
pub async fn list_introductions(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> AppResult<Json<Vec<IntroductionDetails>>> {
    let mut rows = introductions::of_member(&state.db, viewer.id()).await?;
    let staff_in: Vec<i32> = viewer
        .places
        .iter()
        .filter(|p| p.role.is_staff())
        .map(|p| p.community_id)
        .collect();
    for i in introductions::in_communities(&state.db, &staff_in, false).await? {
        if !rows.iter().any(|r| r.id == i.id) {
            rows.push(i);
        }
    }
    rows.sort_by_key(|i| std::cmp::Reverse(i.id));
    Ok(Json(
        introduction_details::load(&state.db, &viewer, rows).await?,
    ))
}

/// Proposes an introduction (workers of the match's community) or asks a worker for one
/// (either member of the match). A worker proposing a match someone asked about answers that
/// request. Members who need a second worker's approval are told only after it.
#[utoipa::path(post, path = "/introductions", tag = "introductions", security(("bearer" = [])),
    request_body = StartIntroduction,
    responses((status = 201, body = IntroductionDetails), (status = 403, body = Problem),
        (status = 409, description = "An introduction for this match is already under way", body = Problem),
        (status = 422, body = Problem)))]
pub async fn start_introduction(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<StartIntroduction>,
) -> AppResult<(StatusCode, Json<IntroductionDetails>)> {
    let note = parse_note(body.note.as_deref())?;
    let expiry = state.config.introduction_expiry;
    let created =
        introductions::start(&state.db, &viewer, body.offer, body.want, note, expiry).await?;
    let details = introduction_details::load_one(&state.db, &viewer, created).await?;
    Ok((StatusCode::CREATED, Json(details)))
}

/// One introduction; the other member's shared contact details appear once both accepted.
#[utoipa::path(get, path = "/introductions/{id}", tag = "introductions", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = IntroductionDetails), (status = 404, body = Problem)))]
pub async fn show_introduction(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<IntroductionDetails>> {
    let found = introductions::find_visible(&state.db, &viewer, id).await?;
    Ok(Json(
        introduction_details::load_one(&state.db, &viewer, found).await?,
    ))
}

async fn apply(
    state: AppState,
    viewer: crate::services::members::Viewer,
    id: i32,
    action: Action,
    body: &[u8],
) -> AppResult<Json<IntroductionDetails>> {
    let answer: AnswerRequest = if body.iter().all(u8::is_ascii_whitespace) {
        AnswerRequest::default()
    } else {
        parse_json(body)?
    };
    let expiry = state.config.introduction_expiry;
    let updated =
        introductions::act(&state.db, &viewer, id, action, answer.on_behalf_of, expiry).await?;
    Ok(Json(
        introduction_details::load_one(&state.db, &viewer, updated).await?,
    ))
}

/// Accepts an introduction you are part of (a worker may answer for a member who cannot log in).
#[utoipa::path(post, path = "/introductions/{id}/accept", tag = "introductions", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body(content = Option<AnswerRequest>),
    responses((status = 200, body = IntroductionDetails), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn accept_introduction(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
    body: Bytes,
) -> AppResult<Json<IntroductionDetails>> {
    apply(state, viewer, id, Action::Accept, &body).await
}

/// Declines an introduction you are part of; it closes and nothing is shared.
#[utoipa::path(post, path = "/introductions/{id}/decline", tag = "introductions", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body(content = Option<AnswerRequest>),
    responses((status = 200, body = IntroductionDetails), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decline_introduction(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
    body: Bytes,
) -> AppResult<Json<IntroductionDetails>> {
    apply(state, viewer, id, Action::Decline, &body).await
}

/// Withdraws an introduction before both accepted (a worker, or the member who asked).
#[utoipa::path(post, path = "/introductions/{id}/withdraw", tag = "introductions", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = IntroductionDetails), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw_introduction(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<IntroductionDetails>> {
    apply(state, viewer, id, Action::Withdraw, &[]).await
}

/// Approves a proposal as the second worker (not the one who proposed it).
#[utoipa::path(post, path = "/introductions/{id}/approve", tag = "introductions", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = IntroductionDetails), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn approve_introduction(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<IntroductionDetails>> {
    apply(state, viewer, id, Action::Approve, &[]).await
}

/// Records that the two members met.
#[utoipa::path(post, path = "/introductions/{id}/met", tag = "introductions", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = IntroductionDetails), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn mark_met(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<IntroductionDetails>> {
    apply(state, viewer, id, Action::MarkMet, &[]).await
}

/// Workers' private notes on an introduction.
#[utoipa::path(get, path = "/introductions/{id}/notes", tag = "worker", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = Vec<NoteView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn introduction_notes(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Vec<NoteView>>> {
    Ok(Json(
        safeguarding::list(&state.db, &viewer, Subject::Introduction(id)).await?,
    ))
}

/// Adds a private note to an introduction (workers of its community only).
#[utoipa::path(post, path = "/introductions/{id}/notes", tag = "worker", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = NoteRequest,
    responses((status = 201, body = NoteView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_introduction_note(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<(StatusCode, Json<NoteView>)> {
    let note = safeguarding::add(&state.db, &viewer, Subject::Introduction(id), &body.body).await?;
    Ok((StatusCode::CREATED, Json(note)))
}
