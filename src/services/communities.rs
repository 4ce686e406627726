//! Creating and finding communities.

use entity::community;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::domain::community::CommunityDraft;
use crate::error::{AppError, AppResult};

/// Stores a new community; a slug already in use is a 409.
pub async fn create(
    db: &impl ConnectionTrait,
    draft: CommunityDraft,
) -> AppResult<community::Model> {
    if find_by_slug(db, &draft.slug).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "a community with slug `{}` already exists",
            draft.slug
        )));
    }
    let model = community::ActiveModel {
        slug: Set(draft.slug),
        name: Set(draft.name),
        host_org: Set(draft.host_org),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
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
