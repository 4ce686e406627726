//! SeaORM entities: one module per table, mirroring the `migration` crate.

pub mod account;
pub mod activity;
pub mod api_token;
pub mod attendance;
pub mod community;
pub mod entry;
pub mod exchange;
pub mod idempotency_key;
pub mod introduction;
pub mod listing;
pub mod listing_match;
pub mod mail_preference;
pub mod member;
pub mod membership;
pub mod note;
pub mod outbox;
pub mod posting;
pub mod session;
pub mod sign_in_code;
