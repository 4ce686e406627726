//! The worker's dashboard page and their view of one resident: details, offers and wants added
//! on the resident's behalf, private notes, safeguarding, sign-in codes and a printable sheet.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::chrome::flash_and_redirect;
use super::notes::{self, NoteForm};
use super::{Chrome, PageResult, page};
use crate::auth::WebViewer;
use crate::domain::listing::{Kind, ListingDraft};
use crate::error::AppError;
use crate::services::dashboard::{self, Dashboard};
use crate::services::introduction_details::{self, IntroductionDetails};
use crate::services::matches::{self, MemberMatches};
use crate::services::members::{self, Place, Viewer};
use crate::services::safeguarding::{self, NoteView, Subject};
use crate::services::{introductions, listings, sign_in_codes};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    board: Dashboard,
}

/// The worker's dashboard.
pub async fn show(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let board = dashboard::load(&state.db, &viewer)
        .await
        .map_err(page(&chrome))?;
    Ok(DashboardPage { chrome, board })
}

/// Everything a worker sees about one resident of their community.
struct ResidentView {
    member: entity::member::Model,
    place: Place,
    offers: Vec<entity::listing::Model>,
    wants: Vec<entity::listing::Model>,
    matches: MemberMatches,
    introductions: Vec<IntroductionDetails>,
}

async fn resident_view(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
) -> Result<ResidentView, AppError> {
    let (member, places) = members::visible_member(&state.db, viewer, id).await?;
    let place = places
        .into_iter()
        .find(|p| viewer.is_staff_in(p.community_id))
        .ok_or_else(|| {
            AppError::forbidden("only workers of this member's community can see this")
        })?;
    let here = |l: &entity::listing::Model| l.community_id == place.community_id;
    let mut offers = listings::of_member(&state.db, id, Kind::Offer).await?;
    let mut wants = listings::of_member(&state.db, id, Kind::Want).await?;
    offers.retain(here);
    wants.retain(here);
    let rows = introductions::of_member(&state.db, id).await?;
    let matches = matches::for_member(&state.db, id).await?;
    // Details as the resident would see them, so a printed sheet shows what they may know.
    let as_resident = Viewer {
        member: member.clone(),
        places: vec![place.clone()],
    };
    let introductions = introduction_details::load(&state.db, &as_resident, rows).await?;
    Ok(ResidentView {
        member,
        place,
        offers,
        wants,
        matches,
        introductions,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "resident.html")]
struct ResidentPage {
    chrome: Chrome,
    r: ResidentView,
    notes: Vec<NoteView>,
    code: Option<(String, String)>,
}

/// A worker's page about one resident.
pub async fn resident(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let outcome = async {
        let r = resident_view(&state, &viewer, id).await?;
        let notes = safeguarding::list(&state.db, &viewer, Subject::Member(id)).await?;
        // A freshly issued code is shown once, straight after the redirect.
        let code = session
            .remove::<(String, String)>(CODE_KEY)
            .await
            .map_err(super::chrome::session_error)?;
        Ok::<_, AppError>(ResidentPage {
            chrome: chrome.clone(),
            r,
            notes,
            code,
        })
    }
    .await;
    outcome.map_err(page(&chrome))
}

#[derive(Template, WebTemplate)]
#[template(path = "sheet.html")]
struct SheetPage {
    r: ResidentView,
    printed: String,
}

/// A plain printable sheet of a resident's offers, wants, matches and introductions.
pub async fn sheet(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let r = resident_view(&state, &viewer, id)
        .await
        .map_err(page(&chrome))?;
    Ok(SheetPage {
        r,
        printed: chrono::Utc::now().format("%-d %B %Y").to_string(),
    })
}

const CODE_KEY: &str = "issued_code";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BehalfListingForm {
    /// `offer` or `want`.
    pub kind: String,
    pub text: String,
    pub category: String,
}

/// Adds an offer or want for a resident during a conversation, marked as added by a worker.
pub async fn add_listing(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
    Form(form): Form<BehalfListingForm>,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    let outcome = async {
        let kind = Kind::parse(&form.kind)?;
        let draft = ListingDraft::parse(&form.text, Some(&form.category), None, None)?;
        let r = resident_view(&state, &viewer, id).await?;
        listings::create(
            &state.db,
            &state.matches,
            kind,
            r.member.id,
            r.place.community_id,
            draft,
            Some(viewer.id()),
        )
        .await
    }
    .await
    .map_err(page(&chrome))?;
    flash_and_redirect(
        &session,
        &chrome,
        format!("Added “{}”.", outcome.text),
        &format!("/worker/members/{id}"),
    )
    .await
}

pub async fn add_note(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
    Form(form): Form<NoteForm>,
) -> PageResult<Response> {
    let back = format!("/worker/members/{id}");
    notes::save(
        &state,
        &viewer,
        &session,
        chrome,
        Subject::Member(id),
        form,
        &back,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SafeguardingForm {
    /// `on` when ticked; absent when not.
    pub needs_second_approval: String,
}

/// Sets or clears "introductions need a second worker's approval".
pub async fn set_safeguarding(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
    Form(form): Form<SafeguardingForm>,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    let needed = !form.needs_second_approval.is_empty();
    safeguarding::set_second_approval(&state.db, &viewer, id, needed)
        .await
        .map_err(page(&chrome))?;
    let message = if needed {
        "Introductions for this member now need a second worker's approval."
    } else {
        "Introductions for this member no longer need a second approval."
    };
    flash_and_redirect(&session, &chrome, message, &format!("/worker/members/{id}")).await
}

/// Issues a one-time sign-in code and shows it once on the resident's page.
pub async fn issue_code(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    let (code, expires_at) = sign_in_codes::issue(&state.db, &viewer, id)
        .await
        .map_err(page(&chrome))?;
    let until = expires_at.format("%-d %B %Y").to_string();
    session
        .insert(CODE_KEY, (code, until))
        .await
        .map_err(super::chrome::session_error)
        .map_err(page(&chrome))?;
    Ok(Redirect::to(&format!("/worker/members/{id}")).into_response())
}
