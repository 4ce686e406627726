//! Creates `mail_preference`: each member's digest schedule, unsubscribe token and bounce state.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A table of its own rather than columns on `member`: a member without a row simply has
        // the defaults, and mail state never widens the row every login and page load reads.
        manager
            .create_table(
                Table::create()
                    .table(MailPreference::Table)
                    .if_not_exists()
                    .col(pk_auto(MailPreference::Id))
                    .col(integer_uniq(MailPreference::MemberId))
                    // `off`, `daily` or `weekly`.
                    .col(string_len(MailPreference::Frequency, 10))
                    // 0 = Monday … 6 = Sunday; used by weekly digests.
                    .col(small_integer(MailPreference::Weekday))
                    // Hour of the day (UTC) from which the digest may go.
                    .col(small_integer(MailPreference::Hour))
                    // Random, unguessable; the only authorisation the unsubscribe link needs.
                    .col(string_len_uniq(MailPreference::UnsubscribeToken, 64))
                    .col(timestamp_with_time_zone_null(
                        MailPreference::UnsubscribedAt,
                    ))
                    // The address that refused mail permanently; mail resumes when it changes.
                    .col(string_null(MailPreference::BouncedAddress))
                    .col(text_null(MailPreference::BounceReason))
                    .col(timestamp_with_time_zone(MailPreference::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MailPreference::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MailPreference {
    Table,
    Id,
    MemberId,
    Frequency,
    Weekday,
    Hour,
    UnsubscribeToken,
    UnsubscribedAt,
    BouncedAddress,
    BounceReason,
    UpdatedAt,
}
