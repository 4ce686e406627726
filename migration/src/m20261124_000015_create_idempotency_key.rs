//! Creates `idempotency_key`: the first result of each client-keyed request, replayed on retry.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKey::Table)
                    .if_not_exists()
                    .col(pk_auto(IdempotencyKey::Id))
                    .col(integer(IdempotencyKey::MemberId))
                    .col(string_len(IdempotencyKey::Key, 200))
                    // SHA-256 of the request's method, path and body.
                    .col(string_len(IdempotencyKey::Fingerprint, 64))
                    .col(integer(IdempotencyKey::Status))
                    .col(text(IdempotencyKey::Response))
                    .col(timestamp_with_time_zone(IdempotencyKey::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_member_key")
                    .table(IdempotencyKey::Table)
                    .col(IdempotencyKey::MemberId)
                    .col(IdempotencyKey::Key)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotencyKey::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum IdempotencyKey {
    Table,
    Id,
    MemberId,
    Key,
    Fingerprint,
    Status,
    Response,
    CreatedAt,
}
