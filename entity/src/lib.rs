//! SeaORM entities: one module per table, mirroring the `migration` crate.

pub mod api_token;
pub mod community;
pub mod listing;
pub mod listing_match;
pub mod member;
pub mod membership;
pub mod session;
