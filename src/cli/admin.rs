//! `kith community`, `kith user` and `kith demo`: setting up a neighbourhood from the shell.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;
use sea_orm::DatabaseConnection;

use crate::domain::community::CommunityDraft;
use crate::domain::member::{MemberDraft, Role};
use crate::error::AppError;
use crate::services::{communities, demo, members};

#[derive(Debug, Subcommand)]
pub enum CommunityCommand {
    /// Create a community.
    Add {
        /// Short name for URLs, e.g. `castlemilk`.
        #[arg(long)]
        slug: String,
        /// Full name, e.g. "Castlemilk".
        #[arg(long)]
        name: String,
        /// The organisation hosting the community worker.
        #[arg(long)]
        host_org: Option<String>,
    },
    /// List communities.
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input when it is piped in;
    /// otherwise one is generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Slug of the community.
        #[arg(long)]
        community: String,
        /// resident, worker or admin.
        #[arg(long, default_value = "resident")]
        role: String,
    },
}

fn describe(e: AppError) -> String {
    match e.field() {
        Some(field) => format!("--{}: {}", field.replace('_', "-"), e.public_message()),
        None => e.to_string(),
    }
}

pub async fn community(db: &DatabaseConnection, command: CommunityCommand) -> Result<(), String> {
    match command {
        CommunityCommand::Add {
            slug,
            name,
            host_org,
        } => {
            let draft = CommunityDraft::parse(&slug, &name, host_org.as_deref())
                .map_err(|e| describe(e.into()))?;
            let c = communities::create(db, draft).await.map_err(describe)?;
            println!("created community `{}` ({})", c.slug, c.name);
        }
        CommunityCommand::List => {
            for c in communities::list(db).await.map_err(describe)? {
                println!("{}\t{}\t{}", c.slug, c.name, c.host_org.unwrap_or_default());
            }
        }
    }
    Ok(())
}

pub async fn user(db: &DatabaseConnection, command: UserCommand) -> Result<(), String> {
    let UserCommand::Add {
        email,
        name,
        community,
        role,
    } = command;
    let role = Role::parse(&role).map_err(|e| describe(e.into()))?;
    let community = communities::require_by_slug(db, &community, "community")
        .await
        .map_err(describe)?;
    let (password, generated) = match read_piped_password()? {
        Some(p) => (p, false),
        None => (members::generate_password(), true),
    };
    let mut draft =
        MemberDraft::self_signup(&name, &email, &password).map_err(|e| describe(e.into()))?;
    if role != Role::Resident {
        // Staff accounts made from the shell are set up by the operator, not by the person.
        draft.consent_method = crate::domain::member::ConsentMethod::InPerson;
    }
    let member = members::create(db, draft, community.id, role)
        .await
        .map_err(describe)?;
    println!(
        "created {} `{}` (id {}) in {}",
        role,
        member.email.unwrap_or_default(),
        member.id,
        community.slug
    );
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}

/// The first line of standard input when it is piped in; `None` when it is a terminal or empty.
fn read_piped_password() -> Result<Option<String>, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    Ok((!password.is_empty()).then_some(password))
}

pub async fn demo(db: &DatabaseConnection) -> Result<(), String> {
    let report = demo::load(db).await.map_err(describe)?;
    if report.created {
        println!("Loaded the demo neighbourhood `{}`.", report.community_slug);
    } else {
        println!(
            "The demo neighbourhood `{}` was already loaded.",
            report.community_slug
        );
    }
    println!("Every demo account's password is: {}", demo::PASSWORD);
    for (email, name, role) in &report.logins {
        println!("  {role:<9} {name:<18} {email}");
    }
    println!("Start the service with `cargo run --release` and log in with any of these.");
    Ok(())
}
