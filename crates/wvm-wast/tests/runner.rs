//! The runner itself: every kind of directive is checked, and wrong expectations fail.

use wvm_binary::Features;
use wvm_wast::WastRunner;

const SCRIPT: &str = r#"
(module $M
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func $r (export "rec") call $r)
  (func (export "nan") (result f32) f32.const nan)
  (func (export "ext") (param externref) (result externref) local.get 0)
  (func (export "fref") (result funcref) ref.func $r)
  (global (export "g") i32 (i32.const 42))
)
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer overflow")
(assert_trap (invoke "add" (i32.const 1) (i32.const 0)) "integer overflow")
(assert_exhaustion (invoke "rec") "call stack exhausted")
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "nan") (f32.const nan:arithmetic))
(assert_return (invoke "ext" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke "ext" (ref.extern 7)) (ref.extern 8))
(assert_return (invoke "ext" (ref.null extern)) (ref.null extern))
(assert_return (invoke "fref") (ref.func))
(assert_return (invoke "fref") (ref.null func))
(assert_return (get "g") (i32.const 42))
(register "M" $M)
(module (import "M" "add" (func (param i32 i32) (result i32)))
        (import "spectest" "print_i32" (func (param i32)))
        (import "spectest" "table" (table 10 20 funcref))
        (import "spectest" "memory" (memory 1 2))
        (import "spectest" "global_f64" (global f64)))
(assert_unlinkable (module (import "M" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "M" "add" (func))) "incompatible import type")
(assert_trap (module (memory 1) (data (i32.const 70000) "x")) "out of bounds memory access")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_invalid (module (func (result i32) i32.const 0)) "type mismatch")
(assert_malformed (module binary "\00asm\01\00\00") "unexpected end")
(assert_malformed (module quote "(func i32.frob)") "unknown operator")
(invoke "nosuch")
"#;

/// Lines whose directive must fail (everything else must pass).
const FAILING_LINES: [usize; 7] = [12, 14, 15, 20, 23, 35, 38];

#[test]
fn every_directive_kind_with_the_engine() {
    let runner = WastRunner::new(Features::wasm2());
    assert!(runner.executes(), "the wvm engine is available");
    let r = runner.run_text("t.wast", SCRIPT);
    let failed: Vec<usize> = r.failed.iter().map(|n| n.line).collect();
    assert_eq!(failed, FAILING_LINES, "failures: {:#?}", r.failed);
    assert!(r.skipped.is_empty(), "{:#?}", r.skipped);
    assert_eq!(r.passed, 25 - FAILING_LINES.len());
    // The wrong trap message is reported with both messages.
    let wrong_trap = &r.failed[1].text;
    assert!(
        wrong_trap.contains("integer overflow") && wrong_trap.contains("integer divide by zero")
    );
}

#[test]
fn without_the_engine_execution_is_skipped() {
    let r = WastRunner::new(Features::wasm2())
        .without_engine()
        .run_text("t.wast", SCRIPT);
    // Module definitions, assert_invalid and assert_malformed still run.
    assert_eq!(r.passed, 5);
    assert_eq!(r.failed.len(), 1, "{:#?}", r.failed);
    assert_eq!(r.failed[0].line, 35);
    assert!(r
        .skipped
        .iter()
        .all(|n| n.text == "engine not available yet"));
    assert_eq!(r.passed + r.failed.len() + r.skipped.len(), 25);
}

#[test]
fn a_broken_script_is_one_failure_and_never_a_panic() {
    let runner = WastRunner::new(Features::wasm2());
    let r = runner.run_text("bad.wast", "(module (func) (assert_return");
    assert_eq!(r.failed.len(), 1);
    assert!(r.failed[0].text.contains("cannot parse script"));
    let r = runner.run_file(std::path::Path::new("/nonexistent.wast"));
    assert_eq!(r.failed.len(), 1);
    // Garbage bytes inside a binary module only fail that directive.
    let r = runner.run_text(
        "garbage.wast",
        r#"(module binary "\00asm\01\00\00\00\05\ff\ff\ff\ff\0f") (module (func))"#,
    );
    assert_eq!((r.passed, r.failed.len()), (1, 1));
}
