//! Reciprocity: two-way swaps and three-way circles between members, and a fairness-aware
//! ranking that shows members who have received more than they gave chances to give.

use super::Match;
use std::collections::{BTreeMap, HashMap};

/// At most this many best edges per giver are followed when looking for circles, which keeps
/// the search near-linear on large neighbourhoods (circles through weak edges are not useful).
pub const CIRCLE_FANOUT: usize = 50;

/// One scored "giver can meet receiver's want" edge.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Edge {
    /// Offer id.
    pub offer: String,
    /// Want id.
    pub want: String,
    /// Member who made the offer.
    pub giver: String,
    /// Member who made the want.
    pub receiver: String,
    /// Match score.
    pub score: f32,
}

impl From<&Match> for Edge {
    fn from(m: &Match) -> Self {
        Edge {
            offer: m.offer.to_string(),
            want: m.want.to_string(),
            giver: m.offer_member.to_string(),
            receiver: m.want_member.to_string(),
            score: m.score,
        }
    }
}

/// A and B can each meet a want of the other.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Swap {
    /// Best edge from the alphabetically first member to the other.
    pub first_gives: Edge,
    /// Best edge back.
    pub second_gives: Edge,
    /// The weaker of the two scores: a swap is only as good as its weaker half.
    pub score: f32,
}

/// A → B → C → A: each member gives to the next.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Circle {
    /// The three edges, starting from the alphabetically first member.
    pub edges: [Edge; 3],
    /// The weakest edge's score.
    pub score: f32,
}

/// Best edge per (giver, receiver), ignoring self-edges. BTreeMap keeps results deterministic.
fn best_edges(edges: &[Edge]) -> BTreeMap<(&str, &str), &Edge> {
    let mut best: BTreeMap<(&str, &str), &Edge> = BTreeMap::new();
    for e in edges.iter().filter(|e| e.giver != e.receiver) {
        let slot = best
            .entry((e.giver.as_str(), e.receiver.as_str()))
            .or_insert(e);
        if e.score > slot.score {
            *slot = e;
        }
    }
    best
}

fn sort_desc<T>(v: &mut [T], score: impl Fn(&T) -> f32) {
    v.sort_by(|a, b| score(b).total_cmp(&score(a)));
}

/// Finds every pair of members who can each give the other something they want, best first.
pub fn find_swaps(edges: &[Edge]) -> Vec<Swap> {
    let best = best_edges(edges);
    let mut out = Vec::new();
    for (&(a, b), &ab) in &best {
        if a < b
            && let Some(&ba) = best.get(&(b, a))
        {
            out.push(Swap {
                first_gives: ab.clone(),
                second_gives: ba.clone(),
                score: ab.score.min(ba.score),
            });
        }
    }
    sort_desc(&mut out, |s| s.score);
    out
}

/// Finds circles of three distinct members A → B → C → A, best first. Each directed circle
/// is reported once (starting from its alphabetically first member).
pub fn find_circles(edges: &[Edge]) -> Vec<Circle> {
    let best = best_edges(edges);
    let mut out_edges: HashMap<&str, Vec<&Edge>> = HashMap::new();
    for (&(g, _), &e) in &best {
        out_edges.entry(g).or_default().push(e);
    }
    for list in out_edges.values_mut() {
        list.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then_with(|| x.receiver.cmp(&y.receiver))
        });
        list.truncate(CIRCLE_FANOUT);
    }
    let mut out = Vec::new();
    let mut givers: Vec<&str> = out_edges.keys().copied().collect();
    givers.sort_unstable();
    for a in givers {
        for ab in &out_edges[a] {
            let b = ab.receiver.as_str();
            if b <= a {
                continue;
            }
            for bc in out_edges.get(b).into_iter().flatten() {
                let c = bc.receiver.as_str();
                if c <= a || c == b {
                    continue;
                }
                if let Some(&ca) = best.get(&(c, a)) {
                    let score = ab.score.min(bc.score).min(ca.score);
                    out.push(Circle {
                        edges: [(*ab).clone(), (*bc).clone(), ca.clone()],
                        score,
                    });
                }
            }
        }
    }
    sort_desc(&mut out, |c| c.score);
    out
}

/// Hours a member has given and received through the timebank.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MemberBalance {
    /// Hours given.
    pub given: f32,
    /// Hours received.
    pub received: f32,
}

/// Largest fairness boost (+15%) for a giver deep in "received more than given".
pub const FAIRNESS_MAX_BOOST: f32 = 0.15;
/// Hours of deficit at which the boost is full; it grows linearly up to there.
pub const FAIRNESS_HOURS_SCALE: f32 = 10.0;

/// Ranking factor for a match whose giver has this balance: 1.0 when the giver has given at
/// least as much as received; up to `1 + FAIRNESS_MAX_BOOST` when they have received more.
/// Timebanking works when everyone gets to give, so members "in debt" are shown chances to give.
pub fn fairness_factor(giver: Option<&MemberBalance>) -> f32 {
    match giver {
        Some(b) if b.received > b.given => {
            1.0 + FAIRNESS_MAX_BOOST * ((b.received - b.given) / FAIRNESS_HOURS_SCALE).min(1.0)
        }
        _ => 1.0,
    }
}

/// Re-orders matches by `score × fairness_factor(giver)` (ties: original order). Scores and
/// the `strong` flag are left untouched: fairness changes who is shown first, not how good a
/// match is.
pub fn rank_with_fairness(matches: &mut [Match], balances: &HashMap<String, MemberBalance>) {
    let key = |m: &Match| m.score * fairness_factor(balances.get(m.offer_member.as_str()));
    // Stable sort keeps the incoming order for equal keys.
    matches.sort_by(|a, b| key(b).total_cmp(&key(a)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(giver: &str, receiver: &str, score: f32) -> Edge {
        Edge {
            offer: format!("o-{giver}"),
            want: format!("w-{receiver}"),
            giver: giver.into(),
            receiver: receiver.into(),
            score,
        }
    }

    #[test]
    fn finds_swaps_with_weaker_half_score() {
        let edges = [
            e("ann", "bob", 0.9),
            e("bob", "ann", 0.7),
            e("ann", "cat", 0.8),
            e("ann", "ann", 1.0),
        ];
        let s = find_swaps(&edges);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].first_gives.giver, "ann");
        assert_eq!(s[0].second_gives.giver, "bob");
        assert!((s[0].score - 0.7).abs() < 1e-6);
    }

    #[test]
    fn finds_each_circle_once_and_respects_direction() {
        let edges = [
            e("bob", "cat", 0.8),
            e("cat", "ann", 0.6),
            e("ann", "bob", 0.9),
            e("ann", "dan", 0.9),
        ];
        let c = find_circles(&edges);
        assert_eq!(c.len(), 1);
        let givers: Vec<_> = c[0].edges.iter().map(|e| e.giver.as_str()).collect();
        assert_eq!(givers, ["ann", "bob", "cat"]);
        assert!((c[0].score - 0.6).abs() < 1e-6);
        // Reversed direction is not a circle unless those edges exist.
        let rev = [
            e("cat", "bob", 0.8),
            e("ann", "cat", 0.6),
            e("bob", "dan", 0.9),
        ];
        assert!(find_circles(&rev).is_empty());
    }

    #[test]
    fn fairness_boosts_givers_who_received_more() {
        let mk = |offer_member: &str, score: f32| Match {
            offer: format!("o-{offer_member}").into(),
            want: "w".into(),
            offer_member: offer_member.into(),
            want_member: "zed".into(),
            score,
            strong: false,
            why: String::new(),
        };
        let mut ms = vec![mk("rich", 0.80), mk("owes", 0.75)];
        let mut bal = HashMap::new();
        bal.insert(
            "rich".to_string(),
            MemberBalance {
                given: 20.0,
                received: 2.0,
            },
        );
        bal.insert(
            "owes".to_string(),
            MemberBalance {
                given: 0.0,
                received: 12.0,
            },
        );
        rank_with_fairness(&mut ms, &bal);
        assert_eq!(ms[0].offer_member, "owes");
        assert!((ms[0].score - 0.75).abs() < 1e-6, "scores are not changed");
        assert_eq!(fairness_factor(bal.get("rich")), 1.0);
        assert!((fairness_factor(bal.get("owes")) - 1.15).abs() < 1e-6);
    }
}
