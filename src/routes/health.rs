//! `GET /healthz`: 200 when the database answers, 503 when it does not.

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
