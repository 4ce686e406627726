//! One error type for the whole service, rendered as RFC 9457 problem details.

use axum::Json;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;
use serde::Serialize;

use crate::domain::FieldError;

/// Everything that can go wrong while handling a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A field failed validation (422), with the field named.
    #[error("{0}")]
    Validation(#[from] FieldError),
    /// The request itself is malformed (400): bad JSON, bad query string…
    #[error("{0}")]
    BadRequest(String),
    /// No valid session or token (401).
    #[error("you need to log in to do that")]
    Unauthorized,
    /// Logged in, but not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    /// Nothing there, or nothing this viewer may see (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request clashes with stored data (409).
    #[error("{0}")]
    Conflict(String),
    /// A database failure; details are logged, never shown.
    #[error("database error")]
    Database(#[from] DbErr),
    /// Any other failure on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Shorthand for handler and service results.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A 422 for `field` with a message that says what to fix.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation(FieldError::new(field, message))
    }

    /// A 403 with a reason.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    /// The HTTP status this error maps to.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message safe to show a person: server-side details stay in the log.
    pub fn public_message(&self) -> String {
        if self.status().is_server_error() {
            "something went wrong on our side; please try again".to_string()
        } else {
            self.to_string()
        }
    }

    /// The invalid field, for 422s.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Validation(e) => Some(e.field),
            _ => None,
        }
    }

    /// Logs server-side failures once, where they become responses.
    pub fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, detail = ?self, "request failed");
        }
    }
}

/// An RFC 9457 problem details body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status and title say what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    /// What went wrong and what to do about it.
    pub detail: String,
    /// The request field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let problem = Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.public_message(),
            field: self.field(),
        };
        let mut response = (status, Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => {
                AppError::invalid("body", format!("the JSON does not fit: {}", e.body_text()))
            }
            JsonRejection::JsonSyntaxError(e) => {
                AppError::BadRequest(format!("the body is not valid JSON: {}", e.body_text()))
            }
            JsonRejection::MissingJsonContentType(_) => AppError::BadRequest(
                "send the body as JSON with `Content-Type: application/json`".to_string(),
            ),
            other => AppError::BadRequest(other.body_text()),
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::BadRequest(format!("bad path: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(format!("bad query string: {}", rejection.body_text()))
    }
}

impl From<FormRejection> for AppError {
    fn from(rejection: FormRejection) -> Self {
        AppError::BadRequest(format!("bad form: {}", rejection.body_text()))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(e.to_string())
    }
}
