//! Posting keys of a text: stems, phrase words, synonym groups, categories, and the generic
//! keys under which texts made mostly of generic words must stay findable.

use super::analyze::{TokClass, analyse};
use super::score::{
    Doc, MIN_IDF_SHARE, TAG_BROAD, TAG_CAT, TAG_GROUP, TAG_STEM, Tok, class_factor,
};
use super::vocabulary::{GroupKind, Vocabulary};
use super::{CATEGORY_BONUS, MIN_SCORE};

/// Maps a declared category ("Gardening", "diy") to a vocabulary category: by id or name,
/// else through the words of the label ("DIY and repairs" → diy).
pub(crate) fn declared_category(v: &Vocabulary, label: &str) -> Option<u16> {
    if label.trim().is_empty() {
        return None;
    }
    v.category_by_name(label).or_else(|| {
        analyse(v, label)
            .iter()
            .flat_map(|t| t.groups.iter())
            .map(|&g| &v.groups()[g as usize])
            .find(|g| g.kind != GroupKind::Generic)
            .map(|g| g.category)
    })
}

/// Posting keys of a text, and the generic keys under which it must also be findable when its
/// generic words alone could lift a score to [`MIN_SCORE`] (see `Index::reverse` in `query.rs`).
pub(crate) fn doc_keys(doc: &Doc, v: &Vocabulary) -> (Vec<u32>, Vec<u32>) {
    let mut keys = Vec::new();
    for t in &doc.toks {
        keys.push(TAG_STEM | t.stem);
        if t.phrase {
            for p in t.parts.iter() {
                keys.push(TAG_STEM | p.0);
                keys.extend(p.1.iter().map(|&g| TAG_GROUP | g));
            }
        }
        keys.extend(t.groups.iter().map(|&g| TAG_GROUP | g));
        keys.extend(t.cats.iter().map(|&c| TAG_CAT | c as u32));
        keys.extend(t.broad.iter().map(|&c| TAG_BROAD | c as u32));
    }
    keys.sort_unstable();
    keys.dedup();
    // Upper bound of the share of this text's weight that generic-reachable words can carry.
    let (mut reach, mut rest) = (0f32, 0f32);
    for t in &doc.toks {
        if t.generic_reach || t.class == TokClass::Generic {
            reach += class_factor(t.class);
        } else {
            rest += class_factor(t.class) * MIN_IDF_SHARE;
        }
    }
    let mut heavy = Vec::new();
    if reach > 0.0 && reach / (reach + rest) + CATEGORY_BONUS >= MIN_SCORE {
        for t in &doc.toks {
            heavy.extend(generic_keys(t, v));
        }
        heavy.sort_unstable();
        heavy.dedup();
    }
    (keys, heavy)
}

/// Keys of a token that only generic words share: its generic groups, and its stem if it is
/// a generic word.
pub(crate) fn generic_keys<'a>(t: &'a Tok, v: &'a Vocabulary) -> impl Iterator<Item = u32> + 'a {
    let stem = (t.class == TokClass::Generic).then_some(TAG_STEM | t.stem);
    t.groups
        .iter()
        .filter(|&&g| v.groups()[g as usize].kind == GroupKind::Generic)
        .map(|&g| TAG_GROUP | g)
        .chain(stem)
}

/// Bit set of categories (ids ≥ 63 fold into bit 63, which only makes the bound looser).
pub(crate) fn cat_bits(cats: &[u16]) -> u64 {
    cats.iter()
        .fold(0u64, |b, &c| b | 1u64 << (c as u32).min(63))
}
