//! Creates `note`: a worker's private note on a member or an introduction.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Note::Table)
                    .if_not_exists()
                    .col(pk_auto(Note::Id))
                    // Notes belong to a community: only its workers read them.
                    .col(integer(Note::CommunityId))
                    .col(integer(Note::AuthorId))
                    .col(integer_null(Note::MemberId))
                    .col(integer_null(Note::IntroductionId))
                    .col(text(Note::Body))
                    .col(timestamp_with_time_zone(Note::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_note_member", Note::MemberId),
            ("idx_note_introduction", Note::IntroductionId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Note::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Note::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Note {
    Table,
    Id,
    CommunityId,
    AuthorId,
    MemberId,
    IntroductionId,
    Body,
    CreatedAt,
}
