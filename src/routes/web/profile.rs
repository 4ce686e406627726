//! "My profile": my details, and adding, editing, pausing and deleting my offers and wants.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;
use tower_sessions::Session;

use super::chrome::flash;
use super::items::{DraftFields, MyItem};
use super::{Chrome, PageResult, page};
use crate::auth::WebViewer;
use crate::domain::listing::{Kind, ListingPatch};
use crate::domain::member::DetailsPatch;
use crate::error::AppError;
use crate::services::members::{Place, Viewer};
use crate::services::{introductions, listings, members};
use crate::state::AppState;

/// Routes under `/offers` or `/wants`; the kind travels as a request extension.
pub fn listing_routes(kind: Kind) -> Router<AppState> {
    Router::new()
        .route("/", post(create))
        .route("/{id}", post(update))
        .route("/{id}/edit", get(edit_form))
        .route("/{id}/pause", post(pause))
        .route("/{id}/resume", post(resume))
        .route("/{id}/delete", post(delete))
        .layer(Extension(kind))
}

#[derive(Template, WebTemplate)]
#[template(path = "me.html")]
struct MePage {
    chrome: Chrome,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    contact_preference: String,
    preferences: Vec<(&'static str, &'static str)>,
    places: Vec<PlaceRow>,
    offers: Vec<MyItem>,
    wants: Vec<MyItem>,
    offer_draft: DraftFields,
    want_draft: DraftFields,
    open_form: &'static str,
    error: Option<String>,
    /// "Signed up by <worker> on <date> (consent: …)" for assisted members.
    signed_up_by: Option<String>,
    /// Introductions waiting for this member's answer.
    introductions_waiting: usize,
    digest: super::mail::DigestPrefs,
}

struct PlaceRow {
    name: String,
    role: &'static str,
}

impl From<&Place> for PlaceRow {
    fn from(p: &Place) -> Self {
        Self {
            name: p.name.clone(),
            role: p.role.as_str(),
        }
    }
}

const PREFERENCES: [(&str, &str); 4] = [
    ("email", "email address"),
    ("phone", "phone number"),
    ("email_and_phone", "email and phone"),
    ("worker_only", "nothing: my worker arranges meetings"),
];

async fn me_page(state: &AppState, viewer: &Viewer, chrome: Chrome) -> Result<MePage, AppError> {
    let offers = listings::of_member(&state.db, viewer.id(), Kind::Offer).await?;
    let wants = listings::of_member(&state.db, viewer.id(), Kind::Want).await?;
    let m = &viewer.member;
    let signed_up_by = match m.created_by {
        Some(worker) => Some(format!(
            "{} signed you up on {}{}.",
            members::display_name(&state.db, worker).await?,
            m.created_at.format("%-d %B %Y"),
            m.consent_method
                .as_deref()
                .map(|how| format!(" (you agreed {})", how.replace('_', " ")))
                .unwrap_or_default()
        )),
        None => None,
    };
    let introductions_waiting = introductions::of_member(&state.db, viewer.id())
        .await?
        .iter()
        .filter(|i| introductions::awaits_answer_from(i, viewer.id()))
        .count();
    let digest = super::mail::DigestPrefs::load(state, m).await?;
    Ok(MePage {
        chrome: chrome.with_viewer(viewer),
        name: m.display_name.clone(),
        email: m.email.clone(),
        phone: m.phone.clone(),
        contact_preference: m.contact_preference.clone(),
        preferences: PREFERENCES.to_vec(),
        places: viewer.places.iter().map(PlaceRow::from).collect(),
        offers: offers
            .into_iter()
            .map(|l| MyItem::new(l, Kind::Offer))
            .collect(),
        wants: wants
            .into_iter()
            .map(|l| MyItem::new(l, Kind::Want))
            .collect(),
        offer_draft: DraftFields::default(),
        want_draft: DraftFields::default(),
        open_form: "",
        error: None,
        signed_up_by,
        introductions_waiting,
        digest,
    })
}

pub async fn me(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
) -> PageResult<impl IntoResponse> {
    me_page(&state, &viewer, chrome.clone())
        .await
        .map_err(page(&chrome))
}

async fn create(
    State(state): State<AppState>,
    Extension(kind): Extension<Kind>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Form(fields): Form<DraftFields>,
) -> PageResult<Response> {
    let outcome = async {
        let draft = fields.parse()?;
        let home = viewer
            .home()
            .ok_or_else(|| AppError::forbidden("you do not belong to any community yet"))?;
        listings::create(
            &state.db,
            &state.matches,
            kind,
            viewer.id(),
            home.community_id,
            draft,
            None,
        )
        .await?;
        flash(&session, format!("Your {} is up.", kind.as_str())).await
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to("/me").into_response()),
        Err(error) if error.status().is_client_error() => {
            // Show the profile again with what they typed and what to fix.
            let mut me = me_page(&state, &viewer, chrome.clone())
                .await
                .map_err(page(&chrome))?;
            me.error = Some(error.public_message());
            me.open_form = kind.as_str();
            match kind {
                Kind::Offer => me.offer_draft = fields,
                Kind::Want => me.want_draft = fields,
            }
            Ok((error.status(), me).into_response())
        }
        Err(error) => Err(page(&chrome)(error)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "listing_edit.html")]
struct EditPage {
    chrome: Chrome,
    kind: &'static str,
    plural: &'static str,
    id: i32,
    draft: DraftFields,
    error: Option<String>,
}

async fn edit_form(
    State(state): State<AppState>,
    Extension(kind): Extension<Kind>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let listing = listings::find_editable(&state.db, &viewer, kind, id)
        .await
        .map_err(page(&chrome))?;
    Ok(EditPage {
        chrome,
        kind: kind.as_str(),
        plural: kind.plural(),
        id,
        draft: DraftFields::from(&listing),
        error: None,
    })
}

async fn update(
    State(state): State<AppState>,
    Extension(kind): Extension<Kind>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
    Form(fields): Form<DraftFields>,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    let listing = listings::find_editable(&state.db, &viewer, kind, id)
        .await
        .map_err(page(&chrome))?;
    let draft = match fields.parse() {
        Ok(draft) => draft,
        Err(e) => {
            let error = AppError::from(e);
            let page = EditPage {
                chrome,
                kind: kind.as_str(),
                plural: kind.plural(),
                id,
                draft: fields,
                error: Some(error.public_message()),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let patch = ListingPatch {
        text: Some(draft.text),
        category: Some(draft.category),
        mode: Some(draft.mode),
        availability: Some(draft.availability),
        paused: None,
    };
    listings::update(&state.db, &state.matches, listing, patch)
        .await
        .map_err(page(&chrome))?;
    flash(&session, format!("Your {} is updated.", kind.as_str()))
        .await
        .map_err(page(&chrome))?;
    Ok(Redirect::to("/me").into_response())
}

async fn set_paused(
    state: AppState,
    kind: Kind,
    viewer: Viewer,
    session: Session,
    chrome: Chrome,
    id: i32,
    paused: bool,
) -> PageResult<Redirect> {
    let chrome = chrome.with_viewer(&viewer);
    let listing = listings::find_editable(&state.db, &viewer, kind, id)
        .await
        .map_err(page(&chrome))?;
    let patch = ListingPatch {
        paused: Some(paused),
        ..Default::default()
    };
    listings::update(&state.db, &state.matches, listing, patch)
        .await
        .map_err(page(&chrome))?;
    let message = if paused {
        format!(
            "Your {} is paused: nobody else sees it until you resume it.",
            kind.as_str()
        )
    } else {
        format!("Your {} is back on.", kind.as_str())
    };
    flash(&session, message).await.map_err(page(&chrome))?;
    Ok(Redirect::to("/me"))
}

async fn pause(
    State(state): State<AppState>,
    Extension(kind): Extension<Kind>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<Redirect> {
    set_paused(state, kind, viewer, session, chrome, id, true).await
}

async fn resume(
    State(state): State<AppState>,
    Extension(kind): Extension<Kind>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<Redirect> {
    set_paused(state, kind, viewer, session, chrome, id, false).await
}

async fn delete(
    State(state): State<AppState>,
    Extension(kind): Extension<Kind>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<Redirect> {
    let chrome = chrome.with_viewer(&viewer);
    let listing = listings::find_editable(&state.db, &viewer, kind, id)
        .await
        .map_err(page(&chrome))?;
    listings::delete(&state.db, &state.matches, listing)
        .await
        .map_err(page(&chrome))?;
    flash(&session, format!("Your {} is deleted.", kind.as_str()))
        .await
        .map_err(page(&chrome))?;
    Ok(Redirect::to("/me"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DetailsForm {
    pub display_name: String,
    pub phone: String,
    pub contact_preference: String,
}

pub async fn update_details(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Form(form): Form<DetailsForm>,
) -> PageResult<Response> {
    let parsed = DetailsPatch::parse(
        Some(&form.display_name),
        Some(Some(&form.phone)),
        Some(&form.contact_preference),
    );
    let patch = match parsed {
        Ok(patch) => patch,
        Err(e) => {
            let error = AppError::from(e);
            let mut me = me_page(&state, &viewer, chrome.clone())
                .await
                .map_err(page(&chrome))?;
            me.error = Some(error.public_message());
            return Ok((error.status(), me).into_response());
        }
    };
    members::update_details(&state.db, viewer.member, patch)
        .await
        .map_err(page(&chrome))?;
    flash(&session, "Your details are saved.")
        .await
        .map_err(page(&chrome))?;
    Ok(Redirect::to("/me").into_response())
}
