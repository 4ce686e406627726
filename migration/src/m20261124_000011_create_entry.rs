//! Creates `entry`: the lines of a posting, minutes into (+) or out of (−) an account.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Entry::Table)
                    .if_not_exists()
                    .col(pk_auto(Entry::Id))
                    .col(integer(Entry::PostingId))
                    .col(integer(Entry::AccountId))
                    .col(big_integer(Entry::Minutes))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Entry::Table, Entry::PostingId)
                            .to(Posting::Table, Posting::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Entry::Table, Entry::AccountId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_entry_account")
                    .table(Entry::Table)
                    .col(Entry::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Entry::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Entry {
    Table,
    Id,
    PostingId,
    AccountId,
    Minutes,
}

#[derive(DeriveIden)]
enum Posting {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
