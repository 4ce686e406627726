//! `/offers` and `/wants`: the same operations for both kinds of listing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use entity::listing;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiPath, ApiQuery, double_option};
use super::views::ListingView;
use crate::auth::ApiViewer;
use crate::domain::listing::{Kind, ListingDraft, ListingPatch};
use crate::error::{AppError, AppResult, Problem};
use crate::services::members::Viewer;
use crate::services::{listings, members};
use crate::state::AppState;

/// A new offer or want.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateListing {
    /// What you can share or would like, in your own words (1–500 characters).
    pub text: String,
    pub category: Option<String>,
    /// `in_person`, `online` or `either` (the default).
    pub mode: Option<String>,
    /// When you are free, e.g. "weekday evenings".
    pub availability: Option<String>,
    /// Slug of the community to post in; defaults to your first community.
    pub community: Option<String>,
    /// Workers only: the resident (member id) to post this for, e.g. during a conversation.
    /// It is marked as added by a worker, and the resident sees that.
    pub member: Option<i32>,
}

/// Changes to an offer or want; absent fields stay as they are, null clears optional ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateListing {
    pub text: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub category: Option<Option<String>>,
    pub mode: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub availability: Option<Option<String>>,
    /// Pause (true) or resume (false): paused listings are hidden from others.
    pub paused: Option<bool>,
}

/// Search within your communities.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words that must all appear in the text or category (case-insensitive).
    pub q: Option<String>,
}

/// Builds the view of a listing in one of `viewer`'s communities.
pub fn view_for(viewer: &Viewer, l: listing::Model, display_name: String) -> ListingView {
    let slug = viewer
        .places
        .iter()
        .find(|p| p.community_id == l.community_id)
        .map(|p| p.slug.clone())
        .unwrap_or_default();
    ListingView::new(l, display_name, slug)
}

async fn create(
    state: AppState,
    viewer: Viewer,
    kind: Kind,
    body: CreateListing,
) -> AppResult<(StatusCode, Json<ListingView>)> {
    let draft = ListingDraft::parse(
        &body.text,
        body.category.as_deref(),
        body.mode.as_deref(),
        body.availability.as_deref(),
    )?;
    let place = match body.community.as_deref() {
        Some(slug) => viewer.place_by_slug(slug)?,
        None => viewer
            .home()
            .ok_or_else(|| AppError::forbidden("you do not belong to any community yet"))?,
    };
    let (owner_id, name, created_by) = match body.member {
        Some(id) if id != viewer.id() => {
            let (owner, _) =
                members::member_in_staff_community(&state.db, &viewer, id, place).await?;
            (owner.id, owner.display_name, Some(viewer.id()))
        }
        _ => (viewer.id(), viewer.member.display_name.clone(), None),
    };
    let created = listings::create(
        &state.db,
        &state.matches,
        kind,
        owner_id,
        place.community_id,
        draft,
        created_by,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view_for(&viewer, created, name))))
}

async fn search(
    state: AppState,
    viewer: Viewer,
    kind: Kind,
    query: SearchQuery,
) -> AppResult<Json<Vec<ListingView>>> {
    let rows =
        listings::search(&state.db, &viewer.community_ids(), kind, query.q.as_deref()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(l, name)| view_for(&viewer, l, name))
            .collect(),
    ))
}

async fn show(
    state: AppState,
    viewer: Viewer,
    kind: Kind,
    id: i32,
) -> AppResult<Json<ListingView>> {
    let found = listings::find(&state.db, kind, id).await?;
    // Others' paused listings are hidden; your own (or your community's, for workers) are not.
    let visible = found.filter(|l| {
        viewer.role_in(l.community_id).is_some()
            && (!l.paused || l.member_id == viewer.id() || viewer.is_staff_in(l.community_id))
    });
    let l = visible.ok_or(AppError::NotFound(kind.as_str()))?;
    let display_name = members::display_name(&state.db, l.member_id).await?;
    Ok(Json(view_for(&viewer, l, display_name)))
}

async fn update(
    state: AppState,
    viewer: Viewer,
    kind: Kind,
    id: i32,
    body: UpdateListing,
) -> AppResult<Json<ListingView>> {
    let patch = ListingPatch::parse(
        body.text.as_deref(),
        body.category.as_ref().map(|c| c.as_deref()),
        body.mode.as_deref(),
        body.availability.as_ref().map(|a| a.as_deref()),
        body.paused,
    )?;
    let existing = listings::find_editable(&state.db, &viewer, kind, id).await?;
    let owner_name = members::display_name(&state.db, existing.member_id).await?;
    let updated = listings::update(&state.db, &state.matches, existing, patch).await?;
    Ok(Json(view_for(&viewer, updated, owner_name)))
}

async fn remove(state: AppState, viewer: Viewer, kind: Kind, id: i32) -> AppResult<StatusCode> {
    let existing = listings::find_editable(&state.db, &viewer, kind, id).await?;
    listings::delete(&state.db, &state.matches, existing).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Generates the thin, documented handlers for one kind; utoipa needs a function per path.
macro_rules! listing_endpoints {
    ($kind:expr, $tag:literal, $collection:literal, $item:literal,
     $create:ident, $search:ident, $show:ident, $update:ident, $remove:ident) => {
        #[doc = concat!("Posts a new ", $tag, " in one of your communities.")]
        #[utoipa::path(post, path = $collection, tag = $tag, security(("bearer" = [])), request_body = CreateListing,
            responses((status = 201, body = ListingView), (status = 401, body = Problem), (status = 422, body = Problem)))]
        pub async fn $create(
            State(state): State<AppState>,
            ApiViewer(viewer): ApiViewer,
            ApiJson(body): ApiJson<CreateListing>,
        ) -> AppResult<(StatusCode, Json<ListingView>)> {
            create(state, viewer, $kind, body).await
        }

        #[doc = concat!("Lists active ", $tag, "s in your communities, optionally filtered by words.")]
        #[utoipa::path(get, path = $collection, tag = $tag, security(("bearer" = [])), params(SearchQuery),
            responses((status = 200, body = Vec<ListingView>), (status = 401, body = Problem)))]
        pub async fn $search(
            State(state): State<AppState>,
            ApiViewer(viewer): ApiViewer,
            ApiQuery(query): ApiQuery<SearchQuery>,
        ) -> AppResult<Json<Vec<ListingView>>> {
            search(state, viewer, $kind, query).await
        }

        #[doc = concat!("Shows one ", $tag, ".")]
        #[utoipa::path(get, path = $item, tag = $tag, security(("bearer" = [])), params(("id" = i32, Path)),
            responses((status = 200, body = ListingView), (status = 404, body = Problem)))]
        pub async fn $show(
            State(state): State<AppState>,
            ApiViewer(viewer): ApiViewer,
            ApiPath(id): ApiPath<i32>,
        ) -> AppResult<Json<ListingView>> {
            show(state, viewer, $kind, id).await
        }

        #[doc = concat!("Edits, pauses or resumes your ", $tag, ".")]
        #[utoipa::path(patch, path = $item, tag = $tag, security(("bearer" = [])), params(("id" = i32, Path)),
            request_body = UpdateListing,
            responses((status = 200, body = ListingView), (status = 403, body = Problem),
                (status = 404, body = Problem), (status = 422, body = Problem)))]
        pub async fn $update(
            State(state): State<AppState>,
            ApiViewer(viewer): ApiViewer,
            ApiPath(id): ApiPath<i32>,
            ApiJson(body): ApiJson<UpdateListing>,
        ) -> AppResult<Json<ListingView>> {
            update(state, viewer, $kind, id, body).await
        }

        #[doc = concat!("Deletes your ", $tag, ".")]
        #[utoipa::path(delete, path = $item, tag = $tag, security(("bearer" = [])), params(("id" = i32, Path)),
            responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
        pub async fn $remove(
            State(state): State<AppState>,
            ApiViewer(viewer): ApiViewer,
            ApiPath(id): ApiPath<i32>,
        ) -> AppResult<StatusCode> {
            remove(state, viewer, $kind, id).await
        }
    };
}

listing_endpoints!(
    Kind::Offer,
    "offer",
    "/offers",
    "/offers/{id}",
    create_offer,
    search_offers,
    show_offer,
    update_offer,
    delete_offer
);
listing_endpoints!(
    Kind::Want,
    "want",
    "/wants",
    "/wants/{id}",
    create_want,
    search_wants,
    show_want,
    update_want,
    delete_want
);
