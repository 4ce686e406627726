//! A member's email digest schedule, unsubscribe token and bounce state (absent row = defaults).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_preference")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub member_id: i32,
    /// `off`, `daily` or `weekly`.
    pub frequency: String,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: i16,
    /// Hour of the day (UTC) from which the digest may go.
    pub hour: i16,
    /// Random secret in the unsubscribe link.
    #[sea_orm(unique)]
    pub unsubscribe_token: String,
    pub unsubscribed_at: Option<DateTimeUtc>,
    /// The address that refused mail permanently; no mail goes to it until the member's changes.
    pub bounced_address: Option<String>,
    pub bounce_reason: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
