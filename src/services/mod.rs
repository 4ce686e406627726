//! Database work, written over `&impl ConnectionTrait` so callers choose the transaction.

pub mod communities;
pub mod contacts;
pub mod dashboard;
pub mod demo;
pub mod digests;
pub mod exchanges;
pub mod idempotency;
pub mod introduction_details;
pub mod introductions;
pub mod ledger;
pub mod listings;
pub mod mail_prefs;
pub mod matches;
pub mod members;
pub mod outbox;
pub mod safeguarding;
pub mod sign_in_codes;
pub mod statements;
pub mod tokens;
pub mod worker_digests;

/// Current time, truncated to whole microseconds so SQLite and PostgreSQL round-trip it alike.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
