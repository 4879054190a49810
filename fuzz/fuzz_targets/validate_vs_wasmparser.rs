//! Differential validation: our verdict (decode + validate, Wasm 2.0 without SIMD) must equal
//! `wasmparser`'s validator with the same features.
//!
//! The first input byte picks how the module is made:
//! * 0: a `wasm-smith` module (valid by construction);
//! * 1: a `wasm-smith` module whose function bodies may be arbitrary bytes (`allow_invalid_funcs`);
//! * 2: a `wasm-smith` module with a few bytes overwritten, inserted or removed;
//! * 3: the remaining input bytes as they are.
//!
//! Known oracle differences (docs/fuzzing.md) are filtered out by [`known_difference`].
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn module_bytes(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mode: u8 = u.arbitrary()?;
    match mode % 4 {
        0 | 1 => {
            let mut config = wvm_fuzz::wasm2_config(u)?;
            config.allow_invalid_funcs = mode % 4 == 1;
            Ok(wasm_smith::Module::new(config, u)?.to_bytes())
        }
        2 => {
            let config = wvm_fuzz::wasm2_config(u)?;
            let mut bytes = wasm_smith::Module::new(config, u)?.to_bytes();
            let edits = u.int_in_range(1..=4)?;
            for _ in 0..edits {
                if bytes.is_empty() {
                    break;
                }
                let at = u.choose_index(bytes.len())?;
                match u.int_in_range(0..=2)? {
                    0 => bytes[at] = u.arbitrary()?,
                    1 => bytes.insert(at, u.arbitrary()?),
                    _ => {
                        bytes.remove(at);
                    }
                }
            }
            Ok(bytes)
        }
        _ => Ok(u.bytes(u.len())?.to_vec()),
    }
}

/// Disagreements that are documented oracle differences rather than bugs.
fn known_difference(
    _ours: &std::result::Result<(), String>,
    _theirs: &std::result::Result<(), String>,
) -> bool {
    false
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(bytes) = module_bytes(&mut u) else {
        return;
    };
    let ours = wvm_fuzz::wvm_verdict(&bytes, &wvm_fuzz::wasm2_no_simd()).map(|_| ());
    let theirs = wvm_fuzz::wasmparser_verdict(&bytes, wvm_fuzz::wasmparser_wasm2_no_simd());
    if ours.is_ok() != theirs.is_ok() && !known_difference(&ours, &theirs) {
        panic!(
            "verdicts differ\n  wvm:        {ours:?}\n  wasmparser: {theirs:?}\n  module: {} bytes",
            bytes.len()
        );
    }
});
