//! Creates `listing_match`: scored offer → want pairs kept up to date as listings change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ListingMatch::Table)
                    .if_not_exists()
                    .col(pk_auto(ListingMatch::Id))
                    .col(integer(ListingMatch::OfferId))
                    .col(integer(ListingMatch::WantId))
                    .col(integer(ListingMatch::OfferMemberId))
                    .col(integer(ListingMatch::WantMemberId))
                    .col(integer(ListingMatch::CommunityId))
                    .col(double(ListingMatch::Score))
                    .col(boolean(ListingMatch::Strong))
                    .col(string_len(ListingMatch::Why, 500))
                    .col(timestamp_with_time_zone(ListingMatch::FoundAt))
                    .col(timestamp_with_time_zone(ListingMatch::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListingMatch::Table, ListingMatch::OfferId)
                            .to(Listing::Table, Listing::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ListingMatch::Table, ListingMatch::WantId)
                            .to(Listing::Table, Listing::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_listing_match_pair",
                vec![ListingMatch::OfferId, ListingMatch::WantId],
            ),
            ("idx_listing_match_want", vec![ListingMatch::WantId]),
            (
                "idx_listing_match_offer_member",
                vec![ListingMatch::OfferMemberId],
            ),
            (
                "idx_listing_match_want_member",
                vec![ListingMatch::WantMemberId],
            ),
            ("idx_listing_match_found_at", vec![ListingMatch::FoundAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(ListingMatch::Table);
            if name == "idx_listing_match_pair" {
                index.unique();
            }
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ListingMatch::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ListingMatch {
    Table,
    Id,
    OfferId,
    WantId,
    OfferMemberId,
    WantMemberId,
    CommunityId,
    Score,
    Strong,
    Why,
    FoundAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Listing {
    Table,
    Id,
}
