//! Arbitrary bytes → decode → `wvm_validate::validate`. Neither may panic, whatever the
//! feature set: each input is tried as Wasm 1.0, Wasm 2.0 and with every proposal on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wvm_binary::Features;

fuzz_target!(|data: &[u8]| {
    let all = wvm_fuzz::all_features();
    // Decoding depends only a little on the features; decode once with all of them and
    // validate the result under each feature set (the validator must cope with any IR).
    if let Ok(module) = wvm_binary::decode(data, &all) {
        for features in [Features::wasm1(), Features::wasm2(), all] {
            let _ = wvm_validate::validate(&module, &features);
        }
    }
    // And the real pipeline for the default feature set.
    let wasm2 = Features::wasm2();
    if let Ok(module) = wvm_binary::decode(data, &wasm2) {
        let _ = wvm_validate::validate(&module, &wasm2);
    }
});
