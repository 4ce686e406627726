//! Email pages: digest preferences on "My profile", and the one-click unsubscribe link.
//!
//! The unsubscribe routes live outside the session and CSRF layers (see `startup`): mail
//! clients send RFC 8058's one-click POST with no cookie and no form token, and the random
//! token in the URL is the whole authorisation, so there is no session to forge a request in.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use tower_sessions::Session;

use super::chrome::flash;
use super::{Chrome, PageError, PageResult, page};
use crate::auth::WebViewer;
use crate::digest::schedule::{Frequency, Schedule, WEEKDAYS};
use crate::error::{AppError, AppResult};
use crate::services::mail_prefs;
use crate::state::AppState;

/// The digest part of "My profile".
#[derive(Clone, Debug)]
pub struct DigestPrefs {
    pub frequency: &'static str,
    pub weekday: u8,
    pub hour: u8,
    pub has_email: bool,
    pub unsubscribed: bool,
    /// The address that refused mail, while it is still the member's address.
    pub bounced: Option<String>,
    pub days: Vec<(u8, &'static str)>,
    pub hours: Vec<u8>,
}

impl DigestPrefs {
    /// The member's current choices.
    pub async fn load(state: &AppState, member: &entity::member::Model) -> AppResult<Self> {
        let row = mail_prefs::find(&state.db, member.id).await?;
        let schedule = mail_prefs::schedule_of(row.as_ref());
        let bounced = row
            .as_ref()
            .and_then(|r| r.bounced_address.clone())
            .filter(|a| member.email.as_deref() == Some(a.as_str()));
        Ok(Self {
            frequency: schedule.frequency.as_str(),
            weekday: schedule.weekday,
            hour: schedule.hour,
            has_email: member.email.is_some(),
            unsubscribed: row.is_some_and(|r| r.unsubscribed_at.is_some()),
            bounced,
            days: (0u8..7).zip(WEEKDAYS).collect(),
            hours: (0u8..24).collect(),
        })
    }
}

/// The form on "My profile".
#[derive(Debug, Deserialize)]
pub struct DigestForm {
    pub frequency: String,
    pub weekday: i64,
    pub hour: i64,
}

/// `POST /me/digest`: saves the digest frequency, day and hour.
pub async fn update_digest(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Form(form): Form<DigestForm>,
) -> PageResult<Response> {
    let schedule = Schedule::parse(&form.frequency, form.weekday, form.hour)
        .map_err(|e| PageError::new(AppError::from(e), &chrome))?;
    mail_prefs::set_schedule(&state.db, viewer.id(), schedule)
        .await
        .map_err(page(&chrome))?;
    let message = match schedule.frequency {
        Frequency::Off => "No more digests: you can turn them back on here any time.",
        _ => "Your digest settings are saved.",
    };
    flash(&session, message).await.map_err(page(&chrome))?;
    Ok(Redirect::to("/me").into_response())
}

/// Unsubscribe routes; mounted without session or CSRF layers.
pub fn unsubscribe_router() -> Router<AppState> {
    Router::new().route(
        "/unsubscribe/{token}",
        get(unsubscribe_page).post(unsubscribe_now),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    chrome: Chrome,
    token: String,
    done: bool,
}

/// `GET /unsubscribe/{token}`: asks for one click, so link scanners that fetch every URL in
/// an email cannot unsubscribe anyone by themselves.
async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> PageResult<Response> {
    let chrome = Chrome::default();
    let known = mail_prefs::token_is_known(&state.db, &token)
        .await
        .map_err(page(&chrome))?;
    if !known {
        return Err(PageError::new(
            AppError::NotFound("unsubscribe link"),
            &chrome,
        ));
    }
    Ok(UnsubscribePage {
        chrome,
        token,
        done: false,
    }
    .into_response())
}

/// `POST /unsubscribe/{token}`: RFC 8058 one-click (and the page's button). Harmless to repeat.
async fn unsubscribe_now(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> PageResult<Response> {
    let chrome = Chrome::default();
    match mail_prefs::unsubscribe(&state.db, &token)
        .await
        .map_err(page(&chrome))?
    {
        Some(member_id) => {
            tracing::info!(member = member_id, "unsubscribed from digests");
            Ok(UnsubscribePage {
                chrome,
                token,
                done: true,
            }
            .into_response())
        }
        None => Err(PageError::new(
            AppError::NotFound("unsubscribe link"),
            &chrome,
        )),
    }
}
