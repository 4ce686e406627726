//! Client-supplied idempotency keys: the first result of a keyed request is stored in the same
//! transaction as its effect and replayed for any retry; a key reused for different content is
//! a 409.

use entity::idempotency_key;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// Longest key accepted.
pub const MAX_KEY: usize = 200;

/// A validated key with the fingerprint of the request it came with.
#[derive(Debug, Clone)]
pub struct Keyed {
    pub member_id: i32,
    pub key: String,
    pub fingerprint: String,
}

impl Keyed {
    /// `None` when the client sent no key; a 422 when the key is unusable.
    pub fn new(
        member_id: i32,
        key: Option<&str>,
        operation: &str,
        body: &[u8],
    ) -> AppResult<Option<Self>> {
        let Some(key) = key.map(str::trim) else {
            return Ok(None);
        };
        if key.is_empty() || key.len() > MAX_KEY || !key.is_ascii() {
            return Err(AppError::invalid(
                "Idempotency-Key",
                format!("use 1 to {MAX_KEY} ASCII characters, e.g. a UUID"),
            ));
        }
        let mut hasher = Sha256::new();
        hasher.update(operation.as_bytes());
        hasher.update([0]);
        hasher.update(body);
        Ok(Some(Self {
            member_id,
            key: key.to_string(),
            fingerprint: hex::encode(hasher.finalize()),
        }))
    }
}

/// A stored response: status code and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub status: u16,
    pub body: String,
}

/// The stored response for this key, if the request was already made; 409 if the key was
/// used for something else. Call under the same lock as the operation itself.
pub async fn replay(db: &impl ConnectionTrait, keyed: &Keyed) -> AppResult<Option<Stored>> {
    let found = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::MemberId.eq(keyed.member_id))
        .filter(idempotency_key::Column::Key.eq(keyed.key.as_str()))
        .one(db)
        .await?;
    match found {
        None => Ok(None),
        Some(row) if row.fingerprint == keyed.fingerprint => Ok(Some(Stored {
            status: u16::try_from(row.status).unwrap_or(200),
            body: row.response,
        })),
        Some(_) => Err(AppError::Conflict(
            "this Idempotency-Key was already used for a different request; use a new key for a new request".into(),
        )),
    }
}

/// Stores the response to replay for this key.
pub async fn remember(db: &impl ConnectionTrait, keyed: &Keyed, stored: &Stored) -> AppResult<()> {
    idempotency_key::ActiveModel {
        member_id: Set(keyed.member_id),
        key: Set(keyed.key.clone()),
        fingerprint: Set(keyed.fingerprint.clone()),
        status: Set(i32::from(stored.status)),
        response: Set(stored.body.clone()),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
