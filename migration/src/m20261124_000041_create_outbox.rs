//! Creates `outbox`: composed digests waiting to be sent, sent, or failed — one per member and period.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .if_not_exists()
                    .col(pk_auto(Outbox::Id))
                    .col(integer(Outbox::MemberId))
                    // e.g. `weekly:2026-W48`, `daily:2026-11-24`, `worker:2026-11-24`.
                    .col(string_len(Outbox::PeriodKey, 40))
                    // `member` or `worker`.
                    .col(string_len(Outbox::Kind, 10))
                    .col(string(Outbox::ToAddress))
                    .col(string(Outbox::Subject))
                    .col(text(Outbox::BodyText))
                    .col(text(Outbox::BodyHtml))
                    .col(string(Outbox::MessageId))
                    .col(string(Outbox::UnsubscribeUrl))
                    // `pending`, `sending`, `sent` or `failed`.
                    .col(string_len(Outbox::Status, 10))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(string_len_null(Outbox::LeaseToken, 64))
                    .col(timestamp_with_time_zone_null(Outbox::LeaseUntil))
                    .col(text_null(Outbox::LastError))
                    // Everything found before this instant is in this digest: the next one
                    // starts here.
                    .col(timestamp_with_time_zone(Outbox::CoversUntil))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_member_period")
                    .table(Outbox::Table)
                    .col(Outbox::MemberId)
                    .col(Outbox::PeriodKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_status_next")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    MemberId,
    PeriodKey,
    Kind,
    ToAddress,
    Subject,
    BodyText,
    BodyHtml,
    MessageId,
    UnsubscribeUrl,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseToken,
    LeaseUntil,
    LastError,
    CoversUntil,
    CreatedAt,
    SentAt,
}
