//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Opens a pool for `url`. SQLite gets WAL so readers never wait for the writer.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // One file, one writer: a small pool avoids lock churn.
        options.max_connections(8).min_connections(1);
    } else {
        options.max_connections(20);
    }
    let db = Database::connect(options).await?;
    if url.starts_with("sqlite:") {
        // WAL is a property of the file, so setting it once covers every pooled connection;
        // sqlx already turns on foreign keys and a 5 s busy timeout per connection.
        db.execute_unprepared("PRAGMA journal_mode=WAL;").await?;
    }
    Ok(db)
}

/// Applies every migration that has not run yet.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Opens and migrates in one step, as `kith serve` does at start-up.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}
