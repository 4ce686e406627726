//! Queries over an [`Index`]: candidate generation from posting lists with a score upper
//! bound (so most candidates are never scored), an exhaustive reference mode, and batch top-k.

use super::analyze::TokClass;
use super::fuzzy::typo_similarity;
use super::index::{Entry, Index, side_ix};
use super::keys::{cat_bits, generic_keys};
use super::score::{
    BROAD_OFFER_SIM, BROAD_SIM, Corpus, PART_SIM, SYNONYM_SIM, TAG_BROAD, TAG_CAT, TAG_GROUP,
    TAG_STEM, TYPO_SIM, Tok, doc_weights, score_weighted,
};
use super::{CATEGORY_BONUS, MIN_SCORE, Match, STRONG_THRESHOLD, Side};
use rayon::prelude::*;
use std::borrow::Cow;

/// Absorbs float rounding between the bound (summed per key) and the score (summed per token).
const BOUND_SLACK: f32 = 1e-4;
/// Candidates are sorted in chunks of this size, best bound first.
const CHUNK: usize = 32;

/// How to find candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Posting lists + score bound: fast, same results as `Exhaustive` by construction.
    #[default]
    Indexed,
    /// Score every item on the other side: the reference for recall.
    Exhaustive,
}

/// The top matches of one want.
#[derive(Debug, Clone, PartialEq)]
pub struct WantMatches {
    /// Want id.
    pub want: String,
    /// Best offers first.
    pub matches: Vec<Match>,
}

/// Token weights per slot, computed once for a batch (the index is read-only meanwhile);
/// `None` computes them per pair. Both give identical numbers.
type WeightCache<'a> = Option<&'a [Vec<f32>]>;

/// Total order on f32 for sort keys (scores are never NaN).
#[derive(PartialEq)]
struct OrdF32(f32);
impl Eq for OrdF32 {}
impl PartialOrd for OrdF32 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for OrdF32 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// Reusable per-thread buffers sized to the index.
pub(crate) struct Scratch {
    acc: Vec<f32>,
    mark: Vec<u32>,
    stamp: u32,
    touched: Vec<u32>,
}

impl Scratch {
    pub fn new(slots: usize) -> Self {
        Scratch {
            acc: vec![0.0; slots],
            mark: vec![0; slots],
            stamp: 0,
            touched: Vec::new(),
        }
    }
    fn next_stamp(&mut self) -> u32 {
        self.stamp += 1;
        self.stamp
    }
}

/// Keeps the best `k` by score (desc), ties by slot (asc: insertion order, which is file
/// order for batch runs) — the same order in every mode.
struct TopK<'a> {
    k: usize,
    items: Vec<(f32, &'a str, u32)>,
}

impl<'a> TopK<'a> {
    /// True if nothing with this bound or lower can enter any more.
    fn below(&self, bound: f32) -> bool {
        bound < MIN_SCORE || (self.items.len() >= self.k && bound < self.items[self.k - 1].0)
    }
    /// True if a candidate with this score bound (and slot) could still enter.
    fn could_enter(&self, bound: f32, slot: u32) -> bool {
        if bound < MIN_SCORE {
            return false;
        }
        if self.items.len() < self.k {
            return true;
        }
        let (s, _, last) = self.items[self.k - 1];
        bound > s || (bound == s && slot < last)
    }
    fn offer(&mut self, score: f32, id: &'a str, slot: u32) {
        if score < MIN_SCORE || self.k == 0 {
            return;
        }
        let pos = self
            .items
            .partition_point(|&(s, _, l)| s > score || (s == score && l < slot));
        if pos < self.k {
            self.items.insert(pos, (score, id, slot));
            self.items.truncate(self.k);
        }
    }
}

impl Index {
    /// Top `k` matches for one item: offers for a want, wants for an offer (indexed mode).
    /// `None` if the id is unknown on that side.
    pub fn matches_for(&self, side: Side, id: &str, k: usize) -> Option<Vec<Match>> {
        self.matches_for_mode(side, id, k, Mode::Indexed)
    }

    /// Like [`Index::matches_for`] with an explicit [`Mode`].
    pub fn matches_for_mode(
        &self,
        side: Side,
        id: &str,
        k: usize,
        mode: Mode,
    ) -> Option<Vec<Match>> {
        let slot = self.slot_of(side, id)?;
        let mut scratch = Scratch::new(if mode == Mode::Indexed && side == Side::Want {
            self.slots.len()
        } else {
            0
        });
        Some(self.query_slot(slot, k, mode, &mut scratch, None))
    }

    /// Top `k` offers for every want, in parallel; wants in slot order (insertion order
    /// unless items were removed).
    pub fn top_k_for_all_wants(&self, k: usize, mode: Mode) -> Vec<WantMatches> {
        let wants: Vec<u32> = (0..self.slots.len() as u32)
            .filter(|&s| {
                self.slots[s as usize]
                    .as_ref()
                    .is_some_and(|e| e.side == Side::Want)
            })
            .collect();
        let weights: Vec<Vec<f32>> = self
            .slots
            .par_iter()
            .map(|e| {
                e.as_ref()
                    .map_or_else(Vec::new, |e| doc_weights(&e.doc, self))
            })
            .collect();
        wants
            .par_iter()
            .map_init(
                || Scratch::new(self.slots.len()),
                |scratch, &s| WantMatches {
                    want: self.entry(s).id.clone(),
                    matches: self.query_slot(s, k, mode, scratch, Some(&weights)),
                },
            )
            .collect()
    }

    pub(crate) fn entry(&self, slot: u32) -> &Entry {
        self.slots[slot as usize].as_ref().expect("live slot")
    }

    pub(crate) fn query_slot(
        &self,
        slot: u32,
        k: usize,
        mode: Mode,
        scratch: &mut Scratch,
        cache: WeightCache,
    ) -> Vec<Match> {
        let q = self.entry(slot);
        if q.doc.is_vague() || k == 0 {
            return Vec::new();
        }
        let qw = self.weights_of(slot, cache);
        let top = match (mode, q.side) {
            (Mode::Exhaustive, _) => self.exhaustive(q, &qw, k, cache),
            (Mode::Indexed, Side::Want) => self.forward(q, &qw, k, scratch, cache),
            (Mode::Indexed, Side::Offer) => self.reverse(q, &qw, k, cache),
        };
        top.into_iter()
            .map(|(_, _, s)| self.make_match(q, &qw, s, cache))
            .collect()
    }

    fn weights_of<'c>(&self, slot: u32, cache: WeightCache<'c>) -> Cow<'c, [f32]> {
        match cache {
            Some(w) => Cow::Borrowed(&w[slot as usize]),
            None => Cow::Owned(doc_weights(&self.entry(slot).doc, self)),
        }
    }

    fn allowed(&self, q: &Entry, c: &Entry) -> bool {
        c.member != q.member
            && !matches!((q.community, c.community), (Some(a), Some(b)) if a != b)
            && !c.doc.is_vague()
    }

    fn pair_score(
        &self,
        q: &Entry,
        qw: &[f32],
        slot: u32,
        cache: WeightCache,
        explain: bool,
    ) -> (f32, Option<String>) {
        let c = self.entry(slot);
        let cw = self.weights_of(slot, cache);
        let ps = if q.side == Side::Want {
            score_weighted(&q.doc, qw, &c.doc, &cw, self, explain)
        } else {
            score_weighted(&c.doc, &cw, &q.doc, qw, self, explain)
        };
        (ps.score, ps.why)
    }

    fn make_match(&self, q: &Entry, qw: &[f32], slot: u32, cache: WeightCache) -> Match {
        let c = self.entry(slot);
        let (want, offer) = if q.side == Side::Want { (q, c) } else { (c, q) };
        let (score, why) = self.pair_score(q, qw, slot, cache, true);
        Match {
            offer: offer.id.clone(),
            want: want.id.clone(),
            offer_member: self.members[offer.member as usize].clone(),
            want_member: self.members[want.member as usize].clone(),
            score,
            strong: score >= STRONG_THRESHOLD,
            why: why.unwrap_or_default(),
        }
    }

    fn exhaustive<'a>(
        &'a self,
        q: &Entry,
        qw: &[f32],
        k: usize,
        cache: WeightCache,
    ) -> Vec<(f32, &'a str, u32)> {
        let mut top = TopK {
            k,
            items: Vec::new(),
        };
        for (s, c) in self.slots.iter().enumerate() {
            let Some(c) = c else { continue };
            if c.side != q.side && self.allowed(q, c) {
                top.offer(
                    self.pair_score(q, qw, s as u32, cache, false).0,
                    &c.id,
                    s as u32,
                );
            }
        }
        top.items
    }

    /// Keys a token can match through, with the most each can contribute (before the token weight).
    fn token_keys(&self, t: &Tok) -> Vec<(u32, f32)> {
        let mut keys = vec![(TAG_STEM | t.stem, t.conf)];
        if t.phrase {
            // A phrase shares a word (or its synonym) with texts holding that word alone or
            // in another phrase.
            for p in t.parts.iter() {
                keys.push((TAG_STEM | p.0, PART_SIM * t.conf));
                keys.extend(p.1.iter().map(|&g| (TAG_GROUP | g, PART_SIM * t.conf)));
            }
        }
        keys.extend(
            t.groups
                .iter()
                .map(|&g| (TAG_GROUP | g, SYNONYM_SIM * t.conf)),
        );
        keys.extend(
            t.broad
                .iter()
                .map(|&c| (TAG_CAT | c as u32, BROAD_SIM * t.conf)),
        );
        keys.extend(
            t.cats
                .iter()
                .map(|&c| (TAG_BROAD | c as u32, BROAD_OFFER_SIM * t.conf)),
        );
        if t.class == TokClass::Unknown {
            let me = self.stem_str(t.stem);
            for other in self.unknown_grams.candidates(me) {
                if other != t.stem
                    && let Some(sim) = typo_similarity(me, self.stem_str(other))
                {
                    keys.push((TAG_STEM | other, TYPO_SIM * sim as f32));
                }
            }
        }
        keys.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        keys.dedup_by_key(|k| k.0);
        keys
    }

    /// Want → offers. Accumulates, per offer, an upper bound of the want coverage from the
    /// posting lists of the want's important words; the least important words (together
    /// unable to reach `MIN_SCORE`) generate no candidates. Candidates are then scored in
    /// bound order until the bound falls below the current k-th score.
    fn forward<'a>(
        &'a self,
        q: &Entry,
        w: &[f32],
        k: usize,
        sc: &mut Scratch,
        cache: WeightCache,
    ) -> Vec<(f32, &'a str, u32)> {
        let total: f32 = w.iter().sum();
        if total <= 0.0 {
            return Vec::new();
        }
        let mut order: Vec<usize> = (0..w.len()).collect();
        order.sort_by(|&a, &b| w[a].total_cmp(&w[b]).then(a.cmp(&b)));
        let mut rest = 0f32;
        let mut first_essential = 0;
        for &i in &order {
            if (rest + w[i]) / total + CATEGORY_BONUS + BOUND_SLACK < MIN_SCORE {
                rest += w[i];
                first_essential += 1;
            } else {
                break;
            }
        }
        let postings = &self.post[side_ix(Side::Offer)].all;
        for &i in &order[first_essential..] {
            let stamp = sc.next_stamp();
            for (key, sim) in self.token_keys(&q.doc.toks[i]) {
                let Some(list) = postings.get(key) else {
                    continue;
                };
                STATS[0].fetch_add(list.len() as u64, std::sync::atomic::Ordering::Relaxed);
                for &s in list {
                    let su = s as usize;
                    if sc.mark[su] != stamp {
                        sc.mark[su] = stamp;
                        if sc.acc[su] == 0.0 {
                            sc.touched.push(s);
                        }
                        sc.acc[su] += w[i] * sim;
                    }
                }
            }
        }
        let slack = rest / total + BOUND_SLACK;
        let qbits = cat_bits(&q.doc.bonus_cats);
        let mut cands: Vec<(f32, u32)> = Vec::new();
        for s in sc.touched.drain(..) {
            // Scores never exceed 1, so neither need bounds: capping lets the many perfect
            // ties be cut by slot order instead of all being scored.
            let bonus = if self.catbits[s as usize] & qbits != 0 {
                CATEGORY_BONUS
            } else {
                0.0
            };
            let bound = (sc.acc[s as usize] / total + slack + bonus).min(1.0);
            sc.acc[s as usize] = 0.0;
            if bound >= MIN_SCORE {
                cands.push((bound, s));
            }
        }
        // Among equal bounds, texts with fewer words first: the same match covers more of
        // them, so they tend to score higher and raise the cut-off sooner.
        STATS[1].fetch_add(cands.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let ntok = &self.ntok;
        let key = |c: &(f32, u32)| (std::cmp::Reverse(OrdF32(c.0)), ntok[c.1 as usize], c.1);
        let order = |a: &(f32, u32), b: &(f32, u32)| key(a).cmp(&key(b));
        let mut top = TopK {
            k,
            items: Vec::new(),
        };
        // Take candidates best-bound first in small sorted chunks (selection, not a full sort):
        // usually the first chunk settles the top k.
        let mut rest_cands: &mut [(f32, u32)] = &mut cands;
        'outer: while !rest_cands.is_empty() {
            let chunk = CHUNK.min(rest_cands.len());
            if chunk < rest_cands.len() {
                rest_cands.select_nth_unstable_by(chunk - 1, order);
            }
            let (head, tail) = rest_cands.split_at_mut(chunk);
            head.sort_unstable_by(order);
            for &(bound, s) in head.iter() {
                if top.below(bound) {
                    break 'outer;
                }
                if !top.could_enter(bound, s) {
                    continue;
                }
                let c = self.entry(s);
                if self.allowed(q, c) {
                    STATS[2].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    top.offer(self.pair_score(q, w, s, cache, false).0, &c.id, s);
                }
            }
            rest_cands = tail;
        }
        top.items
    }

    /// Offer → wants. The score is measured on the want's side, so no cheap bound exists
    /// here: every want sharing a specific key is scored. Generic keys only reach wants whose
    /// generic words could carry them to `MIN_SCORE` (the index's "heavy" postings).
    fn reverse<'a>(
        &'a self,
        q: &Entry,
        qw: &[f32],
        k: usize,
        cache: WeightCache,
    ) -> Vec<(f32, &'a str, u32)> {
        let p = &self.post[side_ix(Side::Want)];
        let mut cands: Vec<u32> = Vec::new();
        for t in q.doc.toks.iter() {
            let generic: Vec<u32> = generic_keys(t, &self.vocab).collect();
            for (key, _) in self.token_keys(t) {
                let table = if generic.contains(&key) {
                    &p.heavy
                } else {
                    &p.all
                };
                if let Some(list) = table.get(key) {
                    cands.extend_from_slice(list);
                }
            }
        }
        cands.sort_unstable();
        cands.dedup();
        let mut top = TopK {
            k,
            items: Vec::new(),
        };
        for s in cands {
            let c = self.entry(s);
            if self.allowed(q, c) {
                top.offer(self.pair_score(q, qw, s, cache, false).0, &c.id, s);
            }
        }
        top.items
    }
}

/// temp
pub static STATS: [std::sync::atomic::AtomicU64; 3] =
    [const { std::sync::atomic::AtomicU64::new(0) }; 3];
