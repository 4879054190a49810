//! Arbitrary bytes → decode → `wvm_validate::validate`. Neither may panic, whatever the
//! feature set: each decoded module is validated as Wasm 1.0, Wasm 2.0 and with every
//! proposal on. Feature sets only ever add to the language, so a module valid under a smaller
//! set must stay valid under a larger one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wvm_binary::Features;

fuzz_target!(|data: &[u8]| {
    let all = wvm_fuzz::all_features();
    // Decoding depends only a little on the features; decode once with all of them and
    // validate the result under each feature set (the validator must cope with any IR).
    if let Ok(module) = wvm_binary::decode(data, &all) {
        let v1 = wvm_validate::validate(&module, &Features::wasm1());
        let v2 = wvm_validate::validate(&module, &Features::wasm2());
        let v3 = wvm_validate::validate(&module, &all);
        if v1.is_ok() {
            assert!(v2.is_ok(), "valid as Wasm 1.0 but not as Wasm 2.0: {v2:?}");
        }
        if v2.is_ok() {
            assert!(
                v3.is_ok(),
                "valid as Wasm 2.0 but not with all proposals: {v3:?}"
            );
        }
    }
    // And the real pipeline for the default feature set.
    let wasm2 = Features::wasm2();
    if let Ok(module) = wvm_binary::decode(data, &wasm2) {
        let _ = wvm_validate::validate(&module, &wasm2);
    }
});
