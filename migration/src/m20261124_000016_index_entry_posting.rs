//! Indexes `entry.posting_id`: loading a posting (to show or reverse it) reads its entries.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_entry_posting")
                    .table(Entry::Table)
                    .col(Entry::PostingId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_entry_posting")
                    .table(Entry::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Entry {
    Table,
    PostingId,
}
