//! Deterministic synthetic neighbourhoods (offers and wants) for benchmarks and tests:
//! vocabulary-based skills, everyday phrasing, filler, misspellings, 1–3 items per member.

use super::Item;
use super::vocabulary::{GroupKind, Vocabulary};

/// Small, fast, deterministic PRNG (xorshift64*). Not for anything secret.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    /// Seeds the generator (a zero seed is replaced by a constant).
    pub fn new(seed: u64) -> Self {
        XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }
    /// A random element.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Settings for [`generate`].
#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// Seed: same seed, same neighbourhood.
    pub seed: u64,
    /// Number of offers to produce.
    pub offers: usize,
    /// Number of wants to produce.
    pub wants: usize,
    /// Chance that a word of five letters or more is misspelt.
    pub typo_rate: f64,
    /// Number of communities (0: items have none).
    pub communities: usize,
}

impl SynthConfig {
    /// `n` offers and `n` wants, seed 42, 8% typos, no communities.
    pub fn square(n: usize) -> Self {
        SynthConfig {
            seed: 42,
            offers: n,
            wants: n,
            typo_rate: 0.08,
            communities: 0,
        }
    }
}

const OFFER_TEMPLATES: &[&str] = &[
    "{}",
    "I can help with {}",
    "{} for beginners",
    "Happy to help with {}",
    "{} lessons",
    "Can teach {}",
    "Experienced with {}, happy to show anyone",
    "{} and {2}",
    "I'm good at {} and would love to help neighbours",
    "Offering {} on weekends",
    "Retired, can do {} for older neighbours",
    "{} - no job too small",
    "Teaching {} to adults",
];

const WANT_TEMPLATES: &[&str] = &[
    "{}",
    "need help with {}",
    "looking for someone to help with {}",
    "learn {}",
    "{} please",
    "Would love to learn {}",
    "anyone good at {}?",
    "help with {} for my mum",
    "{} - can't do it myself any more",
    "I need someone for {} as I'm new to the area",
    "Beginner {} lessons",
    "{} and {2}",
];

const TAILS: &[&str] = &[
    "",
    "",
    "",
    " on Saturdays",
    " near the park",
    " in the evenings",
    " (flexible times)",
    " - thank you!",
    " once a week",
    ", I live on Church Street",
];

fn misspell(rng: &mut XorShift, word: &str) -> String {
    let mut c: Vec<char> = word.chars().collect();
    let i = 1 + rng.below(c.len() - 2);
    match rng.below(4) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        2 => c.insert(i, c[i]),
        _ => c[i] = *rng.pick(&['a', 'e', 'i', 'o', 'u']),
    }
    c.into_iter().collect()
}

fn typos(rng: &mut XorShift, text: &str, rate: f64) -> String {
    text.split(' ')
        .map(|w| {
            if w.len() >= 6 && w.chars().all(|c| c.is_ascii_alphabetic()) && rng.chance(rate) {
                misspell(rng, w)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Generates offers and wants. Skills come from the vocabulary's synonym and distinct
/// groups, with popular groups more common (a rough Zipf skew), so a realistic share of
/// wants has several plausible offers and some have none.
pub fn generate(vocab: &Vocabulary, cfg: &SynthConfig) -> (Vec<Item>, Vec<Item>) {
    let mut rng = XorShift::new(cfg.seed);
    let groups: Vec<&[String]> = vocab
        .groups()
        .iter()
        .filter(|g| matches!(g.kind, GroupKind::Synonyms | GroupKind::Distinct))
        .map(|g| g.terms.as_slice())
        .collect();
    // Shuffled popularity order, then skewed picks.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let skill = |rng: &mut XorShift| -> String {
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let g = order[((u * u) * order.len() as f64) as usize];
        rng.pick(groups[g]).clone()
    };
    let make = |rng: &mut XorShift, templates: &[&str], side: &str, n: usize| -> Vec<Item> {
        let mut out = Vec::with_capacity(n);
        let mut member = 0usize;
        while out.len() < n {
            member += 1;
            let per = 1 + rng.below(3);
            let community = (cfg.communities > 0).then(|| format!("c{}", member % cfg.communities));
            for _ in 0..per.min(n - out.len()) {
                let t = *rng.pick(templates);
                let text =
                    t.replacen("{}", &skill(rng), 1).replace("{2}", &skill(rng)) + *rng.pick(TAILS);
                let text = typos(rng, &text, cfg.typo_rate);
                let mut item = Item::new(
                    format!("{side}{}", out.len() + 1),
                    format!("m{member}"),
                    text,
                );
                item.community = community.clone();
                out.push(item);
            }
        }
        out
    };
    let offers = make(&mut rng, OFFER_TEMPLATES, "o", cfg.offers);
    // Wants come from the same members (an offerer is also a wanter in a timebank).
    let wants = make(&mut rng, WANT_TEMPLATES, "w", cfg.wants);
    (offers, wants)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let v = Vocabulary::builtin();
        let cfg = SynthConfig::square(300);
        let (o1, w1) = generate(&v, &cfg);
        let (o2, w2) = generate(&v, &cfg);
        assert_eq!((o1.len(), w1.len()), (300, 300));
        assert_eq!(o1, o2);
        assert_eq!(w1, w2);
        let (o3, _) = generate(&v, &SynthConfig { seed: 7, ..cfg });
        assert_ne!(o1, o3);
        // 1-3 items per member.
        let mut per: std::collections::HashMap<&str, usize> = Default::default();
        for o in &o1 {
            *per.entry(&o.member).or_default() += 1;
        }
        assert!(per.values().all(|&n| (1..=3).contains(&n)));
    }
}
