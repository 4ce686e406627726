//! Creates `api_token`: hashed bearer tokens for the JSON API.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000002_create_member::Member;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .if_not_exists()
                    .col(pk_auto(ApiToken::Id))
                    .col(integer(ApiToken::MemberId))
                    .col(string_uniq(ApiToken::TokenHash))
                    .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                    .col(timestamp_with_time_zone(ApiToken::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiToken::Table, ApiToken::MemberId)
                            .to(Member::Table, Member::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiToken::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    MemberId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
}
