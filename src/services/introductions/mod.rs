//! Introductions between two members over one match: proposing, answering, closing, expiring.

use chrono::{DateTime, Utc};
use entity::{introduction, listing, member};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::members::Viewer;
use crate::domain::introduction::{Answer, Move, Progress, Status};
use crate::domain::listing::Kind;
use crate::error::{AppError, AppResult};

mod answers;

pub use answers::{act, link_exchange};

/// What a member or worker does to an existing introduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Decline,
    Withdraw,
    Approve,
    MarkMet,
}

/// Stored status and answers as a [`Progress`] (a corrupt row is an internal error).
pub fn progress_of(i: &introduction::Model) -> AppResult<Progress> {
    let internal = |e: crate::domain::FieldError| AppError::Internal(e.to_string());
    Ok(Progress {
        status: Status::parse(&i.status).map_err(internal)?,
        giver: Answer::parse(&i.giver_answer).map_err(internal)?,
        receiver: Answer::parse(&i.receiver_answer).map_err(internal)?,
    })
}

/// The offer and want an introduction is about, checked to be a live pair in one community.
async fn live_pair(
    db: &impl ConnectionTrait,
    offer_id: i32,
    want_id: i32,
) -> AppResult<(listing::Model, listing::Model)> {
    let load = |id: i32, kind: Kind, field: &'static str| async move {
        listing::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|l| l.kind == kind.as_str() && l.deleted_at.is_none())
            .ok_or_else(|| AppError::invalid(field, format!("there is no {} {id}", kind.as_str())))
    };
    let offer = load(offer_id, Kind::Offer, "offer").await?;
    let want = load(want_id, Kind::Want, "want").await?;
    if offer.community_id != want.community_id {
        return Err(AppError::invalid(
            "want",
            "the offer and the want are in different communities",
        ));
    }
    if offer.member_id == want.member_id {
        return Err(AppError::invalid(
            "want",
            "the offer and the want belong to the same member",
        ));
    }
    Ok((offer, want))
}

/// An introduction for this pair that is still open or has shared contacts, if any.
async fn current_for_pair(
    db: &impl ConnectionTrait,
    offer_id: i32,
    want_id: i32,
) -> AppResult<Option<introduction::Model>> {
    let live: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| s.is_open() || matches!(s, Status::Accepted | Status::Met))
        .map(|s| s.as_str())
        .collect();
    Ok(introduction::Entity::find()
        .filter(introduction::Column::OfferId.eq(offer_id))
        .filter(introduction::Column::WantId.eq(want_id))
        .filter(introduction::Column::Status.is_in(live))
        .one(db)
        .await?)
}

/// Whether either member needs a second worker to approve their introductions.
async fn needs_approval(db: &impl ConnectionTrait, a: i32, b: i32) -> AppResult<bool> {
    Ok(member::Entity::find()
        .filter(member::Column::Id.is_in([a, b]))
        .filter(member::Column::NeedsSecondApproval.eq(true))
        .one(db)
        .await?
        .is_some())
}

/// Starts an introduction for the match `offer_id` → `want_id`. A worker of that community
/// proposes it (turning a member's request for the same match into the proposal); a member
/// on either side asks a worker for it.
pub async fn start(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    offer_id: i32,
    want_id: i32,
    note: Option<String>,
    expiry: chrono::Duration,
) -> AppResult<introduction::Model> {
    let (offer, want) = live_pair(db, offer_id, want_id).await?;
    let community_id = offer.community_id;
    let staff = viewer.is_staff_in(community_id);
    let party = viewer.id() == offer.member_id || viewer.id() == want.member_id;
    if viewer.role_in(community_id).is_none() {
        return Err(AppError::invalid(
            "offer",
            format!("there is no offer {offer_id}"),
        ));
    }
    if !staff && !party {
        return Err(AppError::forbidden(
            "you can ask for an introduction only to someone in your own matches",
        ));
    }
    let now = super::now();
    let needs_second = needs_approval(db, offer.member_id, want.member_id).await?;
    if let Some(existing) = current_for_pair(db, offer_id, want_id).await? {
        let progress = progress_of(&existing)?;
        if staff && progress.status == Status::Requested {
            let next = progress
                .apply(Move::Propose {
                    needs_approval: needs_second,
                })
                .map_err(|e| AppError::Conflict(e.0))?;
            let mut active: introduction::ActiveModel = existing.into();
            active.status = Set(next.status.as_str().to_string());
            active.proposed_by = Set(Some(viewer.id()));
            if note.is_some() {
                active.note = Set(note);
            }
            active.expires_at = Set(Some(now + expiry));
            active.updated_at = Set(now);
            return Ok(active.update(db).await?);
        }
        return Err(AppError::Conflict(format!(
            "there is already an introduction for this match (number {}, {})",
            existing.id,
            progress.status.label()
        )));
    }
    let (progress, proposed_by, requested_by) = if staff {
        (Progress::proposed(needs_second), Some(viewer.id()), None)
    } else {
        (Progress::requested(), None, Some(viewer.id()))
    };
    Ok(introduction::ActiveModel {
        community_id: Set(community_id),
        offer_id: Set(offer_id),
        want_id: Set(want_id),
        giver_id: Set(offer.member_id),
        receiver_id: Set(want.member_id),
        status: Set(progress.status.as_str().to_string()),
        giver_answer: Set(Answer::Pending.as_str().to_string()),
        receiver_answer: Set(Answer::Pending.as_str().to_string()),
        giver_answered_by: Set(None),
        receiver_answered_by: Set(None),
        note: Set(note),
        requested_by: Set(requested_by),
        proposed_by: Set(proposed_by),
        approved_by: Set(None),
        exchange_id: Set(None),
        expires_at: Set(Some(now + expiry)),
        shared_at: Set(None),
        met_at: Set(None),
        closed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Whether `member_id` is one of the two members and still has to answer.
pub fn awaits_answer_from(i: &introduction::Model, member_id: i32) -> bool {
    let asking = matches!(
        Status::parse(&i.status),
        Ok(Status::Proposed | Status::AcceptedByOne)
    );
    let pending = Answer::Pending.as_str();
    asking
        && ((member_id == i.giver_id && i.giver_answer == pending)
            || (member_id == i.receiver_id && i.receiver_answer == pending))
}

/// Whether `viewer` may see this introduction: workers of its community; the two members
/// once it has been put to them; and whoever asked for it.
pub fn may_see(viewer: &Viewer, i: &introduction::Model, status: Status) -> bool {
    let me = viewer.id();
    viewer.is_staff_in(i.community_id)
        || i.requested_by == Some(me)
        || (status.shown_to_members() && (i.giver_id == me || i.receiver_id == me))
}

/// The introduction `id` if `viewer` may see it (after expiring it if its time is up);
/// otherwise 404 so ids cannot be probed.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<introduction::Model> {
    expire_due(db, super::now()).await?;
    let found = introduction::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("introduction"))?;
    if !may_see(viewer, &found, progress_of(&found)?.status) {
        return Err(AppError::NotFound("introduction"));
    }
    Ok(found)
}

/// Expires every open introduction whose time ran out before `now`.
pub async fn expire_due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<u64> {
    let open: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    let result = introduction::Entity::update_many()
        .col_expr(
            introduction::Column::Status,
            Expr::value(Status::Expired.as_str()),
        )
        .col_expr(introduction::Column::ClosedAt, Expr::value(now))
        .col_expr(introduction::Column::UpdatedAt, Expr::value(now))
        .filter(introduction::Column::Status.is_in(open))
        .filter(introduction::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Introductions `member_id` is part of (or asked for), newest first, after expiring those
/// whose time ran out.
pub async fn of_member(
    db: &impl ConnectionTrait,
    member_id: i32,
) -> AppResult<Vec<introduction::Model>> {
    expire_due(db, super::now()).await?;
    stored_of_member(db, member_id).await
}

/// Like [`of_member`] but read as stored, without the expiry pass: for batch jobs (digests)
/// that run [`expire_due`] once for everyone first.
pub async fn stored_of_member(
    db: &impl ConnectionTrait,
    member_id: i32,
) -> AppResult<Vec<introduction::Model>> {
    let rows = introduction::Entity::find()
        .filter(
            Condition::any()
                .add(introduction::Column::GiverId.eq(member_id))
                .add(introduction::Column::ReceiverId.eq(member_id))
                .add(introduction::Column::RequestedBy.eq(member_id)),
        )
        .order_by_desc(introduction::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|i| {
            i.requested_by == Some(member_id)
                || Status::parse(&i.status).is_ok_and(Status::shown_to_members)
        })
        .collect())
}

/// Introductions in these communities, newest first; `open_only` keeps those waiting on someone.
pub async fn in_communities(
    db: &impl ConnectionTrait,
    community_ids: &[i32],
    open_only: bool,
) -> AppResult<Vec<introduction::Model>> {
    expire_due(db, super::now()).await?;
    let mut query = introduction::Entity::find()
        .filter(introduction::Column::CommunityId.is_in(community_ids.iter().copied()));
    if open_only {
        let open: Vec<&str> = Status::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
            .collect();
        query = query.filter(introduction::Column::Status.is_in(open));
    }
    Ok(query
        .order_by_desc(introduction::Column::Id)
        .all(db)
        .await?)
}
