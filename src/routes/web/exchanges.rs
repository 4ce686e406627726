//! "My time": balance and reciprocity, exchanges waiting for me, recording time, history.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use entity::exchange;
use serde::Deserialize;
use tower_sessions::Session;

use super::chrome::flash;
use super::{Chrome, PageResult, page};
use crate::auth::WebViewer;
use crate::domain::exchange::ExchangeDraft;
use crate::error::AppError;
use crate::ledger::format_minutes;
use crate::services::exchanges::{self, PENDING};
use crate::services::members::{self, Viewer};
use crate::services::{ledger, statements};
use crate::state::AppState;

/// One exchange as the page shows it.
pub struct Row {
    pub id: i32,
    pub summary: String,
    pub description: String,
    pub status: String,
    pub date: String,
    pub awaiting_me: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "exchanges.html")]
struct ExchangesPage {
    chrome: Chrome,
    balance: String,
    given: String,
    received: String,
    people: usize,
    awaiting: Vec<Row>,
    history: Vec<Row>,
    neighbours: Vec<(i32, String)>,
    today: String,
    error: Option<String>,
}

async fn page_for(
    state: &AppState,
    viewer: &Viewer,
    chrome: Chrome,
) -> Result<ExchangesPage, AppError> {
    let statement = statements::for_member(&state.db, viewer, viewer.id()).await?;
    let mut awaiting = Vec::new();
    let mut history = Vec::new();
    for e in exchanges::list_for(&state.db, viewer).await? {
        let row = row_for(state, viewer, &e).await?;
        if row.awaiting_me {
            awaiting.push(row);
        } else {
            history.push(row);
        }
    }
    let neighbours = match viewer.home() {
        Some(home) => members::in_community(&state.db, home.community_id)
            .await?
            .into_iter()
            .filter(|(id, _)| *id != viewer.id())
            .collect(),
        None => Vec::new(),
    };
    let r = &statement.reciprocity;
    Ok(ExchangesPage {
        chrome: chrome.with_viewer(viewer),
        balance: format_minutes(statement.balances.iter().map(|b| b.balance_minutes).sum()),
        given: format_minutes(r.minutes_given),
        received: format_minutes(r.minutes_received),
        people: r.people_exchanged_with,
        awaiting,
        history,
        neighbours,
        today: Utc::now().date_naive().to_string(),
        error: None,
    })
}

async fn row_for(state: &AppState, viewer: &Viewer, e: &exchange::Model) -> Result<Row, AppError> {
    let giver = members::display_name(&state.db, e.giver_id).await?;
    let receiver = members::display_name(&state.db, e.receiver_id).await?;
    let is_party = e.giver_id == viewer.id() || e.receiver_id == viewer.id();
    Ok(Row {
        id: e.id,
        summary: format!("{giver} gave {receiver} {}", format_minutes(e.minutes)),
        description: e.description.clone(),
        status: e.status.clone(),
        date: e.date.to_string(),
        awaiting_me: e.status == PENDING && is_party && e.recorded_by != viewer.id(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
) -> PageResult<impl IntoResponse> {
    page_for(&state, &viewer, chrome.clone())
        .await
        .map_err(page(&chrome))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RecordForm {
    /// `gave` or `received`.
    pub direction: String,
    pub other: String,
    pub hours: String,
    pub minutes: String,
    pub date: String,
    pub description: String,
}

pub(super) fn number(field: &'static str, raw: &str) -> Result<i64, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse()
        .map_err(|_| AppError::invalid(field, format!("`{raw}` is not a whole number")))
}

pub async fn record(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Form(form): Form<RecordForm>,
) -> PageResult<Response> {
    let outcome = async {
        let other = number("other", &form.other)? as i32;
        let minutes = crate::ledger::Minutes::from_hours_and_minutes(
            "minutes",
            number("hours", &form.hours)?,
            number("minutes", &form.minutes)?,
        )?;
        let (giver, receiver) = if form.direction == "received" {
            (other, viewer.id())
        } else {
            (viewer.id(), other)
        };
        let today = Utc::now().date_naive();
        let draft = ExchangeDraft::parse(
            giver,
            receiver,
            minutes.get(),
            &form.date,
            &form.description,
            today,
        )?;
        let home = viewer
            .home()
            .ok_or_else(|| AppError::forbidden("you do not belong to any community yet"))?;
        let viewer = &viewer;
        ledger::locked(&state.db, home.community_id, |txn, community| async move {
            let result = exchanges::record(&txn, &community, viewer, draft).await;
            (txn, result)
        })
        .await
    }
    .await;
    match outcome {
        Ok(_) => {
            flash(
                &session,
                "Recorded. The other person will be asked to confirm it.",
            )
            .await
            .map_err(page(&chrome))?;
            Ok(Redirect::to("/exchanges").into_response())
        }
        Err(error) if error.status().is_client_error() => {
            let mut p = page_for(&state, &viewer, chrome.clone())
                .await
                .map_err(page(&chrome))?;
            p.error = Some(error.public_message());
            Ok((error.status(), p).into_response())
        }
        Err(error) => Err(page(&chrome)(error)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DisputeForm {
    pub reason: String,
}

async fn answer(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    dispute: Option<String>,
) -> Result<exchange::Model, AppError> {
    let found = exchanges::find_visible(&state.db, viewer, id).await?;
    ledger::locked(&state.db, found.community_id, |txn, community| async move {
        let result = match &dispute {
            Some(reason) => exchanges::dispute(&txn, &community, viewer, id, reason).await,
            None => exchanges::confirm(&txn, &community, viewer, id).await,
        };
        (txn, result)
    })
    .await
}

pub async fn confirm(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<Response> {
    respond(
        &state,
        &viewer,
        &session,
        chrome,
        answer(&state, &viewer, id, None).await,
        "Confirmed and added to your time.",
    )
    .await
}

pub async fn dispute(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
    Form(form): Form<DisputeForm>,
) -> PageResult<Response> {
    let outcome = answer(&state, &viewer, id, Some(form.reason)).await;
    respond(
        &state,
        &viewer,
        &session,
        chrome,
        outcome,
        "Disputed. Nothing was added; your worker can help sort it out.",
    )
    .await
}

async fn respond(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    chrome: Chrome,
    outcome: Result<exchange::Model, AppError>,
    message: &str,
) -> PageResult<Response> {
    match outcome {
        Ok(_) => {
            flash(session, message).await.map_err(page(&chrome))?;
            Ok(Redirect::to("/exchanges").into_response())
        }
        Err(error)
            if error.status().is_client_error()
                && error.status() != axum::http::StatusCode::NOT_FOUND =>
        {
            let mut p = page_for(state, viewer, chrome.clone())
                .await
                .map_err(page(&chrome))?;
            p.error = Some(error.public_message());
            Ok((error.status(), p).into_response())
        }
        Err(error) => Err(page(&chrome)(error)),
    }
}
