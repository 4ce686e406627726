//! Turns one offer or want text into content tokens tagged with vocabulary groups and phrases.

use super::Side;
use super::normalize::Word;
use super::vocabulary::{GroupKind, Vocabulary, WordHit};

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

/// Words that negate the content word after them in an offer ("not a counsellor", "no
/// garden"). Not "never": in a want it explains the need ("never learnt to read").
pub(super) const NEGATIONS: [&str; 3] = ["not", "no", "nor"];
/// The negations of a want. A want's "no" names what is missing, which is the need itself
/// ("no hot water", "no email address", "no one to talk to"), so only "not" and "nor" rule
/// a word out ("a chat, not a counsellor").
const WANT_NEGATIONS: [&str; 2] = ["not", "nor"];
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
fn content_words(vocab: &Vocabulary, side: Side, text: &str) -> Vec<Word> {
    let negations: &[&str] = match side {
        Side::Offer => &NEGATIONS,
        Side::Want => &WANT_NEGATIONS,
    };
    let mut negated = false;
    let mut out: Vec<Word> = Vec::new();
    // Whether the last word kept is directly before the current one.
    let mut adjacent = false;
    // A clause break since the last word kept.
    let mut brk = false;
    let mut all = vocab.normaliser().words(text);
    drop_street_names(vocab, &mut all);
    let mut i = 0;
    while i < all.len() {
        // A stop-word phrase ("on my own") stands as one content word for its whole run;
        // its stem is the phrase's key, which `analyse` resolves to the phrase's groups.
        let phrase = vocab.stop_phrases().longest_at(&all, i);
        // Each word is visited once, so it is moved out rather than cloned.
        let mut w = std::mem::take(&mut all[i]);
        i += 1;
        if let Some((len, key)) = phrase {
            for r in &all[i..i - 1 + len] {
                w.original.push(' ');
                w.original.push_str(&r.original);
            }
            w.folded = key.clone();
            w.stem = key;
            w.stop = false;
            i += len - 1;
        }
        if w.clause_start {
            brk = true;
            negated = false;
            adjacent = false;
        }
        let folded = w.folded.as_str();
        if negations.contains(&folded) {
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

/// Words that end a street name ("Church Street", "Mill Rd"). Not "close", "drive", "park",
/// "way" or "gardens": those are everyday words and skills too.
const STREET_WORDS: [&str; 9] = [
    "street", "st", "road", "rd", "lane", "avenue", "ave", "crescent", "terrace",
];

/// Marks street names ("I live on Church Street", "near Mill Road, ...") as stop words: a
/// resident's address says where, not what, and its first word is often a skill or topic
/// ("church", "mill", "market") that would pull in unrelated offers. A name is a content word
/// followed by a street word that ends the text or its clause or is followed by a stop word,
/// so "street dance", "road bike" and "memory lane" (a vocabulary phrase) are kept.
fn drop_street_names(vocab: &Vocabulary, words: &mut [Word]) {
    for i in 1..words.len() {
        let (name, street) = (&words[i - 1], &words[i]);
        if !STREET_WORDS.contains(&street.folded.as_str()) || name.stop || street.clause_start {
            continue;
        }
        let ends = words
            .get(i + 1)
            .is_none_or(|next| next.clause_start || next.stop);
        let phrase = vocab
            .phrase_groups(&[name.stem.as_str(), street.stem.as_str()])
            .is_some();
        if ends && !phrase {
            words[i - 1].stop = true;
            words[i].stop = true;
        }
    }
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

/// A stop-word phrase's key resolved to its groups: one known word that no typo rule or
/// ordinary phrase sees into, so "lost my husband" means bereavement, not "husband".
fn stop_phrase_hit(vocab: &Vocabulary, w: &Word) -> Option<WordHit> {
    let groups = vocab.stop_phrases().groups(&w.stem)?;
    Some(WordHit {
        groups: groups.to_vec(),
        stem: w.stem.clone(),
        confidence: 1.0,
        corrected_to: None,
    })
}

/// Analyses `text` against `vocab`: folds, drops stop words and negated words (an offer and
/// a want read negations differently), resolves words (exact, stem, typo), then merges
/// phrases into single tokens: longest first, words in any order, and two-word phrases also
/// across one intervening word ("decorate a birthday cake" finds "decorate … cake").
/// Repeated tokens are kept once.
pub fn analyse(vocab: &Vocabulary, side: Side, text: &str) -> Vec<AnalysedToken> {
    let words = content_words(vocab, side, text);
    let singles: Vec<AnalysedToken> = words
        .iter()
        .map(|w| {
            match stop_phrase_hit(vocab, w).or_else(|| vocab.lookup_word(&w.folded, &w.stem)) {
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
            }
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
mod tests;
