//! `GET /matches`: people who could help me and people I could help, swaps marked.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::views::MemberRef;
use crate::auth::ApiViewer;
use crate::error::{AppResult, Problem};
use crate::services::introductions;
use crate::services::matches::{self, MemberMatch};
use crate::state::AppState;

/// One match seen from the viewer's side. Never carries contact details.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchView {
    /// The other member.
    pub member: MemberRef,
    /// Id and text of my offer or want in this match.
    pub my_listing: i32,
    pub my_text: String,
    /// Id and text of their offer or want.
    pub their_listing: i32,
    pub their_text: String,
    /// In [0, 1].
    pub score: f64,
    /// Worth acting on.
    pub strong: bool,
    /// Why they match, e.g. "guitar ≈ gitar; lessons".
    pub why: String,
    /// Each of us could help the other.
    pub swap: bool,
    pub found_at: DateTime<Utc>,
    /// The introduction made or asked for over this match, if any (see `/introductions/{id}`).
    pub introduction: Option<i32>,
}

impl From<MemberMatch> for MatchView {
    fn from(m: MemberMatch) -> Self {
        Self {
            member: MemberRef {
                id: m.other_member_id,
                display_name: m.other_name,
            },
            my_listing: m.my_listing_id,
            my_text: m.my_text,
            their_listing: m.their_listing_id,
            their_text: m.their_text,
            score: (m.score * 1000.0).round() / 1000.0,
            strong: m.strong,
            why: m.why,
            swap: m.swap,
            found_at: m.found_at,
            introduction: m.introduction.map(|(id, _)| id),
        }
    }
}

/// Both directions of a member's matches, swaps and strong matches first.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchesView {
    /// Others' offers that meet my wants.
    pub could_help_me: Vec<MatchView>,
    /// Others' wants that my offers meet.
    pub i_could_help: Vec<MatchView>,
}

/// My matches, kept up to date as offers and wants change.
#[utoipa::path(get, path = "/matches", tag = "matches", security(("bearer" = [])),
    responses((status = 200, body = MatchesView), (status = 401, body = Problem)))]
pub async fn my_matches(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> AppResult<Json<MatchesView>> {
    introductions::expire_due(&state.db, crate::services::now()).await?;
    let found = matches::for_member(&state.db, viewer.id()).await?;
    Ok(Json(MatchesView {
        could_help_me: found
            .could_help_me
            .into_iter()
            .map(MatchView::from)
            .collect(),
        i_could_help: found
            .i_could_help
            .into_iter()
            .map(MatchView::from)
            .collect(),
    }))
}
