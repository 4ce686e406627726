//! A ledger account: a member's in one community, or the community's own.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub community_id: i32,
    /// None for the community account.
    pub member_id: Option<i32>,
    /// `member` or `community`.
    pub kind: String,
    /// Cached sum of this account's entries; always updated in the same transaction.
    pub balance_minutes: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
