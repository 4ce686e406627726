//! Creates `activity`: a group session one member runs for several (a "link" in Link Up).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Activity::Table)
                    .if_not_exists()
                    .col(pk_auto(Activity::Id))
                    .col(integer(Activity::CommunityId))
                    .col(integer(Activity::HostId))
                    .col(string_len(Activity::Title, 200))
                    .col(big_integer(Activity::Minutes))
                    .col(date(Activity::Date))
                    .col(integer(Activity::RecordedBy))
                    .col(integer(Activity::PostingId))
                    .col(timestamp_with_time_zone(Activity::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Activity::Table, Activity::HostId)
                            .to(Member::Table, Member::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Activity::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
    CommunityId,
    HostId,
    Title,
    Minutes,
    Date,
    RecordedBy,
    PostingId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
}
