//! The hour ledger as pure logic: double-entry postings, balance limits and reciprocity
//! figures. No database here; `services::ledger` stores what this module decides.

mod minutes;
mod posting;
mod reciprocity;

pub use minutes::{MAX_MINUTES, Minutes, format_minutes};
pub use posting::{AccountKind, Entry, LedgerError, Limits, Posting, apply};
pub use reciprocity::{ExchangeFact, Reciprocity, reciprocity};
