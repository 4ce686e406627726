//! Creates `membership`: a member's role in a community.

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
                    .table(Membership::Table)
                    .if_not_exists()
                    .col(integer(Membership::MemberId))
                    .col(integer(Membership::CommunityId))
                    .col(string(Membership::Role))
                    .col(timestamp_with_time_zone(Membership::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(Membership::MemberId)
                            .col(Membership::CommunityId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Membership::Table, Membership::MemberId)
                            .to(Member::Table, Member::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Membership::Table, Membership::CommunityId)
                            .to(Community::Table, Community::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_membership_community")
                    .table(Membership::Table)
                    .col(Membership::CommunityId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Membership::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Membership {
    Table,
    MemberId,
    CommunityId,
    Role,
    CreatedAt,
}
