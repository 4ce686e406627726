//! A worker's proposal (or a member's request) that two members meet over one match.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "introduction")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub community_id: i32,
    pub offer_id: i32,
    pub want_id: i32,
    /// The offer's member.
    pub giver_id: i32,
    /// The want's member.
    pub receiver_id: i32,
    /// See `kith::domain::introduction::Status`.
    pub status: String,
    /// `pending`, `accepted` or `declined`.
    pub giver_answer: String,
    pub receiver_answer: String,
    /// Who answered for the giver: the giver, or a worker on their behalf.
    pub giver_answered_by: Option<i32>,
    pub receiver_answered_by: Option<i32>,
    /// The worker's personal note to both members.
    pub note: Option<String>,
    /// The member who asked for this introduction, if one did.
    pub requested_by: Option<i32>,
    /// The worker who proposed it.
    pub proposed_by: Option<i32>,
    /// The second worker who approved it, for members who need that.
    pub approved_by: Option<i32>,
    /// The exchange recorded from it.
    pub exchange_id: Option<i32>,
    pub expires_at: Option<DateTimeUtc>,
    /// When both accepted and contact details became visible to the two of them.
    pub shared_at: Option<DateTimeUtc>,
    pub met_at: Option<DateTimeUtc>,
    /// When it was declined, withdrawn or expired.
    pub closed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
