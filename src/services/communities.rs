//! Creating and finding communities.

use entity::community;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use crate::domain::community::CommunityDraft;
use crate::error::{AppError, AppResult};
use crate::ledger::Limits;

/// Stores a new community and its ledger account in one transaction; a slug already in use
/// is a 409.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    draft: CommunityDraft,
) -> AppResult<community::Model> {
    if find_by_slug(db, &draft.slug).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "a community with slug `{}` already exists",
            draft.slug
        )));
    }
    let txn = db.begin().await?;
    let model = community::ActiveModel {
        slug: Set(draft.slug),
        name: Set(draft.name),
        host_org: Set(draft.host_org),
        created_at: Set(super::now()),
        min_balance_minutes: Set(Limits::DEFAULT.min),
        max_balance_minutes: Set(Limits::DEFAULT.max),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::ledger::open_community_account(&txn, model.id).await?;
    txn.commit().await?;
    Ok(model)
}

/// The community with this slug, if any.
pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> AppResult<Option<community::Model>> {
    Ok(community::Entity::find()
        .filter(community::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?)
}

/// The community with this slug, or a 422 on `field` telling the caller it does not exist.
pub async fn require_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
    field: &'static str,
) -> AppResult<community::Model> {
    find_by_slug(db, slug).await?.ok_or_else(|| {
        AppError::invalid(
            field,
            format!(
                "there is no community `{}`; check the spelling or ask your worker",
                slug.trim()
            ),
        )
    })
}

/// Every community, by name, for the sign-up form.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<community::Model>> {
    Ok(community::Entity::find()
        .order_by_asc(community::Column::Name)
        .all(db)
        .await?)
}

/// Sets a community's balance limits, under its ledger lock so no posting sees half of it.
pub async fn set_limits<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    community_id: i32,
    min_minutes: i64,
    max_minutes: i64,
) -> AppResult<community::Model> {
    let txn = db.begin().await?;
    let current = super::ledger::lock_community(&txn, community_id).await?;
    let mut active: community::ActiveModel = current.into();
    active.min_balance_minutes = Set(min_minutes);
    active.max_balance_minutes = Set(max_minutes);
    let updated = active.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}
