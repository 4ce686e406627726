//! Pair scoring: IDF-weighted, typo- and synonym-tolerant coverage of a want by an offer,
//! with a small category bonus and a short human explanation.

use super::analyze::TokClass;
use super::context::{CONTEXT_MIN_COVER, context_discount};
use super::english::stem_typo_similarity as typo_similarity;
use super::{CATEGORY_BONUS, MIN_SCORE, STRONG_THRESHOLD};

/// Similarity of a shared synonym group ("bike" / "bicycle"): a hair below an identical word.
pub const SYNONYM_SIM: f32 = 0.95;
/// Similarity of a category's broad word against one of its groups ("garden" / "lawn"):
/// low enough that a broad word alone never makes a strong match.
pub const BROAD_SIM: f32 = 0.45;
/// Similarity of a specific want word against an offer's broad word ("physics" / "tutor"):
/// a vague offer only weakly promises the specific thing.
pub const BROAD_OFFER_SIM: f32 = 0.45;
/// Similarity of a phrase and a word (or phrase) sharing one word in the same sense
/// ("dog walking" / "dog sitting"): related, never interchangeable.
pub const PART_SIM: f32 = 0.5;
/// Scale applied to Jaro-Winkler similarity between two unknown words within typo distance.
pub const TYPO_SIM: f32 = 0.9;
/// Share of the score that rewards how much of the *offer* is used (the rest: of the want).
pub const OFFER_SHARE: f32 = 0.3;
/// An IDF of ln(50) (a word in 1 text out of 50) already counts fully; rarer words are not
/// worth more. Saturating keeps one rare descriptive word from swamping the skill words.
pub const IDF_SATURATION: f32 = 3.912;

/// Cap for a pair where the want names a distinct thing the offer lacks: just below strong.
pub const DISTINCT_MISS_CAP: f32 = STRONG_THRESHOLD * 0.95;

pub(crate) const TAG_STEM: u32 = 0;
pub(crate) const TAG_GROUP: u32 = 1 << 30;
pub(crate) const TAG_CAT: u32 = 2 << 30;
pub(crate) const TAG_BROAD: u32 = 3 << 30;

/// An interned, scoring-ready token.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// Interned matching key (word stem, or a phrase's sorted stems).
    pub stem: u32,
    pub groups: Box<[u32]>,
    /// Words of the token: (interned stem, that word's own groups); one entry for a word.
    /// For a phrase, only its specific (non-generic) words are kept.
    pub parts: Box<[(u32, Box<[u32]>)]>,
    /// A merged vocabulary phrase rather than a single word.
    pub phrase: bool,
    /// Categories of this token's (non-generic) groups: targets for another text's broad words.
    pub cats: Box<[u16]>,
    /// Categories this token stands for broadly.
    pub broad: Box<[u16]>,
    pub conf: f32,
    pub class: TokClass,
    /// Every group is a distinct group (an instrument, a language, an animal, a subject...).
    pub distinct: bool,
    pub corrected: bool,
    /// Has at least one generic group (reachable through generic keys).
    pub generic_reach: bool,
    /// Key whose document frequency sets this token's IDF.
    pub weight_key: u32,
    pub display: Box<str>,
    /// One-bit-per-item summaries (see [`TokMasks`]) for a quick "nothing in common" test.
    pub masks: TokMasks,
}

/// Bloom-style masks of a token: two tokens whose masks share no bit cannot match except by
/// the same stem or a typo, so `token_sim` skips its set intersections for most pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct TokMasks {
    /// Groups and stems of the token and of its words.
    pub words: u64,
    /// Categories of its groups.
    pub cats: u64,
    /// Categories it stands for broadly.
    pub broad: u64,
}

impl TokMasks {
    fn bit(x: u32, salt: u32) -> u64 {
        1u64 << ((x ^ salt).wrapping_mul(0x9E37_79B9) >> 26)
    }

    /// Masks of a token from its stem, words (stem and groups), groups and categories.
    pub fn new(
        stem: u32,
        groups: &[u32],
        parts: &[(u32, Box<[u32]>)],
        cats: &[u16],
        broad: &[u16],
    ) -> Self {
        let (st, gr) = (0x5bd1_e995, 0x1b87_3593);
        let mut words = Self::bit(stem, st);
        for &g in groups {
            words |= Self::bit(g, gr);
        }
        for (s, gs) in parts {
            words |= Self::bit(*s, st);
            for &g in gs.iter() {
                words |= Self::bit(g, gr);
            }
        }
        let cat = |cs: &[u16]| cs.iter().fold(0u64, |m, &c| m | 1u64 << (c % 64));
        TokMasks {
            words,
            cats: cat(cats),
            broad: cat(broad),
        }
    }

    /// The token's topics (categories it belongs to or stands for) as a bit set: what context
    /// words are compared by (see `context::context_discount`; a shared bit only makes a word
    /// count fully, so the index's shortcut and the scorer must read the same bits).
    pub(crate) fn topics(&self) -> u64 {
        self.cats | self.broad
    }

    /// False only if the tokens certainly share no stem, group or category link.
    pub(super) fn may_relate(&self, o: &TokMasks) -> bool {
        (self.words & o.words) | (self.broad & o.cats) | (self.cats & o.broad) != 0
    }
}

/// An interned, scoring-ready text.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub toks: Vec<Tok>,
    /// Categories for the category bonus (synonym/broad groups and the declared category).
    pub bonus_cats: Box<[u16]>,
    /// Who the text says it is for ([`super::audience`] bits).
    pub audience: u8,
}

impl Doc {
    /// Fingerprint of everything scoring reads (not the display text): two texts with the
    /// same signature score the same against any text, so a query scores one of them only.
    pub fn signature(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for t in &self.toks {
            (t.stem, &t.groups, &t.parts, t.phrase, &t.cats, &t.broad).hash(&mut h);
            (t.conf.to_bits(), t.class as u8, t.distinct, t.corrected).hash(&mut h);
            (t.generic_reach, t.weight_key).hash(&mut h);
        }
        (&self.bonus_cats, self.audience).hash(&mut h);
        h.finish()
    }

    /// A text with no specific (non-generic) word, like "lessons please": matches nothing.
    pub fn is_vague(&self) -> bool {
        self.toks.iter().all(|t| t.class == TokClass::Generic)
    }
}

/// Corpus statistics for IDF and stem strings for typo comparison.
pub(crate) trait Corpus {
    fn n_docs(&self) -> u32;
    fn df(&self, key: u32) -> u32;
    fn stem_str(&self, stem: u32) -> &str;
    /// `typo_similarity` of two stems (an index answers from its precomputed typo graph).
    fn typo_sim(&self, a: u32, b: u32) -> Option<f32> {
        typo_similarity(self.stem_str(a), self.stem_str(b)).map(|s| s as f32)
    }
}

/// Weight of a token class relative to a vocabulary skill word. Generic words weigh about a
/// tenth; unknown words about a seventh, because in residents' texts they are far more often context
/// ("my boy", "before our holiday", "hip op") than the skill itself; broad words are vague.
pub(crate) fn class_factor(class: TokClass) -> f32 {
    match class {
        TokClass::Known => 1.0,
        TokClass::Broad => 0.6,
        TokClass::Unknown => 0.15,
        TokClass::Generic => 0.08,
    }
}

/// Lowest fraction of its class factor a token can weigh (at IDF 0).
pub(crate) const MIN_IDF_SHARE: f32 = 0.3;

/// Token weight: class factor × saturating IDF over every offer and want in the corpus.
pub(crate) fn weight(t: &Tok, c: &dyn Corpus) -> f32 {
    let n = c.n_docs() as f32;
    let df = c.df(t.weight_key) as f32;
    let idf = ((n + 1.0) / (df + 1.0)).ln().max(0.0);
    class_factor(t.class)
        * (MIN_IDF_SHARE + (1.0 - MIN_IDF_SHARE) * (idf / IDF_SATURATION).min(1.0))
}

/// How two tokens matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Exact,
    Typo,
    Synonym,
    Related,
}

pub(super) fn intersects<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// Two words agree in sense: same stem, and the vocabulary does not put them in different
/// groups ("mobile" and "mobility" share a stem but not a meaning).
fn same_word(a: &(u32, Box<[u32]>), b: &(u32, Box<[u32]>)) -> bool {
    a.0 == b.0 && (a.1.is_empty() || b.1.is_empty() || intersects(&a.1, &b.1))
}

/// Two words are the same or synonyms on their own ("bicycle" in "bicycle repairs" vs "bike").
fn same_or_synonym(a: &(u32, Box<[u32]>), b: &(u32, Box<[u32]>)) -> bool {
    same_word(a, b) || intersects(&a.1, &b.1)
}

/// Similarity in [0, 1] of want token `a` and offer token `b`. Symmetric except for broad
/// words: a broad want ("gardening") is met fairly by a specific offer ("lawn mowing"), a
/// specific want only weakly by a broad offer.
pub(crate) fn token_sim(a: &Tok, b: &Tok, c: &dyn Corpus) -> Option<(f32, Via)> {
    let unknowns = a.class == TokClass::Unknown && b.class == TokClass::Unknown;
    if a.stem != b.stem && !unknowns && !a.masks.may_relate(&b.masks) {
        return None;
    }
    let conf = a.conf * b.conf;
    let single = !a.phrase && !b.phrase;
    if a.stem == b.stem && (!single || same_word(&a.parts[0], &b.parts[0])) {
        let via = if a.corrected || b.corrected {
            Via::Typo
        } else {
            Via::Exact
        };
        return Some((conf, via));
    }
    if intersects(&a.groups, &b.groups) {
        // Two different broad words of one category ("education", "exams") both stand for
        // the whole topic, not for each other: related, never strong on their own.
        if a.class == TokClass::Broad && b.class == TokClass::Broad {
            return Some((BROAD_SIM * conf, Via::Related));
        }
        return Some((SYNONYM_SIM * conf, Via::Synonym));
    }
    let mut best: Option<(f32, Via)> = None;
    if intersects(&a.broad, &b.cats) {
        best = Some((BROAD_SIM * conf, Via::Related));
    } else if intersects(&b.broad, &a.cats) {
        best = Some((BROAD_OFFER_SIM * conf, Via::Related));
    }
    if !single
        && a.parts
            .iter()
            .any(|p| b.parts.iter().any(|q| same_or_synonym(p, q)))
    {
        best = Some((PART_SIM * conf, Via::Related));
    }
    if best.is_none() && unknowns {
        let sim = c.typo_sim(a.stem, b.stem)?;
        return Some((TYPO_SIM * sim, Via::Typo));
    }
    best
}

/// A scored want/offer pair.
#[derive(Debug, Clone)]
pub(crate) struct PairScore {
    pub score: f32,
    pub why: Option<String>,
}

/// Weights of every token of a text (see [`weight`]).
pub(crate) fn doc_weights(d: &Doc, c: &dyn Corpus) -> Vec<f32> {
    d.toks.iter().map(|t| weight(t, c)).collect()
}

/// Scores how well `offer` meets `want`: the IDF-weighted share of the want's words the offer
/// covers (each by its best-matching offer word), times a little for how much of the offer is
/// used, plus [`CATEGORY_BONUS`] when the two share a category, capped at 1. Token weights are
/// passed in (`ww` for the want, `ow` for the offer) so batches compute them once per text.
pub(crate) fn score_weighted(
    want: &Doc,
    ww: &[f32],
    offer: &Doc,
    ow: &[f32],
    c: &dyn Corpus,
    explain: bool,
) -> PairScore {
    if want.is_vague() || offer.is_vague() {
        return PairScore {
            score: 0.0,
            why: None,
        };
    }
    // Small fixed buffers: texts rarely have more than a dozen content tokens.
    const STACK: usize = 24;
    let (nw, no) = (want.toks.len(), offer.toks.len());
    let mut bw_stack = [(0f32, 0usize, Via::Exact); STACK];
    let mut bo_stack = [0f32; STACK];
    let mut bw_heap = Vec::new();
    let mut bo_heap = Vec::new();
    let best_w: &mut [(f32, usize, Via)] = if nw <= STACK {
        &mut bw_stack[..nw]
    } else {
        bw_heap.resize(nw, (0.0, 0, Via::Exact));
        &mut bw_heap
    };
    let best_o: &mut [f32] = if no <= STACK {
        &mut bo_stack[..no]
    } else {
        bo_heap.resize(no, 0.0);
        &mut bo_heap
    };
    for (i, t) in want.toks.iter().enumerate() {
        for (j, u) in offer.toks.iter().enumerate() {
            if let Some((s, via)) = token_sim(t, u, c) {
                if s > best_w[i].0 {
                    best_w[i] = (s, j, via);
                }
                if s > best_o[j] {
                    best_o[j] = s;
                }
            }
        }
    }
    let cover = |w: &[f32], m: &mut dyn Iterator<Item = f32>, discount: f32| {
        let total: f32 = w.iter().sum::<f32>() - discount;
        if total <= 0.0 {
            0.0
        } else {
            (w.iter().zip(m).map(|(w, m)| w * m).sum::<f32>() / total).min(1.0)
        }
    };
    let offer_cov = cover(ow, &mut best_o.iter().copied(), 0.0);
    // Context is discounted only as far as the offer is used: an offer met through one word
    // of several ("loan ukes available" for "debt advice") is probably about something else.
    let mut want_cov = cover(ww, &mut best_w.iter().map(|b| b.0), 0.0);
    if want_cov >= CONTEXT_MIN_COVER {
        let discount = offer_cov * context_discount(want, ww, offer, best_w);
        want_cov = cover(ww, &mut best_w.iter().map(|b| b.0), discount);
    }
    let mut score = want_cov * (1.0 - OFFER_SHARE + OFFER_SHARE * offer_cov);
    if want_cov > 0.0 && intersects(&want.bonus_cats, &offer.bonus_cats) {
        score += CATEGORY_BONUS;
    }
    // A want naming a distinct thing (violin, German, physics, a cat) that the offer does not
    // provide is never strong, however well the rest matches.
    let distinct_missed = want
        .toks
        .iter()
        .zip(best_w.iter())
        .any(|(t, b)| t.distinct && b.0 < PART_SIM);
    // A want for a child is not met by an offer only for adults (or the other way round).
    let distinct_missed =
        distinct_missed || super::audience::conflict(want.audience, offer.audience);
    let score = if distinct_missed {
        score.min(DISTINCT_MISS_CAP)
    } else {
        score.min(1.0)
    };
    let why = (explain && score >= MIN_SCORE.min(STRONG_THRESHOLD))
        .then(|| explanation(want, offer, ww, best_w));
    PairScore { score, why }
}

/// "guitar ≈ gitar; lessons": matched want words, most important first, want word first.
/// Built in one string (a batch explains every match it returns, so per-part strings showed
/// up in its profile); a part already written is not repeated.
fn explanation(want: &Doc, offer: &Doc, ww: &[f32], best: &[(f32, usize, Via)]) -> String {
    use std::fmt::Write;
    let mut order: Vec<usize> = (0..want.toks.len()).filter(|&i| best[i].0 > 0.0).collect();
    order.sort_by(|&a, &b| {
        (ww[b] * best[b].0)
            .total_cmp(&(ww[a] * best[a].0))
            .then(a.cmp(&b))
    });
    let mut out = String::new();
    // Where each part written so far starts and ends in `out`.
    let mut parts: [(usize, usize); 4] = [(0, 0); 4];
    let mut n = 0;
    for i in order {
        let (_, j, via) = best[i];
        let (w, o) = (&want.toks[i].display, &offer.toks[j].display);
        let before = out.len();
        if n > 0 {
            out.push_str("; ");
        }
        let start = out.len();
        // Writing to a String cannot fail.
        let _ = match via {
            Via::Exact => write!(out, "{w}"),
            Via::Typo | Via::Synonym if w == o => write!(out, "{w}"),
            Via::Typo => write!(out, "{w} ≈ {o}"),
            Via::Synonym => write!(out, "{w} ~ {o} (synonym)"),
            Via::Related => write!(out, "{w} ~ {o} (related)"),
        };
        let part = &out[start..];
        if parts[..n].iter().any(|&(a, b)| &out[a..b] == part) {
            out.truncate(before);
            continue;
        }
        parts[n] = (start, out.len());
        n += 1;
        if n == parts.len() {
            break;
        }
    }
    out
}
