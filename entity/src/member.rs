//! A person in kith: resident, worker or admin (the role lives on `membership`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub display_name: String,
    /// Lower-cased; absent for residents a worker signed up without email.
    #[sea_orm(unique)]
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Argon2id PHC string; absent when the member cannot log in yet.
    pub password_hash: Option<String>,
    /// Which details may be shared after an accepted introduction:
    /// `email`, `phone`, `email_and_phone` or `worker_only`.
    pub contact_preference: String,
    /// The worker who signed this member up on their behalf, if any.
    pub created_by: Option<i32>,
    /// When the member agreed to kith keeping their details.
    pub consent_at: Option<DateTimeUtc>,
    /// How that consent was given (`self`, `in_person`, `phone`, `paper_form`).
    pub consent_method: Option<String>,
    /// Safeguarding: introductions for this member need a second worker's approval.
    pub needs_second_approval: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::membership::Entity")]
    Membership,
    #[sea_orm(has_many = "super::listing::Entity")]
    Listing,
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Membership.def()
    }
}

impl Related<super::listing::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Listing.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
