//! Storing postings: accounts, the per-community write lock, limit checks and balances.
//!
//! Every ledger change runs in one transaction that starts with [`lock_community`], so
//! postings within a community are serialised on both databases: PostgreSQL takes a row lock
//! on the community (`FOR UPDATE`), SQLite takes its single write lock up front (a write as
//! the first statement), waiting up to the busy timeout instead of failing.

use std::collections::BTreeMap;
use std::future::Future;

use entity::{account, community, entry, posting};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityTrait, QueryFilter, QueryOrder, Set, Statement, TransactionTrait,
};

use crate::error::{AppError, AppResult};
use crate::ledger::{self, AccountKind, LedgerError, Limits, Posting, format_minutes};

pub const MEMBER: &str = "member";
pub const COMMUNITY: &str = "community";

/// Takes the community's ledger lock for the rest of the transaction and returns the
/// community as it is now. Must be the transaction's first statement (see module docs).
pub async fn lock_community(
    txn: &impl ConnectionTrait,
    community_id: i32,
) -> AppResult<community::Model> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT id FROM community WHERE id = $1 FOR UPDATE",
        _ => "UPDATE community SET id = id WHERE id = ?",
    };
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [community_id.into()],
    ))
    .await?;
    community::Entity::find_by_id(community_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound("community"))
}

/// The community's limits.
pub fn limits_of(c: &community::Model) -> Limits {
    Limits {
        min: c.min_balance_minutes,
        max: c.max_balance_minutes,
    }
}

/// Creates the community's own account (called when the community is created).
pub async fn open_community_account(
    db: &impl ConnectionTrait,
    community_id: i32,
) -> AppResult<account::Model> {
    Ok(account::ActiveModel {
        community_id: Set(community_id),
        member_id: Set(None),
        kind: Set(COMMUNITY.to_string()),
        balance_minutes: Set(0),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The community's own account.
pub async fn community_account(
    db: &impl ConnectionTrait,
    community_id: i32,
) -> AppResult<account::Model> {
    account::Entity::find()
        .filter(account::Column::CommunityId.eq(community_id))
        .filter(account::Column::Kind.eq(COMMUNITY))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("community {community_id} has no account")))
}

/// `member_id`'s account in `community_id`, opened on first use. Call it under the
/// community lock, so two requests cannot open the same account twice.
pub async fn member_account(
    db: &impl ConnectionTrait,
    community_id: i32,
    member_id: i32,
) -> AppResult<account::Model> {
    let found = account::Entity::find()
        .filter(account::Column::CommunityId.eq(community_id))
        .filter(account::Column::Kind.eq(MEMBER))
        .filter(account::Column::MemberId.eq(member_id))
        .one(db)
        .await?;
    if let Some(account) = found {
        return Ok(account);
    }
    Ok(account::ActiveModel {
        community_id: Set(community_id),
        member_id: Set(Some(member_id)),
        kind: Set(MEMBER.to_string()),
        balance_minutes: Set(0),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// What a posting is for.
pub struct PostingMeta {
    pub kind: &'static str,
    pub recorded_by: i32,
    pub reverses: Option<i32>,
    pub reason: Option<String>,
}

/// Writes `p` under the community lock: checks limits against current balances, stores the
/// posting and its entries, and moves the cached balances by the same amounts.
pub async fn post(
    txn: &impl ConnectionTrait,
    community: &community::Model,
    p: &Posting,
    meta: PostingMeta,
) -> AppResult<posting::Model> {
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(p.accounts()))
        .filter(account::Column::CommunityId.eq(community.id))
        .order_by_asc(account::Column::Id)
        .all(txn)
        .await?;
    let balances: BTreeMap<i32, (AccountKind, i64)> = accounts
        .iter()
        .map(|a| {
            let kind = if a.kind == COMMUNITY {
                AccountKind::Community
            } else {
                AccountKind::Member
            };
            (a.id, (kind, a.balance_minutes))
        })
        .collect();
    let after = match ledger::apply(p, &balances, limits_of(community)) {
        Ok(after) => after,
        // Names are only needed to explain a refusal, so they are looked up only then.
        Err(e) => return Err(explain(e, &account_names(txn, &accounts).await?)),
    };
    let stored = posting::ActiveModel {
        community_id: Set(community.id),
        kind: Set(meta.kind.to_string()),
        reverses_posting_id: Set(meta.reverses),
        reason: Set(meta.reason),
        recorded_by: Set(meta.recorded_by),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for e in p.entries() {
        entry::ActiveModel {
            posting_id: Set(stored.id),
            account_id: Set(e.account),
            minutes: Set(e.minutes),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for (account_id, balance) in after {
        account::ActiveModel {
            id: Set(account_id),
            balance_minutes: Set(balance),
            ..Default::default()
        }
        .update(txn)
        .await?;
    }
    Ok(stored)
}

async fn account_names(
    db: &impl ConnectionTrait,
    accounts: &[account::Model],
) -> AppResult<BTreeMap<i32, String>> {
    let mut names = BTreeMap::new();
    for a in accounts {
        let name = match a.member_id {
            Some(member_id) => super::members::display_name(db, member_id).await?,
            None => "the community account".to_string(),
        };
        names.insert(a.id, name);
    }
    Ok(names)
}

/// Turns a refused posting into a 422 that says whose balance and which limit.
fn explain(e: LedgerError, names: &BTreeMap<i32, String>) -> AppError {
    let name = |id: &i32| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("account {id}"))
    };
    match e {
        LedgerError::BelowMinimum {
            account,
            would_be,
            limit,
        } => AppError::invalid(
            "minutes",
            format!(
                "this would take {}'s balance to {}, below the community's limit of {}; record fewer minutes, or let them give some time first",
                name(&account),
                format_minutes(would_be),
                format_minutes(limit)
            ),
        ),
        LedgerError::AboveMaximum {
            account,
            would_be,
            limit,
        } => AppError::invalid(
            "minutes",
            format!(
                "this would take {}'s balance to {}, above the community's limit of {}; they could receive some time first",
                name(&account),
                format_minutes(would_be),
                format_minutes(limit)
            ),
        ),
        other => AppError::Internal(other.to_string()),
    }
}

/// The entries of a posting, as a pure [`Posting`] (to reverse it).
pub async fn load_posting(
    db: &impl ConnectionTrait,
    posting_id: i32,
) -> AppResult<(posting::Model, Posting)> {
    let stored = posting::Entity::find_by_id(posting_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("posting"))?;
    let entries = entry::Entity::find()
        .filter(entry::Column::PostingId.eq(posting_id))
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| ledger::Entry {
            account: e.account_id,
            minutes: e.minutes,
        })
        .collect();
    let p = Posting::new(entries).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((stored, p))
}

/// Runs `op` in a transaction holding `community_id`'s ledger lock and commits if it
/// succeeds; on error the transaction is dropped, which rolls it back. `op` gets the
/// transaction by value and hands it back, so it can borrow it across awaits.
pub async fn locked<T, F, Fut>(db: &DatabaseConnection, community_id: i32, op: F) -> AppResult<T>
where
    F: FnOnce(DatabaseTransaction, community::Model) -> Fut,
    Fut: Future<Output = (DatabaseTransaction, AppResult<T>)>,
{
    let txn = db.begin().await?;
    let community = lock_community(&txn, community_id).await?;
    let (txn, result) = op(txn, community).await;
    let value = result?;
    txn.commit().await?;
    Ok(value)
}
