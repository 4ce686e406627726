//! Pages for community workers: signing up a resident on their behalf.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::chrome::flash;
use super::{Chrome, PageResult, page};
use crate::auth::WebViewer;
use crate::domain::member::{AssistedSignup, MemberDraft, Role};
use crate::error::AppError;
use crate::services::members::{self, Place, Viewer};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResidentForm {
    pub community: String,
    pub display_name: String,
    pub email: String,
    pub phone: String,
    pub consent_method: String,
    pub consent_given: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "resident_new.html")]
struct ResidentPage {
    chrome: Chrome,
    places: Vec<Place>,
    form: ResidentForm,
    error: Option<String>,
}

fn staff_places(viewer: &Viewer) -> Result<Vec<Place>, AppError> {
    let places: Vec<Place> = viewer
        .places
        .iter()
        .filter(|p| p.role.is_staff())
        .cloned()
        .collect();
    if places.is_empty() {
        return Err(AppError::forbidden(
            "only community workers can sign residents up",
        ));
    }
    Ok(places)
}

pub async fn new_resident_form(
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let places = staff_places(&viewer).map_err(page(&chrome))?;
    Ok(ResidentPage {
        chrome,
        places,
        form: ResidentForm::default(),
        error: None,
    })
}

pub async fn create_resident(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Form(form): Form<ResidentForm>,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    let places = staff_places(&viewer).map_err(page(&chrome))?;
    let outcome = async {
        let place = places
            .iter()
            .find(|p| p.slug == form.community)
            .ok_or_else(|| {
                AppError::invalid("community", "choose one of the neighbourhoods you work for")
            })?;
        let input = AssistedSignup {
            display_name: &form.display_name,
            email: Some(&form.email),
            phone: Some(&form.phone),
            consent_method: &form.consent_method,
            consent_given: form.consent_given == "yes",
            contact_preference: None,
        };
        let draft = MemberDraft::assisted(&input, viewer.id())?;
        members::create(&state.db, draft, place.community_id, Role::Resident).await
    }
    .await;
    match outcome {
        Ok(member) => {
            flash(
                &session,
                format!(
                    "{} is signed up. Add what they can offer and would like below.",
                    member.display_name
                ),
            )
            .await
            .map_err(page(&chrome))?;
            Ok(Redirect::to(&format!("/worker/members/{}", member.id)).into_response())
        }
        Err(error) if error.status().is_client_error() => {
            let status = error.status();
            let page = ResidentPage {
                chrome,
                places,
                form,
                error: Some(error.public_message()),
            };
            Ok((status, page).into_response())
        }
        Err(error) => Err(page(&chrome)(error)),
    }
}
