//! Replays a `validate_vs_wasmparser` corpus outside libFuzzer and tallies the verdicts per
//! input mode, to check that the differential target sees both valid and invalid modules.
//!
//! `cargo run --release --example verdict_stats -- corpus/validate_vs_wasmparser`

use std::collections::BTreeMap;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "corpus/validate_vs_wasmparser".into());
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            std::process::exit(2);
        }
    };
    // mode → [both ok, both err, disagree, generator failed, known oracle difference]
    let mut tally: BTreeMap<u8, [u64; 5]> = BTreeMap::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    for entry in entries.flatten() {
        let Ok(data) = std::fs::read(entry.path()) else {
            continue;
        };
        let mode = data.first().map_or(0, |m| m % 5);
        let row = tally.entry(mode).or_default();
        let mut u = arbitrary::Unstructured::new(&data);
        let Ok(bytes) = wvm_fuzz::differential_input(&mut u) else {
            row[3] += 1;
            continue;
        };
        let ours = wvm_fuzz::wvm_verdict(&bytes, &wvm_fuzz::wasm2_no_simd()).map(|_| ());
        let theirs = wvm_fuzz::wasmparser_verdict(&bytes, wvm_fuzz::wasmparser_wasm2_no_simd());
        match (&ours, &theirs) {
            (Ok(()), Ok(())) => row[0] += 1,
            (Err(e), Err(_)) => {
                row[1] += 1;
                let kind = e.split(" (").next().unwrap_or(e).to_string();
                *errors.entry(kind).or_default() += 1;
            }
            _ if wvm_fuzz::known_oracle_difference(&ours, &theirs) => {
                row[4] += 1;
                println!(
                    "known difference on {}: {ours:?} vs {theirs:?}",
                    entry.path().display()
                );
            }
            _ => {
                row[2] += 1;
                println!(
                    "disagreement on {}: {ours:?} vs {theirs:?}",
                    entry.path().display()
                );
            }
        }
    }
    println!("mode  both-ok  both-err  disagree  no-module  known-diff");
    for (mode, [ok, err, dis, none, known]) in &tally {
        println!("{mode:>4} {ok:>8} {err:>9} {dis:>9} {none:>10} {known:>11}");
    }
    println!("\nour error messages (both rejected):");
    let mut by_count: Vec<_> = errors.into_iter().collect();
    by_count.sort_by_key(|e| std::cmp::Reverse(e.1));
    for (msg, n) in by_count.iter().take(25) {
        println!("{n:>6}  {msg}");
    }
}
