//! Running one ledger operation: community lock, idempotency replay, the work, the stored
//! response, and commit — all in one transaction.

use std::future::Future;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use entity::community;
use sea_orm::DatabaseTransaction;
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::services::idempotency::{self, Keyed, Stored};
use crate::services::ledger;
use crate::state::AppState;

/// Runs `op` under `community_id`'s ledger lock. With a key, a repeated request gets the
/// first response again and changes nothing; only successful responses are remembered.
pub async fn run<T, F, Fut>(
    state: &AppState,
    community_id: i32,
    keyed: Option<Keyed>,
    success: StatusCode,
    op: F,
) -> AppResult<Response>
where
    T: Serialize,
    F: FnOnce(DatabaseTransaction, community::Model) -> Fut,
    Fut: Future<Output = (DatabaseTransaction, AppResult<T>)>,
{
    let stored = ledger::locked(&state.db, community_id, |txn, community| async move {
        if let Some(k) = &keyed {
            match idempotency::replay(&txn, k).await {
                Ok(Some(stored)) => return (txn, Ok(stored)),
                Ok(None) => {}
                Err(e) => return (txn, Err(e)),
            }
        }
        let (txn, result) = op(txn, community).await;
        let stored = result.and_then(|value| {
            serde_json::to_string(&value)
                .map(|body| Stored {
                    status: success.as_u16(),
                    body,
                })
                .map_err(|e| AppError::Internal(e.to_string()))
        });
        let stored = match (stored, &keyed) {
            (Ok(stored), Some(k)) => idempotency::remember(&txn, k, &stored)
                .await
                .map(|()| stored),
            (other, _) => other,
        };
        (txn, stored)
    })
    .await?;
    Ok(respond(stored))
}

fn respond(stored: Stored) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        stored.body,
    )
        .into_response()
}
