//! Safeguarding: workers' private notes on members and introductions (read and written only by
//! workers of the community a note belongs to, never shown to residents) and second approval.

use chrono::{DateTime, Utc};
use entity::{introduction, member, note};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::members::{self, Viewer};
use crate::domain::bounded_text;
use crate::error::{AppError, AppResult};

/// Longest note accepted.
pub const MAX_NOTE: usize = 2000;

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Member(i32),
    Introduction(i32),
}

/// A note as workers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoteView {
    pub id: i32,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The communities whose workers may read notes on `subject` and that `viewer` works for;
/// an error when there are none (404 for what they cannot see, 403 for residents).
async fn communities_for(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    subject: Subject,
) -> AppResult<Vec<i32>> {
    let candidates = match subject {
        Subject::Member(id) => {
            let (_, places) = members::visible_member(db, viewer, id).await?;
            places.into_iter().map(|p| p.community_id).collect()
        }
        Subject::Introduction(id) => {
            let found = introduction::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|i| viewer.role_in(i.community_id).is_some())
                .ok_or(AppError::NotFound("introduction"))?;
            vec![found.community_id]
        }
    };
    let mine: Vec<i32> = candidates
        .into_iter()
        .filter(|c| viewer.is_staff_in(*c))
        .collect();
    if mine.is_empty() {
        return Err(AppError::forbidden("only workers can read or write notes"));
    }
    Ok(mine)
}

/// Adds a note on `subject`, filed under the first community the viewer works for with it.
pub async fn add(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    subject: Subject,
    body: &str,
) -> AppResult<NoteView> {
    let body = bounded_text("body", body, MAX_NOTE)?;
    let community_id = communities_for(db, viewer, subject).await?[0];
    let (member_id, introduction_id) = match subject {
        Subject::Member(id) => (Some(id), None),
        Subject::Introduction(id) => (None, Some(id)),
    };
    let saved = note::ActiveModel {
        community_id: Set(community_id),
        author_id: Set(viewer.id()),
        member_id: Set(member_id),
        introduction_id: Set(introduction_id),
        body: Set(body),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(NoteView {
        id: saved.id,
        author: viewer.member.display_name.clone(),
        body: saved.body,
        created_at: saved.created_at,
    })
}

/// Notes on `subject` from the communities the viewer works for, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    subject: Subject,
) -> AppResult<Vec<NoteView>> {
    let communities = communities_for(db, viewer, subject).await?;
    let query = note::Entity::find().filter(note::Column::CommunityId.is_in(communities));
    let query = match subject {
        Subject::Member(id) => query.filter(note::Column::MemberId.eq(id)),
        Subject::Introduction(id) => query.filter(note::Column::IntroductionId.eq(id)),
    };
    let rows = query.order_by_asc(note::Column::Id).all(db).await?;
    let names = members::names(db, rows.iter().map(|n| n.author_id)).await?;
    Ok(rows
        .into_iter()
        .map(|n| NoteView {
            id: n.id,
            author: names.get(&n.author_id).cloned().unwrap_or_default(),
            body: n.body,
            created_at: n.created_at,
        })
        .collect())
}

/// Sets whether `member_id`'s introductions need a second worker's approval.
pub async fn set_second_approval(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    member_id: i32,
    needed: bool,
) -> AppResult<member::Model> {
    communities_for(db, viewer, Subject::Member(member_id)).await?;
    let found = member::Entity::find_by_id(member_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("member"))?;
    let mut active: member::ActiveModel = found.into();
    active.needs_second_approval = Set(needed);
    Ok(active.update(db).await?)
}
