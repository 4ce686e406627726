//! The synonym vocabulary: categories, synonym groups, distinct groups, broad and generic words,
//! parsed from a readable text file (built-in `vocabulary.txt`, extendable by a community).

use super::fuzzy::{MIN_FUZZY_LEN, typo_similarity};
use super::normalize::Normaliser;
use super::stop_phrase::{StopPhrases, is_stop_phrase};
use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

/// The built-in vocabulary text, compiled into the binary.
pub const BUILTIN_VOCABULARY: &str = include_str!("vocabulary.txt");

/// What a group of terms means for scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// `=` synonyms / near-synonyms ("bike", "bicycle").
    Synonyms,
    /// `!` synonyms that are distinct from their sibling groups (violin vs guitar): no category bonus.
    Distinct,
    /// `*` words standing for the whole category ("gardening"): match its groups weakly.
    Broad,
    /// `~` generic words ("lessons", "fix"): matched but weigh little.
    Generic,
}

/// A category such as "gardening" or "music".
#[derive(Debug, Clone)]
pub struct Category {
    /// Short id from the file header, e.g. `gardening`.
    pub id: String,
    /// Human name, e.g. `Gardening`.
    pub name: String,
}

/// A group of interchangeable terms inside one category.
#[derive(Debug, Clone)]
pub struct Group {
    /// Index into [`Vocabulary::categories`].
    pub category: u16,
    /// How the group scores.
    pub kind: GroupKind,
    /// Terms as written in the file (first one is used as a label).
    pub terms: Vec<String>,
}

/// A vocabulary parse error, with the 1-based line it occurred on.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{source_name}:{line}: {message}")]
pub struct VocabError {
    /// File name (or `<builtin>` / `<string>`).
    pub source_name: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// How a single folded word resolves against the vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct WordHit {
    /// Groups the word belongs to (empty if unknown).
    pub groups: Vec<u32>,
    /// The stem the word should be matched under (the vocabulary word's stem for a typo).
    pub stem: String,
    /// 1.0 for a known word, the typo similarity for a corrected misspelling.
    pub confidence: f32,
    /// The vocabulary word a misspelling was corrected to, if any.
    pub corrected_to: Option<String>,
}

/// Synonym groups and lookups (by word, by stem, by unordered phrase, by typo).
pub struct Vocabulary {
    norm: Normaliser,
    categories: Vec<Category>,
    groups: Vec<Group>,
    by_word: HashMap<String, Vec<u32>>,
    by_stem: HashMap<String, Vec<u32>>,
    phrases: HashMap<String, Vec<u32>>,
    max_phrase: usize,
    /// Phrases whose meaning lives in their stop words, matched in order (see `stop_phrase`).
    stop_phrases: StopPhrases,
    /// Single vocabulary words, for typo correction, bucketed by (first letter, length):
    /// the typo rule only ever pairs words sharing a first letter and within two letters in
    /// length, so a handful of buckets hold every possible correction.
    words: Vec<String>,
    word_buckets: HashMap<(u8, usize), Vec<u32>>,
    /// Typo corrections already worked out (folded word → best vocabulary word and its
    /// similarity): residents repeat the same unknown words, and the edit-distance rule is
    /// the costliest step of analysis. Cleared whenever the vocabulary grows.
    fuzzy_memo: RwLock<HashMap<String, Option<(f64, u32)>>>,
}

impl Vocabulary {
    /// An empty vocabulary (no groups): matching then relies on stems and typos only.
    pub fn empty() -> Self {
        Vocabulary {
            norm: Normaliser::new(),
            categories: Vec::new(),
            groups: Vec::new(),
            by_word: HashMap::new(),
            by_stem: HashMap::new(),
            phrases: HashMap::new(),
            max_phrase: 1,
            stop_phrases: StopPhrases::default(),
            words: Vec::new(),
            word_buckets: HashMap::new(),
            fuzzy_memo: RwLock::new(HashMap::new()),
        }
    }

    /// The built-in vocabulary (`vocabulary.txt`).
    pub fn builtin() -> Self {
        let mut v = Self::empty();
        v.extend_named(BUILTIN_VOCABULARY, "<builtin>")
            .expect("built-in vocabulary must parse");
        v
    }

    /// Adds entries from vocabulary text (same format as `vocabulary.txt`). A `[category]`
    /// header naming an existing category appends to it. On error nothing is added.
    pub fn extend_from_str(&mut self, text: &str) -> Result<(), VocabError> {
        self.extend_named(text, "<string>")
    }

    /// Reads and adds a vocabulary file; errors carry the file name and line.
    pub fn extend_from_file(&mut self, path: &Path) -> Result<(), VocabError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| VocabError {
            source_name: name.clone(),
            line: 0,
            message: format!("cannot read: {e}"),
        })?;
        self.extend_named(&text, &name)
    }

    /// Categories, in file order.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// Groups, in file order; a group's id is its index here.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The normaliser used for both the vocabulary and residents' text.
    pub fn normaliser(&self) -> &Normaliser {
        &self.norm
    }

    /// Longest phrase, in content words.
    pub fn max_phrase_len(&self) -> usize {
        self.max_phrase
    }

    /// Groups of an unordered run of stems (a phrase of two or more words), if any.
    pub fn phrase_groups(&self, stems: &[&str]) -> Option<&[u32]> {
        let mut s = stems.to_vec();
        s.sort_unstable();
        self.phrases.get(&s.join(" ")).map(|v| v.as_slice())
    }

    /// The stop-word phrases ("on my own"), found among all words of a text.
    pub fn stop_phrases(&self) -> &StopPhrases {
        &self.stop_phrases
    }

    /// Resolves a content word: exact word, then its stem, then the closest vocabulary word
    /// within typo distance. `None` if the word is unknown.
    pub fn lookup_word(&self, folded: &str, stem: &str) -> Option<WordHit> {
        // A short stem stands for too many words ("fit": fitness, fittings), so a stem-only
        // hit needs the word to be that stem plus a short ending ("fits", "fitted").
        let stem_hit = || {
            (stem.len() >= 4 || folded.len() <= stem.len() + 3)
                .then(|| self.by_stem.get(stem))
                .flatten()
        };
        if let Some(g) = self.by_word.get(folded).or_else(stem_hit) {
            return Some(WordHit {
                groups: g.clone(),
                stem: stem.to_string(),
                confidence: 1.0,
                corrected_to: None,
            });
        }
        let (first, len) = (*folded.as_bytes().first()?, folded.len());
        if len < MIN_FUZZY_LEN {
            return None;
        }
        let memo = self
            .fuzzy_memo
            .read()
            .ok()
            .and_then(|m| m.get(folded).copied());
        let best = match memo {
            Some(b) => b,
            None => {
                let b = self.closest_word(folded, first, len);
                if let Ok(mut m) = self.fuzzy_memo.write() {
                    m.insert(folded.to_string(), b);
                }
                b
            }
        };
        let (sim, id) = best?;
        let word = &self.words[id as usize];
        Some(WordHit {
            groups: self.by_word[word].clone(),
            stem: self.norm.stem(word),
            confidence: sim as f32,
            corrected_to: Some(word.clone()),
        })
    }

    /// The vocabulary word `folded` most likely misspells, with the typo similarity.
    /// A real English word is meant as written ("charts" is not a misspelt "chat"): it only
    /// corrects to a vocabulary word it extends or is extended by ("cheap" / "cheaply").
    fn closest_word(&self, folded: &str, first: u8, len: usize) -> Option<(f64, u32)> {
        let real = super::english::is_word(folded);
        let mut best: Option<(f64, u32)> = None;
        for l in len.saturating_sub(2)..=len + 2 {
            for &id in self.word_buckets.get(&(first, l)).into_iter().flatten() {
                let word = &self.words[id as usize];
                if real && !word.starts_with(folded) && !folded.starts_with(word.as_str()) {
                    continue;
                }
                if let Some(sim) = typo_similarity(word, folded) {
                    // Highest similarity wins; ties go to the earlier word so results are stable.
                    if best.is_none_or(|(b, i)| sim > b || (sim == b && id < i)) {
                        best = Some((sim, id));
                    }
                }
            }
        }
        best
    }

    /// Category id lookup by id or display name (case-insensitive), for a declared category column.
    pub fn category_by_name(&self, name: &str) -> Option<u16> {
        let n = name.trim().to_ascii_lowercase();
        self.categories
            .iter()
            .position(|c| c.id == n || c.name.to_ascii_lowercase() == n)
            .map(|i| i as u16)
    }

    fn extend_named(&mut self, text: &str, source: &str) -> Result<(), VocabError> {
        // Parse everything first so a bad line leaves the vocabulary untouched.
        let err = |line: usize, message: String| VocabError {
            source_name: source.to_string(),
            line,
            message,
        };
        let mut pending: Vec<(String, String, GroupKind, Vec<String>, usize)> = Vec::new();
        let mut new_cats: Vec<Category> = Vec::new();
        let mut current: Option<String> = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let (id, name) = rest
                    .split_once(']')
                    .ok_or_else(|| err(line_no, "category header needs a closing ']'".into()))?;
                let id = id.trim().to_ascii_lowercase();
                if id.is_empty()
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    return Err(err(
                        line_no,
                        format!("bad category id '{id}' (use letters, digits, - or _)"),
                    ));
                }
                let name = if name.trim().is_empty() {
                    id.clone()
                } else {
                    name.trim().to_string()
                };
                if self.category_by_name(&id).is_none() && !new_cats.iter().any(|c| c.id == id) {
                    new_cats.push(Category {
                        id: id.clone(),
                        name,
                    });
                }
                current = Some(id);
                continue;
            }
            let kind = match line.chars().next() {
                Some('=') => GroupKind::Synonyms,
                Some('!') => GroupKind::Distinct,
                Some('*') => GroupKind::Broad,
                Some('~') => GroupKind::Generic,
                _ => {
                    return Err(err(
                        line_no,
                        "expected '[category]' or a line starting with = ! * or ~".into(),
                    ));
                }
            };
            let cat = current
                .clone()
                .ok_or_else(|| err(line_no, "group before any [category] header".into()))?;
            let terms: Vec<String> = line[1..]
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            if terms.is_empty() {
                return Err(err(line_no, "group has no terms".into()));
            }
            for t in &terms {
                let all = self.norm.words_with(t, false);
                if self.content_stems(t).is_empty() && !is_stop_phrase(t, &all) {
                    return Err(err(
                        line_no,
                        format!(
                            "term '{t}' has no content words (quote a stop-word phrase: \"on my own\")"
                        ),
                    ));
                }
            }
            pending.push((cat, String::new(), kind, terms, line_no));
        }
        self.categories.extend(new_cats);
        for (cat, _, kind, terms, _) in pending {
            let category = self
                .category_by_name(&cat)
                .expect("category registered above");
            self.add_group(Group {
                category,
                kind,
                terms,
            });
        }
        Ok(())
    }

    fn content_stems(&self, term: &str) -> Vec<(String, String)> {
        self.norm
            .words_with(term, false)
            .into_iter()
            .filter(|w| !w.stop)
            .map(|w| (w.folded, w.stem))
            .collect()
    }

    fn by_word_seen(&self, folded: &str) -> bool {
        self.word_buckets
            .get(&(folded.as_bytes()[0], folded.len()))
            .is_some_and(|ids| ids.iter().any(|&i| self.words[i as usize] == folded))
    }

    fn add_group(&mut self, group: Group) {
        if let Ok(m) = self.fuzzy_memo.get_mut() {
            m.clear();
        }
        let gid = self.groups.len() as u32;
        for term in &group.terms {
            let all = self.norm.words_with(term, false);
            if is_stop_phrase(term, &all) {
                self.stop_phrases.add(&all, gid);
                continue;
            }
            let words = self.content_stems(term);
            if words.len() == 1 {
                let (folded, stem) = &words[0];
                push_unique(self.by_word.entry(folded.clone()).or_default(), gid);
                push_unique(self.by_stem.entry(stem.clone()).or_default(), gid);
                if !self.by_word_seen(folded) {
                    let key = (folded.as_bytes()[0], folded.len());
                    self.word_buckets
                        .entry(key)
                        .or_default()
                        .push(self.words.len() as u32);
                    self.words.push(folded.clone());
                }
            } else {
                let mut stems: Vec<&str> = words.iter().map(|(_, s)| s.as_str()).collect();
                stems.sort_unstable();
                self.max_phrase = self.max_phrase.max(stems.len());
                push_unique(self.phrases.entry(stems.join(" ")).or_default(), gid);
            }
        }
        self.groups.push(group);
    }
}

fn push_unique(v: &mut Vec<u32>, x: u32) {
    if !v.contains(&x) {
        v.push(x);
    }
}
#[cfg(test)]
mod tests;
