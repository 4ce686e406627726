//! Creates `account`: one ledger account per member per community, plus each community's own.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .if_not_exists()
                    .col(pk_auto(Account::Id))
                    .col(integer(Account::CommunityId))
                    // Null for the community account.
                    .col(integer_null(Account::MemberId))
                    .col(string_len(Account::Kind, 16))
                    // A cache of the sum of this account's entries, updated in the same transaction.
                    .col(big_integer(Account::BalanceMinutes).default(0))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Account::Table, Account::CommunityId)
                            .to(Community::Table, Community::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Account::Table, Account::MemberId)
                            .to(Member::Table, Member::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Kind is part of the key so the community account (member null) is unique too.
        manager
            .create_index(
                Index::create()
                    .name("idx_account_owner")
                    .table(Account::Table)
                    .col(Account::CommunityId)
                    .col(Account::Kind)
                    .col(Account::MemberId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Every community that already exists gets its community account now; new ones get
        // theirs when they are created, so postings never have to race to create one.
        let db = manager.get_connection();
        let ids = db
            .query_all(
                &Query::select()
                    .column(Community::Id)
                    .from(Community::Table)
                    .to_owned(),
            )
            .await?;
        for row in ids {
            let id: i32 = row.try_get("", "id")?;
            let insert = Query::insert()
                .into_table(Account::Table)
                .columns([
                    Account::CommunityId,
                    Account::Kind,
                    Account::BalanceMinutes,
                    Account::CreatedAt,
                ])
                .values([
                    id.into(),
                    "community".into(),
                    0i64.into(),
                    chrono::Utc::now().into(),
                ])
                .map_err(|e| DbErr::Custom(e.to_string()))?
                .to_owned();
            db.execute(&insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Account::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    CommunityId,
    MemberId,
    Kind,
    BalanceMinutes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Community {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
}
