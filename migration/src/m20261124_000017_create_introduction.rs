//! Creates `introduction`: a worker's proposal that two members meet over one match.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Introduction::Table)
                    .if_not_exists()
                    .col(pk_auto(Introduction::Id))
                    .col(integer(Introduction::CommunityId))
                    .col(integer(Introduction::OfferId))
                    .col(integer(Introduction::WantId))
                    .col(integer(Introduction::GiverId))
                    .col(integer(Introduction::ReceiverId))
                    .col(string_len(Introduction::Status, 32))
                    .col(string_len(Introduction::GiverAnswer, 16))
                    .col(string_len(Introduction::ReceiverAnswer, 16))
                    // Who gave each answer: the member, or a worker on their behalf.
                    .col(integer_null(Introduction::GiverAnsweredBy))
                    .col(integer_null(Introduction::ReceiverAnsweredBy))
                    .col(text_null(Introduction::Note))
                    .col(integer_null(Introduction::RequestedBy))
                    .col(integer_null(Introduction::ProposedBy))
                    .col(integer_null(Introduction::ApprovedBy))
                    .col(integer_null(Introduction::ExchangeId))
                    .col(timestamp_with_time_zone_null(Introduction::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Introduction::SharedAt))
                    .col(timestamp_with_time_zone_null(Introduction::MetAt))
                    .col(timestamp_with_time_zone_null(Introduction::ClosedAt))
                    .col(timestamp_with_time_zone(Introduction::CreatedAt))
                    .col(timestamp_with_time_zone(Introduction::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_introduction_giver", Introduction::GiverId),
            ("idx_introduction_receiver", Introduction::ReceiverId),
            ("idx_introduction_community", Introduction::CommunityId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Introduction::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Introduction::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Introduction {
    Table,
    Id,
    CommunityId,
    OfferId,
    WantId,
    GiverId,
    ReceiverId,
    Status,
    GiverAnswer,
    ReceiverAnswer,
    GiverAnsweredBy,
    ReceiverAnsweredBy,
    Note,
    RequestedBy,
    ProposedBy,
    ApprovedBy,
    ExchangeId,
    ExpiresAt,
    SharedAt,
    MetAt,
    ClosedAt,
    CreatedAt,
    UpdatedAt,
}
