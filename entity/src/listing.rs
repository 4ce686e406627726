//! An offer (what a member can share) or a want (what they would like), one table for both.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "listing")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `offer` or `want`.
    pub kind: String,
    pub member_id: i32,
    pub community_id: i32,
    pub text: String,
    pub category: Option<String>,
    /// `in_person`, `online` or `either`.
    pub mode: String,
    pub availability: Option<String>,
    pub paused: bool,
    /// Set when the owner deletes it; kept so later records can still point at it.
    pub deleted_at: Option<DateTimeUtc>,
    /// Set when an assisted resident's worker wrote it for them.
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::member::Entity",
        from = "Column::MemberId",
        to = "super::member::Column::Id"
    )]
    Member,
    #[sea_orm(
        belongs_to = "super::community::Entity",
        from = "Column::CommunityId",
        to = "super::community::Column::Id"
    )]
    Community,
}

impl Related<super::member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl Related<super::community::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Community.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
