//! "My matches": people who could help me and people I could help, swaps first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::IntoResponse;

use super::{Chrome, PageResult, page};
use crate::auth::WebViewer;
use crate::services::introductions;
use crate::services::matches::{self, MemberMatch};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "matches.html")]
struct MatchesPage {
    chrome: Chrome,
    could_help_me: Vec<MemberMatch>,
    i_could_help: Vec<MemberMatch>,
}

pub async fn my_matches(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    introductions::expire_due(&state.db, crate::services::now())
        .await
        .map_err(page(&chrome))?;
    let found = matches::for_member(&state.db, viewer.id())
        .await
        .map_err(page(&chrome))?;
    Ok(MatchesPage {
        chrome,
        could_help_me: found.could_help_me,
        i_could_help: found.i_could_help,
    })
}
