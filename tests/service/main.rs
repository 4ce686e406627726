//! One integration-test binary for the service: each test gets a fresh database and port.
//!
//! By default tests use a new SQLite file each; with `KITH_TEST_DATABASE_URL=postgres://…`
//! every test creates its own PostgreSQL database instead, so runs never collide.

mod harness;

mod accounts;
mod cli;
mod contact_matrix;
mod csrf;
mod digest_content;
mod digest_introductions;
mod digests;
mod introduction_endings;
mod introductions;
mod ledger_concurrency;
mod ledger_model;
mod listings;
mod matches;
mod openapi;
mod outbox_faults;
mod privacy;
mod smtp;
mod timebank;
mod timebank_pages;
mod unsubscribe;
mod validation;
mod worker_tools;
