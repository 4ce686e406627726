//! Real English words (a shipped word list), so that typo tolerance never turns one real word
//! into another: "charts" is not a misspelling of "chat", nor "potty" of "pottery".

use super::normalize::Normaliser;
use std::collections::HashSet;
use std::sync::LazyLock;

/// The word list text, compiled into the binary (`english_words.txt`, derived from SCOWL).
const WORD_LIST: &str = include_str!("english_words.txt");

/// Folded words and their stems, built once per process on first use (~70k words).
struct Words {
    words: HashSet<&'static str>,
    stems: HashSet<String>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let words: HashSet<&'static str> = WORD_LIST
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let norm = Normaliser::new();
    let stems = words.iter().map(|w| norm.stem(w)).collect();
    Words { words, stems }
});

/// True if `folded` (lower case, accents folded) is a real English word.
pub fn is_word(folded: &str) -> bool {
    WORDS.words.contains(folded)
}

/// True if `stem` is the stem of a real English word ("chart" from "charts").
pub fn is_word_stem(stem: &str) -> bool {
    WORDS.stems.contains(stem)
}

/// Typo similarity of two stems of words residents wrote, unless both are stems of real
/// words, which then differ in meaning, not in spelling ("carer" / "career"). A real word
/// that extends another keeps its similarity: the stemmer leaves some endings ("cheaply").
pub fn stem_typo_similarity(a: &str, b: &str) -> Option<f64> {
    if a == b {
        return Some(1.0);
    }
    let extends = a.starts_with(b) || b.starts_with(a);
    if !extends && is_word_stem(a) && is_word_stem(b) {
        return None;
    }
    super::fuzzy::typo_similarity(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_words_are_known_and_misspellings_are_not() {
        assert!(is_word("charts") && is_word("potty") && is_word("guitar"));
        assert!(!is_word("gitar") && !is_word("lesons") && !is_word("bycicle"));
    }

    #[test]
    fn two_real_words_are_never_typos_of_each_other() {
        let norm = Normaliser::new();
        let (potty, pottery) = (norm.stem("potty"), norm.stem("pottery"));
        assert!(super::super::fuzzy::typo_similarity(&potty, &pottery).is_some());
        assert_eq!(stem_typo_similarity(&potty, &pottery), None);
        assert!(stem_typo_similarity(&pottery, &norm.stem("potery")).is_some());
        assert!(stem_typo_similarity(&norm.stem("cheap"), &norm.stem("cheaply")).is_some());
    }
}
