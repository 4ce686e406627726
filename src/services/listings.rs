//! Offers and wants: creating, editing, pausing, deleting and searching them.

use entity::{listing, member};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use super::matches::{self, MatchIndex};
use super::members::Viewer;
use crate::domain::listing::{Kind, ListingDraft, ListingPatch};
use crate::error::{AppError, AppResult};

/// Most results one search returns.
pub const SEARCH_LIMIT: u64 = 200;

/// Stores a new listing for `owner_id` in `community_id` and its matches, in one
/// transaction; `created_by` marks a worker's help.
#[allow(clippy::too_many_arguments)]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    index: &MatchIndex,
    kind: Kind,
    owner_id: i32,
    community_id: i32,
    draft: ListingDraft,
    created_by: Option<i32>,
) -> AppResult<listing::Model> {
    let now = super::now();
    let txn = db.begin().await?;
    let created = listing::ActiveModel {
        kind: Set(kind.as_str().to_string()),
        member_id: Set(owner_id),
        community_id: Set(community_id),
        text: Set(draft.text),
        category: Set(draft.category),
        mode: Set(draft.mode.as_str().to_string()),
        availability: Set(draft.availability),
        paused: Set(false),
        deleted_at: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    save_matches(txn, index, None, &created).await?;
    Ok(created)
}

/// Refreshes `current`'s matches and commits; if anything fails, the in-memory index is put
/// back as it was (`previous`, or without the listing) so it never drifts from the database.
async fn save_matches(
    txn: impl ConnectionTrait + TransactionSession,
    index: &MatchIndex,
    previous: Option<&listing::Model>,
    current: &listing::Model,
) -> AppResult<()> {
    let outcome = async {
        matches::refresh(&txn, index, current).await?;
        txn.commit().await?;
        Ok(())
    }
    .await;
    if outcome.is_err() {
        match previous {
            Some(old) => index.restore(old),
            None => index.restore(&listing::Model {
                deleted_at: Some(current.updated_at),
                ..current.clone()
            }),
        }
    }
    outcome
}

/// A listing of `kind` that has not been deleted.
pub async fn find(
    db: &impl ConnectionTrait,
    kind: Kind,
    id: i32,
) -> AppResult<Option<listing::Model>> {
    Ok(listing::Entity::find_by_id(id)
        .filter(listing::Column::Kind.eq(kind.as_str()))
        .filter(listing::Column::DeletedAt.is_null())
        .one(db)
        .await?)
}

/// A listing `viewer` may change: their own, or one in a community they work for.
/// Listings outside the viewer's communities are not found (404); visible but not theirs is 403.
pub async fn find_editable(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    kind: Kind,
    id: i32,
) -> AppResult<listing::Model> {
    let found = find(db, kind, id).await?;
    let Some(listing) = found.filter(|l| viewer.role_in(l.community_id).is_some()) else {
        return Err(AppError::NotFound(kind.as_str()));
    };
    if listing.member_id == viewer.id() || viewer.is_staff_in(listing.community_id) {
        Ok(listing)
    } else {
        Err(AppError::forbidden(format!(
            "only the member who posted this {} can change it",
            kind.as_str()
        )))
    }
}

/// Applies a validated patch and refreshes the listing's matches, in one transaction; an
/// empty patch is refused so clients notice typos in field names.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    index: &MatchIndex,
    listing: listing::Model,
    patch: ListingPatch,
) -> AppResult<listing::Model> {
    if patch.is_empty() {
        return Err(AppError::invalid(
            "body",
            "nothing to change: send at least one of text, category, mode, availability, paused",
        ));
    }
    let previous = listing.clone();
    let mut active: listing::ActiveModel = listing.into();
    if let Some(text) = patch.text {
        active.text = Set(text);
    }
    if let Some(category) = patch.category {
        active.category = Set(category);
    }
    if let Some(mode) = patch.mode {
        active.mode = Set(mode.as_str().to_string());
    }
    if let Some(availability) = patch.availability {
        active.availability = Set(availability);
    }
    if let Some(paused) = patch.paused {
        active.paused = Set(paused);
    }
    active.updated_at = Set(super::now());
    let txn = db.begin().await?;
    let updated = active.update(&txn).await?;
    save_matches(txn, index, Some(&previous), &updated).await?;
    Ok(updated)
}

/// Marks a listing deleted and drops its matches; it disappears everywhere, but later
/// records may still refer to it.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    index: &MatchIndex,
    listing: listing::Model,
) -> AppResult<()> {
    let previous = listing.clone();
    let mut active: listing::ActiveModel = listing.into();
    let now = super::now();
    active.deleted_at = Set(Some(now));
    active.updated_at = Set(now);
    let txn = db.begin().await?;
    let deleted = active.update(&txn).await?;
    save_matches(txn, index, Some(&previous), &deleted).await
}

/// Texts of these listings (deleted ones included, so old records still read), in one query.
pub async fn texts(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<std::collections::HashMap<i32, String>> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(listing::Entity::find()
        .filter(listing::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.text))
        .collect())
}

/// A member's own listings of `kind`, newest first, paused ones included.
pub async fn of_member(
    db: &impl ConnectionTrait,
    member_id: i32,
    kind: Kind,
) -> AppResult<Vec<listing::Model>> {
    Ok(listing::Entity::find()
        .filter(listing::Column::MemberId.eq(member_id))
        .filter(listing::Column::Kind.eq(kind.as_str()))
        .filter(listing::Column::DeletedAt.is_null())
        .order_by_desc(listing::Column::CreatedAt)
        .order_by_desc(listing::Column::Id)
        .all(db)
        .await?)
}

/// Active listings of `kind` in `community_ids` whose text or category contains every word
/// of `query` (case-insensitive), newest first, with the poster's display name.
pub async fn search(
    db: &impl ConnectionTrait,
    community_ids: &[i32],
    kind: Kind,
    query: Option<&str>,
) -> AppResult<Vec<(listing::Model, String)>> {
    let mut select = listing::Entity::find()
        .filter(listing::Column::CommunityId.is_in(community_ids.iter().copied()))
        .filter(listing::Column::Kind.eq(kind.as_str()))
        .filter(listing::Column::DeletedAt.is_null())
        .filter(listing::Column::Paused.eq(false));
    for word in query.unwrap_or("").split_whitespace().take(8) {
        let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
        let in_text = Expr::expr(Func::lower(Expr::col((
            listing::Entity,
            listing::Column::Text,
        ))))
        .like(LikeExpr::new(pattern.clone()).escape('\\'));
        let in_category = Expr::expr(Func::lower(Expr::col((
            listing::Entity,
            listing::Column::Category,
        ))))
        .like(LikeExpr::new(pattern).escape('\\'));
        select = select.filter(Condition::any().add(in_text).add(in_category));
    }
    let rows = select
        .order_by_desc(listing::Column::CreatedAt)
        .order_by_desc(listing::Column::Id)
        .limit(SEARCH_LIMIT)
        .find_also_related(member::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(l, m)| (l, m.map(|m| m.display_name).unwrap_or_default()))
        .collect())
}

/// Escapes LIKE wildcards so a search for `50%` means the text `50%`.
fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Active listings of another member that `viewer` may see (those in shared communities).
pub async fn public_of_member(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    member_id: i32,
    kind: Kind,
) -> AppResult<Vec<listing::Model>> {
    Ok(listing::Entity::find()
        .filter(listing::Column::MemberId.eq(member_id))
        .filter(listing::Column::Kind.eq(kind.as_str()))
        .filter(listing::Column::DeletedAt.is_null())
        .filter(listing::Column::Paused.eq(false))
        .filter(listing::Column::CommunityId.is_in(viewer.community_ids()))
        .order_by_desc(listing::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Another member's active offers and wants that `viewer` may see, in that order.
pub async fn public_offers_and_wants(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    member_id: i32,
) -> AppResult<(Vec<listing::Model>, Vec<listing::Model>)> {
    Ok((
        public_of_member(db, viewer, member_id, Kind::Offer).await?,
        public_of_member(db, viewer, member_id, Kind::Want).await?,
    ))
}
