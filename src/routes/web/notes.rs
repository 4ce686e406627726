//! Saving a worker's private note from a page (on a member or an introduction), then going back.

use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

use super::chrome::flash_and_redirect;
use super::{Chrome, PageResult, page};
use crate::services::members::Viewer;
use crate::services::safeguarding::{self, Subject};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoteForm {
    pub body: String,
}

/// Saves `form` as a note on `subject` and redirects to `back`.
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    chrome: Chrome,
    subject: Subject,
    form: NoteForm,
    back: &str,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(viewer);
    safeguarding::add(&state.db, viewer, subject, &form.body)
        .await
        .map_err(page(&chrome))?;
    flash_and_redirect(session, &chrome, "Note saved (only workers see it).", back).await
}
