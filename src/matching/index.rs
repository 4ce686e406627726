//! The incremental match index: interned texts, document frequencies and posting lists
//! (stems, synonym groups, categories, typo trigrams) for offers and for wants.

use super::analyze::{AnalysedToken, analyse};
use super::audience::audience;
use super::english::stem_typo_similarity as typo_similarity;
use super::fuzzy::TrigramIndex;
use super::keys::{
    KeyMass, cat_bits, context_mass, declared_category, doc_keys, doc_mass, generic_mass, pack_mass,
};
use super::score::{Corpus, Doc};
use super::vocabulary::Vocabulary;
use super::{Id, Item, Side};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

mod intern;

const TAG_MASK: u32 = 3 << 30;

/// Items analysed per step of [`Index::build`], which interns one step while analysing the
/// next.
const BUILD_CHUNK: usize = 4096;

/// An item with its analysed text, declared category and audience (see [`Index::build`]).
type Analysed = (Side, Item, Vec<AnalysedToken>, Option<u16>, u8);

/// Per-key table split by tag so lookups are plain vector indexing.
#[derive(Debug, Default, Clone)]
pub(crate) struct KeyTable<T> {
    parts: [Vec<T>; 4],
}

impl<T: Default> KeyTable<T> {
    fn split(key: u32) -> (usize, usize) {
        ((key >> 30) as usize, (key & !TAG_MASK) as usize)
    }
    pub fn get(&self, key: u32) -> Option<&T> {
        let (t, i) = Self::split(key);
        self.parts[t].get(i)
    }
    pub fn get_mut(&mut self, key: u32) -> &mut T {
        let (t, i) = Self::split(key);
        let v = &mut self.parts[t];
        if v.len() <= i {
            v.resize_with(i + 1, T::default);
        }
        &mut v[i]
    }
}

/// What a candidate's bound reads of a slot, in one record: a query computes the bound of
/// thousands of candidates at random slots, and separate arrays cost a cache miss each.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SlotInfo {
    /// Bonus categories as a bit set (categories ≥ 64 share the top bit), so the bound adds
    /// the category bonus only where it can apply.
    pub catbits: u64,
    /// Total class factor of the text (see `keys::doc_mass`).
    pub mass: f32,
    /// The part of `mass` generic words can match, and those tokens (see `keys::generic_mass`).
    pub gmass: f32,
    pub gbits: u16,
    /// The part of `mass` that may be context in a pair (see `keys::context_mass`).
    pub cmass: f32,
    /// Content tokens (capped at 255), a cheap tie-breaker for candidate order.
    pub ntok: u8,
}

/// One stored offer or want.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub side: Side,
    pub id: Id,
    pub member: u32,
    pub community: Option<u32>,
    pub doc: Doc,
    keys: Vec<KeyMass>,
    heavy_keys: Vec<KeyMass>,
}

/// One posting: a slot, the mass of that text's tokens holding the key (packed, see
/// `keys::pack_mass`) and those tokens as a bit set (see `KeyMass`): 8 bytes.
pub(crate) type Posting = (u32, u16, u16);

/// Posting lists for the texts of one side.
#[derive(Debug, Default, Clone)]
pub(crate) struct SidePostings {
    /// Every key of every text.
    pub all: KeyTable<Vec<Posting>>,
    /// Generic keys, only for texts whose generic words alone could reach [`MIN_SCORE`].
    pub heavy: KeyTable<Vec<Posting>>,
}

/// An index of offers and wants that can be updated one item at a time and queried both ways.
///
/// Build it with [`Index::new`] + [`Index::insert`] or in bulk with [`Index::build`]; query
/// with [`Index::matches_for`]. Scores use document frequencies over every offer and want
/// currently in the index, so they drift slightly as the corpus changes.
pub struct Index {
    pub(crate) vocab: Arc<Vocabulary>,
    stem_ids: HashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
    unknown_seen: Vec<bool>,
    unknown_grams: TrigramIndex,
    /// Typo neighbours of every unknown stem seen so far, sorted by stem id, with
    /// `typo_similarity(this, other)`: built once per new word, so queries and scoring never
    /// run the edit-distance rule.
    typo_nbrs: Vec<Vec<(u32, f32)>>,
    member_ids: HashMap<String, u32>,
    pub(crate) members: Vec<Id>,
    community_ids: HashMap<String, u32>,
    pub(crate) slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    ids: [HashMap<String, u32>; 2],
    df: KeyTable<u32>,
    pub(crate) post: [SidePostings; 2],
    /// Per slot, what a candidate's bound reads (see [`SlotInfo`]).
    pub(crate) info: Vec<SlotInfo>,
    /// Per slot, `Doc::signature`: equal texts are scored once per query.
    pub(crate) sig: Vec<u64>,
    /// Per slot: member, community (`u32::MAX`: none) and whether the text is vague, so
    /// candidates are filtered without touching their entries.
    pub(crate) meta: Vec<(u32, u32, bool)>,
    live: u32,
}

impl Corpus for Index {
    fn n_docs(&self) -> u32 {
        self.live
    }
    fn df(&self, key: u32) -> u32 {
        self.df.get(key).copied().unwrap_or(0)
    }
    fn stem_str(&self, stem: u32) -> &str {
        &self.stems[stem as usize]
    }
    fn typo_sim(&self, a: u32, b: u32) -> Option<f32> {
        if a == b {
            return Some(1.0);
        }
        match self.typo_nbrs.get(a as usize) {
            Some(n) if self.unknown_seen[a as usize] => {
                n.binary_search_by_key(&b, |x| x.0).ok().map(|i| n[i].1)
            }
            _ => typo_similarity(self.stem_str(a), self.stem_str(b)).map(|s| s as f32),
        }
    }
}

pub(crate) fn side_ix(side: Side) -> usize {
    match side {
        Side::Offer => 0,
        Side::Want => 1,
    }
}

impl Index {
    /// An empty index using `vocab`.
    pub fn new(vocab: Arc<Vocabulary>) -> Self {
        Index {
            vocab,
            stem_ids: HashMap::new(),
            stems: Vec::new(),
            unknown_seen: Vec::new(),
            unknown_grams: TrigramIndex::default(),
            typo_nbrs: Vec::new(),
            member_ids: HashMap::new(),
            members: Vec::new(),
            community_ids: HashMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            ids: [HashMap::new(), HashMap::new()],
            df: KeyTable::default(),
            post: [SidePostings::default(), SidePostings::default()],
            info: Vec::new(),
            sig: Vec::new(),
            meta: Vec::new(),
            live: 0,
        }
    }

    /// Builds an index from many items, analysing texts in parallel (rayon).
    /// Later items replace earlier ones with the same id on the same side.
    pub fn build(vocab: Arc<Vocabulary>, offers: Vec<Item>, wants: Vec<Item>) -> Self {
        let mut index = Index::new(vocab);
        let v = index.vocab.clone();
        let analyse_all = |items: Vec<(Side, Item)>| -> Vec<Analysed> {
            items
                .into_par_iter()
                .map(|(side, item)| {
                    let toks = analyse(&v, side, &item.text);
                    let who = audience(&item.text);
                    let cat = item
                        .category
                        .as_deref()
                        .and_then(|c| declared_category(&v, c));
                    (side, item, toks, cat, who)
                })
                .collect()
        };
        let mut items = offers
            .into_iter()
            .map(|i| (Side::Offer, i))
            .chain(wants.into_iter().map(|i| (Side::Want, i)));
        let mut chunk = || -> Vec<(Side, Item)> { items.by_ref().take(BUILD_CHUNK).collect() };
        // Interning is sequential (ids follow insertion order): it runs on one thread while
        // the next chunk is analysed on the others, instead of after all the analysis.
        let mut analysed = analyse_all(chunk());
        while !analysed.is_empty() {
            let next = chunk();
            let ((), next) = rayon::join(
                || {
                    for (side, item, toks, cat, who) in analysed {
                        index.insert_analysed(side, item, toks, cat, who);
                    }
                },
                || analyse_all(next),
            );
            analysed = next;
        }
        index
    }

    /// Number of live offers and wants.
    pub fn len(&self) -> usize {
        self.live as usize
    }

    /// True if the index holds nothing.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// True if an item with this id is on `side`.
    pub fn contains(&self, side: Side, id: &str) -> bool {
        self.ids[side_ix(side)].contains_key(id)
    }

    /// Ids on one side, in slot order (insertion order until something is removed).
    pub fn ids(&self, side: Side) -> Vec<String> {
        self.slots
            .iter()
            .flatten()
            .filter(|e| e.side == side)
            .map(|e| e.id.to_string())
            .collect()
    }

    /// The vocabulary in use.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// Adds or replaces (same side and id) one item. Call on create, edit and un-pause.
    pub fn insert(&mut self, side: Side, item: Item) {
        let toks = analyse(&self.vocab, side, &item.text);
        let who = audience(&item.text);
        let cat = item
            .category
            .as_deref()
            .and_then(|c| declared_category(&self.vocab, c));
        self.insert_analysed(side, item, toks, cat, who);
    }

    /// Removes one item (on delete or pause); returns whether it was there.
    pub fn remove(&mut self, side: Side, id: &str) -> bool {
        let Some(slot) = self.ids[side_ix(side)].remove(id) else {
            return false;
        };
        let entry = self.slots[slot as usize]
            .take()
            .expect("id map points at a live slot");
        let p = &mut self.post[side_ix(side)];
        for &(k, _, _) in &entry.keys {
            *self.df.get_mut(k) -= 1;
            remove_value(p.all.get_mut(k), slot);
        }
        for &(k, _, _) in &entry.heavy_keys {
            remove_value(p.heavy.get_mut(k), slot);
        }
        self.free.push(slot);
        self.live -= 1;
        true
    }

    pub(crate) fn slot_of(&self, side: Side, id: &str) -> Option<u32> {
        self.ids[side_ix(side)].get(id).copied()
    }

    fn insert_analysed(
        &mut self,
        side: Side,
        item: Item,
        toks: Vec<AnalysedToken>,
        declared: Option<u16>,
        who: u8,
    ) {
        self.remove(side, &item.id);
        let mut doc = self.intern_doc(toks, declared);
        doc.audience = who;
        let (keys, heavy_keys) = doc_keys(&doc, &self.vocab);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        let p = &mut self.post[side_ix(side)];
        for &(k, m, b) in &keys {
            *self.df.get_mut(k) += 1;
            p.all.get_mut(k).push((slot, pack_mass(m), b));
        }
        for &(k, m, b) in &heavy_keys {
            p.heavy.get_mut(k).push((slot, pack_mass(m), b));
        }
        let member = intern_str(&mut self.member_ids, &mut self.members, &item.member);
        let community = item
            .community
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                let n = self.community_ids.len() as u32;
                *self.community_ids.entry(c.to_string()).or_insert(n)
            });
        if self.info.len() <= slot as usize {
            self.info.resize(slot as usize + 1, SlotInfo::default());
            self.sig.resize(slot as usize + 1, 0);
            self.meta.resize(slot as usize + 1, (0, 0, true));
        }
        self.sig[slot as usize] = doc.signature();
        self.meta[slot as usize] = (member, community.unwrap_or(u32::MAX), doc.is_vague());
        let (gmass, gbits) = generic_mass(&doc);
        self.info[slot as usize] = SlotInfo {
            catbits: cat_bits(&doc.bonus_cats),
            mass: doc_mass(&doc),
            gmass,
            gbits,
            cmass: context_mass(&doc),
            ntok: doc.toks.len().min(255) as u8,
        };
        self.ids[side_ix(side)].insert(item.id.clone(), slot);
        self.slots[slot as usize] = Some(Entry {
            side,
            id: item.id.into(),
            member,
            community,
            doc,
            keys,
            heavy_keys,
        });
        self.live += 1;
    }
}

pub(super) fn intern_str(map: &mut HashMap<String, u32>, names: &mut Vec<Id>, s: &str) -> u32 {
    if let Some(&id) = map.get(s) {
        return id;
    }
    let id = names.len() as u32;
    names.push(Id::from(s));
    map.insert(s.to_string(), id);
    id
}

fn remove_value(v: &mut Vec<Posting>, x: u32) {
    if let Some(pos) = v.iter().position(|y| y.0 == x) {
        v.swap_remove(pos);
    }
}
