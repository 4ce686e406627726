//! Offer → wants queries: candidates from the want-side posting lists, bounded by the class
//! mass of each want's words the offer reaches.

use super::settle::Query;
use super::{BOUND_SLACK, Buffers, Scratch};
use crate::matching::index::{Entry, Index, side_ix};
use crate::matching::keys::{cat_bits, coverage_bound, generic_keys, unpack_mass};
use crate::matching::query::WeightCache;
use crate::matching::{CATEGORY_BONUS, MIN_SCORE, Side};

impl Index {
    /// Offer → wants. The score is measured on the want's side: the bound here comes from
    /// the class mass of each want's words that the offer's keys reach (see
    /// `keys::coverage_bound`). Generic keys only reach wants whose generic words could carry
    /// them to `MIN_SCORE` (the index's "heavy" postings); for the others they may still
    /// cover the want's generic-reachable words, which the bound assumes.
    pub(crate) fn reverse<'a>(
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
        let mut bufs = std::mem::take(&mut sc.bufs);
        let Buffers {
            cands, order, seen, ..
        } = &mut bufs;
        for s in sc.touched.drain(..) {
            let su = s as usize;
            let mut hit = std::mem::take(&mut sc.cells[su]).hit;
            let info = &self.info[su];
            if has_generic {
                hit += info.gmass;
            }
            let bonus = if info.catbits & qbits != 0 {
                CATEGORY_BONUS
            } else {
                0.0
            };
            let bound = (coverage_bound(hit, info.mass, info.cmass) + bonus + BOUND_SLACK).min(1.0);
            if bound >= MIN_SCORE {
                cands.push((bound, s));
            }
        }
        let query = Query {
            entry: q,
            weights: qw,
            k,
            cache,
        };
        let top = self.settle(query, cands, None, order, seen);
        bufs.clear();
        sc.bufs = bufs;
        top
    }
}
