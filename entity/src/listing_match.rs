//! A scored pair: an offer that could meet a want, found by the matcher.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "listing_match")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub offer_id: i32,
    pub want_id: i32,
    /// The giver.
    pub offer_member_id: i32,
    /// The receiver.
    pub want_member_id: i32,
    pub community_id: i32,
    /// In [0, 1].
    pub score: f64,
    /// Worth telling someone about (score at or above the matcher's strong threshold).
    pub strong: bool,
    /// Short explanation, e.g. "guitar ≈ gitar; lessons".
    pub why: String,
    /// When this pair was first found; digests report pairs found since the last one.
    pub found_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
