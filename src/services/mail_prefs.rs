//! Members' digest preferences, unsubscribe tokens and bounce state (`mail_preference`).
//!
//! The unsubscribe token is a random 256-bit secret stored per member rather than an HMAC
//! over the member id: it needs no server secret to configure, back up or rotate, survives
//! restarts by construction, and one member's link can be revoked without touching others.

use std::collections::HashMap;

use entity::{mail_preference, outbox};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::Expr,
};

use crate::digest::schedule::{Frequency, Schedule};
use crate::error::{AppError, AppResult};

/// The schedule stored in `row`, or the default for a member without one.
pub fn schedule_of(row: Option<&mail_preference::Model>) -> Schedule {
    match row {
        None => Schedule::default(),
        Some(r) => Schedule::parse(&r.frequency, i64::from(r.weekday), i64::from(r.hour))
            .unwrap_or_default(),
    }
}

/// `member_id`'s row, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    member_id: i32,
) -> AppResult<Option<mail_preference::Model>> {
    Ok(mail_preference::Entity::find()
        .filter(mail_preference::Column::MemberId.eq(member_id))
        .one(db)
        .await?)
}

/// `member_id`'s row, created with the defaults and a fresh token if missing. Safe to race:
/// the insert does nothing when another transaction created the row first.
pub async fn ensure(
    db: &impl ConnectionTrait,
    member_id: i32,
) -> AppResult<mail_preference::Model> {
    if let Some(row) = find(db, member_id).await? {
        return Ok(row);
    }
    let defaults = Schedule::default();
    let row = mail_preference::ActiveModel {
        member_id: Set(member_id),
        frequency: Set(defaults.frequency.as_str().to_string()),
        weekday: Set(i16::from(defaults.weekday)),
        hour: Set(i16::from(defaults.hour)),
        unsubscribe_token: Set(super::tokens::random_secret()),
        unsubscribed_at: Set(None),
        bounced_address: Set(None),
        bounce_reason: Set(None),
        updated_at: Set(super::now()),
        ..Default::default()
    };
    mail_preference::Entity::insert(row)
        .on_conflict_do_nothing_on([mail_preference::Column::MemberId])
        .exec(db)
        .await?;
    find(db, member_id)
        .await?
        .ok_or(AppError::NotFound("mail preference"))
}

/// Unsubscribe tokens of `member_ids`, creating default rows for those without one.
pub async fn ensure_tokens(
    db: &impl ConnectionTrait,
    member_ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, String>> {
    let ids: Vec<i32> = member_ids.into_iter().collect();
    let mut tokens = HashMap::new();
    // Chunks keep each statement well under the databases' bound-parameter limits.
    for chunk in ids.chunks(500) {
        let existing: Vec<(i32, String)> = tokens_of(db, chunk).await?;
        let have: std::collections::HashSet<i32> = existing.iter().map(|(id, _)| *id).collect();
        let missing: Vec<i32> = chunk
            .iter()
            .copied()
            .filter(|id| !have.contains(id))
            .collect();
        if !missing.is_empty() {
            let now = super::now();
            let defaults = Schedule::default();
            mail_preference::Entity::insert_many(missing.iter().map(|&member_id| {
                mail_preference::ActiveModel {
                    member_id: Set(member_id),
                    frequency: Set(defaults.frequency.as_str().to_string()),
                    weekday: Set(i16::from(defaults.weekday)),
                    hour: Set(i16::from(defaults.hour)),
                    unsubscribe_token: Set(super::tokens::random_secret()),
                    unsubscribed_at: Set(None),
                    bounced_address: Set(None),
                    bounce_reason: Set(None),
                    updated_at: Set(now),
                    ..Default::default()
                }
            }))
            .on_conflict_do_nothing_on([mail_preference::Column::MemberId])
            .exec(db)
            .await?;
            tokens.extend(tokens_of(db, &missing).await?);
        }
        tokens.extend(existing);
    }
    Ok(tokens)
}

async fn tokens_of(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<Vec<(i32, String)>> {
    Ok(mail_preference::Entity::find()
        .select_only()
        .column(mail_preference::Column::MemberId)
        .column(mail_preference::Column::UnsubscribeToken)
        .filter(mail_preference::Column::MemberId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?)
}

/// Stores a new schedule. Choosing daily or weekly again after unsubscribing resubscribes:
/// it is the member's own explicit choice.
pub async fn set_schedule(
    db: &impl ConnectionTrait,
    member_id: i32,
    schedule: Schedule,
) -> AppResult<mail_preference::Model> {
    let row = ensure(db, member_id).await?;
    let mut active: mail_preference::ActiveModel = row.into();
    active.frequency = Set(schedule.frequency.as_str().to_string());
    active.weekday = Set(i16::from(schedule.weekday));
    active.hour = Set(i16::from(schedule.hour));
    if schedule.frequency != Frequency::Off {
        active.unsubscribed_at = Set(None);
    }
    active.updated_at = Set(super::now());
    Ok(active.update(db).await?)
}

/// Unsubscribes whoever `token` belongs to and cancels their unsent digests; returns the
/// member id, or `None` for an unknown token. Repeating it changes nothing.
pub async fn unsubscribe(db: &impl ConnectionTrait, token: &str) -> AppResult<Option<i32>> {
    // Tokens are 64 hex characters; anything else cannot match, so skip the lookup.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(row) = mail_preference::Entity::find()
        .filter(mail_preference::Column::UnsubscribeToken.eq(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let member_id = row.member_id;
    if row.unsubscribed_at.is_none() || row.frequency != Frequency::Off.as_str() {
        let mut active: mail_preference::ActiveModel = row.into();
        active.frequency = Set(Frequency::Off.as_str().to_string());
        active.unsubscribed_at = Set(Some(super::now()));
        active.updated_at = Set(super::now());
        active.update(db).await?;
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value("cancelled"))
        .col_expr(
            outbox::Column::LastError,
            Expr::value("the member unsubscribed"),
        )
        .filter(outbox::Column::MemberId.eq(member_id))
        .filter(outbox::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    Ok(Some(member_id))
}

/// Records that `address` refused mail permanently, so no digest goes to it until the
/// member's address changes.
pub async fn record_bounce(
    db: &impl ConnectionTrait,
    member_id: i32,
    address: &str,
    reason: &str,
) -> AppResult<()> {
    let row = ensure(db, member_id).await?;
    let mut active: mail_preference::ActiveModel = row.into();
    active.bounced_address = Set(Some(address.to_string()));
    active.bounce_reason = Set(Some(reason.chars().take(500).collect()));
    active.updated_at = Set(super::now());
    active.update(db).await?;
    Ok(())
}

/// Forgets a bounce (an admin chose to retry).
pub async fn clear_bounce(db: &impl ConnectionTrait, member_id: i32) -> AppResult<()> {
    mail_preference::Entity::update_many()
        .col_expr(
            mail_preference::Column::BouncedAddress,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            mail_preference::Column::BounceReason,
            Expr::value(Option::<String>::None),
        )
        .filter(mail_preference::Column::MemberId.eq(member_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether `token` is some member's unsubscribe token.
pub async fn token_is_known(db: &impl ConnectionTrait, token: &str) -> AppResult<bool> {
    if token.len() != 64 {
        return Ok(false);
    }
    Ok(mail_preference::Entity::find()
        .filter(mail_preference::Column::UnsubscribeToken.eq(token))
        .one(db)
        .await?
        .is_some())
}
