//! Turns one offer or want text into content tokens tagged with vocabulary groups and phrases.

use super::normalize::Word;
use super::vocabulary::{GroupKind, Vocabulary};

/// How a token relates to the vocabulary; decides its weight and how it may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokClass {
    /// Not in the vocabulary: matches by identical stem or by typo against other unknown words.
    Unknown,
    /// A vocabulary term (possibly a corrected misspelling).
    Known,
    /// Only generic groups ("lessons", "fix"): weighs little.
    Generic,
    /// Only a category's broad terms ("gardening").
    Broad,
}

/// One content token of an analysed text (not yet interned): a single word, or a whole
/// vocabulary phrase ("flat pack", "decorate … cake") merged into one token.
#[derive(Debug, Clone)]
pub struct AnalysedToken {
    /// What to show in explanations: the resident's word(s), lower-cased.
    pub display: String,
    /// Matching key: the word's stem (a misspelling takes its correction's stem), or the
    /// sorted stems of a phrase joined by spaces.
    pub stem: String,
    /// Groups this token means: the phrase's groups, or the single word's.
    pub groups: Vec<u32>,
    /// The words making the token: (stem, that word's own groups). One entry for a word.
    pub parts: Vec<(String, Vec<u32>)>,
    /// 1.0, or the typo similarity when a word was corrected.
    pub confidence: f32,
    /// Classification, see [`TokClass`].
    pub class: TokClass,
    /// A word was spelt differently from the vocabulary word it was corrected to.
    pub corrected: bool,
}

impl AnalysedToken {
    /// True for a merged phrase.
    pub fn is_phrase(&self) -> bool {
        self.parts.len() > 1
    }
}

/// Words that negate the content word after them ("not a counsellor", "no garden"). Not
/// "never": in a want it explains the need ("never learnt to read").
const NEGATIONS: [&str; 3] = ["not", "no", "nor"];
/// Words a negation reaches across ("not *a* counsellor", "no *real* experience").
const NEGATION_SKIPS: [&str; 10] = [
    "a", "an", "the", "my", "your", "any", "much", "very", "too", "real",
];

/// The content words of `text`: stop words dropped, and so is a word a negation rules out,
/// because "a listening ear (not a counsellor)" does not offer counselling. Two words written
/// next to each other that the vocabulary knows as one word ("lap top") are joined, since
/// residents space compounds freely. A kept word's `clause_start` says whether a clause break
/// lies between it and the kept word before, even when the words between were dropped; a
/// negation does not reach across a break.
fn content_words(vocab: &Vocabulary, text: &str) -> Vec<Word> {
    let mut negated = false;
    let mut out: Vec<Word> = Vec::new();
    // Whether the last word kept is directly before the current one.
    let mut adjacent = false;
    // A clause break since the last word kept.
    let mut brk = false;
    for mut w in vocab.normaliser().words(text) {
        if w.clause_start {
            brk = true;
            negated = false;
            adjacent = false;
        }
        let folded = w.folded.as_str();
        if NEGATIONS.contains(&folded) {
            negated = true;
            adjacent = false;
        } else if !w.stop {
            if std::mem::take(&mut negated) {
                adjacent = false;
                continue;
            }
            if let Some(last) = out.last_mut().filter(|_| adjacent)
                && let Some(joined) = compound(vocab, last, &w)
            {
                *last = joined;
                adjacent = false;
                continue;
            }
            w.clause_start = std::mem::take(&mut brk);
            out.push(w);
            adjacent = true;
        } else {
            adjacent = false;
            if !NEGATION_SKIPS.contains(&folded) {
                negated = false;
            }
        }
    }
    out
}

/// `a` and `b` as one vocabulary word, if the vocabulary knows their concatenation as written
/// and does not know one of them: two known words are left to phrases ("pick up", "set up").
fn compound(vocab: &Vocabulary, a: &Word, b: &Word) -> Option<Word> {
    let known = |w: &Word| vocab.lookup_word(&w.folded, &w.stem).is_some();
    if known(a) && known(b) {
        return None;
    }
    let folded = format!("{}{}", a.folded, b.folded);
    let stem = vocab.normaliser().stem(&folded);
    vocab
        .lookup_word(&folded, &stem)
        .filter(|hit| hit.corrected_to.is_none())?;
    Some(Word {
        original: format!("{} {}", a.original, b.original),
        folded,
        stem,
        stop: false,
        clause_start: a.clause_start,
    })
}

/// Analyses `text` against `vocab`: folds, drops stop words, resolves words (exact, stem,
/// typo), then merges phrases into single tokens: longest first, words in any order, and
/// two-word phrases also across one intervening word ("decorate a birthday cake" finds
/// "decorate … cake"). Repeated tokens are kept once.
pub fn analyse(vocab: &Vocabulary, text: &str) -> Vec<AnalysedToken> {
    let words = content_words(vocab, text);
    let singles: Vec<AnalysedToken> = words
        .iter()
        .map(|w| match vocab.lookup_word(&w.folded, &w.stem) {
            Some(hit) => AnalysedToken {
                display: w.original.to_lowercase(),
                parts: vec![(hit.stem.clone(), hit.groups.clone())],
                stem: hit.stem,
                groups: hit.groups,
                confidence: hit.confidence,
                class: TokClass::Known,
                corrected: hit.corrected_to.is_some(),
            },
            None => AnalysedToken {
                display: w.original.to_lowercase(),
                stem: w.stem.clone(),
                groups: Vec::new(),
                parts: vec![(w.stem.clone(), Vec::new())],
                confidence: 1.0,
                class: TokClass::Unknown,
                corrected: false,
            },
        })
        .collect();

    let n = singles.len();
    // Clause of each word: phrases join words of one clause only, so "painting walls,
    // hanging paper" has no "wall hanging".
    let clause: Vec<usize> = words
        .iter()
        .scan(0, |c, w| {
            *c += usize::from(w.clause_start);
            Some(*c)
        })
        .collect();
    let mut span_of: Vec<Option<usize>> = vec![None; n];
    let mut spans: Vec<(Vec<usize>, Vec<u32>)> = Vec::new();
    let mut try_span = |idxs: Vec<usize>, span_of: &mut Vec<Option<usize>>| {
        if idxs.iter().any(|&i| span_of[i].is_some()) {
            return;
        }
        if idxs.iter().any(|&i| clause[i] != clause[idxs[0]]) {
            return;
        }
        let stems: Vec<&str> = idxs.iter().map(|&i| singles[i].stem.as_str()).collect();
        if let Some(groups) = vocab.phrase_groups(&stems) {
            for &i in &idxs {
                span_of[i] = Some(spans.len());
            }
            spans.push((idxs, groups.to_vec()));
        }
    };
    for len in (2..=vocab.max_phrase_len().min(n)).rev() {
        for start in 0..=n - len {
            try_span((start..start + len).collect(), &mut span_of);
        }
    }
    // Across one word only if that word is generic or of the same topic: "decorate a birthday
    // cake" is "decorate … cake", "mending alterations and holes" is "mending … holes", but
    // "my daughter a hamster … look after" is not childcare.
    let cats = |groups: &[u32]| -> Vec<u16> {
        groups
            .iter()
            .map(|&g| &vocab.groups()[g as usize])
            .filter(|g| g.kind != GroupKind::Generic)
            .map(|g| g.category)
            .collect()
    };
    for i in 0..n.saturating_sub(2) {
        let middle = cats(&singles[i + 1].groups);
        if !middle.is_empty() {
            let stems = [singles[i].stem.as_str(), singles[i + 2].stem.as_str()];
            let phrase = vocab.phrase_groups(&stems).map(cats).unwrap_or_default();
            if !phrase.iter().any(|c| middle.contains(c)) {
                continue;
            }
        }
        try_span(vec![i, i + 2], &mut span_of);
    }

    let mut toks = Vec::new();
    for i in 0..n {
        match span_of[i] {
            None => toks.push(singles[i].clone()),
            Some(sp) if spans[sp].0[0] == i => {
                let (idxs, groups) = &spans[sp];
                let members: Vec<&AnalysedToken> = idxs.iter().map(|&j| &singles[j]).collect();
                let mut key: Vec<&str> = members.iter().map(|t| t.stem.as_str()).collect();
                key.sort_unstable();
                toks.push(AnalysedToken {
                    display: members
                        .iter()
                        .map(|t| t.display.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    stem: key.join(" "),
                    groups: groups.clone(),
                    parts: members
                        .iter()
                        .map(|t| (t.stem.clone(), t.groups.clone()))
                        .collect(),
                    confidence: members.iter().map(|t| t.confidence).fold(1.0, f32::min),
                    class: TokClass::Known,
                    corrected: members.iter().any(|t| t.corrected),
                });
            }
            Some(_) => {}
        }
    }

    for t in &mut toks {
        if t.class == TokClass::Known && !t.groups.is_empty() {
            let kinds = t.groups.iter().map(|&g| vocab.groups()[g as usize].kind);
            if kinds.clone().all(|k| k == GroupKind::Generic) {
                t.class = TokClass::Generic;
            } else if kinds.clone().all(|k| k == GroupKind::Broad) {
                t.class = TokClass::Broad;
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    toks.retain(|t| seen.insert(t.stem.clone()));
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(v: &Vocabulary, s: &str) -> Vec<(String, TokClass)> {
        analyse(v, s)
            .into_iter()
            .map(|t| (t.display, t.class))
            .collect()
    }

    #[test]
    fn phrases_override_single_words() {
        let v = Vocabulary::builtin();
        let tap = analyse(&v, "tap dancing");
        let leak = analyse(&v, "tap");
        assert_eq!(tap.len(), 1);
        assert!(tap[0].groups.iter().all(|g| !leak[0].groups.contains(g)));
        assert_eq!(tap[0].display, "tap dancing");
        assert_eq!(tap[0].parts.len(), 2);
    }

    #[test]
    fn unordered_phrases_and_stop_words_between() {
        let v = Vocabulary::builtin();
        let a = analyse(&v, "banking online");
        let b = analyse(&v, "Internet Banking");
        assert_eq!(a[0].groups, b[0].groups);
        let c = analyse(&v, "my grass needs cutting");
        assert_eq!(c.len(), 1);
        assert!(c[0].is_phrase());
        let d = analyse(&v, "decorate a birthday cake");
        assert!(d.iter().any(|t| t.display == "decorate cake"), "{d:?}");
    }

    #[test]
    fn classes_and_typos() {
        let v = Vocabulary::builtin();
        let t = show(&v, "gitar lessons zorblax");
        assert_eq!(t[0].1, TokClass::Known);
        assert_eq!(t[1].1, TokClass::Generic);
        assert_eq!(t[2].1, TokClass::Unknown);
        let g = analyse(&v, "gitar");
        assert!(g[0].corrected && g[0].confidence < 1.0);
        assert_eq!(show(&v, "gardening")[0].1, TokClass::Broad);
    }

    #[test]
    fn a_negated_word_is_dropped_and_the_negation_ends_there() {
        let v = Vocabulary::builtin();
        let ear = show(
            &v,
            "a listening ear (not a counsellor), no judgement, guitar",
        );
        let words: Vec<&str> = ear.iter().map(|t| t.0.as_str()).collect();
        assert!(!words.iter().any(|w| w.contains("counsellor")), "{words:?}");
        assert!(!words.contains(&"judgement"), "{words:?}");
        assert!(words.contains(&"guitar"), "{words:?}");
        // A negation stopped by another word does not reach the next skill.
        let g = show(&v, "no experience needed guitar");
        assert!(g.iter().any(|t| t.0 == "guitar"), "{g:?}");
    }

    #[test]
    fn a_phrase_does_not_jump_over_a_skill_of_another_topic() {
        let v = Vocabulary::builtin();
        let t = show(&v, "got my daughter a hamster, how to look after it");
        assert!(t.iter().all(|(d, _)| !d.contains("daughter look")), "{t:?}");
        let list = analyse(&v, "mending alterations and holes");
        assert!(
            list.iter().any(|t| t.display == "mending holes"),
            "{list:?}"
        );
    }

    #[test]
    fn words_spaced_apart_that_the_vocabulary_knows_as_one_are_joined() {
        let v = Vocabulary::builtin();
        let joined = analyse(&v, "my lap top");
        let laptop = analyse(&v, "laptop");
        assert_eq!(joined[0].display, "lap top");
        assert_eq!(joined[0].groups, laptop[0].groups);
        // Not across a word that was dropped.
        let apart = show(&v, "a cat on top of my lap");
        assert!(apart.iter().all(|(d, _)| d != "lap top"), "{apart:?}");
    }

    #[test]
    fn phrases_do_not_join_words_across_a_clause_break() {
        let v = Vocabulary::builtin();
        let joins_wall_and_hang = |t: &AnalysedToken| {
            let stems: Vec<&str> = t.parts.iter().map(|(s, _)| s.as_str()).collect();
            stems.contains(&"wall") && stems.contains(&"hang")
        };
        assert!(analyse(&v, "wall hanging").iter().any(joins_wall_and_hang));
        for text in [
            "painting walls, hanging paper",
            "damp walls, hanging baskets",
            "damp walls. Hanging baskets",
            "damp walls; hanging baskets",
            "damp walls - hanging baskets",
            "damp walls \u{2013} hanging baskets",
            "damp walls (hanging baskets)",
            "hanging, my walls",
        ] {
            let t = analyse(&v, text);
            assert!(!t.iter().any(joins_wall_and_hang), "{text}: {t:?}");
        }
        let paper = show(&v, "painting walls, hanging paper");
        assert!(paper.iter().any(|(d, _)| d == "hanging paper"), "{paper:?}");
        // A hyphen inside a compound is no break.
        assert!(analyse(&v, "wall-hanging").iter().any(joins_wall_and_hang));
    }

    #[test]
    fn repeated_words_count_once() {
        let v = Vocabulary::builtin();
        assert_eq!(analyse(&v, "guitar, guitar, GUITAR").len(), 1);
    }
}
