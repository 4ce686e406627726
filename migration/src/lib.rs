//! Database migrations: append-only, one change each, run at start-up and by `kith migrate`.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_community;
mod m20261124_000002_create_member;
mod m20261124_000003_create_membership;
mod m20261124_000004_create_listing;
mod m20261124_000005_create_api_token;
mod m20261124_000006_create_session;
mod m20261124_000007_create_listing_match;

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
        ]
    }
}
