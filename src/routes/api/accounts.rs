//! Sign-up, login, logout and the member's own account.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, double_option};
use super::views::{AccountView, ListingView};
use crate::auth::ApiViewer;
use crate::auth::extract::bearer_token;
use crate::digest::schedule::Schedule;
use crate::domain::listing::Kind;
use crate::domain::member::{DetailsPatch, MemberDraft, Role};
use crate::error::{AppError, AppResult, Problem};
use crate::services::members::Viewer;
use crate::services::{communities, listings, mail_prefs, members, tokens};
use crate::state::AppState;

/// A resident signing themselves up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    /// Slug of the community to join.
    pub community: String,
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    pub display_name: String,
}

/// Creates a resident account in a community.
#[utoipa::path(post, path = "/signup", tag = "accounts", request_body = SignupRequest,
    responses(
        (status = 201, description = "Account created", body = AccountView),
        (status = 409, description = "Email already registered", body = Problem),
        (status = 422, description = "A field is invalid", body = Problem),
    ))]
pub async fn signup(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SignupRequest>,
) -> AppResult<(StatusCode, Json<AccountView>)> {
    let draft = MemberDraft::self_signup(&body.display_name, &body.email, &body.password)?;
    let community = communities::require_by_slug(&state.db, &body.community, "community").await?;
    let member = members::create(&state.db, draft, community.id, Role::Resident).await?;
    let places = members::places_of(&state.db, member.id).await?;
    Ok((StatusCode::CREATED, Json(AccountView::new(member, &places))))
}

/// Email and password, exchanged for a bearer token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A bearer token for `Authorization: Bearer <token>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub member_id: i32,
    /// Days until the token stops working.
    pub expires_in_days: i64,
}

/// Logs in and returns a bearer token.
#[utoipa::path(post, path = "/login", tag = "accounts", request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Email or password wrong", body = Problem),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Json<TokenResponse>> {
    let member = members::authenticate(&state.db, &body.email, &body.password)
        .await?
        .ok_or_else(|| AppError::Unauthorized)?;
    let token = tokens::issue(&state.db, member.id).await?;
    Ok(Json(TokenResponse {
        token,
        member_id: member.id,
        expires_in_days: tokens::TOKEN_LIFETIME_DAYS,
    }))
}

/// Revokes the token used for this request.
#[utoipa::path(post, path = "/logout", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "Token revoked"), (status = 401, body = Problem)))]
pub async fn logout(
    State(state): State<AppState>,
    _viewer: ApiViewer,
    headers: HeaderMap,
) -> AppResult<StatusCode> {
    let token = bearer_token(&headers).ok_or(AppError::Unauthorized)?;
    tokens::revoke(&state.db, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The member's account with their own offers and wants.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    #[serde(flatten)]
    pub account: AccountView,
    pub offers: Vec<ListingView>,
    pub wants: Vec<ListingView>,
    pub digest: DigestView,
}

/// How often the member gets an email digest of new matches.
#[derive(Debug, Serialize, ToSchema)]
pub struct DigestView {
    /// `off`, `daily` or `weekly`.
    pub frequency: &'static str,
    /// 0 = Monday … 6 = Sunday (weekly digests).
    pub weekday: u8,
    /// Hour of the day (UTC) from which the digest may go.
    pub hour: u8,
    /// The member used an unsubscribe link (choosing daily or weekly again undoes it).
    pub unsubscribed: bool,
}

/// Who am I: account details (including my own contact details) and my listings.
#[utoipa::path(get, path = "/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = MeView), (status = 401, body = Problem)))]
pub async fn me(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> AppResult<Json<MeView>> {
    Ok(Json(me_view(&state, viewer).await?))
}

async fn me_view(state: &AppState, viewer: Viewer) -> AppResult<MeView> {
    let name = viewer.member.display_name.clone();
    let view = |l| super::listings::view_for(&viewer, l, name.clone());
    let offers = listings::of_member(&state.db, viewer.id(), Kind::Offer).await?;
    let wants = listings::of_member(&state.db, viewer.id(), Kind::Want).await?;
    let (offers, wants) = (
        offers.into_iter().map(view).collect(),
        wants.into_iter().map(view).collect(),
    );
    let mail = mail_prefs::find(&state.db, viewer.id()).await?;
    let schedule = mail_prefs::schedule_of(mail.as_ref());
    let digest = DigestView {
        frequency: schedule.frequency.as_str(),
        weekday: schedule.weekday,
        hour: schedule.hour,
        unsubscribed: mail.is_some_and(|m| m.unsubscribed_at.is_some()),
    };
    Ok(MeView {
        account: AccountView::new(viewer.member, &viewer.places),
        offers,
        wants,
        digest,
    })
}

/// Changes to the member's own details; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    pub display_name: Option<String>,
    /// A phone number, or null to remove it.
    #[serde(default, deserialize_with = "double_option")]
    pub phone: Option<Option<String>>,
    /// `email`, `phone`, `email_and_phone` or `worker_only`.
    pub contact_preference: Option<String>,
    /// Email digest: `off`, `daily` or `weekly`.
    pub digest_frequency: Option<String>,
    /// Day of a weekly digest: 0 = Monday … 6 = Sunday.
    pub digest_weekday: Option<i64>,
    /// Hour of the day (UTC) from which the digest may go: 0–23.
    pub digest_hour: Option<i64>,
}

/// Updates the member's own display name, phone, contact preference or digest schedule.
#[utoipa::path(patch, path = "/me", tag = "accounts", security(("bearer" = [])), request_body = UpdateMeRequest,
    responses((status = 200, body = MeView), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn update_me(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<UpdateMeRequest>,
) -> AppResult<Json<MeView>> {
    let patch = DetailsPatch::parse(
        body.display_name.as_deref(),
        body.phone.as_ref().map(|p| p.as_deref()),
        body.contact_preference.as_deref(),
    )?;
    // Check the digest fields before changing anything, so a bad value changes nothing.
    let schedule = if body.digest_frequency.is_some()
        || body.digest_weekday.is_some()
        || body.digest_hour.is_some()
    {
        let current =
            mail_prefs::schedule_of(mail_prefs::find(&state.db, viewer.id()).await?.as_ref());
        Some(Schedule::parse(
            body.digest_frequency
                .as_deref()
                .unwrap_or(current.frequency.as_str()),
            body.digest_weekday.unwrap_or(i64::from(current.weekday)),
            body.digest_hour.unwrap_or(i64::from(current.hour)),
        )?)
    } else {
        None
    };
    let details_changed =
        body.display_name.is_some() || body.phone.is_some() || body.contact_preference.is_some();
    let member = if details_changed {
        members::update_details(&state.db, viewer.member, patch).await?
    } else {
        viewer.member
    };
    if let Some(schedule) = schedule {
        mail_prefs::set_schedule(&state.db, member.id, schedule).await?;
    }
    let viewer = Viewer {
        member,
        places: viewer.places,
    };
    Ok(Json(me_view(&state, viewer).await?))
}
