//! Queries over an [`Index`]: candidate generation from posting lists with a score upper
//! bound (so most candidates are never scored), an exhaustive reference mode, and batch top-k.

use super::analyze::TokClass;
use super::fuzzy::typo_similarity;
use super::index::{Entry, Index, generic_keys, side_ix};
use super::score::{
    BROAD_OFFER_SIM, BROAD_SIM, Corpus, PART_SIM, SYNONYM_SIM, TAG_BROAD, TAG_CAT, TAG_GROUP,
    TAG_STEM, TYPO_SIM, Tok, score_pair, weight,
};
use super::{CATEGORY_BONUS, MIN_SCORE, Match, STRONG_THRESHOLD, Side};
use rayon::prelude::*;

/// Absorbs float rounding between the bound (summed per key) and the score (summed per token).
const BOUND_SLACK: f32 = 1e-4;

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

/// Keeps the best `k` (score desc, then id asc — the same order in every mode).
struct TopK<'a> {
    k: usize,
    items: Vec<(f32, &'a str, u32)>,
}

impl<'a> TopK<'a> {
    fn threshold(&self) -> f32 {
        if self.items.len() < self.k {
            MIN_SCORE
        } else {
            self.items[self.k - 1].0
        }
    }
    fn offer(&mut self, score: f32, id: &'a str, slot: u32) {
        if score < MIN_SCORE || self.k == 0 {
            return;
        }
        let pos = self
            .items
            .partition_point(|&(s, i, _)| s > score || (s == score && i < id));
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
        Some(self.query_slot(slot, k, mode, &mut scratch))
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
        wants
            .par_iter()
            .map_init(
                || Scratch::new(self.slots.len()),
                |scratch, &s| WantMatches {
                    want: self.entry(s).id.clone(),
                    matches: self.query_slot(s, k, mode, scratch),
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
    ) -> Vec<Match> {
        let q = self.entry(slot);
        if q.doc.is_vague() || k == 0 {
            return Vec::new();
        }
        let top = match (mode, q.side) {
            (Mode::Exhaustive, _) => self.exhaustive(q, k),
            (Mode::Indexed, Side::Want) => self.forward(q, k, scratch),
            (Mode::Indexed, Side::Offer) => self.reverse(q, k),
        };
        top.into_iter()
            .map(|(_, _, s)| self.make_match(q, self.entry(s)))
            .collect()
    }

    fn allowed(&self, q: &Entry, c: &Entry) -> bool {
        c.member != q.member
            && !matches!((q.community, c.community), (Some(a), Some(b)) if a != b)
            && !c.doc.is_vague()
    }

    fn pair_score(&self, q: &Entry, c: &Entry) -> f32 {
        let (want, offer) = if q.side == Side::Want { (q, c) } else { (c, q) };
        score_pair(&want.doc, &offer.doc, self, false).score
    }

    fn make_match(&self, q: &Entry, c: &Entry) -> Match {
        let (want, offer) = if q.side == Side::Want { (q, c) } else { (c, q) };
        let ps = score_pair(&want.doc, &offer.doc, self, true);
        Match {
            offer: offer.id.clone(),
            want: want.id.clone(),
            offer_member: self.members[offer.member as usize].clone(),
            want_member: self.members[want.member as usize].clone(),
            score: ps.score,
            strong: ps.score >= STRONG_THRESHOLD,
            why: ps.why.unwrap_or_default(),
        }
    }

    fn exhaustive<'a>(&'a self, q: &Entry, k: usize) -> Vec<(f32, &'a str, u32)> {
        let mut top = TopK {
            k,
            items: Vec::new(),
        };
        for (s, c) in self.slots.iter().enumerate() {
            let Some(c) = c else { continue };
            if c.side != q.side && self.allowed(q, c) {
                top.offer(self.pair_score(q, c), &c.id, s as u32);
            }
        }
        top.items
    }

    /// Keys a token can match through, with the most each can contribute (before the token weight).
    fn token_keys(&self, t: &Tok) -> Vec<(u32, f32)> {
        let mut keys = vec![(TAG_STEM | t.stem, t.conf)];
        if t.parts.len() > 1 {
            // A phrase shares a word with texts holding that word alone or in another phrase.
            keys.extend(t.parts.iter().map(|p| (TAG_STEM | p.0, PART_SIM * t.conf)));
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
    fn forward<'a>(&'a self, q: &Entry, k: usize, sc: &mut Scratch) -> Vec<(f32, &'a str, u32)> {
        let w: Vec<f32> = q.doc.toks.iter().map(|t| weight(t, self)).collect();
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
        let slack = rest / total + CATEGORY_BONUS + BOUND_SLACK;
        let mut cands: Vec<(f32, u32)> = Vec::new();
        for s in sc.touched.drain(..) {
            let bound = sc.acc[s as usize] / total + slack;
            sc.acc[s as usize] = 0.0;
            if bound >= MIN_SCORE {
                cands.push((bound, s));
            }
        }
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut top = TopK {
            k,
            items: Vec::new(),
        };
        for (bound, s) in cands {
            if bound < top.threshold() {
                break;
            }
            let c = self.entry(s);
            if self.allowed(q, c) {
                top.offer(self.pair_score(q, c), &c.id, s);
            }
        }
        top.items
    }

    /// Offer → wants. The score is measured on the want's side, so no cheap bound exists
    /// here: every want sharing a specific key is scored. Generic keys only reach wants whose
    /// generic words could carry them to `MIN_SCORE` (the index's "heavy" postings).
    fn reverse<'a>(&'a self, q: &Entry, k: usize) -> Vec<(f32, &'a str, u32)> {
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
                top.offer(self.pair_score(q, c), &c.id, s);
            }
        }
        top.items
    }
}
