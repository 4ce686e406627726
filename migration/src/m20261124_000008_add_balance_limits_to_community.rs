//! Adds per-community balance limits (minutes): −20 h and +100 h unless an admin changes them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite can add only one column per ALTER TABLE.
        for column in [
            big_integer(Community::MinBalanceMinutes)
                .default(-1200)
                .to_owned(),
            big_integer(Community::MaxBalanceMinutes)
                .default(6000)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Community::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Community::MinBalanceMinutes, Community::MaxBalanceMinutes] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Community::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Community {
    Table,
    MinBalanceMinutes,
    MaxBalanceMinutes,
}
