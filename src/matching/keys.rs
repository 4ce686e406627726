//! Posting keys of a text: stems, phrase words, synonym groups, categories, and the generic
//! keys under which texts made mostly of generic words must stay findable.

use super::analyze::{TokClass, analyse};
use super::context::{CONTEXT_MIN_COVER, CONTEXT_SHARE, context_class};
use super::score::{
    Doc, MIN_IDF_SHARE, TAG_BROAD, TAG_CAT, TAG_GROUP, TAG_STEM, Tok, class_factor,
};
use super::vocabulary::{GroupKind, Vocabulary};
use super::{CATEGORY_BONUS, MIN_SCORE, Side};

/// Maps a declared category ("Gardening", "diy") to a vocabulary category: by id or name,
/// else through the words of the label ("DIY and repairs" → diy).
pub(crate) fn declared_category(v: &Vocabulary, label: &str) -> Option<u16> {
    if label.trim().is_empty() {
        return None;
    }
    v.category_by_name(label).or_else(|| {
        analyse(v, Side::Offer, label)
            .iter()
            .flat_map(|t| t.groups.iter())
            .map(|&g| &v.groups()[g as usize])
            .find(|g| g.kind != GroupKind::Generic)
            .map(|g| g.category)
    })
}

/// A posting key of a text with its "mass": the summed class factors of the text's tokens
/// holding that key, an upper bound of the weight a match through that key can cover.
/// The third field is a bit set of those tokens (see [`tok_bit`]).
pub(crate) type KeyMass = (u32, f32, u16);

/// Tokens tracked in a token bit set; later ones count as always reached.
pub(crate) const TRACKED_TOKENS: usize = 16;

/// Bit of token `j` in a [`KeyMass`] token set (0 past [`TRACKED_TOKENS`]).
pub(crate) fn tok_bit(j: usize) -> u16 {
    if j < TRACKED_TOKENS { 1 << j } else { 0 }
}

/// A mass packed into 16 bits for posting lists (which are walked in bulk, so their size
/// matters): rounded up to 1/1024, so it stays an upper bound; too large reads as infinite.
pub(crate) fn pack_mass(m: f32) -> u16 {
    let units = (m * 1024.0).ceil();
    if units >= f32::from(u16::MAX) {
        u16::MAX
    } else {
        units as u16
    }
}

/// The mass a [`pack_mass`] value stands for (at least the packed one).
pub(crate) fn unpack_mass(p: u16) -> f32 {
    if p == u16::MAX {
        f32::INFINITY
    } else {
        f32::from(p) / 1024.0
    }
}

/// Keys of one token (a phrase also under its specific words).
pub(crate) fn tok_keys(t: &Tok, out: &mut Vec<u32>) {
    out.push(TAG_STEM | t.stem);
    if t.phrase {
        for p in t.parts.iter() {
            out.push(TAG_STEM | p.0);
            out.extend(p.1.iter().map(|&g| TAG_GROUP | g));
        }
    }
    out.extend(t.groups.iter().map(|&g| TAG_GROUP | g));
    out.extend(t.cats.iter().map(|&c| TAG_CAT | c as u32));
    out.extend(t.broad.iter().map(|&c| TAG_BROAD | c as u32));
}

/// Sorts `(key, mass)` pairs and merges equal keys, summing their masses.
fn merge(mut v: Vec<KeyMass>) -> Vec<KeyMass> {
    v.sort_unstable_by_key(|k| k.0);
    let mut out: Vec<KeyMass> = Vec::with_capacity(v.len());
    for (k, m, b) in v {
        match out.last_mut() {
            Some(last) if last.0 == k => {
                last.1 += m;
                last.2 |= b;
            }
            _ => out.push((k, m, b)),
        }
    }
    out
}

/// Posting keys of a text, and the generic keys under which it must also be findable when its
/// generic words alone could lift a score to [`MIN_SCORE`] (see `Index::reverse` in `query.rs`).
/// Each key comes with its mass (see [`KeyMass`]).
pub(crate) fn doc_keys(doc: &Doc, v: &Vocabulary) -> (Vec<KeyMass>, Vec<KeyMass>) {
    let mut keys = Vec::new();
    let mut buf = Vec::new();
    for (j, t) in doc.toks.iter().enumerate() {
        buf.clear();
        tok_keys(t, &mut buf);
        buf.sort_unstable();
        buf.dedup();
        let m = class_factor(t.class);
        keys.extend(buf.iter().map(|&k| (k, m, tok_bit(j))));
    }
    let keys = merge(keys);
    // Upper bound of the share of this text's weight that generic-reachable words can carry.
    let (mut reach, mut rest) = (0f32, 0f32);
    for t in &doc.toks {
        if t.generic_reach || t.class == TokClass::Generic {
            reach += class_factor(t.class);
        } else {
            rest += class_factor(t.class) * MIN_IDF_SHARE;
        }
    }
    // No context discount here: below `CONTEXT_MIN_COVER` there is none.
    let mut heavy = Vec::new();
    if reach > 0.0 && reach / (reach + rest) + CATEGORY_BONUS >= MIN_SCORE {
        for (j, t) in doc.toks.iter().enumerate() {
            buf.clear();
            buf.extend(generic_keys(t, v));
            buf.sort_unstable();
            buf.dedup();
            let m = class_factor(t.class);
            heavy.extend(buf.iter().map(|&k| (k, m, tok_bit(j))));
        }
    }
    (keys, merge(heavy))
}

/// Total class factor of a text: the mass all of its keys together can cover.
pub(crate) fn doc_mass(doc: &Doc) -> f32 {
    doc.toks.iter().map(|t| class_factor(t.class)).sum()
}

/// Class mass of the tokens that may weigh only their context share in a pair (see
/// `context::CONTEXT_SHARE`): the text's vocabulary words.
pub(crate) fn context_mass(doc: &Doc) -> f32 {
    doc.toks
        .iter()
        .filter(|t| context_class(t.class))
        .map(|t| class_factor(t.class))
        .sum()
}

/// Class mass of the tokens a generic word can match (generic words, words in a generic
/// group, phrases): what a generic key may cover in a text beyond its specific keys; and
/// those tokens as a bit set (see [`tok_bit`]).
pub(crate) fn generic_mass(doc: &Doc) -> (f32, u16) {
    doc.toks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.class == TokClass::Generic || t.generic_reach || t.phrase)
        .fold((0.0, 0), |(m, b), (j, t)| {
            (m + class_factor(t.class), b | tok_bit(j))
        })
}

/// Upper bound of a coverage share (`Σ matched weight / Σ weight`) when tokens of class mass
/// at most `hit` out of `total` are matched: weights lie between [`MIN_IDF_SHARE`] and 1 times
/// the class factor, so the share is largest with the matched ones full and the rest minimal.
/// Unmatched tokens of class mass up to `context` may weigh only `CONTEXT_SHARE` of theirs
/// (where the share without that discount reaches `CONTEXT_MIN_COVER`).
pub(crate) fn coverage_bound(hit: f32, total: f32, context: f32) -> f32 {
    let hit = hit.min(total);
    if hit <= 0.0 {
        return 0.0;
    }
    let rest = (total - hit).max(0.0);
    let plain = hit / (hit + MIN_IDF_SHARE * rest);
    if plain < CONTEXT_MIN_COVER {
        return plain;
    }
    let rest = rest - (1.0 - CONTEXT_SHARE) * context.min(rest);
    hit / (hit + MIN_IDF_SHARE * rest)
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
