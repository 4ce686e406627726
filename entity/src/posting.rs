//! One balanced movement of time; never edited or deleted, only reversed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub community_id: i32,
    /// `exchange`, `activity` or `reversal`.
    pub kind: String,
    /// For a reversal: the posting it cancels.
    pub reverses_posting_id: Option<i32>,
    /// Why a reversal was made.
    pub reason: Option<String>,
    pub recorded_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
