//! The incremental match index: interned texts, document frequencies and posting lists
//! (stems, synonym groups, categories, typo trigrams) for offers and for wants.

use super::analyze::{AnalysedToken, TokClass, analyse};
use super::fuzzy::TrigramIndex;
use super::keys::{cat_bits, declared_category, doc_keys};
use super::score::{Corpus, Doc, TAG_GROUP, TAG_STEM, Tok};
use super::vocabulary::{GroupKind, Vocabulary};
use super::{Item, Side};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

const TAG_MASK: u32 = 3 << 30;

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

/// One stored offer or want.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub side: Side,
    pub id: String,
    pub member: u32,
    pub community: Option<u32>,
    pub doc: Doc,
    keys: Vec<u32>,
    heavy_keys: Vec<u32>,
}

/// Posting lists for the texts of one side.
#[derive(Debug, Default, Clone)]
pub(crate) struct SidePostings {
    /// Every key of every text.
    pub all: KeyTable<Vec<u32>>,
    /// Generic keys, only for texts whose generic words alone could reach [`MIN_SCORE`].
    pub heavy: KeyTable<Vec<u32>>,
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
    pub(crate) unknown_grams: TrigramIndex,
    member_ids: HashMap<String, u32>,
    pub(crate) members: Vec<String>,
    community_ids: HashMap<String, u32>,
    pub(crate) slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    ids: [HashMap<String, u32>; 2],
    df: KeyTable<u32>,
    pub(crate) post: [SidePostings; 2],
    /// Content tokens per slot (capped at 255), a cheap tie-breaker for candidate order.
    pub(crate) ntok: Vec<u8>,
    /// Bonus categories per slot as a bit set (categories ≥ 64 share the top bit), so the
    /// candidate bound can add the category bonus only where it can apply.
    pub(crate) catbits: Vec<u64>,
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
            member_ids: HashMap::new(),
            members: Vec::new(),
            community_ids: HashMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            ids: [HashMap::new(), HashMap::new()],
            df: KeyTable::default(),
            post: [SidePostings::default(), SidePostings::default()],
            ntok: Vec::new(),
            catbits: Vec::new(),
            live: 0,
        }
    }

    /// Builds an index from many items, analysing texts in parallel (rayon).
    /// Later items replace earlier ones with the same id on the same side.
    pub fn build(vocab: Arc<Vocabulary>, offers: Vec<Item>, wants: Vec<Item>) -> Self {
        let mut index = Index::new(vocab);
        let v = index.vocab.clone();
        let items: Vec<(Side, Item)> = offers
            .into_iter()
            .map(|i| (Side::Offer, i))
            .chain(wants.into_iter().map(|i| (Side::Want, i)))
            .collect();
        let analysed: Vec<_> = items
            .into_par_iter()
            .map(|(side, item)| {
                let toks = analyse(&v, &item.text);
                let cat = item
                    .category
                    .as_deref()
                    .and_then(|c| declared_category(&v, c));
                (side, item, toks, cat)
            })
            .collect();
        for (side, item, toks, cat) in analysed {
            index.insert_analysed(side, item, toks, cat);
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
            .map(|e| e.id.clone())
            .collect()
    }

    /// The vocabulary in use.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// Adds or replaces (same side and id) one item. Call on create, edit and un-pause.
    pub fn insert(&mut self, side: Side, item: Item) {
        let toks = analyse(&self.vocab, &item.text);
        let cat = item
            .category
            .as_deref()
            .and_then(|c| declared_category(&self.vocab, c));
        self.insert_analysed(side, item, toks, cat);
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
        for &k in &entry.keys {
            *self.df.get_mut(k) -= 1;
            remove_value(p.all.get_mut(k), slot);
        }
        for &k in &entry.heavy_keys {
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
    ) {
        self.remove(side, &item.id);
        let doc = self.intern_doc(toks, declared);
        let (keys, heavy_keys) = doc_keys(&doc, &self.vocab);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        let p = &mut self.post[side_ix(side)];
        for &k in &keys {
            *self.df.get_mut(k) += 1;
            p.all.get_mut(k).push(slot);
        }
        for &k in &heavy_keys {
            p.heavy.get_mut(k).push(slot);
        }
        let member = intern(&mut self.member_ids, &mut self.members, &item.member);
        let community = item
            .community
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                let n = self.community_ids.len() as u32;
                *self.community_ids.entry(c.to_string()).or_insert(n)
            });
        if self.ntok.len() <= slot as usize {
            self.ntok.resize(slot as usize + 1, 0);
        }
        self.ntok[slot as usize] = doc.toks.len().min(255) as u8;
        if self.catbits.len() <= slot as usize {
            self.catbits.resize(slot as usize + 1, 0);
        }
        self.catbits[slot as usize] = cat_bits(&doc.bonus_cats);
        self.ids[side_ix(side)].insert(item.id.clone(), slot);
        self.slots[slot as usize] = Some(Entry {
            side,
            id: item.id,
            member,
            community,
            doc,
            keys,
            heavy_keys,
        });
        self.live += 1;
    }

    fn intern_stem(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.stem_ids.get(s) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stems.push(s.into());
        self.stem_ids.insert(s.into(), id);
        self.unknown_seen.push(false);
        id
    }

    fn intern_doc(&mut self, toks: Vec<AnalysedToken>, declared: Option<u16>) -> Doc {
        let v = self.vocab.clone();
        let groups = v.groups();
        let mut bonus: Vec<u16> = declared.into_iter().collect();
        let toks = toks
            .into_iter()
            .map(|t| {
                let stem = self.intern_stem(&t.stem);
                // A phrase shares meaning with texts through its specific words only: "english
                // lessons" and "piano lessons" have nothing in common.
                let phrase = t.is_phrase();
                let parts: Box<[(u32, Box<[u32]>)]> = t
                    .parts
                    .iter()
                    .filter(|(_, g)| {
                        !phrase
                            || g.is_empty()
                            || g.iter()
                                .any(|&g| groups[g as usize].kind != GroupKind::Generic)
                    })
                    .map(|(s, g)| (self.intern_stem(s), g.clone().into()))
                    .collect();
                if t.class == TokClass::Unknown && !self.unknown_seen[stem as usize] {
                    self.unknown_seen[stem as usize] = true;
                    self.unknown_grams.insert(stem, &t.stem);
                }
                let mut cats = Vec::new();
                let mut broad = Vec::new();
                let mut generic_reach = false;
                for &g in &t.groups {
                    let gr = &groups[g as usize];
                    match gr.kind {
                        GroupKind::Generic => generic_reach = true,
                        kind => {
                            cats.push(gr.category);
                            if kind == GroupKind::Broad {
                                broad.push(gr.category);
                            }
                            if kind != GroupKind::Distinct {
                                bonus.push(gr.category);
                            }
                        }
                    }
                }
                for v in [&mut cats, &mut broad] {
                    v.sort_unstable();
                    v.dedup();
                }
                let distinct = !t.groups.is_empty()
                    && t.groups
                        .iter()
                        .all(|&g| groups[g as usize].kind == GroupKind::Distinct);
                let weight_key = t.groups.first().map_or(TAG_STEM | stem, |&g| TAG_GROUP | g);
                Tok {
                    stem,
                    groups: t.groups.into(),
                    parts,
                    phrase,
                    cats: cats.into(),
                    broad: broad.into(),
                    conf: t.confidence,
                    class: t.class,
                    distinct,
                    corrected: t.corrected,
                    generic_reach,
                    weight_key,
                    display: t.display.into(),
                }
            })
            .collect();
        bonus.sort_unstable();
        bonus.dedup();
        Doc {
            toks,
            bonus_cats: bonus.into(),
        }
    }
}

fn intern(map: &mut HashMap<String, u32>, names: &mut Vec<String>, s: &str) -> u32 {
    if let Some(&id) = map.get(s) {
        return id;
    }
    let id = names.len() as u32;
    names.push(s.to_string());
    map.insert(s.to_string(), id);
    id
}

fn remove_value(v: &mut Vec<u32>, x: u32) {
    if let Some(pos) = v.iter().position(|&y| y == x) {
        v.swap_remove(pos);
    }
}
