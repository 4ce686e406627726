//! Candidate generation for [`Index`] queries: posting lists with a score upper bound per
//! candidate (want coverage from the keys it shares, offer coverage from the class mass it
//! shares), so most candidates are never scored; scoring in bound order with an early exit.

use super::analyze::TokClass;
use super::context::{CONTEXT_MIN_COVER, context_off};
use super::index::{Entry, Index, Posting, side_ix};
use super::keys::{TRACKED_TOKENS, cat_bits, coverage_bound, tok_bit, unpack_mass};
use super::query::WeightCache;
use super::score::{
    BROAD_OFFER_SIM, BROAD_SIM, OFFER_SHARE, PART_SIM, SYNONYM_SIM, TAG_BROAD, TAG_CAT, TAG_GROUP,
    TAG_STEM, TYPO_SIM, Tok,
};
use super::{CATEGORY_BONUS, MIN_SCORE, Side};

use plan::open_keys;
use settle::{Query, Refine, Seen, discounted};

mod plan;
mod reverse;
mod settle;

/// Absorbs float rounding between the bound (summed per key) and the score (summed per token).
const BOUND_SLACK: f32 = 1e-4;
/// Candidates are sorted in chunks, best bound first: the first chunk is this size.
const CHUNK: usize = 32;
/// A generic want word's set-aside lists longer than this (and than twice the postings of
/// the open keys) are not walked: see `Index::forward`.
const LONG_LIST: usize = 4096;

/// Per-slot accumulators of a query, together so one cache line serves a posting.
#[derive(Clone, Copy, Default)]
struct Cell {
    /// Bound of the weighted want coverage so far.
    acc: f32,
    /// Class mass of the candidate's words reached (times the best similarity).
    hit: f32,
    /// Stamp of the walk that last added to `acc` (tells untracked want words apart).
    mark: u32,
    /// The candidate's tokens any want word reached (bit `j`: token `j`, see `keys::tok_bit`).
    reached: u16,
    /// The want's words that reached any of the candidate's tokens (same bit layout).
    wreached: u16,
}

/// A want word's walk of one of its keys' posting lists.
struct KeyWalk {
    /// The key's similarity (see `Index::token_keys`).
    sim: f32,
    /// The word's weight.
    weight: f32,
    /// The word's bit (see `keys::tok_bit`).
    wbit: u16,
    /// The walk's stamp (see `Cell::mark`).
    stamp: u32,
}

impl KeyWalk {
    /// The walk of a key of want word `i` (weight `weight`) with similarity `sim`.
    fn new(i: usize, weight: f32, sim: f32, stamp: u32) -> Self {
        KeyWalk {
            sim,
            weight,
            wbit: tok_bit(i),
            stamp,
        }
    }
}

/// Reusable per-thread buffers sized to the index.
pub(crate) struct Scratch {
    cells: Vec<Cell>,
    stamp: u32,
    touched: Vec<u32>,
    /// One bit per slot, set while the slot is in `touched` (forward queries): set-aside keys
    /// walk long lists but only update touched candidates, and this small bit set (it stays
    /// in cache) spares them a cache miss on the cell of every other posting.
    live: Vec<u64>,
    /// A query's candidates, their bound parts, their ranking and its scores, kept between
    /// queries: allocated afresh (kilobytes each), every query made glibc consolidate its
    /// freed small blocks first (the 10k batch went from 0.115 to 0.106 s without that).
    bufs: Buffers,
}

/// Per-query buffers kept in a [`Scratch`] (see `Scratch::bufs`); empty between queries.
#[derive(Default)]
pub(super) struct Buffers {
    cands: Vec<(f32, u32)>,
    parts: Vec<Refine>,
    order: Vec<(u64, u32, f32, u32)>,
    seen: Seen,
}

impl Buffers {
    /// Empties every buffer, keeping its capacity for the next query.
    fn clear(&mut self) {
        self.cands.clear();
        self.parts.clear();
        self.order.clear();
        self.seen.clear();
    }
}

impl Scratch {
    pub fn new(slots: usize) -> Self {
        Scratch {
            cells: vec![Cell::default(); slots],
            stamp: 0,
            touched: Vec::new(),
            live: vec![0; slots.div_ceil(64)],
            bufs: Buffers::default(),
        }
    }
    fn next_stamp(&mut self) -> u32 {
        self.stamp += 1;
        self.stamp
    }

    /// Adds one posting of a want word's key to its slot. A word adds to the coverage once,
    /// through its first (best) key reaching the slot: tracked words are told apart by
    /// `wreached`, later ones by the walk's stamp.
    #[inline]
    fn add(&mut self, (s, m, b): Posting, k: &KeyWalk) {
        let c = &mut self.cells[s as usize];
        c.hit += unpack_mass(m) * k.sim.min(1.0);
        c.reached |= b;
        let first = if k.wbit != 0 {
            c.wreached & k.wbit == 0
        } else {
            c.mark != k.stamp
        };
        if first {
            c.mark = k.stamp;
            c.acc += k.weight * k.sim;
        }
        c.wreached |= k.wbit;
    }
}

/// Scratch buffers shared by the jobs of one batch. Rayon runs a batch as many jobs, and a
/// fresh [`Scratch`] per job would allocate and fill 16 bytes per slot each time (and lose
/// the buffers the last job had grown).
pub(crate) struct ScratchPool {
    slots: usize,
    free: std::sync::Mutex<Vec<Scratch>>,
}

impl ScratchPool {
    /// A pool of buffers for an index of `slots` slots.
    pub fn new(slots: usize) -> Self {
        ScratchPool {
            slots,
            free: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// A buffer from the pool (or a new one), returned to the pool when dropped.
    pub fn take(&self) -> PooledScratch<'_> {
        let reused = self.free.lock().ok().and_then(|mut v| v.pop());
        PooledScratch {
            scratch: Some(reused.unwrap_or_else(|| Scratch::new(self.slots))),
            pool: self,
        }
    }
}

/// A [`Scratch`] lent by a [`ScratchPool`]. Queries leave a scratch clean (every slot they
/// touch is reset), so the next job can use it as it is.
pub(crate) struct PooledScratch<'a> {
    scratch: Option<Scratch>,
    pool: &'a ScratchPool,
}

impl PooledScratch<'_> {
    /// The buffer itself.
    pub fn get(&mut self) -> &mut Scratch {
        self.scratch
            .get_or_insert_with(|| Scratch::new(self.pool.slots))
    }
}

impl Drop for PooledScratch<'_> {
    fn drop(&mut self) {
        if let (Some(s), Ok(mut free)) = (self.scratch.take(), self.pool.free.lock()) {
            free.push(s);
        }
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

    /// Want → offers. Accumulates, per offer, an upper bound of the want coverage from the
    /// posting lists of the want's keys, and the class mass of the offer's words that any
    /// want word reaches, which bounds the offer coverage. A first cut-off comes from a few
    /// texts holding the main word; keys too weak to lift a text to it on their own bring
    /// in no candidates but still tighten the bounds of the others (see `plan`).
    /// Candidates are then scored in bound order until the bound falls below the current
    /// k-th score.
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
        let query = Query {
            entry: q,
            weights: w,
            k,
            cache,
        };
        let toks = &q.doc.toks;
        let keys: Vec<Vec<(u32, f32)>> = toks.iter().map(|t| self.token_keys(t)).collect();
        let postings = &self.post[side_ix(Side::Offer)].all;
        // A cut-off from a few texts holding the main word (see `Index::seed`): candidates
        // whose bound falls below it, or (at a perfect cut-off) past its slot, cannot enter.
        let main = (0..w.len()).max_by(|&a, &b| w[a].total_cmp(&w[b]));
        let mut bufs = std::mem::take(&mut sc.bufs);
        let seen = &mut bufs.seen;
        let cut = main
            .and_then(|i| keys[i].first())
            .and_then(|&(key, _)| postings.get(key))
            .and_then(|list| self.seed(query, list, seen));
        let cut_score = cut.map_or(0.0, |c| c.0);
        let last_slot = match cut {
            Some((score, slot)) if score >= 1.0 => slot,
            _ => u32::MAX,
        };
        // What each context word takes off the total where a text leaves it unreached.
        let off: Vec<f32> = toks
            .iter()
            .zip(w)
            .map(|(t, &wi)| context_off(t.class, wi))
            .collect();
        let context = self.context_words(q, &off);
        // Common generic words may go unwalked (counted as matched) when their lists are long.
        let loose: Vec<bool> = toks
            .iter()
            .map(|t| {
                t.class == TokClass::Generic && !t.phrase && t.cats.is_empty() && t.broad.is_empty()
            })
            .collect();
        let floor = cut_score.max(MIN_SCORE);
        let open = open_keys(&keys, w, total, &loose, &off, floor);
        // Open keys bring candidates in; the others only add to those (see `plan`).
        let mut traversed = 0usize;
        for (i, ks) in keys.iter().enumerate() {
            let stamp = sc.next_stamp();
            for &(key, sim) in &ks[..open[i]] {
                let Some(list) = postings.get(key) else {
                    continue;
                };
                traversed += list.len();
                let walk = KeyWalk::new(i, w[i], sim, stamp);
                for &p in list {
                    let s = p.0;
                    if s > last_slot {
                        continue;
                    }
                    let bit = 1 << (s % 64);
                    if sc.live[s as usize / 64] & bit == 0 {
                        sc.live[s as usize / 64] |= bit;
                        sc.touched.push(s);
                    }
                    sc.add(p, &walk);
                }
            }
        }
        // Set-aside keys: walk their lists for the candidates only, unless a generic word's
        // lists are long (a common word, which weighs little): then assume it matches, and
        // that it covers every generic-reachable word of the offer.
        let budget = LONG_LIST.max(2 * traversed);
        let mut slack = BOUND_SLACK;
        let mut generic_unwalked = false;
        for (i, ks) in keys.iter().enumerate() {
            let rest = &ks[open[i]..];
            if rest.is_empty() {
                continue;
            }
            if open[i] == 0 && loose[i] {
                let len: usize = rest
                    .iter()
                    .filter_map(|&(key, _)| postings.get(key).map(Vec::len))
                    .sum();
                if len > budget {
                    slack += w[i] / total;
                    generic_unwalked = true;
                    continue;
                }
            }
            let stamp = sc.next_stamp();
            for &(key, sim) in rest {
                let Some(list) = postings.get(key) else {
                    continue;
                };
                let walk = KeyWalk::new(i, w[i], sim, stamp);
                for &p in list {
                    if sc.live[p.0 as usize / 64] & (1 << (p.0 % 64)) != 0 {
                        sc.add(p, &walk);
                    }
                }
            }
        }
        let qbits = cat_bits(&q.doc.bonus_cats);
        let Buffers {
            cands,
            parts,
            order,
            seen,
        } = &mut bufs;
        for s in sc.touched.drain(..) {
            let su = s as usize;
            sc.live[su / 64] &= !(1 << (s % 64));
            let Cell {
                acc,
                mut hit,
                mut reached,
                wreached,
                ..
            } = std::mem::take(&mut sc.cells[su]);
            let plain = (acc / total + slack).min(1.0 + BOUND_SLACK);
            let mut context_share = 0.0;
            if plain >= CONTEXT_MIN_COVER {
                // Untracked words (bit 0) count as unreached: the bound only gets looser.
                let discount: f32 = context
                    .iter()
                    .filter(|&&(bit, shared, _)| {
                        wreached & bit == 0 && shared.is_none_or(|s| wreached & !s != 0)
                    })
                    .map(|&(_, _, d)| d)
                    .sum();
                context_share = discount / total;
            }
            // Most candidates fail even with the whole offer covered and the bonus: those are
            // dropped before their slot record is read.
            if discounted(plain, context_share) + CATEGORY_BONUS + BOUND_SLACK < floor {
                continue;
            }
            let info = &self.info[su];
            let bonus = if info.catbits & qbits != 0 {
                CATEGORY_BONUS
            } else {
                0.0
            };
            if generic_unwalked {
                hit += info.gmass;
                reached |= info.gbits;
            }
            let oc = coverage_bound(hit, info.mass, 0.0);
            let wc = discounted(plain, oc * context_share);
            // Scores never exceed 1, so neither need bounds: capping lets perfect ties be
            // cut by slot order instead of all being scored.
            let bound =
                (wc * (1.0 - OFFER_SHARE + OFFER_SHARE * oc) + bonus + BOUND_SLACK).min(1.0);
            if bound >= MIN_SCORE && bound >= cut_score {
                cands.push((bound, s));
                parts.push(Refine {
                    wc: plain,
                    context: context_share,
                    bonus,
                    reached,
                });
            }
        }
        let top = self.settle(query, cands, Some(parts), order, seen);
        bufs.clear();
        sc.bufs = bufs;
        top
    }

    /// The want's words that may weigh only their context share in a pair (see
    /// `CONTEXT_SHARE`): only those reaching none of the candidate's words can, and only as
    /// far as the offer is covered. Each comes with the want words it shares a topic with (a
    /// context word sharing one with every reached word shares one with the met ones too, so
    /// it is not discounted; `None` when the want has untracked words, which may be the
    /// reached ones) and the weight it may take off the want's total (`off`, per word).
    fn context_words(&self, q: &Entry, off: &[f32]) -> Vec<(u16, Option<u16>, f32)> {
        let toks = &q.doc.toks;
        let untracked = toks.len() > TRACKED_TOKENS;
        toks.iter()
            .enumerate()
            .filter(|&(i, _)| off[i] > 0.0)
            .map(|(i, t)| {
                let shared = toks
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| t.masks.topics() & o.masks.topics() != 0)
                    .fold(0u16, |m, (j, _)| m | tok_bit(j));
                let shared = (!untracked).then_some(shared);
                (tok_bit(i), shared, off[i])
            })
            .collect()
    }
}
