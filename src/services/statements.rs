//! A member's statement: balances, reciprocity figures and the history of their postings.

use std::collections::HashMap;

use entity::{account, activity, community, entry, exchange, posting};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::exchanges::CONFIRMED;
use super::members::Viewer;
use crate::error::{AppError, AppResult};
use crate::ledger::{ExchangeFact, Reciprocity, reciprocity};

/// One line of a member's history.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StatementLine {
    pub posting_id: i32,
    /// `exchange`, `activity` or `reversal`.
    pub kind: String,
    /// Into (+) or out of (−) the member's account.
    pub minutes: i64,
    pub community: String,
    pub description: String,
    pub posted_at: chrono::DateTime<chrono::Utc>,
}

/// Balance per community.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Balance {
    pub community: String,
    pub balance_minutes: i64,
}

/// Everything a member (or their worker) sees of their timebank.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Statement {
    pub member_id: i32,
    pub balances: Vec<Balance>,
    pub reciprocity: Reciprocity,
    pub history: Vec<StatementLine>,
}

/// Only the member themselves and workers of a community they belong to may see it.
pub fn may_see(viewer: &Viewer, member_id: i32, member_communities: &[i32]) -> bool {
    viewer.id() == member_id || member_communities.iter().any(|&c| viewer.is_staff_in(c))
}

/// The statement of `member_id`, if `viewer` may see it (404 otherwise, so it cannot be probed).
pub async fn for_member(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    member_id: i32,
) -> AppResult<Statement> {
    let places = super::members::places_of(db, member_id).await?;
    let communities: Vec<i32> = places.iter().map(|p| p.community_id).collect();
    if !may_see(viewer, member_id, &communities) {
        return Err(AppError::NotFound("member"));
    }
    let slugs: HashMap<i32, String> = community::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect();
    let accounts = account::Entity::find()
        .filter(account::Column::MemberId.eq(member_id))
        .all(db)
        .await?;
    let account_community: HashMap<i32, i32> =
        accounts.iter().map(|a| (a.id, a.community_id)).collect();
    let entries = entry::Entity::find()
        .filter(entry::Column::AccountId.is_in(accounts.iter().map(|a| a.id)))
        .order_by_desc(entry::Column::Id)
        .find_also_related(posting::Entity)
        .all(db)
        .await?;
    let posting_ids: Vec<i32> = entries.iter().map(|(e, _)| e.posting_id).collect();
    let exchanges = exchange::Entity::find()
        .filter(
            Condition::any()
                .add(exchange::Column::GiverId.eq(member_id))
                .add(exchange::Column::ReceiverId.eq(member_id)),
        )
        .all(db)
        .await?;
    let activities: HashMap<i32, String> = activity::Entity::find()
        .filter(activity::Column::PostingId.is_in(posting_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.posting_id, format!("Ran a group session: {}", a.title)))
        .collect();
    let described: HashMap<i32, String> = exchanges
        .iter()
        .filter_map(|e| e.posting_id.map(|p| (p, e.description.clone())))
        .collect();
    let history = entries
        .into_iter()
        .filter_map(|(e, p)| p.map(|p| (e, p)))
        .map(|(e, p)| StatementLine {
            posting_id: p.id,
            description: match p.kind.as_str() {
                "reversal" => format!("Correction: {}", p.reason.clone().unwrap_or_default()),
                "activity" => activities.get(&p.id).cloned().unwrap_or_default(),
                _ => described.get(&p.id).cloned().unwrap_or_default(),
            },
            kind: p.kind,
            minutes: e.minutes,
            community: account_community
                .get(&e.account_id)
                .and_then(|c| slugs.get(c))
                .cloned()
                .unwrap_or_default(),
            posted_at: p.created_at,
        })
        .collect();
    let reversed = reversed_postings(db, &exchanges).await?;
    let facts: Vec<ExchangeFact> = exchanges
        .iter()
        .filter(|e| e.status == CONFIRMED && !e.posting_id.is_some_and(|p| reversed.contains(&p)))
        .map(|e| ExchangeFact {
            giver: e.giver_id,
            receiver: e.receiver_id,
            minutes: e.minutes,
            date: e.date,
        })
        .collect();
    Ok(Statement {
        member_id,
        balances: accounts
            .iter()
            .map(|a| Balance {
                community: slugs.get(&a.community_id).cloned().unwrap_or_default(),
                balance_minutes: a.balance_minutes,
            })
            .collect(),
        reciprocity: reciprocity(member_id, &facts),
        history,
    })
}

async fn reversed_postings(
    db: &impl ConnectionTrait,
    exchanges: &[exchange::Model],
) -> AppResult<Vec<i32>> {
    let ids: Vec<i32> = exchanges.iter().filter_map(|e| e.posting_id).collect();
    Ok(posting::Entity::find()
        .filter(posting::Column::ReversesPostingId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.reverses_posting_id)
        .collect())
}
