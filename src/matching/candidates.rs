//! Candidate generation for [`Index`] queries: posting lists with a score upper bound per
//! candidate (want coverage from the keys it shares, offer coverage from the class mass it
//! shares), so most candidates are never scored; scoring in bound order with an early exit.

use super::analyze::TokClass;
use super::index::{Entry, Index, side_ix};
use super::keys::{TRACKED_TOKENS, cat_bits, coverage_bound, generic_keys, tok_bit, unpack_mass};
use super::query::{TopK, WeightCache};
use super::score::{
    BROAD_OFFER_SIM, BROAD_SIM, CONTEXT_MIN_COVER, CONTEXT_SHARE, OFFER_SHARE, PART_SIM,
    SYNONYM_SIM, TAG_BROAD, TAG_CAT, TAG_GROUP, TAG_STEM, TYPO_SIM, Tok, context_class,
};
use super::{CATEGORY_BONUS, MIN_SCORE, Side};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Absorbs float rounding between the bound (summed per key) and the score (summed per token).
const BOUND_SLACK: f32 = 1e-4;
/// Candidates are sorted in chunks of this size, best bound first.
const CHUNK: usize = 32;
/// Posting lists of minor want words longer than this (and than twice the postings of its
/// main words) are not walked: see `Index::forward`.
const LONG_LIST: usize = 4096;

/// What a forward candidate's bound was made of, to tighten it just before scoring.
struct Refine {
    /// Bound of the want coverage before any context discount.
    wc: f32,
    /// Share of the want's total its context words may take off (times the offer coverage).
    context: f32,
    /// Category bonus.
    bonus: f32,
    /// The offer tokens any want word reached.
    reached: u16,
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
fn discounted(wc: f32, off: f32) -> f32 {
    if wc < CONTEXT_MIN_COVER {
        wc
    } else {
        (wc / (1.0 - off)).min(1.0 + BOUND_SLACK)
    }
}

/// Hashes a text signature (already a 64-bit hash) by passing it through: a query looks
/// signatures up for every candidate, so hashing them again would be wasted work.
#[derive(Default)]
struct SignatureHasher(u64);

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

/// Per-slot accumulators of a query, together so one cache line serves a posting.
#[derive(Clone, Copy, Default)]
struct Cell {
    /// Bound of the weighted want coverage so far.
    acc: f32,
    /// Class mass of the candidate's words reached (times the best similarity).
    hit: f32,
    /// Stamp of the want word that last added to `acc`.
    mark: u32,
    /// The candidate's tokens any want word reached (bit `j`: token `j`, see `keys::tok_bit`).
    reached: u16,
    /// The want's words that reached any of the candidate's tokens (same bit layout).
    wreached: u16,
}

/// Reusable per-thread buffers sized to the index.
pub(crate) struct Scratch {
    cells: Vec<Cell>,
    stamp: u32,
    touched: Vec<u32>,
}

impl Scratch {
    pub fn new(slots: usize) -> Self {
        Scratch {
            cells: vec![Cell::default(); slots],
            stamp: 0,
            touched: Vec::new(),
        }
    }
    fn next_stamp(&mut self) -> u32 {
        self.stamp += 1;
        self.stamp
    }
}

impl Index {
    /// Keys a token can match through, with the most each can contribute (before the token weight).
    pub(super) fn token_keys(&self, t: &Tok) -> Vec<(u32, f32)> {
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
            for &(other, sim) in self.typo_neighbours(t.stem) {
                keys.push((TAG_STEM | other, TYPO_SIM * sim));
            }
        }
        keys.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        keys.dedup_by_key(|k| k.0);
        keys
    }

    /// Scores candidates best bound first (ties: fewer words, then slot) until no bound can
    /// enter the top `k`. Candidates are taken in small sorted chunks (selection, not a full
    /// sort): usually the first chunk settles the top k.
    fn settle<'a>(
        &'a self,
        q: &Entry,
        qw: &[f32],
        k: usize,
        cands: Vec<(f32, u32)>,
        refine: Option<&[Refine]>,
        cache: WeightCache,
    ) -> Vec<(f32, &'a str, u32)> {
        // Among equal bounds, texts with fewer words first: the same match covers more of
        // them, so they tend to score higher and raise the cut-off sooner.
        let ntok = &self.ntok;
        let mut cands: Vec<(u64, u32, f32, u32)> = cands
            .into_iter()
            .enumerate()
            .map(|(i, (b, s))| {
                let rank = (u64::from(u32::MAX - b.to_bits()) << 8) | u64::from(ntok[s as usize]);
                (rank, s, b, i as u32)
            })
            .collect();
        let order =
            |a: &(u64, u32, f32, u32), b: &(u64, u32, f32, u32)| (a.0, a.1).cmp(&(b.0, b.1));
        let mut top = TopK {
            k,
            items: Vec::new(),
        };
        // Scores of texts already scored in this query, by signature (see `Doc::signature`).
        let mut seen: HashMap<u64, f32, BuildHasherDefault<SignatureHasher>> =
            HashMap::with_capacity_and_hasher(64, BuildHasherDefault::default());
        let mut rest: &mut [(u64, u32, f32, u32)] = &mut cands;
        'outer: while !rest.is_empty() {
            let chunk = CHUNK.min(rest.len());
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
                if let (Some(parts), Some(weights)) = (refine, cache)
                    && !top.could_enter(parts[i as usize].bound(&weights[s as usize]), s)
                {
                    continue;
                }
                if self.allowed_slot(q, s) {
                    let sig = self.sig[s as usize];
                    let score = match seen.get(&sig) {
                        Some(&score) => score,
                        None => {
                            let score = self.pair_score(q, qw, s, cache, false).0;
                            seen.insert(sig, score);
                            score
                        }
                    };
                    if top.could_enter(score, s) {
                        top.offer(score, &self.entry(s).id, s);
                    }
                }
            }
            rest = tail;
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
        top.items
    }

    /// Want → offers. Accumulates, per offer, an upper bound of the want coverage from the
    /// posting lists of the want's important words (the least important words, together
    /// unable to reach `MIN_SCORE`, generate no candidates but still tighten the bound of
    /// the candidates), and the class mass of the offer's words that any want word reaches,
    /// which bounds the offer coverage. Candidates are then scored in bound order until the
    /// bound falls below the current k-th score.
    pub(super) fn forward<'a>(
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
        // Minor words cannot carry a pair to `CONTEXT_MIN_COVER` either, so no context
        // discount (see `CONTEXT_SHARE`) can lift them.
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
        let mut traversed = 0usize;
        for &i in &order[first_essential..] {
            let stamp = sc.next_stamp();
            for (key, sim) in self.token_keys(&q.doc.toks[i]) {
                let Some(list) = postings.get(key) else {
                    continue;
                };
                traversed += list.len();
                let add = w[i] * sim;
                let sim = sim.min(1.0);
                let wbit = tok_bit(i);
                for &(s, m, b) in list {
                    let m = unpack_mass(m);
                    let c = &mut sc.cells[s as usize];
                    if c.acc == 0.0 {
                        sc.touched.push(s);
                    }
                    c.hit += m * sim;
                    c.reached |= b;
                    c.wreached |= wbit;
                    if c.mark != stamp {
                        c.mark = stamp;
                        c.acc += add;
                    }
                }
            }
        }
        // Minor words: walk their lists for the candidates only, unless a list is long (a
        // common generic word, which weighs little): then assume it matches, and that it
        // covers every generic-reachable word of the offer.
        let budget = LONG_LIST.max(2 * traversed);
        let mut slack = BOUND_SLACK;
        let mut generic_unwalked = false;
        for &i in &order[..first_essential] {
            let t = &q.doc.toks[i];
            let keys = self.token_keys(t);
            let len: usize = keys
                .iter()
                .filter_map(|&(key, _)| postings.get(key).map(Vec::len))
                .sum();
            let plain_generic = t.class == TokClass::Generic
                && !t.phrase
                && t.cats.is_empty()
                && t.broad.is_empty();
            if len > budget && plain_generic {
                slack += w[i] / total;
                generic_unwalked = true;
                continue;
            }
            let stamp = sc.next_stamp();
            for (key, sim) in keys {
                let Some(list) = postings.get(key) else {
                    continue;
                };
                let add = w[i] * sim;
                let sim = sim.min(1.0);
                let wbit = tok_bit(i);
                for &(s, m, b) in list {
                    let m = unpack_mass(m);
                    let c = &mut sc.cells[s as usize];
                    if c.acc == 0.0 {
                        continue;
                    }
                    c.hit += m * sim;
                    c.reached |= b;
                    c.wreached |= wbit;
                    if c.mark != stamp {
                        c.mark = stamp;
                        c.acc += add;
                    }
                }
            }
        }
        // Want words that may weigh only their context share in a pair (see `CONTEXT_SHARE`):
        // only those reaching none of the candidate's words can, and only as far as the offer
        // is covered, so a candidate's want total is at least `total` less that discount.
        // A context word sharing a topic with every reached word shares one with the met
        // ones too, so it is not discounted: `shared` is the set of words it shares one with.
        let toks = &q.doc.toks;
        let topics = |t: &Tok| t.masks.cats | t.masks.broad;
        let context: Vec<(u16, u16, f32)> = toks
            .iter()
            .enumerate()
            .filter(|(_, t)| context_class(t.class))
            .map(|(i, t)| {
                let shared = toks
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| topics(t) & topics(o) != 0)
                    .fold(0u16, |m, (j, _)| m | tok_bit(j));
                let untracked = toks.len() > TRACKED_TOKENS;
                (
                    tok_bit(i),
                    if untracked { 0 } else { shared },
                    (1.0 - CONTEXT_SHARE) * w[i],
                )
            })
            .collect();
        let qbits = cat_bits(&q.doc.bonus_cats);
        let mut cands: Vec<(f32, u32)> = Vec::with_capacity(sc.touched.len());
        let mut parts: Vec<Refine> = Vec::with_capacity(sc.touched.len());
        for s in sc.touched.drain(..) {
            let su = s as usize;
            let bonus = if self.catbits[su] & qbits != 0 {
                CATEGORY_BONUS
            } else {
                0.0
            };
            let Cell {
                acc,
                mut hit,
                mut reached,
                wreached,
                ..
            } = std::mem::take(&mut sc.cells[su]);
            if generic_unwalked {
                hit += self.gmass[su].0;
                reached |= self.gmass[su].1;
            }
            let oc = coverage_bound(hit, self.mass[su], 0.0);
            let plain = (acc / total + slack).min(1.0 + BOUND_SLACK);
            let mut context_share = 0.0;
            if plain >= CONTEXT_MIN_COVER {
                // Untracked words (bit 0) count as unreached: the bound only gets looser.
                let discount: f32 = context
                    .iter()
                    .filter(|&&(bit, shared, _)| wreached & bit == 0 && wreached & !shared != 0)
                    .map(|&(_, _, d)| d)
                    .sum();
                context_share = discount / total;
            }
            let wc = discounted(plain, oc * context_share);
            // Scores never exceed 1, so neither need bounds: capping lets perfect ties be
            // cut by slot order instead of all being scored.
            let bound =
                (wc * (1.0 - OFFER_SHARE + OFFER_SHARE * oc) + bonus + BOUND_SLACK).min(1.0);
            if bound >= MIN_SCORE {
                cands.push((bound, s));
                parts.push(Refine {
                    wc: plain,
                    context: context_share,
                    bonus,
                    reached,
                });
            }
        }
        self.settle(q, w, k, cands, Some(&parts), cache)
    }

    /// Offer → wants. The score is measured on the want's side: the bound here comes from
    /// the class mass of each want's words that the offer's keys reach (see
    /// `keys::coverage_bound`). Generic keys only reach wants whose generic words could carry
    /// them to `MIN_SCORE` (the index's "heavy" postings); for the others they may still
    /// cover the want's generic-reachable words, which the bound assumes.
    pub(super) fn reverse<'a>(
        &'a self,
        q: &Entry,
        qw: &[f32],
        k: usize,
        sc: &mut Scratch,
        cache: WeightCache,
    ) -> Vec<(f32, &'a str, u32)> {
        let p = &self.post[side_ix(Side::Want)];
        let mut has_generic = false;
        for t in q.doc.toks.iter() {
            let generic: Vec<u32> = generic_keys(t, &self.vocab).collect();
            has_generic |= !generic.is_empty();
            for (key, sim) in self.token_keys(t) {
                let table = if generic.contains(&key) {
                    &p.heavy
                } else {
                    &p.all
                };
                if let Some(list) = table.get(key) {
                    let sim = sim.min(1.0);
                    for &(s, m, _) in list {
                        let m = unpack_mass(m);
                        let c = &mut sc.cells[s as usize];
                        if c.hit == 0.0 {
                            sc.touched.push(s);
                        }
                        c.hit += m * sim;
                    }
                }
            }
        }
        let qbits = cat_bits(&q.doc.bonus_cats);
        let mut cands: Vec<(f32, u32)> = Vec::with_capacity(sc.touched.len());
        for s in sc.touched.drain(..) {
            let su = s as usize;
            let mut hit = std::mem::take(&mut sc.cells[su]).hit;
            if has_generic {
                hit += self.gmass[su].0;
            }
            let bonus = if self.catbits[su] & qbits != 0 {
                CATEGORY_BONUS
            } else {
                0.0
            };
            let bound =
                (coverage_bound(hit, self.mass[su], self.cmass[su]) + bonus + BOUND_SLACK).min(1.0);
            if bound >= MIN_SCORE {
                cands.push((bound, s));
            }
        }
        self.settle(q, qw, k, cands, None, cache)
    }
}
