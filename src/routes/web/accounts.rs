//! Home, sign-up, login and logout pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use entity::community;
use serde::Deserialize;
use tower_sessions::Session;

use super::chrome::{flash, session_error};
use super::{Chrome, PageResult, page};
use crate::auth::OptionalWebViewer;
use crate::auth::extract::MEMBER_KEY;
use crate::domain::member::{MemberDraft, Role};
use crate::error::AppError;
use crate::services::{communities, members};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    communities: Vec<community::Model>,
}

pub async fn home(
    State(state): State<AppState>,
    OptionalWebViewer(viewer): OptionalWebViewer,
    chrome: Chrome,
) -> PageResult<impl IntoResponse> {
    let chrome = match &viewer {
        Some(v) => chrome.with_viewer(v),
        None => chrome,
    };
    let communities = communities::list(&state.db).await.map_err(page(&chrome))?;
    Ok(HomePage {
        chrome,
        communities,
    })
}

/// The sign-up form's fields; all default to empty so a missing field gets a friendly message.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub community: String,
    pub display_name: String,
    pub email: String,
    pub password: String,
    pub consent: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "signup.html")]
struct SignupPage {
    chrome: Chrome,
    communities: Vec<community::Model>,
    form: SignupForm,
    error: Option<String>,
}

pub async fn signup_form(
    State(state): State<AppState>,
    chrome: Chrome,
) -> PageResult<impl IntoResponse> {
    let communities = communities::list(&state.db).await.map_err(page(&chrome))?;
    Ok(SignupPage {
        chrome,
        communities,
        form: SignupForm::default(),
        error: None,
    })
}

pub async fn signup(
    State(state): State<AppState>,
    session: Session,
    chrome: Chrome,
    Form(form): Form<SignupForm>,
) -> PageResult<Response> {
    match try_signup(&state, &session, &form).await {
        Ok(()) => Ok(Redirect::to("/me").into_response()),
        Err(error) if error.status().is_client_error() => {
            let communities = communities::list(&state.db).await.map_err(page(&chrome))?;
            let page = SignupPage {
                chrome,
                communities,
                form: SignupForm {
                    password: String::new(),
                    ..form
                },
                error: Some(error.public_message()),
            };
            Ok((error.status(), page).into_response())
        }
        Err(error) => Err(page(&chrome)(error)),
    }
}

async fn try_signup(
    state: &AppState,
    session: &Session,
    form: &SignupForm,
) -> Result<(), AppError> {
    let draft = MemberDraft::self_signup(&form.display_name, &form.email, &form.password)?;
    if form.consent != "yes" {
        return Err(AppError::invalid(
            "consent",
            "please tick the box to agree that kith keeps your details; we cannot connect you without them",
        ));
    }
    let community = communities::require_by_slug(&state.db, &form.community, "community").await?;
    let member = members::create(&state.db, draft, community.id, Role::Resident).await?;
    log_in(session, member.id).await?;
    flash(
        session,
        format!(
            "Welcome to {}! Start by adding something you can offer.",
            community.name
        ),
    )
    .await
}

/// Starts an authenticated session with a fresh id, so a planted session id is worthless.
pub(super) async fn log_in(session: &Session, member_id: i32) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(MEMBER_KEY, member_id)
        .await
        .map_err(session_error)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    error: Option<String>,
}

pub async fn login_form(chrome: Chrome, Query(query): Query<NextQuery>) -> impl IntoResponse {
    LoginPage {
        chrome,
        email: String::new(),
        next: safe_next(&query.next).to_string(),
        error: None,
    }
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    chrome: Chrome,
    Form(form): Form<LoginForm>,
) -> PageResult<Response> {
    let found = members::authenticate(&state.db, &form.email, &form.password)
        .await
        .map_err(page(&chrome))?;
    let Some(member) = found else {
        let page = LoginPage {
            chrome,
            email: form.email,
            next: safe_next(&form.next).to_string(),
            error: Some("That email and password do not match. Check them and try again.".into()),
        };
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    };
    log_in(&session, member.id).await.map_err(page(&chrome))?;
    Ok(Redirect::to(safe_next(&form.next)).into_response())
}

/// Only same-site paths are followed after login, never another host.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/me"
    }
}

pub async fn logout(session: Session, chrome: Chrome) -> PageResult<Redirect> {
    session
        .flush()
        .await
        .map_err(|e| page(&chrome)(session_error(e)))?;
    Ok(Redirect::to("/"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_follows_local_paths() {
        assert_eq!(safe_next("/browse?kind=wants"), "/browse?kind=wants");
        assert_eq!(safe_next("//evil.example"), "/me");
        assert_eq!(safe_next("https://evil.example"), "/me");
        assert_eq!(safe_next(""), "/me");
    }
}
