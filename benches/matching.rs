//! Matching benchmark (harness = false): indexed vs exhaustive top-5 for every want, recall,
//! peak memory and incremental insert latency on synthetic neighbourhoods.
//!
//! Sizes: `KITH_BENCH_SIZES=1000,10000` (default `1000,10000,100000`) or numeric arguments,
//! e.g. `cargo bench --bench matching -- 1000`. Each size runs in its own child process so
//! the peak memory (VmHWM) figures are separate. Exhaustive runs in full up to
//! `KITH_BENCH_FULL_EXHAUSTIVE` wants (default 10000); above that it scores a sample of 1000
//! wants and extrapolates its time to the distinct want texts (marked `~`; a batch ranks each
//! distinct text once).
//!
//! For profiling: `KITH_BENCH_INDEXED_ONLY=1 target/release/deps/matching-* --child 10000`
//! builds one size, runs only the indexed batch (`KITH_BENCH_REPEAT=N` times) and prints its
//! time, e.g. under
//! `valgrind --tool=callgrind --toggle-collect='*query_group*'`.

use kith::matching::synth::{SynthConfig, XorShift, generate};
use kith::matching::{Id, Index, Item, Mode, Side, Vocabulary};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

const K: usize = 5;
const SAMPLE: usize = 1000;

fn vm_hwm_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Runs one size and prints a single tab-separated result line.
fn child(n: usize) {
    let full_limit: usize = std::env::var("KITH_BENCH_FULL_EXHAUSTIVE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let vocab = Arc::new(Vocabulary::builtin());
    let (offers, wants) = generate(&vocab, &SynthConfig::square(n));

    let t = Instant::now();
    let mut index = Index::build(vocab.clone(), offers, wants);
    let build = t.elapsed();

    let t = Instant::now();
    let indexed = index.top_k_for_all_wants(K, Mode::Indexed);
    let query = t.elapsed();
    if std::env::var_os("KITH_BENCH_INDEXED_ONLY").is_some() {
        // Repeats (KITH_BENCH_REPEAT, default 1) give a steadier minimum to compare changes by.
        let repeat: usize = std::env::var("KITH_BENCH_REPEAT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        let mut times = vec![secs(query)];
        for _ in 1..repeat {
            let t = Instant::now();
            std::hint::black_box(index.top_k_for_all_wants(K, Mode::Indexed));
            times.push(secs(t.elapsed()));
        }
        times.sort_by(f64::total_cmp);
        println!(
            "indexed top-{K} for {n} wants: {:.3} s (min of {repeat}; median {:.3} s)",
            times[0],
            times[times.len() / 2]
        );
        std::hint::black_box(indexed);
        return;
    }

    // Exhaustive reference: all wants, or an evenly spaced sample.
    let want_ids = index.ids(Side::Want);
    let sampled = n > full_limit;
    let chosen: Vec<usize> = if sampled {
        (0..SAMPLE).map(|i| i * want_ids.len() / SAMPLE).collect()
    } else {
        (0..want_ids.len()).collect()
    };
    let t = Instant::now();
    let exhaustive: Vec<Vec<Id>> = if sampled {
        use rayon::prelude::*;
        chosen
            .par_iter()
            .map(|&i| {
                index
                    .matches_for_mode(Side::Want, &want_ids[i], K, Mode::Exhaustive)
                    .unwrap()
                    .into_iter()
                    .map(|m| m.offer)
                    .collect()
            })
            .collect()
    } else {
        index
            .top_k_for_all_wants(K, Mode::Exhaustive)
            .into_iter()
            .map(|w| w.matches.into_iter().map(|m| m.offer).collect())
            .collect()
    };
    let mut exh_time = secs(t.elapsed());
    // A batch ranks each distinct want text once (in both modes), so the sample's time is
    // scaled to the distinct texts, not to every want.
    let distinct = index.distinct_texts(Side::Want);
    if sampled {
        exh_time *= distinct as f64 / SAMPLE as f64;
    }
    let (mut hit, mut total) = (0usize, 0usize);
    for (j, &i) in chosen.iter().enumerate() {
        let got: HashSet<&str> = indexed[i]
            .matches
            .iter()
            .map(|m| m.offer.as_str())
            .collect();
        total += exhaustive[j].len();
        hit += exhaustive[j]
            .iter()
            .filter(|o| got.contains(o.as_str()))
            .count();
    }
    let recall = if total == 0 {
        1.0
    } else {
        hit as f64 / total as f64
    };
    let with_match = indexed.iter().filter(|w| !w.matches.is_empty()).count() as f64 / n as f64;

    // Incremental: insert one new offer, find the wants it meets, then remove it again.
    let (new_offers, _) = generate(
        &vocab,
        &SynthConfig {
            seed: 7,
            ..SynthConfig::square(200)
        },
    );
    let mut rng = XorShift::new(3);
    let mut lat: Vec<f64> = Vec::new();
    for (i, o) in new_offers.iter().enumerate() {
        let item = Item::new(
            format!("new{i}"),
            format!("newmember{}", rng.below(1000)),
            o.text.clone(),
        );
        let t = Instant::now();
        index.insert(Side::Offer, item);
        let ms = index
            .matches_for(Side::Offer, &format!("new{i}"), K)
            .unwrap();
        lat.push(secs(t.elapsed()) * 1000.0);
        std::hint::black_box(ms);
        index.remove(Side::Offer, &format!("new{i}"));
    }
    lat.sort_by(f64::total_cmp);
    let median = lat[lat.len() / 2];
    let p99 = lat[lat.len() * 99 / 100];

    println!(
        "RESULT\t{n}\t{:.3}\t{:.3}\t{:.3}\t{}\t{:.4}\t{:.3}\t{:.3}\t{:.1}\t{:.2}\t{distinct}",
        secs(build),
        secs(query),
        exh_time,
        if sampled { "~" } else { "" },
        recall,
        median,
        p99,
        vm_hwm_mib(),
        with_match,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        child(args[pos + 1].parse().expect("size"));
        return;
    }
    let mut sizes: Vec<usize> = args
        .iter()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = std::env::var("KITH_BENCH_SIZES")
            .unwrap_or_else(|_| "1000,10000,100000".into())
            .split(',')
            .filter_map(|s| s.trim().replace('_', "").parse().ok())
            .collect();
    }
    println!(
        "kith matching benchmark: N offers x N wants (synthetic), top-{K}, {} threads",
        rayon::current_num_threads()
    );
    println!(
        "{:>8} | {:>8} | {:>10} | {:>11} | {:>12} | {:>9} | {:>8} | {:>13} | {:>13} | {:>9}",
        "N",
        "build s",
        "top-5 all s",
        "build+top5 s",
        "exhaustive s",
        "speed-up",
        "recall@5",
        "insert+q med ms",
        "insert+q p99 ms",
        "peak MiB"
    );
    let exe = std::env::current_exe().expect("own path");
    for n in sizes {
        let out = std::process::Command::new(&exe)
            .arg("--child")
            .arg(n.to_string())
            .output()
            .expect("run child");
        let text = String::from_utf8_lossy(&out.stdout);
        let Some(line) = text.lines().find(|l| l.starts_with("RESULT\t")) else {
            println!(
                "{n:>8} | child failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            continue;
        };
        let f: Vec<&str> = line.split('\t').collect();
        let num = |i: usize| f[i].parse::<f64>().unwrap_or(f64::NAN);
        let (build, query, exh, approx) = (num(2), num(3), num(4), f[5]);
        println!(
            "{n:>8} | {build:>8.3} | {query:>10.3} | {:>11.3} | {approx:>1}{exh:>11.2} | {approx:>1}{:>7.0}x | {:>8.4} | {:>15.3} | {:>15.3} | {:>9.0}",
            build + query,
            exh / query,
            num(6),
            num(7),
            num(8),
            num(9),
        );
        println!(
            "{:>8} | share of wants with at least one match: {:.0}%; distinct want texts: {:.0} ({:.0}%)",
            "",
            num(10) * 100.0,
            num(11),
            num(11) * 100.0 / n as f64,
        );
    }
}
