//! kith: a skills-exchange and timebanking matchmaker for asset-based community development.
//!
//! The crate is a library so that the binary, the integration tests and the benchmarks share
//! one code path: `startup::router` builds the whole HTTP app from an [`state::AppState`].

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod digest;
pub mod domain;
pub mod error;
pub mod ledger;
pub mod mail;
pub mod matching;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
