//! Creates `member`: people, with optional contact details and consent.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Member::Table)
                    .if_not_exists()
                    .col(pk_auto(Member::Id))
                    .col(string(Member::DisplayName))
                    // Unique but nullable: several members may have no email.
                    .col(string_null(Member::Email).unique_key())
                    .col(string_null(Member::Phone))
                    .col(string_null(Member::PasswordHash))
                    .col(string(Member::ContactPreference))
                    .col(integer_null(Member::CreatedBy))
                    .col(timestamp_with_time_zone_null(Member::ConsentAt))
                    .col(string_null(Member::ConsentMethod))
                    .col(timestamp_with_time_zone(Member::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Member::Table, Member::CreatedBy)
                            .to(Member::Table, Member::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Member::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Member {
    Table,
    Id,
    DisplayName,
    Email,
    Phone,
    PasswordHash,
    ContactPreference,
    CreatedBy,
    ConsentAt,
    ConsentMethod,
    CreatedAt,
}
