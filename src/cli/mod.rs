//! The `kith` command line: serve (the default), migrate, manage communities and users, demo data.

mod admin;
mod digest_cmd;
mod match_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::state::AppState;
use crate::{db, startup, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "kith",
    version,
    about = "Skills exchange and timebanking for neighbourhoods"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service (the default): migrates the database, then listens on KITH_BIND.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage communities.
    #[command(subcommand)]
    Community(admin::CommunityCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    User(admin::UserCommand),
    /// Load a small demo neighbourhood and print its logins.
    Demo,
    /// Email digests: compose and send them now.
    #[command(subcommand)]
    Digest(digest_cmd::DigestCommand),
    /// Match an offers CSV against a wants CSV and print the best offers for each want.
    Match(match_cmd::MatchArgs),
}

/// Parses arguments, runs the command, and turns failures into a message and exit code 1.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    match execute(cli.command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: Command) -> Result<(), String> {
    // Matching files needs no database: a worker can run it on a spreadsheet export alone.
    if let Command::Match(args) = command {
        return match_cmd::run(args);
    }
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let database = db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|e| {
            format!(
                "cannot open the database {}: {e}",
                redact(&config.database_url)
            )
        })?;
    match command {
        Command::Serve => {
            let state = AppState::load(database, config)
                .await
                .map_err(|e| format!("cannot load listings for matching: {e}"))?;
            startup::serve(state).await.map_err(|e| e.to_string())
        }
        Command::Migrate => {
            println!("database is up to date");
            Ok(())
        }
        Command::Community(c) => admin::community(&database, c).await,
        Command::User(c) => admin::user(&database, c).await,
        Command::Demo => admin::demo(&database).await,
        Command::Digest(c) => digest_cmd::run(&database, &config, c).await,
        Command::Match(args) => match_cmd::run(args),
    }
}

/// Hides a password in a database URL before printing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn database_passwords_are_not_printed() {
        assert_eq!(
            redact("postgres://kith:secret@db/kith"),
            "postgres://kith:***@db/kith"
        );
        assert_eq!(
            redact("sqlite://kith.db?mode=rwc"),
            "sqlite://kith.db?mode=rwc"
        );
    }
}
