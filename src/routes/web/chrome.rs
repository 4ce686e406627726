//! What every page's frame needs: who is logged in, the CSRF token and a one-off message.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;

use crate::auth::csrf;
use crate::error::AppError;
use crate::services::members::Viewer;
use crate::state::AppState;

const FLASH_KEY: &str = "flash";

/// Data for `base.html`.
#[derive(Clone, Debug, Default)]
pub struct Chrome {
    pub viewer_name: Option<String>,
    pub is_staff: bool,
    pub csrf: String,
    pub flash: Option<String>,
}

impl Chrome {
    /// Fills the logged-in part from `viewer`.
    pub fn with_viewer(mut self, viewer: &Viewer) -> Self {
        self.viewer_name = Some(viewer.member.display_name.clone());
        self.is_staff = viewer.is_staff();
        self
    }
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, msg)| AppError::Internal(msg.to_string()))?;
        let csrf = csrf::token(&session).await.map_err(session_error)?;
        let flash = session
            .remove::<String>(FLASH_KEY)
            .await
            .map_err(session_error)?;
        Ok(Chrome {
            viewer_name: None,
            is_staff: false,
            csrf,
            flash,
        })
    }
}

/// Leaves a message for the next page shown (after a redirect).
pub async fn flash(session: &Session, message: impl Into<String>) -> Result<(), AppError> {
    session
        .insert(FLASH_KEY, message.into())
        .await
        .map_err(session_error)
}

/// Leaves `message` for the next page and redirects to `to` (the usual end of a form post).
pub async fn flash_and_redirect(
    session: &Session,
    chrome: &Chrome,
    message: impl Into<String>,
    to: &str,
) -> super::PageResult<axum::response::Response> {
    use axum::response::IntoResponse;
    flash(session, message).await.map_err(super::page(chrome))?;
    Ok(axum::response::Redirect::to(to).into_response())
}

pub fn session_error(e: tower_sessions::session::Error) -> AppError {
    AppError::Internal(format!("session: {e}"))
}
