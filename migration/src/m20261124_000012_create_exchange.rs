//! Creates `exchange`: time one member gave another, recorded → confirmed (posted) or disputed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Exchange::Table)
                    .if_not_exists()
                    .col(pk_auto(Exchange::Id))
                    .col(integer(Exchange::CommunityId))
                    .col(integer(Exchange::GiverId))
                    .col(integer(Exchange::ReceiverId))
                    .col(big_integer(Exchange::Minutes))
                    .col(date(Exchange::Date))
                    .col(string_len(Exchange::Description, 500))
                    .col(integer_null(Exchange::OfferId))
                    .col(integer_null(Exchange::WantId))
                    // `pending`, `confirmed` or `disputed`.
                    .col(string_len(Exchange::Status, 16))
                    .col(integer(Exchange::RecordedBy))
                    // Recorded or confirmed by a worker on a resident's behalf.
                    .col(boolean(Exchange::Assisted).default(false))
                    .col(integer_null(Exchange::ConfirmedBy))
                    .col(string_len_null(Exchange::DisputeReason, 500))
                    .col(integer_null(Exchange::PostingId))
                    .col(timestamp_with_time_zone(Exchange::CreatedAt))
                    .col(timestamp_with_time_zone(Exchange::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Exchange::Table, Exchange::GiverId)
                            .to(Member::Table, Member::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Exchange::Table, Exchange::ReceiverId)
                            .to(Member::Table, Member::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_exchange_giver", Exchange::GiverId),
            ("idx_exchange_receiver", Exchange::ReceiverId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Exchange::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Exchange::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Exchange {
    Table,
    Id,
    CommunityId,
    GiverId,
    ReceiverId,
    Minutes,
    Date,
    Description,
    OfferId,
    WantId,
    Status,
    RecordedBy,
    Assisted,
    ConfirmedBy,
    DisputeReason,
    PostingId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
}
