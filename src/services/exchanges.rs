//! Exchanges (record → confirm or dispute), group sessions and reversals. Each function runs
//! inside a transaction that already holds the community's ledger lock.

use entity::{activity, attendance, community, exchange, member, membership, posting};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::ledger::{self, PostingMeta};
use super::members::Viewer;
use crate::domain::exchange::{ActivityDraft, ExchangeDraft};
use crate::error::{AppError, AppResult};
use crate::ledger::Posting;

pub const PENDING: &str = "pending";
pub const CONFIRMED: &str = "confirmed";
pub const DISPUTED: &str = "disputed";

async fn require_member_of(
    db: &impl ConnectionTrait,
    community: &community::Model,
    member_id: i32,
    field: &'static str,
) -> AppResult<()> {
    let found = membership::Entity::find_by_id((member_id, community.id))
        .one(db)
        .await?;
    if found.is_none() {
        return Err(AppError::invalid(
            field,
            format!("member {member_id} is not part of {}", community.name),
        ));
    }
    Ok(())
}

/// Records an exchange for confirmation by the other side. Residents record only exchanges
/// they took part in; workers may record any in their community (marked assisted).
pub async fn record(
    txn: &impl ConnectionTrait,
    community: &community::Model,
    viewer: &Viewer,
    draft: ExchangeDraft,
) -> AppResult<exchange::Model> {
    let is_party = viewer.id() == draft.giver_id || viewer.id() == draft.receiver_id;
    if !is_party && !viewer.is_staff_in(community.id) {
        return Err(AppError::forbidden(
            "you can only record exchanges you took part in; a worker can record one for someone else",
        ));
    }
    require_member_of(txn, community, draft.giver_id, "giver").await?;
    require_member_of(txn, community, draft.receiver_id, "receiver").await?;
    let now = super::now();
    Ok(exchange::ActiveModel {
        community_id: Set(community.id),
        giver_id: Set(draft.giver_id),
        receiver_id: Set(draft.receiver_id),
        minutes: Set(draft.minutes.get()),
        date: Set(draft.date),
        description: Set(draft.description),
        offer_id: Set(draft.offer_id),
        want_id: Set(draft.want_id),
        status: Set(PENDING.to_string()),
        recorded_by: Set(viewer.id()),
        assisted: Set(!is_party),
        confirmed_by: Set(None),
        dispute_reason: Set(None),
        posting_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// The exchange with this id in this community, visible to `viewer` (a party or a worker
/// there); anyone else gets 404 so ids cannot be probed.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<exchange::Model> {
    let found = exchange::Entity::find_by_id(id).one(db).await?;
    found
        .filter(|e| {
            e.giver_id == viewer.id()
                || e.receiver_id == viewer.id()
                || viewer.is_staff_in(e.community_id)
        })
        .ok_or(AppError::NotFound("exchange"))
}

/// Whether `viewer` may confirm or dispute `e`: the side that did not record it, or a worker
/// acting for a side that cannot log in. Returns whether it is done on someone's behalf.
async fn may_answer(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    e: &exchange::Model,
) -> AppResult<bool> {
    let answering_sides: Vec<i32> = [e.giver_id, e.receiver_id]
        .into_iter()
        .filter(|&side| side != e.recorded_by)
        .collect();
    if answering_sides.contains(&viewer.id()) {
        return Ok(false);
    }
    if viewer.is_staff_in(e.community_id) {
        let without_login = member::Entity::find()
            .filter(member::Column::Id.is_in(answering_sides))
            .filter(member::Column::PasswordHash.is_null())
            .one(db)
            .await?;
        if without_login.is_some() {
            return Ok(true);
        }
    }
    Err(AppError::forbidden(
        "only the other person in this exchange can confirm or dispute it",
    ))
}

/// Confirms a pending exchange and posts its time: the receiver's account pays the giver's.
/// Confirming again changes nothing; a disputed exchange cannot be confirmed.
pub async fn confirm(
    txn: &impl ConnectionTrait,
    community: &community::Model,
    viewer: &Viewer,
    id: i32,
) -> AppResult<exchange::Model> {
    let e = find_visible(txn, viewer, id).await?;
    if e.community_id != community.id {
        return Err(AppError::NotFound("exchange"));
    }
    let on_behalf = may_answer(txn, viewer, &e).await?;
    match e.status.as_str() {
        CONFIRMED => return Ok(e),
        DISPUTED => {
            return Err(AppError::Conflict(
                "this exchange was disputed; record a new one if it did happen".into(),
            ));
        }
        _ => {}
    }
    let giver = ledger::member_account(txn, community.id, e.giver_id).await?;
    let receiver = ledger::member_account(txn, community.id, e.receiver_id).await?;
    let p = Posting::transfer(receiver.id, giver.id, e.minutes)
        .map_err(|err| AppError::Internal(err.to_string()))?;
    let meta = PostingMeta {
        kind: "exchange",
        recorded_by: viewer.id(),
        reverses: None,
        reason: None,
    };
    let stored = ledger::post(txn, community, &p, meta).await?;
    let assisted = e.assisted || on_behalf;
    let mut active: exchange::ActiveModel = e.into();
    active.status = Set(CONFIRMED.to_string());
    active.confirmed_by = Set(Some(viewer.id()));
    active.posting_id = Set(Some(stored.id));
    active.assisted = Set(assisted);
    active.updated_at = Set(super::now());
    Ok(active.update(txn).await?)
}

/// Disputes a pending exchange with a reason; nothing is posted. Disputing again is harmless.
pub async fn dispute(
    txn: &impl ConnectionTrait,
    community: &community::Model,
    viewer: &Viewer,
    id: i32,
    reason: &str,
) -> AppResult<exchange::Model> {
    let reason = crate::domain::bounded_text("reason", reason, 500)?;
    let e = find_visible(txn, viewer, id).await?;
    if e.community_id != community.id {
        return Err(AppError::NotFound("exchange"));
    }
    let on_behalf = may_answer(txn, viewer, &e).await?;
    match e.status.as_str() {
        DISPUTED => return Ok(e),
        CONFIRMED => {
            return Err(AppError::Conflict(
                "this exchange is already confirmed and posted; ask your worker to reverse it"
                    .into(),
            ));
        }
        _ => {}
    }
    let assisted = e.assisted || on_behalf;
    let mut active: exchange::ActiveModel = e.into();
    active.status = Set(DISPUTED.to_string());
    active.dispute_reason = Set(Some(reason));
    active.assisted = Set(assisted);
    active.updated_at = Set(super::now());
    Ok(active.update(txn).await?)
}

/// Exchanges `viewer` took part in, plus every exchange in communities they work for; newest first.
pub async fn list_for(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> AppResult<Vec<exchange::Model>> {
    let staff_in: Vec<i32> = viewer
        .places
        .iter()
        .filter(|p| p.role.is_staff())
        .map(|p| p.community_id)
        .collect();
    let mut condition = Condition::any()
        .add(exchange::Column::GiverId.eq(viewer.id()))
        .add(exchange::Column::ReceiverId.eq(viewer.id()));
    if !staff_in.is_empty() {
        condition = condition.add(exchange::Column::CommunityId.is_in(staff_in));
    }
    Ok(exchange::Entity::find()
        .filter(condition)
        .order_by_desc(exchange::Column::CreatedAt)
        .order_by_desc(exchange::Column::Id)
        .all(db)
        .await?)
}

/// Records a group session: the host earns its time once from the community account, and
/// attendance is noted (attending costs nothing).
pub async fn record_activity(
    txn: &impl ConnectionTrait,
    community: &community::Model,
    viewer: &Viewer,
    draft: ActivityDraft,
) -> AppResult<(activity::Model, Vec<i32>)> {
    if viewer.id() != draft.host_id && !viewer.is_staff_in(community.id) {
        return Err(AppError::forbidden(
            "only the host or a worker can record a group session",
        ));
    }
    require_member_of(txn, community, draft.host_id, "host").await?;
    for &attendee in &draft.attendees {
        require_member_of(txn, community, attendee, "attendees").await?;
    }
    let host = ledger::member_account(txn, community.id, draft.host_id).await?;
    let pot = ledger::community_account(txn, community.id).await?;
    let p = Posting::transfer(pot.id, host.id, draft.minutes.get())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let meta = PostingMeta {
        kind: "activity",
        recorded_by: viewer.id(),
        reverses: None,
        reason: None,
    };
    let stored = ledger::post(txn, community, &p, meta).await?;
    let created = activity::ActiveModel {
        community_id: Set(community.id),
        host_id: Set(draft.host_id),
        title: Set(draft.title),
        minutes: Set(draft.minutes.get()),
        date: Set(draft.date),
        recorded_by: Set(viewer.id()),
        posting_id: Set(stored.id),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for &member_id in &draft.attendees {
        attendance::ActiveModel {
            activity_id: Set(created.id),
            member_id: Set(member_id),
        }
        .insert(txn)
        .await?;
    }
    Ok((created, draft.attendees))
}

/// Reverses a posting with a compensating one (workers only, with a reason). History is
/// never edited; a posting can be reversed once, and reversals are not reversed.
pub async fn reverse(
    txn: &impl ConnectionTrait,
    community: &community::Model,
    viewer: &Viewer,
    posting_id: i32,
    reason: &str,
) -> AppResult<posting::Model> {
    if !viewer.is_staff_in(community.id) {
        return Err(AppError::forbidden(
            "only a worker of this community can reverse a posting",
        ));
    }
    let reason = crate::domain::bounded_text("reason", reason, 500)?;
    let (original, p) = ledger::load_posting(txn, posting_id).await?;
    if original.community_id != community.id {
        return Err(AppError::NotFound("posting"));
    }
    if original.reverses_posting_id.is_some() {
        return Err(AppError::invalid(
            "posting",
            "a reversal cannot itself be reversed; record a new exchange instead",
        ));
    }
    let already = posting::Entity::find()
        .filter(posting::Column::ReversesPostingId.eq(posting_id))
        .one(txn)
        .await?;
    if already.is_some() {
        return Err(AppError::Conflict(
            "this posting has already been reversed".into(),
        ));
    }
    let meta = PostingMeta {
        kind: "reversal",
        recorded_by: viewer.id(),
        reverses: Some(posting_id),
        reason: Some(reason),
    };
    ledger::post(txn, community, &p.reversed(), meta).await
}
