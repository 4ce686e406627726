//! Other members' public pages, assisted sign-up by workers, and staff accounts by admins.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};
use super::listings::view_for;
use super::views::{AccountView, PublicMemberView};
use crate::auth::ApiViewer;
use crate::domain::member::{AssistedSignup, MemberDraft, Role};
use crate::error::{AppError, AppResult, Problem};
use crate::services::{listings, members};
use crate::state::AppState;

/// Another member's public page: name, communities, active offers and wants. Never contact details.
#[utoipa::path(get, path = "/members/{id}", tag = "members", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = PublicMemberView), (status = 404, body = Problem)))]
pub async fn show_member(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Json<PublicMemberView>> {
    let (member, places) = members::visible_member(&state.db, &viewer, id).await?;
    let (offers, wants) = listings::public_offers_and_wants(&state.db, &viewer, id).await?;
    let view = |l| view_for(&viewer, l, member.display_name.clone());
    let (offers, wants) = (
        offers.into_iter().map(view).collect(),
        wants.into_iter().map(view).collect(),
    );
    Ok(Json(PublicMemberView {
        id: member.id,
        display_name: member.display_name,
        communities: places
            .into_iter()
            .filter(|p| viewer.role_in(p.community_id).is_some())
            .map(|p| p.slug)
            .collect(),
        offers,
        wants,
    }))
}

/// A resident signed up by a worker, e.g. during a conversation, who may have no email.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssistedResidentRequest {
    /// Slug of a community you work for.
    pub community: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// How the resident agreed to kith keeping their details: `in_person`, `phone` or `paper_form`.
    pub consent_method: String,
    /// Must be true: you confirm the resident agreed.
    pub consent_given: bool,
    /// Defaults to `worker_only`: contact goes through you.
    pub contact_preference: Option<String>,
}

/// Signs up a resident on their behalf (workers and admins of that community only).
#[utoipa::path(post, path = "/residents", tag = "members", security(("bearer" = [])),
    request_body = AssistedResidentRequest,
    responses((status = 201, body = AccountView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_resident(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<AssistedResidentRequest>,
) -> AppResult<(StatusCode, Json<AccountView>)> {
    let place = viewer.place_by_slug(&body.community)?.clone();
    if !place.role.is_staff() {
        return Err(AppError::forbidden(
            "only workers and admins of this community can sign residents up",
        ));
    }
    let input = AssistedSignup {
        display_name: &body.display_name,
        email: body.email.as_deref(),
        phone: body.phone.as_deref(),
        consent_method: &body.consent_method,
        consent_given: body.consent_given,
        contact_preference: body.contact_preference.as_deref(),
    };
    let draft = MemberDraft::assisted(&input, viewer.id())?;
    let member = members::create(&state.db, draft, place.community_id, Role::Resident).await?;
    let places = members::places_of(&state.db, member.id).await?;
    Ok((StatusCode::CREATED, Json(AccountView::new(member, &places))))
}

/// A worker or admin account created by an admin.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffRequest {
    pub community: String,
    pub email: String,
    pub display_name: String,
    /// `worker` or `admin`.
    pub role: String,
    /// Leave out to have one generated and returned once.
    pub password: Option<String>,
}

/// The new staff account and, if kith generated it, the password to hand over.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffCreated {
    #[serde(flatten)]
    pub account: AccountView,
    pub generated_password: Option<String>,
}

/// Creates a worker or admin (admins of that community only).
#[utoipa::path(post, path = "/staff", tag = "members", security(("bearer" = [])), request_body = StaffRequest,
    responses((status = 201, body = StaffCreated), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_staff(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<StaffRequest>,
) -> AppResult<(StatusCode, Json<StaffCreated>)> {
    let place = viewer.place_by_slug(&body.community)?.clone();
    if place.role != Role::Admin {
        return Err(AppError::forbidden(
            "only admins of this community can add workers",
        ));
    }
    let role = Role::parse(&body.role)?;
    if !role.is_staff() {
        return Err(AppError::invalid(
            "role",
            "staff accounts are `worker` or `admin`; residents sign up themselves or through a worker",
        ));
    }
    let generated = body.password.is_none().then(members::generate_password);
    let password = body
        .password
        .as_deref()
        .or(generated.as_deref())
        .unwrap_or_default();
    let mut draft = MemberDraft::self_signup(&body.display_name, &body.email, password)?;
    draft.created_by = Some(viewer.id());
    let member = members::create(&state.db, draft, place.community_id, role).await?;
    let places = members::places_of(&state.db, member.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(StaffCreated {
            account: AccountView::new(member, &places),
            generated_password: generated,
        }),
    ))
}
