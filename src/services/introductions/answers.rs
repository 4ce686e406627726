//! Moves on an existing introduction: answering (for oneself or, as a worker, for a member
//! who cannot log in), withdrawing, approving, meeting, and linking the exchange it led to.

use entity::{exchange, introduction, member};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::{Action, find_visible, progress_of};
use crate::domain::introduction::{Move, Side, Status};
use crate::error::{AppError, AppResult};
use crate::services::members::Viewer;

/// Which side `viewer` answers for: their own, or (as a worker) for a member who cannot log in.
async fn answering_side(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    i: &introduction::Model,
    for_member: Option<i32>,
) -> AppResult<Side> {
    let side_of = |id: i32| {
        if id == i.giver_id {
            Some(Side::Giver)
        } else if id == i.receiver_id {
            Some(Side::Receiver)
        } else {
            None
        }
    };
    let target = for_member.unwrap_or(viewer.id());
    if target == viewer.id() {
        return side_of(target).ok_or_else(|| {
            AppError::forbidden("only the two members introduced can accept or decline")
        });
    }
    let side = side_of(target).ok_or_else(|| {
        AppError::invalid(
            "member",
            format!("member {target} is not in this introduction"),
        )
    })?;
    let member = member::Entity::find_by_id(target)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("member"))?;
    if !viewer.is_staff_in(i.community_id) || member.password_hash.is_some() {
        return Err(AppError::forbidden(
            "a worker can answer only for a member who cannot log in themselves",
        ));
    }
    Ok(side)
}

/// Applies `action` by `viewer` (for `for_member` when a worker answers on their behalf).
pub async fn act(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    action: Action,
    for_member: Option<i32>,
    expiry: chrono::Duration,
) -> AppResult<introduction::Model> {
    let found = find_visible(db, viewer, id).await?;
    let progress = progress_of(&found)?;
    let staff = viewer.is_staff_in(found.community_id);
    let now = crate::services::now();
    let mut active: introduction::ActiveModel = found.clone().into();
    let step = match action {
        Action::Accept | Action::Decline => {
            let side = answering_side(db, viewer, &found, for_member).await?;
            match side {
                Side::Giver => active.giver_answered_by = Set(Some(viewer.id())),
                Side::Receiver => active.receiver_answered_by = Set(Some(viewer.id())),
            }
            if action == Action::Accept {
                Move::Accept(side)
            } else {
                Move::Decline(side)
            }
        }
        Action::Withdraw => {
            if !staff && found.requested_by != Some(viewer.id()) {
                return Err(AppError::forbidden(
                    "only a worker, or the member who asked for it, can withdraw an introduction",
                ));
            }
            Move::Withdraw
        }
        Action::Approve => {
            if !staff || found.proposed_by == Some(viewer.id()) {
                return Err(AppError::forbidden(
                    "a second worker of this community, not the one who proposed it, must approve it",
                ));
            }
            active.approved_by = Set(Some(viewer.id()));
            Move::Approve
        }
        Action::MarkMet => {
            let party = viewer.id() == found.giver_id || viewer.id() == found.receiver_id;
            if !party && !staff {
                return Err(AppError::forbidden(
                    "only the two members or their worker can say they met",
                ));
            }
            active.met_at = Set(Some(now));
            Move::MarkMet
        }
    };
    let next = progress.apply(step).map_err(|e| AppError::Conflict(e.0))?;
    active.status = Set(next.status.as_str().to_string());
    active.giver_answer = Set(next.giver.as_str().to_string());
    active.receiver_answer = Set(next.receiver.as_str().to_string());
    if next.status == Status::Accepted {
        active.shared_at = Set(Some(now));
    }
    if !next.status.is_open() && !next.status.shares_contacts() {
        active.closed_at = Set(Some(now));
    }
    if step == Move::Approve {
        // Members hear of it only now, so their time to answer starts now.
        active.expires_at = Set(Some(now + expiry));
    }
    active.updated_at = Set(now);
    Ok(active.update(db).await?)
}

/// Marks the introduction an exchange was recorded from; the caller's transaction covers both.
pub async fn link_exchange(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    exchange: &exchange::Model,
) -> AppResult<introduction::Model> {
    let found = find_visible(db, viewer, id)
        .await
        .map_err(|_| AppError::invalid("introduction", format!("there is no introduction {id}")))?;
    let same_people =
        (found.giver_id, found.receiver_id) == (exchange.giver_id, exchange.receiver_id);
    if !same_people || found.community_id != exchange.community_id {
        return Err(AppError::invalid(
            "introduction",
            "the exchange's giver and receiver must be the two members of the introduction",
        ));
    }
    let next = progress_of(&found)?
        .apply(Move::RecordExchange)
        .map_err(|e| AppError::invalid("introduction", e.0))?;
    let mut active: introduction::ActiveModel = found.into();
    active.status = Set(next.status.as_str().to_string());
    active.exchange_id = Set(Some(exchange.id));
    active.updated_at = Set(crate::services::now());
    Ok(active.update(db).await?)
}
