//! Exchanges, group sessions, reversals and members' ledgers.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use entity::{exchange, posting};
use sea_orm::DatabaseTransaction;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiPath, idempotency_key, parse_json};
use super::keyed;
use super::views::MemberRef;
use crate::auth::ApiViewer;
use crate::domain::exchange::{ActivityDraft, ExchangeDraft};
use crate::error::{AppError, AppResult, Problem};
use crate::services::idempotency::Keyed;
use crate::services::members::{self, Viewer};
use crate::services::statements::{self, Statement};
use crate::services::{exchanges, introductions};
use crate::state::AppState;

/// Time one member gave another.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangeView {
    pub id: i32,
    pub giver: MemberRef,
    pub receiver: MemberRef,
    pub minutes: i64,
    pub date: NaiveDate,
    pub description: String,
    /// `pending`, `confirmed` or `disputed`.
    pub status: String,
    /// Recorded or answered by a worker on someone's behalf.
    pub assisted: bool,
    pub recorded_by: i32,
    pub confirmed_by: Option<i32>,
    pub dispute_reason: Option<String>,
    /// The ledger posting, once confirmed.
    pub posting_id: Option<i32>,
    pub created_at: DateTime<Utc>,
}

impl ExchangeView {
    pub async fn load(db: &impl sea_orm::ConnectionTrait, e: exchange::Model) -> AppResult<Self> {
        let giver = MemberRef {
            id: e.giver_id,
            display_name: members::display_name(db, e.giver_id).await?,
        };
        let receiver = MemberRef {
            id: e.receiver_id,
            display_name: members::display_name(db, e.receiver_id).await?,
        };
        Ok(Self {
            id: e.id,
            giver,
            receiver,
            minutes: e.minutes,
            date: e.date,
            description: e.description,
            status: e.status,
            assisted: e.assisted,
            recorded_by: e.recorded_by,
            confirmed_by: e.confirmed_by,
            dispute_reason: e.dispute_reason,
            posting_id: e.posting_id,
            created_at: e.created_at,
        })
    }
}

/// Turns a service result into its view, reading names in the same transaction, and hands
/// the transaction back (see `keyed::run`).
async fn with_view(
    txn: DatabaseTransaction,
    result: AppResult<exchange::Model>,
) -> (DatabaseTransaction, AppResult<ExchangeView>) {
    let view = match result {
        Ok(e) => ExchangeView::load(&txn, e).await,
        Err(e) => Err(e),
    };
    (txn, view)
}

/// An exchange to record; the other side then confirms it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordExchange {
    /// Member id of whoever gave the time.
    pub giver: i32,
    /// Member id of whoever received it.
    pub receiver: i32,
    /// Whole minutes, 1 to 1440.
    pub minutes: i64,
    /// `YYYY-MM-DD`, today or earlier; defaults to today.
    pub date: Option<String>,
    /// What was done.
    pub description: String,
    /// Community slug; defaults to your first community.
    pub community: Option<String>,
    pub offer: Option<i32>,
    pub want: Option<i32>,
    /// The introduction this exchange came from; it is then marked "exchange recorded".
    pub introduction: Option<i32>,
}

fn community_for(viewer: &Viewer, slug: Option<&str>) -> AppResult<i32> {
    match slug {
        Some(slug) => Ok(viewer.place_by_slug(slug)?.community_id),
        None => viewer
            .home()
            .map(|p| p.community_id)
            .ok_or_else(|| AppError::forbidden("you do not belong to any community yet")),
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Records an exchange. Send an `Idempotency-Key` header to make retries safe.
#[utoipa::path(post, path = "/exchanges", tag = "timebank", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key: the same key returns the first result")),
    request_body = RecordExchange,
    responses((status = 201, body = ExchangeView), (status = 403, body = Problem),
        (status = 409, description = "Key reused for a different request", body = Problem), (status = 422, body = Problem)))]
pub async fn record_exchange(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let input: RecordExchange = parse_json(&body)?;
    let keyed = Keyed::new(
        viewer.id(),
        idempotency_key(&headers).as_deref(),
        "POST /exchanges",
        &body,
    )?;
    let date = input.date.clone().unwrap_or_else(|| today().to_string());
    let mut draft = ExchangeDraft::parse(
        input.giver,
        input.receiver,
        input.minutes,
        &date,
        &input.description,
        today(),
    )?;
    draft.offer_id = input.offer;
    draft.want_id = input.want;
    let community_id = community_for(&viewer, input.community.as_deref())?;
    let from_introduction = input.introduction;
    keyed::run(
        &state,
        community_id,
        keyed,
        StatusCode::CREATED,
        |txn, community| async move {
            let result = exchanges::record(&txn, &community, &viewer, draft).await;
            let result = match (result, from_introduction) {
                (Ok(e), Some(id)) => introductions::link_exchange(&txn, &viewer, id, &e)
                    .await
                    .map(|_| e),
                (other, _) => other,
            };
            with_view(txn, result).await
        },
    )
    .await
}

/// Exchanges you took part in (and, for workers, every exchange in their communities).
#[utoipa::path(get, path = "/exchanges", tag = "timebank", security(("bearer" = [])),
    responses((status = 200, body = Vec<ExchangeView>), (status = 401, body = Problem)))]
pub async fn list_exchanges(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> AppResult<Json<Vec<ExchangeView>>> {
    let mut views = Vec::new();
    for e in exchanges::list_for(&state.db, &viewer).await? {
        views.push(ExchangeView::load(&state.db, e).await?);
    }
    Ok(Json(views))
}

/// Confirms an exchange recorded by the other side and posts its time. Confirming twice is harmless.
#[utoipa::path(post, path = "/exchanges/{id}/confirm", tag = "timebank", security(("bearer" = [])),
    params(("id" = i32, Path), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key")),
    responses((status = 200, body = ExchangeView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, description = "Would break a balance limit", body = Problem)))]
pub async fn confirm_exchange(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let found = exchanges::find_visible(&state.db, &viewer, id).await?;
    let keyed = Keyed::new(
        viewer.id(),
        idempotency_key(&headers).as_deref(),
        &format!("confirm {id}"),
        b"",
    )?;
    keyed::run(
        &state,
        found.community_id,
        keyed,
        StatusCode::OK,
        |txn, community| async move {
            let result = exchanges::confirm(&txn, &community, &viewer, id).await;
            with_view(txn, result).await
        },
    )
    .await
}

/// Why an exchange did not happen as recorded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeRequest {
    pub reason: String,
}

/// Disputes an exchange recorded by the other side; nothing is posted.
#[utoipa::path(post, path = "/exchanges/{id}/dispute", tag = "timebank", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = DisputeRequest,
    responses((status = 200, body = ExchangeView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn dispute_exchange(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
    body: Bytes,
) -> AppResult<Response> {
    let input: DisputeRequest = parse_json(&body)?;
    let found = exchanges::find_visible(&state.db, &viewer, id).await?;
    keyed::run(
        &state,
        found.community_id,
        None,
        StatusCode::OK,
        |txn, community| async move {
            let result = exchanges::dispute(&txn, &community, &viewer, id, &input.reason).await;
            with_view(txn, result).await
        },
    )
    .await
}

/// A group session to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordActivity {
    /// Member id of whoever ran it; they earn its time once.
    pub host: i32,
    pub title: String,
    pub minutes: i64,
    pub date: Option<String>,
    /// Member ids of those who took part.
    pub attendees: Vec<i32>,
    pub community: Option<String>,
}

/// A recorded group session.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityView {
    pub id: i32,
    pub host: i32,
    pub title: String,
    pub minutes: i64,
    pub date: NaiveDate,
    pub attendees: Vec<i32>,
    pub posting_id: i32,
}

/// Records a group session, paid to the host from the community account.
#[utoipa::path(post, path = "/activities", tag = "timebank", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key")),
    request_body = RecordActivity,
    responses((status = 201, body = ActivityView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn record_activity(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let input: RecordActivity = parse_json(&body)?;
    let keyed = Keyed::new(
        viewer.id(),
        idempotency_key(&headers).as_deref(),
        "POST /activities",
        &body,
    )?;
    let date = input.date.clone().unwrap_or_else(|| today().to_string());
    let draft = ActivityDraft::parse(
        input.host,
        &input.title,
        input.minutes,
        &date,
        &input.attendees,
        today(),
    )?;
    let community_id = community_for(&viewer, input.community.as_deref())?;
    keyed::run(
        &state,
        community_id,
        keyed,
        StatusCode::CREATED,
        |txn, community| async move {
            let result = exchanges::record_activity(&txn, &community, &viewer, draft)
                .await
                .map(|(a, attendees)| ActivityView {
                    id: a.id,
                    host: a.host_id,
                    title: a.title,
                    minutes: a.minutes,
                    date: a.date,
                    attendees,
                    posting_id: a.posting_id,
                });
            (txn, result)
        },
    )
    .await
}

/// Why a posting is being reversed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReverseRequest {
    pub reason: String,
}

/// A posting in the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingView {
    pub id: i32,
    pub kind: String,
    pub reverses_posting_id: Option<i32>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<posting::Model> for PostingView {
    fn from(p: posting::Model) -> Self {
        Self {
            id: p.id,
            kind: p.kind,
            reverses_posting_id: p.reverses_posting_id,
            reason: p.reason,
            created_at: p.created_at,
        }
    }
}

/// Corrects a mistake with a compensating posting (workers only, with a reason).
#[utoipa::path(post, path = "/postings/{id}/reverse", tag = "timebank", security(("bearer" = [])),
    params(("id" = i32, Path), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key")),
    request_body = ReverseRequest,
    responses((status = 201, body = PostingView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reverse_posting(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let input: ReverseRequest = parse_json(&body)?;
    let keyed = Keyed::new(
        viewer.id(),
        idempotency_key(&headers).as_deref(),
        &format!("reverse {id}"),
        &body,
    )?;
    let (original, _) = crate::services::ledger::load_posting(&state.db, id).await?;
    if !viewer.is_staff_in(original.community_id) {
        return Err(AppError::NotFound("posting"));
    }
    keyed::run(
        &state,
        original.community_id,
        keyed,
        StatusCode::CREATED,
        |txn, community| async move {
            let result = exchanges::reverse(&txn, &community, &viewer, id, &input.reason)
                .await
                .map(PostingView::from);
            (txn, result)
        },
    )
    .await
}

/// A member's balances, reciprocity figures and history (themselves and their workers only).
#[utoipa::path(get, path = "/members/{id}/ledger", tag = "timebank", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = Statement), (status = 404, body = Problem)))]
pub async fn member_ledger(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<Statement>> {
    Ok(Json(statements::for_member(&state.db, &viewer, id).await?))
}
