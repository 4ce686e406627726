//! Listing communities (public, for sign-up) and creating them (admins).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::ApiJson;
use super::views::CommunityView;
use crate::auth::ApiViewer;
use crate::domain::community::CommunityDraft;
use crate::domain::member::Role;
use crate::error::{AppError, AppResult, Problem};
use crate::services::{communities, members};
use crate::state::AppState;

/// Every community, so a new resident can pick theirs.
#[utoipa::path(get, path = "/communities", tag = "communities",
    responses((status = 200, body = Vec<CommunityView>)))]
pub async fn list_communities(
    State(state): State<AppState>,
) -> AppResult<Json<Vec<CommunityView>>> {
    let all = communities::list(&state.db).await?;
    Ok(Json(all.into_iter().map(CommunityView::from).collect()))
}

/// A new community.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCommunity {
    /// 2–40 lower-case letters, digits and dashes.
    pub slug: String,
    pub name: String,
    pub host_org: Option<String>,
}

/// Creates a community; the admin creating it becomes its admin.
#[utoipa::path(post, path = "/communities", tag = "communities", security(("bearer" = [])),
    request_body = CreateCommunity,
    responses((status = 201, body = CommunityView), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_community(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<CreateCommunity>,
) -> AppResult<(StatusCode, Json<CommunityView>)> {
    if !viewer.is_admin() {
        return Err(AppError::forbidden("only admins can create communities"));
    }
    let draft = CommunityDraft::parse(&body.slug, &body.name, body.host_org.as_deref())?;
    let txn = sea_orm::TransactionTrait::begin(&state.db).await?;
    let community = communities::create(&txn, draft).await?;
    members::join(&txn, viewer.id(), community.id, Role::Admin).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(community.into())))
}

/// New balance limits for a community's members, in whole hours.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitsRequest {
    /// Lowest balance allowed, e.g. -20 (hours); zero or below.
    pub min_hours: i64,
    /// Highest balance allowed, e.g. 100 (hours); zero or above.
    pub max_hours: i64,
}

/// A community's balance limits.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct LimitsView {
    pub community: String,
    pub min_balance_minutes: i64,
    pub max_balance_minutes: i64,
}

/// Changes a community's balance limits (its admins only). Postings that would take a member
/// past them are refused from then on; members already past them can still move back.
#[utoipa::path(patch, path = "/communities/{slug}/limits", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = LimitsRequest,
    responses((status = 200, body = LimitsView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn update_limits(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    super::extract::ApiPath(slug): super::extract::ApiPath<String>,
    ApiJson(body): ApiJson<LimitsRequest>,
) -> AppResult<Json<LimitsView>> {
    let place = viewer.place_by_slug(&slug)?.clone();
    if place.role != Role::Admin {
        return Err(AppError::forbidden(
            "only admins of this community can change its limits",
        ));
    }
    if body.min_hours > 0 || body.min_hours < -1000 {
        return Err(AppError::invalid(
            "min_hours",
            "give a minimum between -1000 and 0 hours",
        ));
    }
    if body.max_hours < 0 || body.max_hours > 1000 {
        return Err(AppError::invalid(
            "max_hours",
            "give a maximum between 0 and 1000 hours",
        ));
    }
    let updated = communities::set_limits(
        &state.db,
        place.community_id,
        body.min_hours * 60,
        body.max_hours * 60,
    )
    .await?;
    Ok(Json(LimitsView {
        community: updated.slug,
        min_balance_minutes: updated.min_balance_minutes,
        max_balance_minutes: updated.max_balance_minutes,
    }))
}
