//! An introduction as one viewer may see it: names, the two listings, answers, and — only for
//! the two members once both accepted — the other's shared contact details.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{community, introduction};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use super::contacts::{self, ContactCard};
use super::introductions::{self, progress_of};
use super::listings;
use super::members::{self, Viewer};
use crate::domain::introduction::Status;
use crate::error::AppResult;

/// A member named in an introduction: id and display name only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub id: i32,
    pub display_name: String,
}

/// One introduction as the viewer sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IntroductionDetails {
    pub id: i32,
    /// Slug of the community.
    pub community: String,
    /// `requested`, `awaiting_approval`, `proposed`, `accepted_by_one`, `accepted`, `met`,
    /// `exchange_recorded`, `declined`, `withdrawn` or `expired`.
    pub status: Status,
    /// The status in words.
    pub status_label: String,
    /// Who offers.
    pub giver: Person,
    /// Who wants.
    pub receiver: Person,
    pub offer_id: i32,
    pub offer_text: String,
    pub want_id: i32,
    pub want_text: String,
    /// The worker's personal note.
    pub note: Option<String>,
    /// `pending`, `accepted` or `declined`.
    pub giver_answer: String,
    pub receiver_answer: String,
    /// An answer a worker gave on the member's behalf.
    pub giver_answered_by_worker: bool,
    pub receiver_answered_by_worker: bool,
    pub proposed_by: Option<Person>,
    pub requested_by: Option<Person>,
    pub approved_by: Option<Person>,
    pub exchange_id: Option<i32>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The other member's shared details: only for the two members, only once both accepted.
    pub contact: Option<ContactCard>,
    /// The viewer is one of the two members and has not answered yet.
    pub awaiting_my_answer: bool,
}

/// Details of each introduction for `viewer`, in the same order (names in one query).
pub async fn load(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    rows: Vec<introduction::Model>,
) -> AppResult<Vec<IntroductionDetails>> {
    let people: HashSet<i32> = rows
        .iter()
        .flat_map(|i| {
            [
                Some(i.giver_id),
                Some(i.receiver_id),
                i.proposed_by,
                i.requested_by,
                i.approved_by,
            ]
        })
        .flatten()
        .collect();
    let names = members::names(db, people).await?;
    let listing_ids: HashSet<i32> = rows.iter().flat_map(|i| [i.offer_id, i.want_id]).collect();
    let texts = listings::texts(db, listing_ids).await?;
    let slugs: HashMap<i32, String> = community::Entity::find()
        .filter(community::Column::Id.is_in(rows.iter().map(|i| i.community_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect();
    let person = |id: i32| Person {
        id,
        display_name: names.get(&id).cloned().unwrap_or_default(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for i in rows {
        let progress = progress_of(&i)?;
        let contact = contacts::shared_with(db, viewer.id(), &i, progress.status).await?;
        let awaiting_my_answer = introductions::awaits_answer_from(&i, viewer.id());
        out.push(IntroductionDetails {
            id: i.id,
            community: slugs.get(&i.community_id).cloned().unwrap_or_default(),
            status: progress.status,
            status_label: progress.status.label().to_string(),
            giver: person(i.giver_id),
            receiver: person(i.receiver_id),
            offer_id: i.offer_id,
            offer_text: texts.get(&i.offer_id).cloned().unwrap_or_default(),
            want_id: i.want_id,
            want_text: texts.get(&i.want_id).cloned().unwrap_or_default(),
            note: i.note,
            giver_answer: i.giver_answer,
            receiver_answer: i.receiver_answer,
            giver_answered_by_worker: i.giver_answered_by.is_some_and(|by| by != i.giver_id),
            receiver_answered_by_worker: i
                .receiver_answered_by
                .is_some_and(|by| by != i.receiver_id),
            proposed_by: i.proposed_by.map(person),
            requested_by: i.requested_by.map(person),
            approved_by: i.approved_by.map(person),
            exchange_id: i.exchange_id,
            expires_at: i.expires_at.filter(|_| progress.status.is_open()),
            created_at: i.created_at,
            contact,
            awaiting_my_answer,
        });
    }
    Ok(out)
}

/// Details of one introduction for `viewer`.
pub async fn load_one(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    row: introduction::Model,
) -> AppResult<IntroductionDetails> {
    load(db, viewer, vec![row])
        .await?
        .pop()
        .ok_or_else(|| crate::error::AppError::Internal("introduction details went missing".into()))
}
