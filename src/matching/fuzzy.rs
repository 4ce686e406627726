//! Typo tolerance: a length-aware edit-distance rule (strsim) and a trigram index that finds
//! every dictionary word the rule could accept, so indexed and exhaustive matching agree.

use std::collections::HashMap;

/// Words shorter than this never fuzz: "cat"/"car", "bake"/"bike" are different words, not typos.
pub const MIN_FUZZY_LEN: usize = 5;

/// Edit operations (optimal string alignment: insert, delete, substitute, swap neighbours)
/// tolerated for a word of `len` characters. Longer words can absorb more slips.
pub fn allowed_edits(len: usize) -> usize {
    if len < MIN_FUZZY_LEN {
        0
    } else if len <= 6 {
        1
    } else {
        2
    }
}

/// Two edits must also leave the words this Jaro-Winkler-similar ("bycicle"/"bicycle" pass,
/// "bodies"/"budgies" do not).
pub const TWO_EDIT_MIN_JW: f64 = 0.93;

/// Similarity in (0, 1] if `b` could be a misspelling of `a` (or vice versa), else `None`.
///
/// Both words must be at least [`MIN_FUZZY_LEN`] long, start with the same letter (people
/// rarely get the first letter wrong, and it stops "walking"/"talking" from merging), and be
/// within [`allowed_edits`] of each other. Short words (up to 6 letters) may not differ by a
/// plain substitution: that is how real words differ ("knots"/"knits", "sewing"/"seeing"),
/// while typos in short words are mostly a dropped, doubled or swapped letter. The returned
/// value is Jaro-Winkler similarity, which rewards a shared prefix.
pub fn typo_similarity(a: &str, b: &str) -> Option<f64> {
    if a == b {
        return Some(1.0);
    }
    let (la, lb) = (a.len(), b.len());
    let shorter = la.min(lb);
    if shorter < MIN_FUZZY_LEN || a.as_bytes()[0] != b.as_bytes()[0] {
        return None;
    }
    let allowed = allowed_edits(la.max(lb));
    if la.abs_diff(lb) > allowed {
        return None;
    }
    if la.max(lb) <= 6 && la == lb {
        let (mut x, mut y) = ([0u8; 6], [0u8; 6]);
        x[..la].copy_from_slice(a.as_bytes());
        y[..lb].copy_from_slice(b.as_bytes());
        x.sort_unstable();
        y.sort_unstable();
        if x != y {
            return None;
        }
    }
    let edits = strsim::osa_distance(a, b);
    let jw = strsim::jaro_winkler(a, b);
    if edits > allowed || (edits == 2 && jw < TWO_EDIT_MIN_JW) {
        return None;
    }
    Some(jw)
}

/// Padded character trigrams of an ASCII word ("  g", " gi", "git", ...). With two pads on
/// each side a word of length n has n + 2 trigrams and one edit destroys at most four of
/// them, so any pair accepted by [`typo_similarity`] (n ≥ 5, ≤ 2 edits for n ≥ 7) shares a trigram.
pub fn trigrams(word: &str) -> impl Iterator<Item = [u8; 3]> + '_ {
    let b = word.as_bytes();
    let n = b.len() + 4;
    let at = move |i: usize| {
        if i < 2 || i >= b.len() + 2 {
            b' '
        } else {
            b[i - 2]
        }
    };
    (0..n.saturating_sub(2)).map(move |i| [at(i), at(i + 1), at(i + 2)])
}

/// Trigram → word ids, for finding typo neighbours without comparing against every word.
#[derive(Default, Debug, Clone)]
pub struct TrigramIndex {
    grams: HashMap<[u8; 3], Vec<u32>>,
}

impl TrigramIndex {
    /// Registers `word` under `id`. Words shorter than [`MIN_FUZZY_LEN`] are skipped: they never fuzz.
    pub fn insert(&mut self, id: u32, word: &str) {
        if word.len() < MIN_FUZZY_LEN {
            return;
        }
        let mut seen: Vec<[u8; 3]> = trigrams(word).collect();
        seen.sort_unstable();
        seen.dedup();
        for g in seen {
            self.grams.entry(g).or_default().push(id);
        }
    }

    /// Ids of words that share enough trigrams with `word` to be within typo distance
    /// (a superset of its typo neighbours), sorted. With padded trigrams a word of length n
    /// has n + 2 of them and one edit destroys at most four, so a neighbour within `d` edits
    /// shares at least n + 2 − 4d (the q-gram count filter; at least one).
    pub fn candidates(&self, word: &str) -> Vec<u32> {
        if word.len() < MIN_FUZZY_LEN {
            return Vec::new();
        }
        let mut grams: Vec<[u8; 3]> = trigrams(word).collect();
        grams.sort_unstable();
        grams.dedup();
        let mut all = Vec::new();
        for g in &grams {
            if let Some(ids) = self.grams.get(g) {
                all.extend_from_slice(ids);
            }
        }
        all.sort_unstable();
        let need = (word.len() + 2)
            .saturating_sub(4 * allowed_edits(word.len() + 2))
            .max(1);
        let mut out = Vec::new();
        let mut i = 0;
        while i < all.len() {
            let mut j = i;
            while j < all.len() && all[j] == all[i] {
                j += 1;
            }
            if j - i >= need {
                out.push(all[i]);
            }
            i = j;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_typos() {
        assert!(typo_similarity("guitar", "gitar").is_some());
        assert!(typo_similarity("ukulele", "ukelele").is_some());
        assert!(typo_similarity("bicycle", "bycicle").is_some());
        assert!(typo_similarity("babysitting", "babysiting").is_some());
    }

    #[test]
    fn rejects_short_or_different_words() {
        assert!(typo_similarity("bake", "bike").is_none());
        assert!(typo_similarity("walking", "talking").is_none());
        assert!(typo_similarity("plumbing", "planting").is_none());
        assert!(typo_similarity("violin", "viola").is_none());
        assert!(typo_similarity("knots", "knits").is_none());
        assert!(typo_similarity("seeing", "sewing").is_none());
        assert!(typo_similarity("bodies", "budgies").is_none());
    }

    #[test]
    fn trigram_index_finds_every_accepted_neighbour() {
        let words = [
            "guitar",
            "gardening",
            "knitting",
            "plumbing",
            "ukulele",
            "bicycle",
        ];
        let mut idx = TrigramIndex::default();
        for (i, w) in words.iter().enumerate() {
            idx.insert(i as u32, w);
        }
        for typo in [
            "gitar", "gardning", "kniting", "plumming", "ukelele", "bycicle", "guiatr",
        ] {
            let cands = idx.candidates(typo);
            for (i, w) in words.iter().enumerate() {
                if typo_similarity(w, typo).is_some() {
                    assert!(cands.contains(&(i as u32)), "{typo} should find {w}");
                }
            }
        }
    }

    proptest::proptest! {
        /// The trigram filter never loses a pair the typo rule accepts (the recall guarantee).
        #[test]
        fn trigram_filter_has_full_recall(a in "[a-e]{5,10}", b in "[a-e]{5,10}") {
            if typo_similarity(&a, &b).is_some() {
                let mut idx = TrigramIndex::default();
                idx.insert(0, &a);
                proptest::prop_assert!(idx.candidates(&b).contains(&0));
            }
        }
    }
}
