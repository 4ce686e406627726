//! `kith digest run [--now]`: one pass of the digest job from the shell (for cron).

use clap::Subcommand;
use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::mail::Mailer;
use crate::services::{self, digests};

#[derive(Debug, Subcommand)]
pub enum DigestCommand {
    /// Compose the digests that are due, then send everything waiting in the outbox.
    Run {
        /// Compose for every subscribed member now, whatever their chosen day and hour
        /// (still at most one digest per member and period).
        #[arg(long)]
        now: bool,
    },
}

/// Runs `command` and prints what it did.
pub async fn run(
    database: &DatabaseConnection,
    config: &Config,
    command: DigestCommand,
) -> Result<(), String> {
    let DigestCommand::Run { now } = command;
    let mailer = Mailer::from_config(&config.mail)?;
    let report = digests::run(database, config, &mailer, services::now(), now)
        .await
        .map_err(|e| format!("digest run failed: {e}"))?;
    println!(
        "digests: {} composed, {} with nothing new; {} sent, {} to retry, {} failed",
        report.compose.composed,
        report.compose.nothing_new,
        report.send.sent,
        report.send.retried,
        report.send.failed
    );
    if config.mail.smtp_url.is_none() && report.send.sent > 0 {
        println!("written as .eml files to {}", config.mail.dir.display());
    }
    Ok(())
}
