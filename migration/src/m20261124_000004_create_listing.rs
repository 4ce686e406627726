//! Creates `listing`: offers and wants, one table told apart by `kind`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_community::Community;
use crate::m20261124_000002_create_member::Member;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Listing::Table)
                    .if_not_exists()
                    .col(pk_auto(Listing::Id))
                    .col(string_len(Listing::Kind, 8))
                    .col(integer(Listing::MemberId))
                    .col(integer(Listing::CommunityId))
                    .col(string_len(Listing::Text, 2000))
                    .col(string_null(Listing::Category))
                    .col(string_len(Listing::Mode, 16))
                    .col(string_null(Listing::Availability))
                    .col(boolean(Listing::Paused).default(false))
                    .col(timestamp_with_time_zone_null(Listing::DeletedAt))
                    .col(integer_null(Listing::CreatedBy))
                    .col(timestamp_with_time_zone(Listing::CreatedAt))
                    .col(timestamp_with_time_zone(Listing::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Listing::Table, Listing::MemberId)
                            .to(Member::Table, Member::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Listing::Table, Listing::CommunityId)
                            .to(Community::Table, Community::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_listing_community_kind")
                    .table(Listing::Table)
                    .col(Listing::CommunityId)
                    .col(Listing::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_listing_member")
                    .table(Listing::Table)
                    .col(Listing::MemberId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Listing::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Listing {
    Table,
    Id,
    Kind,
    MemberId,
    CommunityId,
    Text,
    Category,
    Mode,
    Availability,
    Paused,
    DeletedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}
