//! One-time sign-in codes: a worker hands one to a resident they signed up, who uses it once
//! to set a password and see everything done on their behalf.

use chrono::{DateTime, Duration, Utc};
use entity::{member, sign_in_code};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};

use super::members::{self, Viewer};
use crate::auth::password;
use crate::domain::member::{Email, Password, Role};
use crate::error::{AppError, AppResult};

/// How long a code works: long enough to hand over on paper at the next visit.
pub const CODE_LIFETIME_DAYS: i64 = 14;

/// Letters and digits that cannot be mistaken for each other when read aloud or handwritten.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A fresh code like `KQ7M-2XHD-9PWA` (60 bits of randomness).
fn generate() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stored form: upper-cased, without spaces or dashes, hashed.
fn hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Issues a new code for resident `member_id` (replacing any unused one) and returns it with
/// its expiry; only workers of the resident's community may.
pub async fn issue(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    member_id: i32,
) -> AppResult<(String, DateTime<Utc>)> {
    let (_, places) = members::visible_member(db, viewer, member_id).await?;
    let works_there = places
        .iter()
        .any(|p| viewer.is_staff_in(p.community_id) && p.role == Role::Resident);
    if !works_there {
        return Err(AppError::forbidden(
            "only a worker of this resident's community can issue a sign-in code",
        ));
    }
    sign_in_code::Entity::delete_many()
        .filter(sign_in_code::Column::MemberId.eq(member_id))
        .filter(sign_in_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let code = generate();
    let now = super::now();
    let expires_at = now + Duration::days(CODE_LIFETIME_DAYS);
    sign_in_code::ActiveModel {
        member_id: Set(member_id),
        code_hash: Set(hash(&code)),
        created_by: Set(viewer.id()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((code, expires_at))
}

/// Uses `code` once: sets the member's password (and email, if given and they have none) and
/// returns them. A wrong, used or expired code is refused without saying which.
pub async fn redeem<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    code: &str,
    new_password: &str,
    email: Option<&str>,
) -> AppResult<member::Model> {
    let new_password = Password::parse(new_password)?;
    let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
        Some(raw) => Some(Email::parse(raw)?),
        None => None,
    };
    let hashed = password::hash(new_password.expose().to_string()).await?;
    let txn = db.begin().await?;
    let now = super::now();
    let found = sign_in_code::Entity::find()
        .filter(sign_in_code::Column::CodeHash.eq(hash(code)))
        .filter(sign_in_code::Column::UsedAt.is_null())
        .filter(sign_in_code::Column::ExpiresAt.gt(now))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "code",
                "that code is not valid any more; ask your worker for a new one",
            )
        })?;
    let member = member::Entity::find_by_id(found.member_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("member"))?;
    let mut used: sign_in_code::ActiveModel = found.into();
    used.used_at = Set(Some(now));
    used.update(&txn).await?;
    let mut active: member::ActiveModel = member.clone().into();
    active.password_hash = Set(Some(hashed));
    if let (Some(email), None) = (email, &member.email) {
        if members::find_by_email(&txn, &email).await?.is_some() {
            return Err(AppError::invalid(
                "email",
                "that email belongs to another account",
            ));
        }
        active.email = Set(Some(email.into_inner()));
    }
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_forgiving_to_type() {
        let code = generate();
        assert_eq!(code.len(), 14);
        assert!(
            code.chars()
                .all(|c| c == '-' || ALPHABET.contains(&(c as u8)))
        );
        assert_eq!(hash(&code), hash(&code.to_lowercase().replace('-', " ")));
        assert_ne!(generate(), code);
    }
}
