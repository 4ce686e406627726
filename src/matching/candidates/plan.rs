//! Which posting lists of a want may bring in new candidates and which may only add to the
//! candidates others brought in: a text reached by the second kind alone cannot reach the
//! query's cut-off, so walking those lists for every text they hold would be wasted work.

use super::BOUND_SLACK;
use crate::matching::CATEGORY_BONUS;
use crate::matching::context::CONTEXT_SHARE;
use crate::matching::keys::TRACKED_TOKENS;

/// For each want word, how many of its keys (sorted best similarity first, as
/// `Index::token_keys` gives them) may bring in new candidates; the rest only add to
/// candidates already brought in.
///
/// `keys[i]`: word `i`'s keys with the most each can contribute (before the word's weight
/// `w[i]`); `total`: the want's summed weight; `loose[i]`: the word may be left unwalked and
/// counted as fully matched (a common generic word, see `Index::forward`); `off[i]`: the
/// weight word `i` takes off the total when a text leaves it unreached (a context word, see
/// `CONTEXT_SHARE`; else 0); `floor`: the score a candidate must be able to reach
/// (`MIN_SCORE`, or the cut-off of a seeded query).
///
/// Keys are set aside least contribution first while a text reached by the set-aside keys
/// alone stays below `floor` — with the whole offer covered, the context words it leaves
/// unreached discounted (see [`max_cover`]) and the category bonus. Within a word the
/// set-aside keys are always its last ones. Words past `TRACKED_TOKENS` are set aside whole
/// or not at all: a candidate does not record which of them reached it, so their keys must
/// be walked together (see `Cell::mark`).
pub(super) fn open_keys(
    keys: &[Vec<(u32, f32)>],
    w: &[f32],
    total: f32,
    loose: &[bool],
    off: &[f32],
    floor: f32,
) -> Vec<usize> {
    let mut open: Vec<usize> = keys.iter().map(Vec::len).collect();
    // (contribution, word, key position), least first; within a word the later key first.
    let mut steps: Vec<(f32, usize, usize)> = Vec::new();
    for (i, ks) in keys.iter().enumerate() {
        if i >= TRACKED_TOKENS {
            if let Some(&(_, best)) = ks.first() {
                steps.push((w[i] * best, i, 0));
            }
            continue;
        }
        steps.extend(
            ks.iter()
                .enumerate()
                .map(|(j, &(_, sim))| (w[i] * sim, i, j)),
        );
    }
    steps.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
    // Per word, the most its set-aside keys contribute (its weight times the similarity).
    let mut got = vec![0f32; keys.len()];
    let mut buf = Vec::new();
    for (c, i, j) in steps {
        // Keys of a word are set aside from its last one backwards, or not at all.
        if i < TRACKED_TOKENS && j + 1 != open[i] {
            continue;
        }
        let before = got[i];
        got[i] = if loose[i] { w[i] } else { c }.max(before);
        // The slack absorbs rounding, doubled as a discount may at most double a coverage.
        let cover = max_cover(&got, off, total, &mut buf) + BOUND_SLACK / CONTEXT_SHARE;
        if (cover + CATEGORY_BONUS + BOUND_SLACK).min(1.0) < floor {
            open[i] = j;
        } else {
            got[i] = before;
        }
    }
    open
}

/// The largest want coverage of a text the want's words reach for at most `got[i]` of their
/// weight: the words it leaves unreached are the ones that raise the coverage most, as
/// context words weigh only their context share then. With `a` what a context word adds when
/// reached and `d` what it takes off the total when not, reaching it helps exactly when `a/d`
/// beats the coverage so far, so words are taken best `a/d` first.
fn max_cover(got: &[f32], off: &[f32], total: f32, buf: &mut Vec<(f32, f32)>) -> f32 {
    buf.clear();
    let mut num = 0f32;
    let mut den = total - off.iter().sum::<f32>();
    for (&a, &d) in got.iter().zip(off) {
        if a <= 0.0 {
            continue;
        }
        if d > 0.0 {
            buf.push((a, d));
        } else {
            num += a;
        }
    }
    buf.sort_by(|x, y| (y.0 / y.1).total_cmp(&(x.0 / x.1)));
    for &(a, d) in buf.iter() {
        if a * den > num * d {
            num += a;
            den += d;
        } else {
            break;
        }
    }
    if den <= 0.0 { 1.0 } else { num / den }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(sims: &[&[f32]]) -> Vec<Vec<(u32, f32)>> {
        sims.iter()
            .map(|s| s.iter().enumerate().map(|(k, &v)| (k as u32, v)).collect())
            .collect()
    }

    #[test]
    fn a_main_word_stays_open_and_weak_keys_are_set_aside_at_a_high_cut_off() {
        // "guitar lessons": guitar (weight 3) by stem, group and category; lessons (0.5).
        let k = keys(&[&[1.0, 0.95, 0.45], &[1.0]]);
        let w = [3.0, 0.5];
        let open = open_keys(&k, &w, 3.5, &[false, true], &[0.0, 0.0], 0.9);
        assert_eq!(
            open,
            vec![2, 0],
            "guitar's stem and group open; its category and lessons set aside"
        );
        // At the lowest score a match can have, the category key alone could reach it.
        let open = open_keys(&k, &w, 3.5, &[false, true], &[0.0, 0.0], 0.35);
        assert_eq!(open, vec![3, 0]);
    }

    #[test]
    fn context_words_that_may_be_discounted_keep_more_keys_open() {
        // An unknown word with a weak second key, and a context word: a text reached by the
        // weak key alone leaves the context word unreached, so it may weigh half.
        let k = keys(&[&[1.0, 0.45], &[1.0]]);
        let w = [1.0, 1.0];
        let without = open_keys(&k, &w, 2.0, &[false, false], &[0.0, 0.0], 0.3);
        let with = open_keys(&k, &w, 2.0, &[false, false], &[0.0, 0.5], 0.3);
        assert_eq!(without, vec![1, 1]);
        assert_eq!(with, vec![2, 1]);
    }

    #[test]
    fn only_the_words_a_text_leaves_unreached_are_discounted() {
        // "lego at the park": lego (1.0) and park (0.71), both context-able vocabulary words.
        // A text reached by park alone covers at most 0.71 / (0.71 + 0.5): below a 0.8 cut-off
        // even with the bonus, so park's keys bring in no candidates.
        let k = keys(&[&[1.0, 0.95], &[1.0, 0.95]]);
        let w = [1.0, 0.71];
        let off = [0.5, 0.355];
        let open = open_keys(&k, &w, 1.71, &[false, false], &off, 0.8);
        assert_eq!(open, vec![2, 0]);
    }

    #[test]
    fn the_largest_cover_leaves_out_the_words_whose_discount_helps_most() {
        let mut buf = Vec::new();
        // Reached in full: a non-context word always counts; a context word reached at 0.2
        // of its weight is better left unreached (0.2 < its share 0.5 of the coverage).
        let got = [1.0, 0.2];
        let cover = max_cover(&got, &[0.0, 0.5], 2.0, &mut buf);
        assert!((cover - 1.0 / 1.5).abs() < 1e-6, "{cover}");
        let cover = max_cover(&[1.0, 0.9], &[0.0, 0.5], 2.0, &mut buf);
        assert!((cover - 1.9 / 2.0).abs() < 1e-6, "{cover}");
    }

    #[test]
    fn words_past_those_tracked_are_set_aside_whole_or_not_at_all() {
        // Sixteen minor words, then a main word whose weak second key alone could go.
        let mut sims: Vec<&[f32]> = vec![&[1.0]; TRACKED_TOKENS];
        sims.push(&[1.0, 0.05]);
        let k = keys(&sims);
        let mut w = vec![0.01; TRACKED_TOKENS];
        w.push(10.0);
        let total: f32 = w.iter().sum();
        let loose = vec![false; w.len()];
        let open = open_keys(&k, &w, total, &loose, &vec![0.0; w.len()], 0.9);
        assert_eq!(
            open[TRACKED_TOKENS], 2,
            "both keys of the untracked word stay open"
        );
        assert!(open[..TRACKED_TOKENS].iter().all(|&n| n == 0), "{open:?}");
    }
}
