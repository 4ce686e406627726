//! Running one ledger operation: community lock, idempotency replay, the work, the stored
//! response, and commit — all in one transaction.

use std::future::Future;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use entity::community;
use sea_orm::{DatabaseTransaction, TransactionTrait};
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
    let txn = state.db.begin().await?;
    let community = ledger::lock_community(&txn, community_id).await?;
    if let Some(k) = &keyed
        && let Some(stored) = idempotency::replay(&txn, k).await?
    {
        return Ok(respond(stored));
    }
    // On error the transaction is dropped here, which rolls it back.
    let (txn, result) = op(txn, community).await;
    let value = result?;
    let body = serde_json::to_string(&value).map_err(|e| AppError::Internal(e.to_string()))?;
    let stored = Stored {
        status: success.as_u16(),
        body,
    };
    if let Some(k) = &keyed {
        idempotency::remember(&txn, k, &stored).await?;
    }
    txn.commit().await?;
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
