//! `/welcome`: a resident a worker signed up types the one-time code they were given, chooses a
//! password, and is logged in to see everything done on their behalf.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::accounts::log_in;
use super::chrome::flash;
use super::{Chrome, PageResult, page};
use crate::services::sign_in_codes;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "welcome.html")]
struct WelcomePage {
    chrome: Chrome,
    code: String,
    email: String,
    error: Option<String>,
}

pub async fn form(chrome: Chrome) -> impl IntoResponse {
    WelcomePage {
        chrome,
        code: String::new(),
        email: String::new(),
        error: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WelcomeForm {
    pub code: String,
    pub password: String,
    pub email: String,
}

pub async fn redeem(
    State(state): State<AppState>,
    session: Session,
    chrome: Chrome,
    Form(form): Form<WelcomeForm>,
) -> PageResult<Response> {
    let result =
        sign_in_codes::redeem(&state.db, &form.code, &form.password, Some(&form.email)).await;
    match result {
        Ok(member) => {
            log_in(&session, member.id).await.map_err(page(&chrome))?;
            flash(
                &session,
                "Welcome! Everything your worker added for you is below, marked as theirs.",
            )
            .await
            .map_err(page(&chrome))?;
            Ok(Redirect::to("/me").into_response())
        }
        Err(error) if error.status().is_client_error() => {
            let status = error.status();
            let page = WelcomePage {
                chrome,
                code: form.code,
                email: form.email,
                error: Some(error.public_message()),
            };
            Ok((status, page).into_response())
        }
        Err(error) => Err(page(&chrome)(error)),
    }
}
