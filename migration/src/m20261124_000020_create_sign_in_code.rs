//! Creates `sign_in_code`: one-time codes a worker hands to an assisted resident.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInCode::Table)
                    .if_not_exists()
                    .col(pk_auto(SignInCode::Id))
                    .col(integer(SignInCode::MemberId))
                    // SHA-256 of the code; the code itself is shown once and never stored.
                    .col(string_len_uniq(SignInCode::CodeHash, 64))
                    .col(integer(SignInCode::CreatedBy))
                    .col(timestamp_with_time_zone(SignInCode::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SignInCode::UsedAt))
                    .col(timestamp_with_time_zone(SignInCode::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SignInCode::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SignInCode {
    Table,
    Id,
    MemberId,
    CodeHash,
    CreatedBy,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}
