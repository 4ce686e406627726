//! Adds `member.needs_second_approval`: introductions for this member need a second worker.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Member::Table)
                    .add_column(boolean(Member::NeedsSecondApproval).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Member::Table)
                    .drop_column(Member::NeedsSecondApproval)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Member {
    Table,
    NeedsSecondApproval,
}
