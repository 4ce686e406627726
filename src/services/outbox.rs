//! The digest outbox: rows written with their digest's cursor in one transaction, then
//! claimed under a lease, sent, and marked — so a crash loses nothing and sends nothing twice,
//! except in the window between the SMTP server's acceptance and the row being marked sent.

use chrono::{DateTime, Duration, Utc};
use entity::outbox;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use futures_util::{StreamExt, stream};

use crate::error::AppResult;
use crate::mail::{Mailer, OutgoingMail, SendError};

/// How long a claimed row belongs to its sender; after that another sender may take it over.
/// Comfortably longer than one SMTP attempt (at most a few 30-second steps).
pub const LEASE: Duration = Duration::minutes(5);
/// Attempts before a temporarily failing digest is given up as failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// Row statuses.
pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";
pub const CANCELLED: &str = "cancelled";

/// Pause before attempt `attempts + 1`: 1, 5, 15, 60 minutes, then every 3 hours.
pub fn backoff(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(15),
        4 => Duration::hours(1),
        _ => Duration::hours(3),
    }
}

/// A composed digest on its way into the outbox.
#[derive(Clone, Debug)]
pub struct NewDigest {
    pub member_id: i32,
    pub period_key: String,
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    pub unsubscribe_url: String,
    pub covers_until: DateTime<Utc>,
}

/// Writes `d` unless this member already has a digest for the period; returns whether it did.
pub async fn insert(db: &impl ConnectionTrait, d: NewDigest) -> AppResult<bool> {
    let now = super::now();
    let row = outbox::ActiveModel {
        member_id: Set(d.member_id),
        period_key: Set(d.period_key),
        kind: Set(d.kind.to_string()),
        to_address: Set(d.to),
        subject: Set(d.subject),
        body_text: Set(d.text),
        body_html: Set(d.html),
        message_id: Set(d.message_id),
        unsubscribe_url: Set(d.unsubscribe_url),
        status: Set(PENDING.to_string()),
        attempts: Set(0),
        // Due from the instant it was composed for, so a pass sends what it composed.
        next_attempt_at: Set(d.covers_until),
        lease_token: Set(None),
        lease_until: Set(None),
        last_error: Set(None),
        covers_until: Set(d.covers_until),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    };
    let inserted = outbox::Entity::insert(row)
        .on_conflict_do_nothing_on([outbox::Column::MemberId, outbox::Column::PeriodKey])
        .exec(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(_)))
}

/// Where each member's next digest of each kind starts: the end of the last one written.
pub async fn last_covers(
    db: &impl ConnectionTrait,
) -> AppResult<std::collections::HashMap<(i32, String), DateTime<Utc>>> {
    let rows: Vec<(i32, String, Option<DateTime<Utc>>)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::MemberId)
        .column(outbox::Column::Kind)
        .column_as(Expr::col(outbox::Column::CoversUntil).max(), "covers")
        .group_by(outbox::Column::MemberId)
        .group_by(outbox::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(member, kind, covers)| covers.map(|c| ((member, kind), c)))
        .collect())
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(PENDING))
                .add(outbox::Column::NextAttemptAt.lte(now)),
        )
        // A sender that died mid-send left its lease behind; once it runs out, take over.
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(SENDING))
                .add(outbox::Column::LeaseUntil.lt(now)),
        )
}

/// Claims up to `limit` due rows for this sender until `now + LEASE`.
///
/// The update repeats the "claimable" condition, so two senders can never both win a row:
/// on SQLite writes are serialised and the loser's update matches nothing; on PostgreSQL
/// the candidates are picked `FOR UPDATE SKIP LOCKED`, so concurrent instances take
/// different rows instead of queueing behind each other.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
) -> AppResult<Vec<outbox::Model>> {
    let lease = super::tokens::random_secret();
    if db.get_database_backend() == DbBackend::Postgres {
        let txn = db.begin().await?;
        claim_in(&txn, &lease, now, limit, true).await?;
        txn.commit().await?;
    } else {
        claim_in(db, &lease, now, limit, false).await?;
    }
    Ok(outbox::Entity::find()
        .filter(outbox::Column::LeaseToken.eq(lease))
        .filter(outbox::Column::Status.eq(SENDING))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?)
}

async fn claim_in(
    db: &impl ConnectionTrait,
    lease: &str,
    now: DateTime<Utc>,
    limit: u64,
    skip_locked: bool,
) -> AppResult<()> {
    let mut candidates = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(claimable(now))
        .order_by_asc(outbox::Column::Id)
        .limit(limit);
    if skip_locked {
        candidates = candidates.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let ids: Vec<i32> = candidates.into_tuple().all(db).await?;
    if ids.is_empty() {
        return Ok(());
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(SENDING))
        .col_expr(outbox::Column::LeaseToken, Expr::value(lease))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(now + LEASE))
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        )
        .filter(outbox::Column::Id.is_in(ids))
        .filter(claimable(now))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a claimed row sent; `false` if the lease was lost meanwhile (then another sender
/// may have sent it too — logged, as it means the lease was too short).
pub async fn mark_sent(db: &impl ConnectionTrait, row: &outbox::Model) -> AppResult<bool> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(SENT))
        .col_expr(outbox::Column::SentAt, Expr::value(super::now()))
        .col_expr(
            outbox::Column::LeaseToken,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::LeaseToken.eq(row.lease_token.clone()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Puts a temporarily failed row back for a later attempt, or fails it after `MAX_ATTEMPTS`.
pub async fn mark_retry(
    db: &impl ConnectionTrait,
    row: &outbox::Model,
    error: &str,
    now: DateTime<Utc>,
) -> AppResult<&'static str> {
    let status = if row.attempts >= MAX_ATTEMPTS {
        FAILED
    } else {
        PENDING
    };
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status))
        .col_expr(
            outbox::Column::NextAttemptAt,
            Expr::value(now + backoff(row.attempts)),
        )
        .col_expr(
            outbox::Column::LeaseToken,
            Expr::value(Option::<String>::None),
        )
        .col_expr(outbox::Column::LastError, Expr::value(truncate(error)))
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::LeaseToken.eq(row.lease_token.clone()))
        .exec(db)
        .await?;
    Ok(status)
}

/// Fails a row for good, and every other unsent digest to the same address with it.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    row: &outbox::Model,
    error: &str,
) -> AppResult<()> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(FAILED))
        .col_expr(
            outbox::Column::LeaseToken,
            Expr::value(Option::<String>::None),
        )
        .col_expr(outbox::Column::LastError, Expr::value(truncate(error)))
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::LeaseToken.eq(row.lease_token.clone()))
        .exec(db)
        .await?;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(FAILED))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(truncate(&format!(
                "not sent: the address refused mail ({error})"
            ))),
        )
        .filter(outbox::Column::ToAddress.eq(row.to_address.clone()))
        .filter(outbox::Column::Status.eq(PENDING))
        .exec(db)
        .await?;
    super::mail_prefs::record_bounce(db, row.member_id, &row.to_address, error).await
}

fn truncate(error: &str) -> String {
    error.chars().take(1000).collect()
}

/// What one sending pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Sends every due row, `batch` at a time, until none is left; `from` is `KITH_MAIL_FROM`.
pub async fn send_due(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
    now: DateTime<Utc>,
    batch: u64,
) -> AppResult<SendReport> {
    let mut report = SendReport::default();
    loop {
        let rows = claim(db, now, batch).await?;
        if rows.is_empty() {
            return Ok(report);
        }
        // Sent a few at a time over the pooled transport, each marked as soon as its answer
        // arrives, so the window between acceptance and "sent" stays one message wide.
        let sends: Vec<_> = rows.iter().map(|row| send_one(mailer, from, row)).collect();
        let mut results = stream::iter(sends).buffer_unordered(crate::mail::CONCURRENCY);
        while let Some((row, result)) = results.next().await {
            match result {
                Ok(()) => {
                    if !mark_sent(db, row).await? {
                        tracing::warn!(outbox = row.id, "digest sent after its lease ran out");
                    }
                    report.sent += 1;
                    tracing::debug!(outbox = row.id, member = row.member_id, "digest sent");
                }
                Err(SendError::Temporary(e)) => {
                    let status = mark_retry(db, row, &e, now).await?;
                    if status == FAILED {
                        report.failed += 1;
                        tracing::warn!(outbox = row.id, error = %e, "digest failed: too many attempts");
                    } else {
                        report.retried += 1;
                        tracing::info!(outbox = row.id, attempt = row.attempts, error = %e, "digest will be retried");
                    }
                }
                Err(SendError::Permanent(e)) => {
                    mark_failed(db, row, &e).await?;
                    report.failed += 1;
                    tracing::warn!(outbox = row.id, error = %e, "digest refused permanently");
                }
            }
        }
    }
}

async fn send_one<'r>(
    mailer: &Mailer,
    from: &str,
    row: &'r outbox::Model,
) -> (&'r outbox::Model, Result<(), SendError>) {
    let mail = OutgoingMail {
        from,
        to: &row.to_address,
        subject: &row.subject,
        text: &row.body_text,
        html: &row.body_html,
        message_id: &row.message_id,
        unsubscribe_url: &row.unsubscribe_url,
    };
    (row, mailer.send(&mail).await)
}

/// Puts a failed (or cancelled) row back in the queue for an immediate attempt and forgets
/// the address's bounce: an admin has decided it is worth another try. `false` if there is no
/// such row for one of `members` (the members the admin looks after).
pub async fn retry(db: &impl ConnectionTrait, members: &[i32], id: i32) -> AppResult<bool> {
    let found = outbox::Entity::find_by_id(id).one(db).await?;
    let Some(row) = found.filter(|r| members.contains(&r.member_id)) else {
        return Ok(false);
    };
    if row.status != FAILED && row.status != CANCELLED {
        return Ok(true);
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(PENDING))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(super::now()))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    super::mail_prefs::clear_bounce(db, row.member_id).await?;
    Ok(true)
}

/// Counts of `members`' rows per status.
pub async fn counts(db: &impl ConnectionTrait, members: &[i32]) -> AppResult<Vec<(String, i64)>> {
    let mut counts: Vec<(String, i64)> = outbox::Entity::find()
        .filter(outbox::Column::MemberId.is_in(members.iter().copied()))
        .select_only()
        .column(outbox::Column::Status)
        .column_as(outbox::Column::Id.count(), "n")
        .group_by(outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    counts.sort();
    Ok(counts)
}

/// `members`' most recent rows, unsent and failed ones first.
pub async fn recent(
    db: &impl ConnectionTrait,
    members: &[i32],
    limit: u64,
) -> AppResult<Vec<outbox::Model>> {
    let mut rows = outbox::Entity::find()
        .filter(outbox::Column::MemberId.is_in(members.iter().copied()))
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let rank = |s: &str| match s {
        FAILED => 0,
        PENDING | SENDING => 1,
        _ => 2,
    };
    rows.sort_by_key(|r| rank(&r.status));
    Ok(rows)
}

/// One row by id.
pub async fn find(db: &impl ConnectionTrait, id: i32) -> AppResult<Option<outbox::Model>> {
    Ok(outbox::Entity::find_by_id(id).one(db).await?)
}
