//! Vocabulary phrases carried by stop words ("on my own", "won't start", "lost my husband").
//!
//! Ordinary phrases are matched on content words only, in any order. A phrase whose meaning
//! lives in its stop words cannot work that way: with the stop words gone it is empty ("too
//! much stuff") or a single word it would hijack ("lost my husband" → "husband"). Such a
//! phrase, written in double quotes in the vocabulary, is matched instead against all of a
//! text's words, stop words included, in the exact order written ("on my own" but not
//! "my own ... on"), inside one clause. Content
//! words compare by stem ("cutting back" is "cut back"); possessives compare as one word, so
//! "lost her husband" is "lost my husband" without listing every pronoun.

use super::analyze::NEGATIONS;
use super::normalize::Word;
use std::collections::HashMap;

/// Possessives that stand for each other inside a stop-word phrase.
const POSSESSIVES: [&str; 6] = ["my", "his", "her", "our", "their", "your"];

/// True if a vocabulary term is a stop-word phrase: more than one word, and written in
/// double quotes (`"lost my husband"`) or holding a negation (`boiler not working`). Quotes
/// are opt-in rather than automatic because many terms ("the council", "a lift") rely on
/// reducing to their one content word. A negation is meant literally in a term, but a text's
/// negation drops the word after it, so such a term could only ever match its opposite
/// ("not working" would be found in "working") unless it is matched word for word.
pub fn is_stop_phrase(term: &str, words: &[Word]) -> bool {
    let t = term.trim();
    let quoted = t.len() > 1 && t.starts_with('"') && t.ends_with('"');
    let negated = words.iter().any(|w| NEGATIONS.contains(&w.folded.as_str()));
    words.len() > 1 && (quoted || negated)
}

/// One word's part of a key: its stem, or "my" for any possessive.
fn word_key(w: &Word) -> &str {
    if POSSESSIVES.contains(&w.folded.as_str()) {
        "my"
    } else {
        w.stem.as_str()
    }
}

/// The ordered matching key of a run of words: stems, possessives merged.
fn key<'a>(words: impl Iterator<Item = &'a Word>) -> String {
    words.map(word_key).collect::<Vec<_>>().join(" ")
}

/// The stop-word phrases of a vocabulary, by ordered key.
#[derive(Debug, Default)]
pub struct StopPhrases {
    by_key: HashMap<String, Vec<u32>>,
    /// First words of the phrases, each with the lengths (bit `n`: `n` words) of the phrases
    /// it starts: most words start none and are passed over, and for the others only keys of
    /// those lengths are built (analysis runs this at every word of every text).
    starts: HashMap<String, u64>,
}

impl StopPhrases {
    /// Registers a term's words (from `is_stop_phrase`) as meaning group `gid`.
    pub fn add(&mut self, words: &[Word], gid: u32) {
        if let Some(first) = words.first() {
            let lengths = self.starts.entry(word_key(first).to_string()).or_default();
            *lengths |= 1 << words.len().min(63);
        }
        let groups = self.by_key.entry(key(words.iter())).or_default();
        if !groups.contains(&gid) {
            groups.push(gid);
        }
    }

    /// Groups of a key returned by [`StopPhrases::longest_at`].
    pub fn groups(&self, key: &str) -> Option<&[u32]> {
        self.by_key.get(key).map(|v| v.as_slice())
    }

    /// The longest phrase starting at `words[i]` without a clause break inside it, as
    /// (number of words, key). Longest first, so "lost my husband" beats a shorter "lost my".
    pub fn longest_at(&self, words: &[Word], i: usize) -> Option<(usize, String)> {
        let lengths = *self.starts.get(word_key(words.get(i)?))?;
        let most = 63.min(words.len() - i);
        (2..=most)
            .rev()
            .filter(|n| lengths & (1 << n) != 0)
            .find_map(|len| {
                let run = &words[i..i + len];
                if run[1..].iter().any(|w| w.clause_start) {
                    return None;
                }
                let k = key(run.iter());
                self.by_key.contains_key(&k).then_some((len, k))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::normalize::Normaliser;

    fn phrases(terms: &[&str]) -> StopPhrases {
        let n = Normaliser::new();
        let mut p = StopPhrases::default();
        for (g, t) in terms.iter().enumerate() {
            p.add(&n.words_with(t, false), g as u32);
        }
        p
    }

    fn found(p: &StopPhrases, text: &str) -> Vec<String> {
        let words = Normaliser::new().words(text);
        (0..words.len())
            .filter_map(|i| p.longest_at(&words, i).map(|(_, k)| k))
            .collect()
    }

    #[test]
    fn quoted_or_negated_terms_of_several_words_are_stop_phrases() {
        let n = Normaliser::new();
        let is = |t: &str| is_stop_phrase(t, &n.words_with(t, false));
        assert!(is("\"too much stuff\""));
        assert!(is(" \"lost my husband\" "));
        assert!(!is("look after my cat"));
        assert!(!is("the council"));
        assert!(!is("\"lost\""));
        assert!(is("boiler not working"));
        assert!(is("no hot water"));
        assert!(!is("boiler broken"));
    }

    #[test]
    fn a_stop_phrase_is_found_in_order_with_stems_and_any_possessive() {
        let p = phrases(&["on my own", "cut back", "lost my husband"]);
        assert_eq!(found(&p, "I live on my own"), ["on my own"]);
        assert_eq!(found(&p, "living on their own"), ["on my own"]);
        assert_eq!(found(&p, "my own garden on"), Vec::<String>::new());
        assert_eq!(found(&p, "roses need cutting back"), ["cut back"]);
        assert_eq!(found(&p, "she lost her husband"), ["lost my husband"]);
    }

    #[test]
    fn a_stop_phrase_does_not_reach_across_a_clause_break() {
        let p = phrases(&["cut back"]);
        assert_eq!(found(&p, "hair cut. Back pain"), Vec::<String>::new());
    }

    #[test]
    fn the_longest_stop_phrase_at_a_word_wins() {
        let p = phrases(&["lost my", "lost my husband"]);
        let words = Normaliser::new().words("lost my husband");
        assert_eq!(p.longest_at(&words, 0).unwrap().0, 3);
    }
}
