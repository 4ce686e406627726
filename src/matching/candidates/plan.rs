//! Which posting lists of a want may bring in new candidates and which may only add to the
//! candidates others brought in: a text reached by the second kind alone cannot reach the
//! query's cut-off, so walking those lists for every text they hold would be wasted work.

use super::BOUND_SLACK;
use super::settle::discounted;
use crate::matching::CATEGORY_BONUS;
use crate::matching::keys::TRACKED_TOKENS;

/// For each want word, how many of its keys (sorted best similarity first, as
/// `Index::token_keys` gives them) may bring in new candidates; the rest only add to
/// candidates already brought in.
///
/// `keys[i]`: word `i`'s keys with the most each can contribute (before the word's weight
/// `w[i]`); `total`: the want's summed weight; `loose[i]`: the word may be left unwalked and
/// counted as fully matched (a common generic word, see `Index::forward`); `max_off`: the
/// largest share of the total the want's context words can take off; `floor`: the score a
/// candidate must be able to reach (`MIN_SCORE`, or the cut-off of a seeded query).
///
/// Keys are set aside least contribution first while a text reached by the set-aside keys
/// alone stays below `floor` — even with every context word discounted and the category
/// bonus. Within a word the set-aside keys are always its last ones. Words past
/// `TRACKED_TOKENS` are set aside whole or not at all: a candidate does not record which of
/// them reached it, so their keys must be walked together (see `Cell::mark`).
pub(super) fn open_keys(
    keys: &[Vec<(u32, f32)>],
    w: &[f32],
    total: f32,
    loose: &[bool],
    max_off: f32,
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
    let mut best = vec![0f32; keys.len()];
    let mut sum = 0f32;
    for (c, i, j) in steps {
        // Keys of a word are set aside from its last one backwards, or not at all.
        if i < TRACKED_TOKENS && j + 1 != open[i] {
            continue;
        }
        let v = if loose[i] { w[i] } else { c }.max(best[i]);
        let with = sum - best[i] + v;
        let plain = with / total + BOUND_SLACK;
        let bound = (discounted(plain, max_off) + CATEGORY_BONUS + BOUND_SLACK).min(1.0);
        if bound < floor {
            sum = with;
            best[i] = v;
            open[i] = j;
        }
    }
    open
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
        let open = open_keys(&k, &w, 3.5, &[false, true], 0.0, 0.9);
        assert_eq!(
            open,
            vec![2, 0],
            "guitar's stem and group open; its category and lessons set aside"
        );
        // At the lowest score a match can have, the category key alone could reach it.
        let open = open_keys(&k, &w, 3.5, &[false, true], 0.0, 0.35);
        assert_eq!(open, vec![3, 0]);
    }

    #[test]
    fn context_words_that_may_be_discounted_keep_more_keys_open() {
        let k = keys(&[&[1.0, 0.45], &[1.0, 0.45]]);
        let w = [1.0, 1.0];
        let without = open_keys(&k, &w, 2.0, &[false, false], 0.0, 0.6);
        let with = open_keys(&k, &w, 2.0, &[false, false], 0.25, 0.6);
        assert_eq!(without, vec![1, 1]);
        assert!(with.iter().sum::<usize>() > 2, "{with:?}");
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
        let open = open_keys(&k, &w, total, &loose, 0.0, 0.9);
        assert_eq!(
            open[TRACKED_TOKENS], 2,
            "both keys of the untracked word stay open"
        );
        assert!(open[..TRACKED_TOKENS].iter().all(|&n| n == 0), "{open:?}");
    }
}
