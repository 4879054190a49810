//! Differential validation: our verdict (decode + validate, Wasm 2.0 without SIMD) must equal
//! `wasmparser`'s validator with the same features.
//!
//! The first input byte picks how the module is made:
//! * 0: a `wasm-smith` module (valid by construction);
//! * 1: a `wasm-smith` module whose function bodies may be arbitrary bytes (`allow_invalid_funcs`);
//! * 2: a `wasm-smith` module with a few bytes overwritten, inserted or removed;
//! * 3: the remaining input bytes as they are;
//! * 4: a `wasm-smith` module with instructions removed, duplicated or replaced, or function
//!   types swapped (decoded and re-encoded by wvm-binary).
//!
//! Known oracle differences (docs/fuzzing.md) are filtered out by `wvm_fuzz::known_oracle_difference`.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(bytes) = wvm_fuzz::differential_input(&mut u) else {
        return;
    };
    let ours = wvm_fuzz::wvm_verdict(&bytes, &wvm_fuzz::wasm2_no_simd()).map(|_| ());
    let theirs = wvm_fuzz::wasmparser_verdict(&bytes, wvm_fuzz::wasmparser_wasm2_no_simd());
    if ours.is_ok() != theirs.is_ok() && !wvm_fuzz::known_oracle_difference(&ours, &theirs) {
        panic!(
            "verdicts differ\n  wvm:        {ours:?}\n  wasmparser: {theirs:?}\n  module: {} bytes",
            bytes.len()
        );
    }
});
