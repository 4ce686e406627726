//! The digest outbox for admins: what is pending, sent or failed (with reasons), and retry.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ApiViewer;
use crate::error::{AppError, AppResult, Problem};
use crate::services::{members, outbox};
use crate::state::AppState;

/// Rows listed.
const SHOWN: u64 = 200;

/// How many digests are in one status.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusCount {
    /// `pending`, `sending`, `sent`, `failed` or `cancelled`.
    pub status: String,
    pub count: i64,
}

/// One digest in the outbox (its body is left out).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxRowView {
    pub id: i32,
    pub member_id: i32,
    pub period: String,
    /// `member` or `worker`.
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    /// Why the last attempt failed, as the mail server said it.
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<entity::outbox::Model> for OutboxRowView {
    fn from(r: entity::outbox::Model) -> Self {
        Self {
            id: r.id,
            member_id: r.member_id,
            period: r.period_key,
            kind: r.kind,
            to: r.to_address,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at,
            sent_at: r.sent_at,
        }
    }
}

/// The outbox: counts per status and the latest digests, failed and unsent first.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxView {
    pub counts: Vec<StatusCount>,
    pub rows: Vec<OutboxRowView>,
}

fn admin_only(viewer: &crate::services::members::Viewer) -> AppResult<()> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("only admins can see the outbox"))
    }
}

/// The digest outbox (admins only).
#[utoipa::path(get, path = "/outbox", tag = "mail", security(("bearer" = [])),
    responses((status = 200, body = OutboxView), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn show_outbox(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> AppResult<Json<OutboxView>> {
    admin_only(&viewer)?;
    let members = members::administered(&state.db, &viewer).await?;
    let counts = outbox::counts(&state.db, &members)
        .await?
        .into_iter()
        .map(|(status, count)| StatusCount { status, count })
        .collect();
    let rows = outbox::recent(&state.db, &members, SHOWN)
        .await?
        .into_iter()
        .map(OutboxRowView::from)
        .collect();
    Ok(Json(OutboxView { counts, rows }))
}

/// Queues a failed or cancelled digest again and forgets its address's bounce (admins only).
#[utoipa::path(post, path = "/outbox/{id}/retry", tag = "mail", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Outbox row")),
    responses((status = 200, body = OutboxRowView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn retry_outbox(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i32>,
) -> AppResult<Json<OutboxRowView>> {
    admin_only(&viewer)?;
    let members = members::administered(&state.db, &viewer).await?;
    if !outbox::retry(&state.db, &members, id).await? {
        return Err(AppError::NotFound("outbox row"));
    }
    let row = outbox::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("outbox row"))?;
    Ok(Json(row.into()))
}
