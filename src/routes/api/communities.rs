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
