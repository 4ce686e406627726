//! Fuzzy matching of free-text offers and wants: normalisation, a synonym vocabulary,
//! typo-tolerant IDF scoring, an incremental index, reciprocity (swaps and circles), CSV I/O.
//!
//! Pure Rust and synchronous: no web framework, no database, no async.
//!
//! ```no_run
//! use kith::matching::{Index, Item, Side, Vocabulary};
//! use std::sync::Arc;
//! let mut index = Index::new(Arc::new(Vocabulary::builtin()));
//! index.insert(Side::Offer, Item::new("o1", "ann", "Guitar lessons for beginners"));
//! index.insert(Side::Want, Item::new("w1", "bob", "learn gitar"));
//! let matches = index.matches_for(Side::Want, "w1", 5).unwrap();
//! assert_eq!(matches[0].offer, "o1");
//! ```

pub mod analyze;
pub mod audience;
mod candidates;
mod context;
pub mod csv_io;
pub mod english;
pub mod fuzzy;
mod index;
mod keys;
pub mod normalize;
mod query;
pub mod reciprocity;
mod score;
pub mod stop_phrase;
pub mod synth;
pub mod vocabulary;

#[cfg(test)]
mod quality_tests;
#[cfg(test)]
mod tests;

pub use csv_io::{
    CsvError, MatchOptions, OutputFormat, read_items, render, run_match, run_match_files,
};
pub use index::Index;
pub use query::{Mode, WantMatches};
pub use reciprocity::{
    Circle, Edge, MemberBalance, Swap, find_circles, find_swaps, rank_with_fairness,
};
pub use vocabulary::{VocabError, Vocabulary};

/// Below this score a pair is not reported at all. Chosen so that a pair sharing only
/// generic words ("lessons", "help") or only a category never shows up, while a want
/// half met by an offer ("dog walking and cat sitting" vs "dog walking") still does.
pub const MIN_SCORE: f32 = 0.35;

/// At or above this score a match is "strong": worth telling the resident about. Reached
/// when the want's main words are met exactly, by a synonym or by a clear typo; not reached
/// by a broad word alone or by the distinct sibling of a word (violin vs guitar).
pub const STRONG_THRESHOLD: f32 = 0.6;

/// A match is strong only if it is also within this much of the want's best match: a want
/// met well by one offer does not make every other offer sharing a word worth telling about
/// (on the labelled sets most wrong strong matches sat just below a right one).
pub const STRONG_MARGIN: f32 = 0.05;

/// Whether a match scoring `score` is strong for a want whose best match scores `best`:
/// at least [`STRONG_THRESHOLD`] and within [`STRONG_MARGIN`] of the best.
pub fn is_strong(score: f32, best: f32) -> bool {
    score >= STRONG_THRESHOLD && score + STRONG_MARGIN >= best
}

/// Added when want and offer share a (non-distinct) category, e.g. both about gardening.
/// Small on purpose: a hint for ranking, never enough on its own to pass [`MIN_SCORE`].
pub const CATEGORY_BONUS: f32 = 0.05;

/// Which list an item is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Something a member can share.
    Offer,
    /// Something a member would like.
    Want,
}

/// An offer or a want as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// Unique id on its side.
    pub id: String,
    /// The member who posted it; never matched with their own items.
    pub member: String,
    /// Free text, e.g. "Help setting up online banking".
    pub text: String,
    /// Optional declared category ("gardening", "Music"): a small ranking hint.
    pub category: Option<String>,
    /// Optional community: when both sides have one, they must be equal to match.
    pub community: Option<String>,
}

impl Item {
    /// An item with no category and no community.
    pub fn new(id: impl Into<String>, member: impl Into<String>, text: impl Into<String>) -> Self {
        Item {
            id: id.into(),
            member: member.into(),
            text: text.into(),
            category: None,
            community: None,
        }
    }

    /// Sets the declared category.
    pub fn with_category(mut self, c: impl Into<String>) -> Self {
        self.category = Some(c.into());
        self
    }

    /// Sets the community.
    pub fn with_community(mut self, c: impl Into<String>) -> Self {
        self.community = Some(c.into());
        self
    }
}

/// An item id or member name as matches carry it: held inline up to 24 bytes (the service's
/// ids are numbers, far shorter), so a batch copying ids into thousands of matches allocates
/// nothing for them; a longer id, say from a CSV file, is kept on the heap and works the same.
/// Compares with `&str` and `String` and derefs to `str`.
pub type Id = compact_str::CompactString;

/// One scored offer → want pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Match {
    /// Offer id.
    pub offer: Id,
    /// Want id.
    pub want: Id,
    /// Member who made the offer (the giver).
    pub offer_member: Id,
    /// Member who made the want (the receiver).
    pub want_member: Id,
    /// In [0, 1]; at least [`MIN_SCORE`].
    pub score: f32,
    /// [`is_strong`]: at least [`STRONG_THRESHOLD`] and among the want's best matches.
    pub strong: bool,
    /// Short explanation, e.g. `"guitar ≈ gitar; lessons"` (want word first).
    pub why: String,
}
