//! Bearer tokens for the JSON API: random, shown once, stored only as a SHA-256 hash.

use chrono::Duration;
use entity::api_token;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::error::AppResult;

/// How long a token stays valid.
pub const TOKEN_LIFETIME_DAYS: i64 = 30;

/// A fresh random secret, hex-encoded (256 bits).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token for `member_id` and returns the only copy of its secret.
pub async fn issue(db: &impl ConnectionTrait, member_id: i32) -> AppResult<String> {
    let token = random_secret();
    let now = super::now();
    api_token::ActiveModel {
        member_id: Set(member_id),
        token_hash: Set(hash(&token)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(TOKEN_LIFETIME_DAYS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The member a live token belongs to. Looking up by hash means a timing leak reveals
/// nothing about the secret itself.
pub async fn resolve(db: &impl ConnectionTrait, token: &str) -> AppResult<Option<i32>> {
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash(token)))
        .filter(api_token::Column::ExpiresAt.gt(super::now()))
        .one(db)
        .await?;
    Ok(found.map(|t| t.member_id))
}

/// Revokes one token (logout).
pub async fn revoke(db: &impl ConnectionTrait, token: &str) -> AppResult<()> {
    api_token::Entity::delete_many()
        .filter(api_token::Column::TokenHash.eq(hash(token)))
        .exec(db)
        .await?;
    Ok(())
}
