//! Scoring of the candidates of one query in bound order: seeds that set an early cut-off,
//! a bound tightened with the real token weights just before scoring, and an early exit.

use super::{BOUND_SLACK, CHUNK};
use crate::matching::context::CONTEXT_MIN_COVER;
use crate::matching::index::Posting;
use crate::matching::index::{Entry, Index};
use crate::matching::keys::TRACKED_TOKENS;
use crate::matching::query::{TopK, WeightCache};
use crate::matching::score::OFFER_SHARE;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// What a forward candidate's bound was made of, to tighten it just before scoring.
pub(super) struct Refine {
    /// Bound of the want coverage before any context discount.
    pub wc: f32,
    /// Share of the want's total its context words may take off (times the offer coverage).
    pub context: f32,
    /// Category bonus.
    pub bonus: f32,
    /// The offer tokens any want word reached.
    pub reached: u16,
}

impl Refine {
    /// The bound again, with the offer coverage at most the weight of the offer's tokens that
    /// were reached (`ow`: the offer's token weights; untracked tokens count as reached).
    fn bound(&self, ow: &[f32]) -> f32 {
        let all: f32 = ow.iter().sum();
        if all <= 0.0 {
            return 1.0;
        }
        let got: f32 = ow
            .iter()
            .enumerate()
            .filter(|&(j, _)| j >= TRACKED_TOKENS || self.reached & (1 << j) != 0)
            .map(|(_, w)| w)
            .sum();
        let oc = (got / all + BOUND_SLACK).min(1.0);
        let wc = discounted(self.wc, oc * self.context);
        (wc * (1.0 - OFFER_SHARE + OFFER_SHARE * oc) + self.bonus + BOUND_SLACK).min(1.0)
    }
}

/// A want coverage bound `wc` with a share `off` of the want's total taken off as context
/// (none below `CONTEXT_MIN_COVER`, where the score applies none).
pub(super) fn discounted(wc: f32, off: f32) -> f32 {
    if wc < CONTEXT_MIN_COVER {
        wc
    } else {
        (wc / (1.0 - off)).min(1.0 + BOUND_SLACK)
    }
}

/// Hashes a text signature (already a 64-bit hash) by passing it through: a query looks
/// signatures up for every candidate, so hashing them again would be wasted work.
#[derive(Default)]
pub(super) struct SignatureHasher(u64);

impl Hasher for SignatureHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Scores already known in one query, by text signature (see `Doc::signature`): equal texts
/// are scored once.
pub(super) type Seen = HashMap<u64, f32, BuildHasherDefault<SignatureHasher>>;

/// One query's parts as `forward` and `reverse` pass them on: the query text, its token
/// weights, how many matches are wanted and the batch's weight cache, if any.
#[derive(Clone, Copy)]
pub(super) struct Query<'q> {
    pub entry: &'q Entry,
    pub weights: &'q [f32],
    pub k: usize,
    pub cache: WeightCache<'q>,
}

/// Postings of the main want word scored up front (see [`Index::seed`]).
const SEED_TRIES: usize = 32;

impl Index {
    /// Scores the first texts of `list` (a posting list of the want's main word, where good
    /// matches are likely) and returns the k-th best score and its slot, if k were found.
    /// The final k-th score is at least that, so any candidate whose bound is lower can be
    /// dropped before it is collected; and when it is a perfect 1.0, which no bound exceeds,
    /// only lower slots (which win ties) can still enter.
    pub(super) fn seed(&self, qy: Query, list: &[Posting], seen: &mut Seen) -> Option<(f32, u32)> {
        let k = qy.k;
        let mut top = TopK {
            k,
            items: Vec::new(),
        };
        for &(s, _, _) in list.iter().take(SEED_TRIES) {
            if !self.allowed_slot(qy.entry, s) {
                continue;
            }
            let score = self.score_once(qy, s, seen);
            top.offer(score, "", s);
        }
        (top.items.len() >= k && k > 0).then(|| (top.items[k - 1].0, top.items[k - 1].2))
    }

    /// The score of the query against slot `s`, or of an equal text already scored in this
    /// query (see `Doc::signature`).
    fn score_once(&self, qy: Query, s: u32, seen: &mut Seen) -> f32 {
        let sig = self.sig[s as usize];
        *seen
            .entry(sig)
            .or_insert_with(|| self.pair_score(qy.entry, qy.weights, s, qy.cache, false).0)
    }

    /// Scores candidates best bound first (ties: fewer words, then slot) until no bound can
    /// enter the top `k`. Candidates are taken in sorted chunks of growing size (selection,
    /// not a full sort): usually the first, small one settles the top k. `order_buf` holds
    /// the ranking meanwhile and is left empty.
    pub(super) fn settle<'a>(
        &'a self,
        qy: Query,
        cands: &[(f32, u32)],
        refine: Option<&[Refine]>,
        order_buf: &mut Vec<(u64, u32, f32, u32)>,
        seen: &mut Seen,
    ) -> Vec<(f32, &'a str, u32)> {
        let k = qy.k;
        // Among equal bounds, texts with fewer words first: the same match covers more of
        // them, so they tend to score higher and raise the cut-off sooner.
        let info = &self.info;
        order_buf.clear();
        order_buf.extend(cands.iter().enumerate().map(|(i, &(b, s))| {
            let rank = (u64::from(u32::MAX - b.to_bits()) << 8) | u64::from(info[s as usize].ntok);
            (rank, s, b, i as u32)
        }));
        let cands = order_buf;
        let order =
            |a: &(u64, u32, f32, u32), b: &(u64, u32, f32, u32)| (a.0, a.1).cmp(&(b.0, b.1));
        let mut top = TopK {
            k,
            items: Vec::new(),
        };
        let mut rest: &mut [(u64, u32, f32, u32)] = cands;
        // Each chunk is twice the last: a query whose top stays open (few good matches)
        // would otherwise select over the rest once per small chunk, quadratic in candidates.
        let mut chunk = CHUNK;
        'outer: while !rest.is_empty() {
            chunk = chunk.min(rest.len());
            if chunk < rest.len() {
                rest.select_nth_unstable_by(chunk - 1, order);
            }
            let (head, tail) = rest.split_at_mut(chunk);
            head.sort_unstable_by(order);
            for &(_, s, bound, i) in head.iter() {
                if top.below(bound) {
                    break 'outer;
                }
                if !top.could_enter(bound, s) {
                    continue;
                }
                // About to be scored: first a tighter bound, if the batch's weights allow.
                if let (Some(parts), Some(weights)) = (refine, qy.cache)
                    && !top.could_enter(parts[i as usize].bound(weights.of(s)), s)
                {
                    continue;
                }
                if self.allowed_slot(qy.entry, s) {
                    let score = self.score_once(qy, s, seen);
                    if top.could_enter(score, s) {
                        top.offer(score, &self.entry(s).id, s);
                    }
                }
            }
            rest = tail;
            chunk *= 2;
            if top.items.len() >= k {
                // Drop what can no longer enter, so later selections run over few candidates.
                let mut kept = 0;
                for i in 0..rest.len() {
                    if top.could_enter(rest[i].2, rest[i].1) {
                        rest.swap(kept, i);
                        kept += 1;
                    }
                }
                rest = &mut rest[..kept];
            }
        }
        cands.clear();
        top.items
    }
}
