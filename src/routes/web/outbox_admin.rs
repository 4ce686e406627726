//! `/admin/outbox`: what the digest outbox holds — pending, sent, failed with reasons — and
//! a retry button for failed rows. Admins only.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::chrome::flash;
use super::{Chrome, PageError, PageResult, page};
use crate::auth::WebViewer;
use crate::error::AppError;
use crate::services::members::{self, Viewer};
use crate::services::outbox;
use crate::state::AppState;

/// Rows shown on the page.
const SHOWN: u64 = 200;

struct Row {
    id: i32,
    to: String,
    subject: String,
    status: String,
    attempts: i32,
    error: String,
    when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    counts: Vec<(String, i64)>,
    rows: Vec<Row>,
}

fn admin_only(viewer: &Viewer) -> Result<(), AppError> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("only admins can see the outbox"))
    }
}

/// `GET /admin/outbox`.
pub async fn show(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    admin_only(&viewer).map_err(page(&chrome))?;
    let members = members::administered(&state.db, &viewer)
        .await
        .map_err(page(&chrome))?;
    let counts = outbox::counts(&state.db, &members)
        .await
        .map_err(page(&chrome))?;
    let rows = outbox::recent(&state.db, &members, SHOWN)
        .await
        .map_err(page(&chrome))?
        .into_iter()
        .map(|r| Row {
            id: r.id,
            to: r.to_address,
            subject: r.subject,
            attempts: r.attempts,
            error: r.last_error.unwrap_or_default(),
            when: r
                .sent_at
                .unwrap_or(r.created_at)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            status: r.status,
        })
        .collect();
    Ok(OutboxPage {
        chrome,
        counts,
        rows,
    }
    .into_response())
}

/// `POST /admin/outbox/{id}/retry` (CSRF-checked like every form).
pub async fn retry(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<Response> {
    admin_only(&viewer).map_err(page(&chrome))?;
    let members = members::administered(&state.db, &viewer)
        .await
        .map_err(page(&chrome))?;
    if !outbox::retry(&state.db, &members, id)
        .await
        .map_err(page(&chrome))?
    {
        return Err(PageError::new(AppError::NotFound("outbox row"), &chrome));
    }
    tracing::info!(outbox = id, admin = viewer.id(), "digest queued again");
    flash(
        &session,
        format!("Digest {id} will be sent again on the next run."),
    )
    .await
    .map_err(page(&chrome))?;
    Ok(Redirect::to("/admin/outbox").into_response())
}
