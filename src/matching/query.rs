//! Queries over an [`Index`]: top-k in indexed mode (candidates from `candidates.rs`) or
//! exhaustive mode (the reference for recall), single items and batches of every want.

use super::candidates::Scratch;
use super::index::{Entry, Index};
use super::score::{doc_weights, score_weighted};
use super::{MIN_SCORE, Match, Side, is_strong};
use rayon::prelude::*;
use std::borrow::Cow;

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
pub(super) type WeightCache<'a> = Option<&'a [Vec<f32>]>;

/// Keeps the best `k` by score (desc), ties by slot (asc: insertion order, which is file
/// order for batch runs) — the same order in every mode.
pub(super) struct TopK<'a> {
    pub(super) k: usize,
    pub(super) items: Vec<(f32, &'a str, u32)>,
}

impl<'a> TopK<'a> {
    /// True if nothing with this bound or lower can enter any more.
    pub(super) fn below(&self, bound: f32) -> bool {
        bound < MIN_SCORE || (self.items.len() >= self.k && bound < self.items[self.k - 1].0)
    }
    /// True if a candidate with this score bound (and slot) could still enter.
    pub(super) fn could_enter(&self, bound: f32, slot: u32) -> bool {
        if bound < MIN_SCORE {
            return false;
        }
        if self.items.len() < self.k {
            return true;
        }
        let (s, _, last) = self.items[self.k - 1];
        bound > s || (bound == s && slot < last)
    }
    pub(super) fn offer(&mut self, score: f32, id: &'a str, slot: u32) {
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
        let mut scratch = Scratch::new(if mode == Mode::Indexed {
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
            (Mode::Indexed, Side::Offer) => self.reverse(q, &qw, k, scratch, cache),
        };
        let mut found: Vec<Match> = top
            .into_iter()
            .map(|(_, _, s)| self.make_match(q, &qw, s, cache))
            .collect();
        match q.side {
            // The list is the want's own: its first match is its best.
            Side::Want => {
                let best = found.first().map_or(0.0, |m| m.score);
                for m in &mut found {
                    m.strong = is_strong(m.score, best);
                }
            }
            // Each want's best is found by a top-1 query of that want.
            Side::Offer => {
                for m in found.iter_mut().filter(|m| m.strong) {
                    let best = self
                        .slot_of(Side::Want, &m.want)
                        .and_then(|w| self.query_slot(w, 1, mode, scratch, cache).pop())
                        .map_or(m.score, |b| b.score);
                    m.strong = is_strong(m.score, best);
                }
            }
        }
        found
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

    /// [`Index::allowed`] from the compact per-slot data.
    pub(super) fn allowed_slot(&self, q: &Entry, s: u32) -> bool {
        let (member, community, vague) = self.meta[s as usize];
        member != q.member
            && !matches!(q.community, Some(a) if community != u32::MAX && a != community)
            && !vague
    }

    pub(super) fn pair_score(
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
            // Provisional: `query_slot` settles it against the want's best match.
            strong: score >= super::STRONG_THRESHOLD,
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
}
