//! Arbitrary bytes → `wvm_binary::decode` with every feature the decoder knows. It must never
//! panic, and a module it accepts must survive `encode` → `decode` unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let features = wvm_fuzz::all_features();
    let Ok(module) = wvm_binary::decode(data, &features) else {
        return;
    };
    let bytes = wvm_binary::encode(&module);
    let again = match wvm_binary::decode(&bytes, &features) {
        Ok(m) => m,
        Err(e) => panic!("decode accepted the input but rejects its re-encoding: {e}"),
    };
    assert_eq!(module, again, "encode → decode changed the module");
});
