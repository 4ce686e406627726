//! Interning of analysed texts into an [`Index`]: stems, typo neighbours of unknown words,
//! and scoring-ready tokens.

use super::Index;
use crate::matching::analyze::{AnalysedToken, TokClass};
use crate::matching::english::stem_typo_similarity as typo_similarity;
use crate::matching::score::{Doc, TAG_GROUP, TAG_STEM, Tok, TokMasks};
use crate::matching::vocabulary::GroupKind;

impl Index {
    pub(super) fn intern_stem(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.stem_ids.get(s) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stems.push(s.into());
        self.stem_ids.insert(s.into(), id);
        self.unknown_seen.push(false);
        id
    }

    /// Registers a new unknown word and links it with its typo neighbours (both directions).
    fn add_unknown(&mut self, stem: u32) {
        self.unknown_seen[stem as usize] = true;
        if self.typo_nbrs.len() < self.stems.len() {
            self.typo_nbrs.resize_with(self.stems.len(), Vec::new);
        }
        let me = &self.stems[stem as usize];
        let mut mine = Vec::new();
        for other in self.unknown_grams.candidates(me) {
            let word = &self.stems[other as usize];
            if other == stem {
                continue;
            }
            if let Some(sim) = typo_similarity(me, word) {
                mine.push((other, sim as f32));
            }
            if let Some(sim) = typo_similarity(word, me) {
                let theirs = &mut self.typo_nbrs[other as usize];
                let at = theirs.partition_point(|x| x.0 < stem);
                theirs.insert(at, (stem, sim as f32));
            }
        }
        self.unknown_grams.insert(stem, &self.stems[stem as usize]);
        self.typo_nbrs[stem as usize] = mine;
    }

    /// Typo neighbours of an unknown stem: `(stem, typo_similarity(this, stem))`.
    pub(crate) fn typo_neighbours(&self, stem: u32) -> &[(u32, f32)] {
        self.typo_nbrs
            .get(stem as usize)
            .map_or(&[], |v| v.as_slice())
    }

    pub(super) fn intern_doc(&mut self, toks: Vec<AnalysedToken>, declared: Option<u16>) -> Doc {
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
                    .map(|(s, g)| {
                        // ...and only in their specific senses ("tipping" in "fly tipping"
                        // is not the generic "tips").
                        let specific: Box<[u32]> = g
                            .iter()
                            .copied()
                            .filter(|&g| !phrase || groups[g as usize].kind != GroupKind::Generic)
                            .collect();
                        (self.intern_stem(s), specific)
                    })
                    .collect();
                if t.class == TokClass::Unknown && !self.unknown_seen[stem as usize] {
                    self.add_unknown(stem);
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
                let masks = TokMasks::new(stem, &t.groups, &parts, &cats, &broad);
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
                    masks,
                }
            })
            .collect();
        bonus.sort_unstable();
        bonus.dedup();
        Doc {
            toks,
            bonus_cats: bonus.into(),
            audience: 0,
        }
    }
}
