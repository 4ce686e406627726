//! Creates `attendance`: who took part in a group session (a connection, not a debt).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .if_not_exists()
                    .col(integer(Attendance::ActivityId))
                    .col(integer(Attendance::MemberId))
                    .primary_key(
                        Index::create()
                            .col(Attendance::ActivityId)
                            .col(Attendance::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attendance::Table, Attendance::ActivityId)
                            .to(Activity::Table, Activity::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attendance::Table, Attendance::MemberId)
                            .to(Member::Table, Member::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Attendance::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    ActivityId,
    MemberId,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
}
