//! Text normalisation: Unicode/case folding, word splitting, stop words, filler phrases, stemming.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};

/// One word of a resident's text after folding, with its original spelling kept for explanations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Word {
    /// The word as the resident wrote it (punctuation stripped), e.g. `"Ukulélé"`.
    pub original: String,
    /// Case- and accent-folded ASCII form, e.g. `"ukulele"`.
    pub folded: String,
    /// Snowball English stem of `folded`, e.g. `"ukulel"`.
    pub stem: String,
    /// True for stop words and words inside filler phrases: kept for display, never matched.
    pub stop: bool,
    /// A clause break (comma, full stop, semicolon, dash, bracket, ...) comes between this
    /// word and the one before it: phrases must not join words across it.
    pub clause_start: bool,
}

/// Words that carry no meaning for matching. Kept deliberately broad: a word wrongly dropped
/// here costs less than an everyday word that dilutes a want's score or fuzzes into a skill.
const STOP_WORDS: &str = "a an the and or but nor so yet if then than as at by for from in into of off on onto \
over under down to with without within about above across after against along among around \
before behind below beneath beside besides between beyond during except inside near outside past \
since through throughout till toward towards until upon via while away back \
i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself \
she her hers herself it its itself they them their theirs themselves this that these those \
im ive id ill youre youve youd theyre weve dont doesnt didnt cant cannot wont wouldnt couldnt \
shouldnt isnt arent wasnt werent hasnt havent hadnt thats theres whats lets \
am is are was were be been being have has had having do does did done doing \
will would shall should can could may might must ought \
what which who whom whose when where why how whether \
all any both each every few more most other some such no not only own same too very just also \
really quite rather much many lots lot bit little abit \
please thanks thank cheers hello hi hey \
someone somebody anyone anybody everybody one ones something anything everything nothing \
need needs needed needing want wants wanted wanting wish like likes liked love loved \
happy glad able willing keen eager pleased \
offer offers offered offering available provide providing \
free local friendly nearby neighbour neighbours neighbor neighbors area \
time times hour hours day days week weeks month months year years weekend weekends \
evening evenings morning mornings afternoon afternoons night nights \
january february march april june july august september october november december \
sometimes often occasionally usually regularly now soon today tomorrow later ever never always \
again still already even though although because since etc \
experienced experience qualified professional retired former ex used \
good nice best lovely kind patient \
sure certainly definitely maybe perhaps probably \
thing things stuff way ways bits well \
know knows knew start started starting got gets struggling struggle struggles confused confuses confusing \
dying wrong last afford somewhere anywhere everywhere yr yrs aged hes shes ago lately recently moved \
try tried trying unable manage wee big small huge bad stuck lost see seen say says saying said tell told think \
thought find found went came come coming gone goes done whilst able \
live lives flexible \
yin thon canny wantae ken aye naw awfy braw hiya hullo yeah yea yep yup nope ok okay ty ta \
asap tbh btw lol omg xx xxx xxxx gonna gonnae gotta dunno lemme gimme kinda sorta tryna rly gud sth \
smth sumthin somethin nuthin anythin aswell alot innit hun hon";

/// Dialect, text-speak and first-letter misspellings with their standard spelling
/// (`spelling_variants.txt`, compiled in; its header gives the format and why).
const SPELLING_VARIANTS: &str = include_str!("spelling_variants.txt");

/// The `variant = standard` pairs of [`SPELLING_VARIANTS`].
fn spelling_variants() -> impl Iterator<Item = (&'static str, &'static str)> {
    SPELLING_VARIANTS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(v, s)| (v.trim(), s.trim()))
}

/// Multi-word fillers that mean "I offer" / "I want" rather than a skill. Words that are not
/// stop words on their own (looking, spare, ...) need the phrase to be recognised.
const FILLER_PHRASES: &[&str] = &[
    "looking for",
    "look for",
    "would like",
    "would love",
    "i can",
    "i could",
    "can offer",
    "happy to",
    "able to",
    "keen to",
    "is there",
    "does anyone",
    "anyone who",
    "someone who",
    "someone to",
    "need help",
    "help with",
    "help me",
    "learn to",
    "learn how to",
    "how to",
    "show me",
    "teach me",
    "get help",
    "in need of",
    "on offer",
    "free of charge",
    "spare time",
    "in my spare time",
    "when needed",
    "if needed",
    "get to know",
    "find out",
];

/// Folds text into [`Word`]s. Cheap to share: holds only the stemmer and two sets.
pub struct Normaliser {
    stemmer: Stemmer,
    stop: HashSet<&'static str>,
    fillers: Vec<Vec<&'static str>>,
    variants: HashMap<&'static str, &'static str>,
    /// First words of the two-word variants ("wi" of "wi fi"): only these look ahead.
    pair_starts: HashSet<&'static str>,
}

impl Default for Normaliser {
    fn default() -> Self {
        Self::new()
    }
}

impl Normaliser {
    /// Builds a normaliser with the built-in English stop words and filler phrases.
    pub fn new() -> Self {
        Normaliser {
            stemmer: Stemmer::create(Algorithm::English),
            stop: STOP_WORDS.split_whitespace().collect(),
            fillers: FILLER_PHRASES
                .iter()
                .map(|p| p.split_whitespace().collect())
                .collect(),
            variants: spelling_variants().collect(),
            pair_starts: spelling_variants()
                .filter_map(|(v, _)| v.split_once(' ').map(|(first, _)| first))
                .collect(),
        }
    }

    /// True if the folded word is a stop word.
    pub fn is_stop(&self, folded: &str) -> bool {
        self.stop.contains(folded)
    }

    /// Stems one folded (lower-case ASCII) word.
    pub fn stem(&self, folded: &str) -> String {
        self.stemmer.stem(folded).into_owned()
    }

    /// Splits and folds `text`; stop words and filler phrases are marked `stop`.
    pub fn words(&self, text: &str) -> Vec<Word> {
        self.words_with(text, true)
    }

    /// Like [`Normaliser::words`]; `fillers: false` keeps filler phrases, which vocabulary
    /// terms need ("learn to drive" must stay a phrase, not collapse to "drive").
    pub fn words_with(&self, text: &str, fillers: bool) -> Vec<Word> {
        let mixed_case = text.chars().any(|c| c.is_lowercase());
        let mut out: Vec<Word> = Vec::new();
        // A break before a word that is dropped here still separates its neighbours.
        let mut pending_break = false;
        let mut split = split_fold(text).into_iter().peekable();
        while let Some((mut original, mut folded, brk)) = split.next() {
            pending_break |= brk;
            // A two-word spelling ("wi fi") is one word, unless a clause break splits it.
            if self.pair_starts.contains(folded.as_str())
                && let Some((o2, f2, false)) = split.peek()
                && let Some(joined) = self.variants.get(format!("{folded} {f2}").as_str())
            {
                original = format!("{original} {o2}");
                folded = (*joined).to_string();
                split.next();
            }
            if let Some(standard) = self.variants.get(folded.as_str()) {
                folded = (*standard).to_string();
            } else if let Some(full) = restore_dropped_g(&folded) {
                folded = full;
            }
            // Pure numbers ("2", "10") say nothing about a skill; "5k" or "a1" stay.
            if (folded.len() < 2 && folded != "a" && folded != "i")
                || folded.bytes().all(|b| b.is_ascii_digit())
            {
                continue;
            }
            // "IT help" must not vanish as the pronoun "it".
            let folded = if mixed_case && original == "IT" {
                "infotech".to_string()
            } else {
                folded
            };
            let stop = self.stop.contains(folded.as_str());
            let stem = if stop {
                folded.clone()
            } else {
                self.stem(&folded)
            };
            out.push(Word {
                original,
                folded,
                stem,
                stop,
                clause_start: std::mem::take(&mut pending_break),
            });
        }
        self.join_split_compounds(&mut out);
        if fillers {
            self.mark_fillers(&mut out);
        }
        out
    }

    /// Joins a compound written as two words ("web site", "child care", "hair cut") into the
    /// one English word, so it matches the closed spelling. Both halves must be content words
    /// of three letters or more in one clause, which keeps "is land" or "a part" apart.
    /// Compounds only the vocabulary knows ("whats app") are joined later, by `analyze`.
    fn join_split_compounds(&self, words: &mut Vec<Word>) {
        let mut i = 0;
        while i + 1 < words.len() {
            let (a, b) = (&words[i], &words[i + 1]);
            let joinable = !a.stop
                && !b.stop
                && !b.clause_start
                && a.folded.len() >= 3
                && b.folded.len() >= 3
                && a.folded
                    .bytes()
                    .chain(b.folded.bytes())
                    .all(|c| c.is_ascii_lowercase());
            let joined = joinable.then(|| format!("{}{}", a.folded, b.folded));
            if let Some(joined) = joined.filter(|j| super::english::is_word(j)) {
                let b = words.remove(i + 1);
                let a = &mut words[i];
                a.original = format!("{} {}", a.original, b.original);
                a.stem = self.stem(&joined);
                a.folded = joined;
            }
            i += 1;
        }
    }

    fn mark_fillers(&self, words: &mut [Word]) {
        for i in 0..words.len() {
            for f in &self.fillers {
                if i + f.len() <= words.len()
                    && f.iter().zip(&words[i..]).all(|(a, w)| *a == w.folded)
                {
                    for w in &mut words[i..i + f.len()] {
                        w.stop = true;
                    }
                }
            }
        }
    }
}

/// The "-ing" spelling of a word written with its g dropped ("fixin", "mornins", "goin'"), as
/// in Scots and everyday speech: only when the word as written is not English and the "-ing"
/// form is ("cabin", "violin", "cousins" stay). The typo tolerance would not catch these: it
/// compares stems, and "fixin" has no stem in common with "fixing".
fn restore_dropped_g(folded: &str) -> Option<String> {
    let (head, tail) = if let Some(h) = folded.strip_suffix("ins") {
        (h, "ings")
    } else {
        (folded.strip_suffix("in")?, "ing")
    };
    if head.len() < 2 || super::english::is_word(folded) {
        return None;
    }
    let full = format!("{head}{tail}");
    super::english::is_word(&full).then_some(full)
}

/// Splits on anything that is not a letter or digit; apostrophes join ("mum's" → "mums")
/// so contractions stay one stop word. Non-ASCII letters are transliterated (é → e, ß → ss).
/// Each word comes as (original, folded, whether a clause break comes before it).
fn split_fold(text: &str) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    let mut orig = String::new();
    let mut fold = String::new();
    // Letters of a dotted abbreviation so far ("c.v", "d.i.y"): each part is one letter.
    let mut dotted = false;
    // A clause break since the last word.
    let mut brk = false;
    let flush = |orig: &mut String,
                 fold: &mut String,
                 brk: &mut bool,
                 out: &mut Vec<(String, String, bool)>| {
        if !fold.is_empty() {
            out.push((
                std::mem::take(orig),
                std::mem::take(fold),
                std::mem::take(brk),
            ));
        } else {
            orig.clear();
        }
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            orig.push(c);
            fold.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            if !fold.is_empty() {
                orig.push(c);
            }
        } else if c.is_alphanumeric() {
            orig.push(c);
            let t = deunicode::deunicode_char(c).unwrap_or("");
            for d in t.chars().filter(|d| d.is_ascii_alphanumeric()) {
                fold.push(d.to_ascii_lowercase());
            }
        } else if c == '.' && joins_abbreviation(&chars, i, &fold, dotted) {
            // "c.v" is one word, "cv", not the letters c and v.
            orig.push(c);
            dotted = true;
        } else {
            dotted = false;
            flush(&mut orig, &mut fold, &mut brk, &mut out);
            brk |= breaks_clause(&chars, i);
        }
    }
    flush(&mut orig, &mut fold, &mut brk, &mut out);
    out
}

/// Whether the character at `chars[i]` (not part of a word) ends a clause: a comma, full
/// stop, semicolon, question or exclamation mark, bracket, or a dash. A hyphen between two
/// letters joins a compound ("CV-writing") and is no break; one with a space beside it is.
fn breaks_clause(chars: &[char], i: usize) -> bool {
    match chars[i] {
        ',' | '.' | ';' | '!' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '\u{2013}'
        | '\u{2014}' => true,
        '-' => {
            let spaced = |c: Option<&char>| c.is_none_or(|c| c.is_whitespace());
            spaced(i.checked_sub(1).and_then(|j| chars.get(j))) || spaced(chars.get(i + 1))
        }
        _ => false,
    }
}

/// Whether the dot at `chars[i]` sits inside a dotted abbreviation of single letters: the
/// letters so far (`fold`) are one letter, or an abbreviation already (`dotted`), and one
/// letter follows, alone.
fn joins_abbreviation(chars: &[char], i: usize, fold: &str, dotted: bool) -> bool {
    let single = |at: usize| {
        chars.get(at).is_some_and(|c| c.is_ascii_alphabetic())
            && !chars.get(at + 1).is_some_and(|c| c.is_alphanumeric())
    };
    (fold.len() == 1 || dotted) && fold.bytes().all(|b| b.is_ascii_alphabetic()) && single(i + 1)
}

#[cfg(test)]
mod tests;
