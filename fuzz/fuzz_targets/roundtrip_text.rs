//! Text round trip: a `wasm-smith` module → decode → `wvm_text::print_module` →
//! `wat::parse_str` → decode must give the module back, up to what the printer documents the
//! text format cannot express (local grouping, the implied data count section).
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Wasm 2.0 plus the proposals our IR carries (SIMD, tail calls, extended constants,
/// multi-memory, memory64).
fn config(u: &mut Unstructured<'_>) -> Result<wasm_smith::Config> {
    let max_memories = u.int_in_range(0..=4)?;
    let mut c = wvm_fuzz::wasm2_config(u)?;
    c.simd_enabled = u.arbitrary()?;
    c.tail_call_enabled = u.arbitrary()?;
    c.extended_const_enabled = u.arbitrary()?;
    c.memory64_enabled = u.arbitrary()?;
    c.max_memories = max_memories;
    Ok(c)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(config) = config(&mut u) else {
        return;
    };
    let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let bytes = module.to_bytes();
    let features = wvm_fuzz::all_features();
    let original = match wvm_binary::decode(&bytes, &features) {
        Ok(m) => m,
        Err(e) => panic!("decode rejects a wasm-smith module: {e}"),
    };
    let text = wvm_text::print_module(&original);
    let reparsed = match wat::parse_str(&text) {
        Ok(b) => b,
        Err(e) => panic!("printed text does not parse: {e}\n{text}"),
    };
    let again = match wvm_binary::decode(&reparsed, &features) {
        Ok(m) => m,
        Err(e) => panic!("decode rejects the re-parsed text: {e}\n{text}"),
    };
    assert_eq!(
        wvm_fuzz::text_normal_form(&original),
        wvm_fuzz::text_normal_form(&again),
        "text round trip changed the module\n{text}"
    );
});
