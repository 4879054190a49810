//! Runs `wasm-smith` modules in wvm and in `wasmi` and compares results, traps, memories,
//! globals and tables; see `fuzz/src/differential.rs` and `docs/fuzzing.md`.

#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use wvm_fuzz::differential::{generate, known_oracle_bug, run_case, Stats, Verdict};

static STATS: Stats = Stats::new();

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(Some(case)) = generate(&mut u) else {
        return;
    };
    let (ours, theirs, verdict) = run_case(&case);
    STATS.record(&verdict);
    if let Verdict::Diverge(msg) = &verdict {
        if let Some(bug) = known_oracle_bug(&case, &ours, &theirs) {
            STATS.record_known(bug);
            return;
        }
        if !case.options.canonical {
            STATS.record_nan_sensitive(msg);
            return;
        }
        panic!(
            "wvm and wasmi disagree: {msg}\noptions: {:?}\nwvm:    {ours:?}\noracle: {theirs:?}",
            case.options
        );
    }
});
