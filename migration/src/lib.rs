//! Database migrations: append-only, one change each, run at start-up and by `kith migrate`.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_community;
mod m20261124_000002_create_member;
mod m20261124_000003_create_membership;
mod m20261124_000004_create_listing;
mod m20261124_000005_create_api_token;
mod m20261124_000006_create_session;
mod m20261124_000007_create_listing_match;
mod m20261124_000008_add_balance_limits_to_community;
mod m20261124_000009_create_account;
mod m20261124_000010_create_posting;
mod m20261124_000011_create_entry;
mod m20261124_000012_create_exchange;
mod m20261124_000013_create_activity;
mod m20261124_000014_create_attendance;
mod m20261124_000015_create_idempotency_key;
mod m20261124_000016_index_entry_posting;
mod m20261124_000017_create_introduction;
mod m20261124_000018_create_note;
mod m20261124_000019_add_second_approval_to_member;
mod m20261124_000020_create_sign_in_code;
mod m20261124_000040_create_mail_preference;
mod m20261124_000041_create_outbox;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_community::Migration),
            Box::new(m20261124_000002_create_member::Migration),
            Box::new(m20261124_000003_create_membership::Migration),
            Box::new(m20261124_000004_create_listing::Migration),
            Box::new(m20261124_000005_create_api_token::Migration),
            Box::new(m20261124_000006_create_session::Migration),
            Box::new(m20261124_000007_create_listing_match::Migration),
            Box::new(m20261124_000008_add_balance_limits_to_community::Migration),
            Box::new(m20261124_000009_create_account::Migration),
            Box::new(m20261124_000010_create_posting::Migration),
            Box::new(m20261124_000011_create_entry::Migration),
            Box::new(m20261124_000012_create_exchange::Migration),
            Box::new(m20261124_000013_create_activity::Migration),
            Box::new(m20261124_000014_create_attendance::Migration),
            Box::new(m20261124_000015_create_idempotency_key::Migration),
            Box::new(m20261124_000016_index_entry_posting::Migration),
            Box::new(m20261124_000017_create_introduction::Migration),
            Box::new(m20261124_000018_create_note::Migration),
            Box::new(m20261124_000019_add_second_approval_to_member::Migration),
            Box::new(m20261124_000020_create_sign_in_code::Migration),
            Box::new(m20261124_000040_create_mail_preference::Migration),
            Box::new(m20261124_000041_create_outbox::Migration),
        ]
    }
}
