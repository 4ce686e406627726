//! Context words: words of a want that say why or for whom rather than what ("before my
//! daughter's wedding"), and so weigh less in a pair whose offer meets the rest.

use super::analyze::TokClass;
use super::score::{Doc, PART_SIM, TAG_GROUP, TAG_STEM, Tok, Via, intersects};
use super::{CATEGORY_BONUS, MIN_SCORE};

/// What a want's *context* words weigh, as a share of their weight, in a pair where the offer
/// does not touch them at all and they are of another topic than the words it meets: in
/// "fit a new tap before my daughter's wedding" the wedding is why, not what. Only the
/// vocabulary's own words (known or broad) count as context; unknown words already weigh little.
pub const CONTEXT_SHARE: f32 = 0.5;

/// Context is discounted only in pairs whose want coverage without the discount is already at
/// least this: the offer must meet a real part of the want. Not below `MIN_SCORE` less the
/// category bonus, so pairs the index leaves out because they could not reach `MIN_SCORE`
/// without a discount stay out (see `Index::forward` and `keys::doc_keys`).
pub const CONTEXT_MIN_COVER: f32 = MIN_SCORE - CATEGORY_BONUS;

/// Whether a token can be a context word (see [`CONTEXT_SHARE`]): a vocabulary word.
pub(crate) fn context_class(class: TokClass) -> bool {
    matches!(class, TokClass::Known | TokClass::Broad)
}

/// The weight a want word of class `class` and weight `w` takes off the want's total where it
/// is discounted as context (0 for a word that cannot be context). The scorer and the index's
/// bounds both read it, so they agree.
pub(crate) fn context_off(class: TokClass, w: f32) -> f32 {
    if context_class(class) {
        (1.0 - CONTEXT_SHARE) * w
    } else {
        0.0
    }
}

/// Stems and groups under which a token is posted and queried (a phrase also by its words).
fn word_keys(t: &Tok) -> impl Iterator<Item = u32> + '_ {
    let parts = t.parts.iter().filter(move |_| t.phrase);
    std::iter::once(TAG_STEM | t.stem)
        .chain(parts.clone().map(|p| TAG_STEM | p.0))
        .chain(t.groups.iter().map(|&g| TAG_GROUP | g))
        .chain(parts.flat_map(|p| p.1.iter().map(|&g| TAG_GROUP | g)))
}

/// Whether two tokens share a posting key (a stem, a group, or a broad word and a category
/// in either direction): exactly when a query by one finds a text holding the other. A want
/// word reaching no offer word is one the index knows the offer leaves untouched.
fn reaches(a: &Tok, b: &Tok) -> bool {
    if a.stem != b.stem && !a.masks.may_relate(&b.masks) {
        return false;
    }
    intersects(&a.broad, &b.cats)
        || intersects(&a.cats, &b.broad)
        || word_keys(a).any(|k| word_keys(b).any(|l| l == k))
}

/// Weight taken off the want's total by its context words in this pair: words of the
/// vocabulary that reach no offer word, of no topic shared with the want words the offer
/// meets (`best`: each want word's best similarity). See [`CONTEXT_SHARE`].
pub(crate) fn context_discount(
    want: &Doc,
    ww: &[f32],
    offer: &Doc,
    best: &[(f32, usize, Via)],
) -> f32 {
    let met = want
        .toks
        .iter()
        .zip(best)
        .filter(|(_, b)| b.0 >= PART_SIM)
        .fold(0u64, |m, (t, _)| m | t.masks.topics());
    want.toks
        .iter()
        .zip(best)
        .zip(ww)
        .filter(|((t, b), _)| {
            b.0 == 0.0
                && context_class(t.class)
                && t.masks.topics() & met == 0
                && !offer.toks.iter().any(|u| reaches(t, u))
        })
        .map(|((t, _), &w)| context_off(t.class, w))
        .sum()
}
