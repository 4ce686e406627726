//! Time one member gave another: recorded, then confirmed (posted) or disputed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub community_id: i32,
    pub giver_id: i32,
    pub receiver_id: i32,
    pub minutes: i64,
    pub date: Date,
    pub description: String,
    pub offer_id: Option<i32>,
    pub want_id: Option<i32>,
    /// `pending`, `confirmed` or `disputed`.
    pub status: String,
    pub recorded_by: i32,
    /// A worker recorded or confirmed it on a resident's behalf.
    pub assisted: bool,
    pub confirmed_by: Option<i32>,
    pub dispute_reason: Option<String>,
    pub posting_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
