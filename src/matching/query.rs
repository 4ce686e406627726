//! Queries over an [`Index`]: top-k in indexed mode (candidates from `candidates.rs`) or
//! exhaustive mode (the reference for recall), single items and batches of every want.

use super::candidates::{Scratch, ScratchPool};
use super::index::{Entry, Index};
use super::score::{doc_weights, score_weighted};
use super::{Id, MIN_SCORE, Match, Side, is_strong};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// A member number no member has: a query for "anyone" (see [`Index::query_group`]).
const NO_MEMBER: u32 = u32::MAX;

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
    pub want: Id,
    /// Best offers first.
    pub matches: Vec<Match>,
}

/// Token weights per slot, computed once for a batch (the index is read-only meanwhile);
/// `None` computes them per pair. Both give identical numbers.
pub(crate) type WeightCache<'a> = Option<&'a SlotWeights>;

/// The token weights of every slot in one flat array. Candidates are visited in no order,
/// so one contiguous block (instead of a vector per slot) saves a pointer chase and a cache
/// miss per candidate.
pub(crate) struct SlotWeights {
    /// Where slot `s`'s weights start in `flat` (`start[s + 1]` is where they end).
    start: Vec<u32>,
    flat: Vec<f32>,
}

impl SlotWeights {
    /// Weights of every slot of `index` (none for an empty slot), computed in parallel.
    fn of_index(index: &Index) -> Self {
        let per_slot: Vec<Vec<f32>> = index
            .slots
            .par_iter()
            .map(|e| {
                e.as_ref()
                    .map_or_else(Vec::new, |e| doc_weights(&e.doc, index))
            })
            .collect();
        let mut start = Vec::with_capacity(per_slot.len() + 1);
        let mut flat = Vec::with_capacity(per_slot.iter().map(Vec::len).sum());
        for w in per_slot {
            start.push(flat.len() as u32);
            flat.extend(w);
        }
        start.push(flat.len() as u32);
        SlotWeights { start, flat }
    }

    /// The weights of slot `s`'s tokens, in token order.
    pub(super) fn of(&self, s: u32) -> &[f32] {
        let s = s as usize;
        &self.flat[self.start[s] as usize..self.start[s + 1] as usize]
    }
}

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
    /// unless items were removed). Wants with the same text in the same community are
    /// ranked once (see [`Index::query_group`]).
    pub fn top_k_for_all_wants(&self, k: usize, mode: Mode) -> Vec<WantMatches> {
        let weights = SlotWeights::of_index(self);
        let pool = ScratchPool::new(self.slots.len());
        let own = self.offers_per_member();
        let mut groups = self.same_text_groups(Side::Want);
        // Wants sharing their main word one after another: their queries walk the same
        // posting lists and score many of the same offers, which then are still in cache.
        let main_key = |g: &Vec<u32>| -> u32 {
            let (doc, w) = (&self.entry(g[0]).doc, weights.of(g[0]));
            (0..w.len())
                .max_by(|&a, &b| w[a].total_cmp(&w[b]))
                .map_or(0, |i| doc.toks[i].stem)
        };
        groups.sort_by_cached_key(main_key);
        let mut found: Vec<(u32, Vec<Match>)> = groups
            .par_iter()
            .map_init(
                || pool.take(),
                |scratch, group| {
                    self.query_group(group, &own, k, mode, scratch.get(), Some(&weights))
                },
            )
            .flatten()
            .collect();
        found.sort_unstable_by_key(|&(s, _)| s);
        found
            .into_iter()
            .map(|(s, matches)| WantMatches {
                want: self.entry(s).id.clone(),
                matches,
            })
            .collect()
    }

    /// How many different texts (by scoring signature and community) one side holds: a
    /// batch ranks each once.
    pub fn distinct_texts(&self, side: Side) -> usize {
        self.same_text_groups(side).len()
    }

    /// The slots of one side grouped by text signature and community, each in slot order.
    fn same_text_groups(&self, side: Side) -> Vec<Vec<u32>> {
        let mut groups: HashMap<(u64, Option<u32>), Vec<u32>> = HashMap::new();
        for (s, e) in self.slots.iter().enumerate() {
            if let Some(e) = e.as_ref().filter(|e| e.side == side) {
                groups
                    .entry((self.sig[s], e.community))
                    .or_default()
                    .push(s as u32);
            }
        }
        groups.into_values().collect()
    }

    /// Live offers per member (index: member number).
    fn offers_per_member(&self) -> Vec<usize> {
        let mut own = vec![0; self.members.len()];
        for e in self
            .slots
            .iter()
            .flatten()
            .filter(|e| e.side == Side::Offer)
        {
            own[e.member as usize] += 1;
        }
        own
    }

    /// The matches of wants with one text (same signature, so the same scores against every
    /// offer) and community: ranked once for no member, deep enough that the member with the
    /// most offers of their own still keeps `k` once theirs are taken out (a member never
    /// matches themselves), then cut per want. A single want is queried as itself.
    fn query_group(
        &self,
        group: &[u32],
        own: &[usize],
        k: usize,
        mode: Mode,
        scratch: &mut Scratch,
        cache: WeightCache,
    ) -> Vec<(u32, Vec<Match>)> {
        if let [s] = group {
            return vec![(*s, self.query_slot(*s, k, mode, scratch, cache))];
        }
        let first = self.entry(group[0]);
        if first.doc.is_vague() || k == 0 {
            return group.iter().map(|&s| (s, Vec::new())).collect();
        }
        let qw = self.weights_of(group[0], cache);
        let deepest = group
            .iter()
            .map(|&s| own.get(self.entry(s).member as usize).copied().unwrap_or(0))
            .max()
            .unwrap_or(0);
        let mut anyone = first.clone();
        anyone.member = NO_MEMBER;
        let ranked = self.ranked(&anyone, &qw, k + deepest, mode, scratch, cache);
        group
            .iter()
            .map(|&s| {
                let q = self.entry(s);
                let mine = ranked
                    .iter()
                    .filter(|r| self.meta[r.2 as usize].0 != q.member)
                    .take(k)
                    .copied()
                    .collect();
                (s, self.finish(q, &qw, mine, mode, scratch, cache))
            })
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
        let top = self.ranked(q, &qw, k, mode, scratch, cache);
        self.finish(q, &qw, top, mode, scratch, cache)
    }

    /// The top `k` (score, id, slot) for query `q` with token weights `qw`.
    fn ranked<'a>(
        &'a self,
        q: &Entry,
        qw: &[f32],
        k: usize,
        mode: Mode,
        scratch: &mut Scratch,
        cache: WeightCache,
    ) -> Vec<(f32, &'a str, u32)> {
        match (mode, q.side) {
            (Mode::Exhaustive, _) => self.exhaustive(q, qw, k, cache),
            (Mode::Indexed, Side::Want) => self.forward(q, qw, k, scratch, cache),
            (Mode::Indexed, Side::Offer) => self.reverse(q, qw, k, scratch, cache),
        }
    }

    /// Matches (with explanations and settled strong flags) from a ranking for query `q`.
    /// Wants of one text group share their scores but not their explanations, which quote
    /// each resident's own words ("dioramas" where another wrote "diorama").
    /// Matches (with explanations and settled strong flags) from a ranking for query `q`.
    /// Wants of one text group share their scores but not their explanations, which quote
    /// each resident's own words ("dioramas" where another wrote "diorama").
    fn finish(
        &self,
        q: &Entry,
        qw: &[f32],
        top: Vec<(f32, &str, u32)>,
        mode: Mode,
        scratch: &mut Scratch,
        cache: WeightCache,
    ) -> Vec<Match> {
        let mut found: Vec<Match> = top
            .into_iter()
            .map(|(_, _, s)| {
                let (score, why) = self.pair_score(q, qw, s, cache, true);
                self.make_match(q, s, score, why.unwrap_or_default())
            })
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
            Some(w) => Cow::Borrowed(w.of(slot)),
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

    fn make_match(&self, q: &Entry, slot: u32, score: f32, why: String) -> Match {
        let c = self.entry(slot);
        let (want, offer) = if q.side == Side::Want { (q, c) } else { (c, q) };
        Match {
            offer: offer.id.clone(),
            want: want.id.clone(),
            offer_member: self.members[offer.member as usize].clone(),
            want_member: self.members[want.member as usize].clone(),
            score,
            // Provisional: `query_slot` settles it against the want's best match.
            strong: score >= super::STRONG_THRESHOLD,
            why,
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
