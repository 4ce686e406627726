//! Quality test on labelled samples: the public example, and the tune* / holdout* sets
//! when present. Asserts the project targets on the public and tune sets and prints the figures
//! for all (`cargo test -- --nocapture`); tune2 and holdout figures are printed, not asserted.
//! `KITH_QUALITY_CURVE=1` also prints strong recall and precision at other thresholds (for
//! the public and tuning sets).

use super::csv_io::{MatchOptions, read_items, run_match};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Figures for one labelled set.
#[derive(Debug, Default)]
struct Figures {
    answerable: usize,
    top3: usize,
    right_strong: usize,
    strong: usize,
    strong_correct: usize,
    unanswerable: usize,
    unanswerable_with_strong: usize,
    failures: Vec<String>,
}

impl Figures {
    fn pct(a: usize, b: usize) -> f64 {
        if b == 0 { 1.0 } else { a as f64 / b as f64 }
    }
    fn report(&self, name: &str) -> String {
        format!(
            "{name}: top3 {}/{} = {:.1}% | right offer strong {}/{} = {:.1}% | strong precision {}/{} = {:.1}% | \
             no-answer wants with a strong match {}/{}",
            self.top3,
            self.answerable,
            100.0 * Self::pct(self.top3, self.answerable),
            self.right_strong,
            self.answerable,
            100.0 * Self::pct(self.right_strong, self.answerable),
            self.strong_correct,
            self.strong,
            100.0 * Self::pct(self.strong_correct, self.strong),
            self.unanswerable_with_strong,
            self.unanswerable,
        )
    }
    fn assert_targets(&self, name: &str) {
        let msg = format!("{}\n{}", self.report(name), self.failures.join("\n"));
        assert!(
            Self::pct(self.top3, self.answerable) >= 0.95,
            "top-3 target missed: {msg}"
        );
        assert!(
            Self::pct(self.right_strong, self.answerable) >= 0.80,
            "strong-recall target missed: {msg}"
        );
        assert!(
            Self::pct(self.strong_correct, self.strong) >= 0.90,
            "strong-precision target missed: {msg}"
        );
        assert_eq!(
            self.unanswerable_with_strong, 0,
            "strong match for a want nobody can meet: {msg}"
        );
    }
}

fn evaluate(offers: &Path, wants: &Path, expected: &Path, curve: bool) -> Figures {
    let read = |p: &Path| {
        read_items(
            std::fs::read(p).unwrap().as_slice(),
            &p.display().to_string(),
        )
        .unwrap()
    };
    let (offers, wants) = (read(offers), read(wants));
    let text: HashMap<String, String> = offers
        .iter()
        .chain(&wants)
        .map(|i| (i.id.clone(), i.text.clone()))
        .collect();
    let expected: HashMap<String, Vec<String>> =
        serde_json::from_str(&std::fs::read_to_string(expected).unwrap())
            .expect("expected.json: want → [offer]");
    let results = run_match(offers, wants, &MatchOptions::default());
    if curve {
        print_curve(&results, &expected);
    }
    // One failure line for a want and one of its matches, both with their texts.
    let pair = |kind: &str, want: &str, m: &super::Match| {
        format!(
            "  {kind}: {want} '{}' -> {} '{}' ({:.2}: {})",
            text[want],
            m.offer,
            text[m.offer.as_str()],
            m.score,
            m.why
        )
    };
    let mut f = Figures::default();
    for w in &results {
        let Some(truth) = expected.get(w.want.as_str()) else {
            continue;
        };
        let truth: HashSet<&str> = truth.iter().map(String::as_str).collect();
        for m in w.matches.iter().filter(|m| m.strong) {
            f.strong += 1;
            if truth.contains(m.offer.as_str()) {
                f.strong_correct += 1;
            } else {
                f.failures.push(pair("wrong strong", &w.want, m));
            }
        }
        if truth.is_empty() {
            f.unanswerable += 1;
            if w.matches.iter().any(|m| m.strong) {
                f.unanswerable_with_strong += 1;
            }
            continue;
        }
        f.answerable += 1;
        if w.matches
            .iter()
            .take(3)
            .any(|m| truth.contains(m.offer.as_str()))
        {
            f.top3 += 1;
        } else {
            let got: Vec<String> = w
                .matches
                .iter()
                .take(3)
                .map(|m| format!("{} '{}' {:.2}", m.offer, text[m.offer.as_str()], m.score))
                .collect();
            // In the labelled order, so two runs' failure lists can be diffed.
            let want_offers: Vec<String> = expected[w.want.as_str()]
                .iter()
                .map(|o| format!("{o} '{}'", text[o]))
                .collect();
            f.failures.push(format!(
                "  missed top3: {} '{}' expected {:?} got {:?}",
                w.want,
                text[w.want.as_str()],
                want_offers,
                got
            ));
        }
        if w.matches
            .iter()
            .any(|m| m.strong && truth.contains(m.offer.as_str()))
        {
            f.right_strong += 1;
        } else if let Some(m) = w.matches.iter().find(|m| truth.contains(m.offer.as_str())) {
            f.failures.push(pair("right but weak", &w.want, m));
        }
    }
    f
}

/// Strong recall and precision at other thresholds: tuning sets only, since choosing a
/// threshold by a held-out set's curve would be tuning to it.
fn print_curve(results: &[super::WantMatches], expected: &HashMap<String, Vec<String>>) {
    for t in [0.5f32, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85] {
        let (mut rs, mut ans, mut st, mut sc, mut un, mut uns) = (0, 0, 0, 0, 0, 0);
        for w in results {
            let Some(truth) = expected.get(w.want.as_str()) else {
                continue;
            };
            let best = w.matches.first().map_or(0.0, |m| m.score);
            let strong: Vec<_> = w
                .matches
                .iter()
                .filter(|m| m.score >= t && m.score + super::STRONG_MARGIN >= best)
                .collect();
            st += strong.len();
            sc += strong
                .iter()
                .filter(|m| truth.iter().any(|t| *t == m.offer))
                .count();
            if truth.is_empty() {
                un += 1;
                if !strong.is_empty() {
                    uns += 1;
                }
                continue;
            }
            ans += 1;
            if strong.iter().any(|m| truth.iter().any(|t| *t == m.offer)) {
                rs += 1;
            }
        }
        println!("  t={t:.2} recall {rs}/{ans} precision {sc}/{st} unans {uns}/{un}");
    }
}

/// Directory of this source file, whether compiled from the real crate (relative `file!()`)
/// or from a scratch crate that includes it by absolute path.
fn here() -> PathBuf {
    let f = Path::new(file!());
    let f = if f.is_absolute() {
        f.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(f)
    };
    f.parent().unwrap().to_path_buf()
}

fn first_existing(cands: &[PathBuf]) -> Option<PathBuf> {
    cands
        .iter()
        .find(|p| p.join("offers.csv").exists() || p.join("tune_offers.csv").exists())
        .cloned()
}

/// How a labelled set is used: tuning sets may be itemised (`KITH_QUALITY_VERBOSE`), the
/// held-out set is only ever summarised.
#[derive(Clone, Copy, PartialEq)]
enum Use {
    /// Itemised on request and held to the targets.
    Tune,
    /// Itemised on request, reported only.
    Report,
    /// Summary only.
    Holdout,
}

fn run_set(dir: &Path, prefix: &str, name: &str, usage: Use) -> bool {
    let p = |s: &str| dir.join(format!("{prefix}{s}"));
    let expected = p("expected.json");
    if !p("offers.csv").exists() || !expected.exists() {
        println!("{name}: not present, skipped");
        return false;
    }
    let curve = usage != Use::Holdout && std::env::var_os("KITH_QUALITY_CURVE").is_some();
    let f = evaluate(&p("offers.csv"), &p("wants.csv"), &expected, curve);
    println!("{}", f.report(name));
    // Held-out figures are reported, never itemised: looking at their failures would be tuning.
    if usage != Use::Holdout && std::env::var_os("KITH_QUALITY_VERBOSE").is_some() {
        println!("{}", f.failures.join("\n"));
    }
    if usage == Use::Tune {
        f.assert_targets(name);
    }
    true
}

#[test]
fn quality_on_labelled_samples() {
    let here = here();
    let public = first_existing(&[
        here.join("../../../shared/examples/matching"),
        here.join("../../tests/data/matching/public"),
    ]);
    match public {
        Some(dir) => {
            run_set(&dir, "", "public sample", Use::Tune);
        }
        None => println!("public sample: not found, skipped"),
    }
    let data = here.join("../../tests/data/matching");
    run_set(&data, "tune_", "tune", Use::Tune);
    // A second, independently written tuning set.
    run_set(&data, "tune2_", "tune2", Use::Report);
    // A third, written blind to the matcher at the start of stop 12, then itemised.
    run_set(&data, "tune3_", "tune3", Use::Report);
    // Held out until stop 13 (their figures were looked at, never itemised), then released
    // for tuning when two fresh blind sets arrived: reported and itemised on request.
    run_set(&data, "tune4_", "tune4 (was holdout)", Use::Report);
    run_set(&data, "tune5_", "tune5 (was holdout2)", Use::Report);
    run_set(&data, "tune6_", "tune6 (was holdout3)", Use::Report);
    // Held out through stops 12–14 (only their figures were read), released for tuning at the
    // start of stop 15 when three fresh blind sets were commissioned.
    run_set(&data, "tune7_", "tune7 (was holdout4)", Use::Report);
    run_set(&data, "tune8_", "tune8 (was holdout5)", Use::Report);
    run_set(&data, "tune9_", "tune9 (was holdout6)", Use::Report);
    // The held-out sets are only reported (see the module doc): they measure, they do not steer.
    // Written blind to the matcher at the start of stop 15; never itemised.
    for n in 7..=9 {
        run_set(
            &data,
            &format!("holdout{n}_"),
            &format!("holdout{n}"),
            Use::Holdout,
        );
    }
}
