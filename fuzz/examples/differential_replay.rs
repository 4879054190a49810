//! Replays `differential` inputs outside libFuzzer:
//! `differential_replay [--wasm OUT.wasm] [--wat OUT.wat] INPUT...`.
//! Prints each input's options, both outcomes and the verdict, and optionally writes the
//! instrumented module (binary and text) of the last input, for turning a finding into a
//! reproducer. `--module FILE` (`.wat` or `.wasm`) runs that module instead of the generated
//! one, with the input's options and arguments (to shrink a finding by hand). With a directory as INPUT, replays every file in it and prints only totals
//! and divergences.

use arbitrary::Unstructured;
use std::path::PathBuf;
use wvm_fuzz::differential::{generate, known_oracle_bug, run_case, Stats, Verdict};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut wasm_out, mut wat_out, mut inputs) = (None, None, Vec::new());
    let mut replace = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--wasm" => wasm_out = args.next(),
            "--wat" => wat_out = args.next(),
            "--module" => replace = args.next(),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let mut files = Vec::new();
    let mut quiet = false;
    for i in inputs {
        if i.is_dir() {
            quiet = true;
            let mut v: Vec<_> = std::fs::read_dir(&i)
                .expect("read dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            v.sort();
            files.extend(v);
        } else {
            files.push(i);
        }
    }
    let stats = Stats::new();
    let mut diverged = 0;
    for f in &files {
        let data = std::fs::read(f).expect("read input");
        let mut u = Unstructured::new(&data);
        let Ok(Some(mut case)) = generate(&mut u) else {
            if !quiet {
                println!("{}: no module", f.display());
            }
            continue;
        };
        if let Some(m) = &replace {
            case.wasm = wat::parse_file(m).expect("parse module");
        }
        let (ours, theirs, verdict) = run_case(&case);
        stats.record(&verdict);
        let known = match &verdict {
            Verdict::Diverge(_) => known_oracle_bug(&case, &ours, &theirs),
            _ => None,
        };
        if let Some(k) = known {
            stats.record_known(k);
        }
        let nan_sensitive = !case.options.canonical;
        if let (Verdict::Diverge(m), None, true) = (&verdict, known, nan_sensitive) {
            stats.record_nan_sensitive(m);
        }
        let diverges = matches!(verdict, Verdict::Diverge(_)) && known.is_none() && !nan_sensitive;
        diverged += usize::from(diverges);
        if !quiet || diverges {
            println!("{}: {:?}", f.display(), case.options);
            println!("  plan:   {:?}", case.plan.calls);
            println!("  wvm:    {ours:?}");
            println!("  oracle: {theirs:?}");
            println!("  verdict: {verdict:?} known oracle bug: {known:?}");
        }
        if let Some(p) = &wasm_out {
            std::fs::write(p, &case.wasm).expect("write wasm");
        }
        if let Some(p) = &wat_out {
            let features = wvm_fuzz::differential::features(case.options.simd);
            let m = wvm_binary::decode(&case.wasm, &features).expect("decode");
            std::fs::write(p, wvm_text::print_module(&m)).expect("write wat");
        }
    }
    println!("{}", stats.summary());
    println!("{} inputs, {} divergences", files.len(), diverged);
}
