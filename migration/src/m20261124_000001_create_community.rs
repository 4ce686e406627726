//! Creates `community`: the neighbourhoods kith serves.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Community::Table)
                    .if_not_exists()
                    .col(pk_auto(Community::Id))
                    .col(string_uniq(Community::Slug))
                    .col(string(Community::Name))
                    .col(string_null(Community::HostOrg))
                    .col(timestamp_with_time_zone(Community::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Community::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Community {
    Table,
    Id,
    Slug,
    Name,
    HostOrg,
    CreatedAt,
}
