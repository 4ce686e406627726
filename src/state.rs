//! Shared application state, cloned cheaply into every handler.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::error::AppResult;
use crate::services::matches::MatchIndex;

/// What handlers need: the database pool, the configuration and the live matcher index.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub matches: MatchIndex,
}

impl AppState {
    /// Loads the matcher index from the database's active listings.
    pub async fn load(db: DatabaseConnection, config: Config) -> AppResult<Self> {
        let matches = MatchIndex::load(&db).await?;
        Ok(Self {
            db,
            config: Arc::new(config),
            matches,
        })
    }
}
