//! Creates `posting`: one balanced movement of time, never edited or deleted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Posting::Table)
                    .if_not_exists()
                    .col(pk_auto(Posting::Id))
                    .col(integer(Posting::CommunityId))
                    // `exchange`, `activity` or `reversal`.
                    .col(string_len(Posting::Kind, 16))
                    .col(integer_null(Posting::ReversesPostingId).unique_key())
                    .col(string_len_null(Posting::Reason, 500))
                    .col(integer(Posting::RecordedBy))
                    .col(timestamp_with_time_zone(Posting::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Posting::Table, Posting::ReversesPostingId)
                            .to(Posting::Table, Posting::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Posting::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Posting {
    Table,
    Id,
    CommunityId,
    Kind,
    ReversesPostingId,
    Reason,
    RecordedBy,
    CreatedAt,
}
