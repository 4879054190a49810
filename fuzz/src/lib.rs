//! Shared helpers for the wvm fuzz targets: feature sets, `wasm-smith` configurations and the
//! verdicts compared by the differential targets.

use arbitrary::{Arbitrary, Result, Unstructured};
use wvm_binary::{Features, Module};

/// Everything the decoder knows how to decode (all proposals, legacy version 0x0d).
pub fn all_features() -> Features {
    Features {
        simd: true,
        tail_call: true,
        multi_memory: true,
        memory64: true,
        extended_const: true,
        function_references: true,
        gc: true,
        exceptions: true,
        allow_legacy_version: true,
        ..Features::wasm2()
    }
}

/// Wasm 2.0 without SIMD: the feature set compared against `wasmparser`.
pub fn wasm2_no_simd() -> Features {
    Features {
        simd: false,
        ..Features::wasm2()
    }
}

/// The `wasmparser` feature set matching [`wasm2_no_simd`].
pub fn wasmparser_wasm2_no_simd() -> wasmparser::WasmFeatures {
    wasmparser::WasmFeatures::WASM2.difference(wasmparser::WasmFeatures::SIMD)
}

/// Switches every proposal beyond Wasm 2.0 (and SIMD) off in a `wasm-smith` configuration.
pub fn restrict_to_wasm2_no_simd(c: &mut wasm_smith::Config) {
    c.bulk_memory_enabled = true;
    c.reference_types_enabled = true;
    c.multi_value_enabled = true;
    c.sign_extension_ops_enabled = true;
    c.saturating_float_to_int_enabled = true;
    c.simd_enabled = false;
    c.relaxed_simd_enabled = false;
    c.exceptions_enabled = false;
    c.threads_enabled = false;
    c.shared_everything_threads_enabled = false;
    c.tail_call_enabled = false;
    c.gc_enabled = false;
    c.compact_imports_enabled = false;
    c.custom_descriptors_enabled = false;
    c.custom_page_sizes_enabled = false;
    c.memory64_enabled = false;
    c.extended_const_enabled = false;
    c.wide_arithmetic_enabled = false;
    c.acquire_release_atomics_enabled = false;
    c.multibyte_array_access_enabled = false;
    c.max_memories = c.max_memories.min(1);
}

/// An arbitrary `wasm-smith` configuration limited to Wasm 2.0 without SIMD.
pub fn wasm2_config(u: &mut Unstructured<'_>) -> Result<wasm_smith::Config> {
    let mut c = wasm_smith::Config::arbitrary(u)?;
    restrict_to_wasm2_no_simd(&mut c);
    c.generate_custom_sections = u.arbitrary()?;
    Ok(c)
}

/// Our verdict: decode, then validate, with `features`.
pub fn wvm_verdict(bytes: &[u8], features: &Features) -> std::result::Result<Module, String> {
    let m = wvm_binary::decode(bytes, features).map_err(|e| format!("decode: {e}"))?;
    wvm_validate::validate(&m, features).map_err(|e| format!("validate: {e}"))?;
    Ok(m)
}

/// `wasmparser`'s verdict with `features`.
pub fn wasmparser_verdict(
    bytes: &[u8],
    features: wasmparser::WasmFeatures,
) -> std::result::Result<(), String> {
    wasmparser::Validator::new_with_features(features)
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The module as the text format can carry it (see `wvm_text::print`'s round-trip notes):
/// local declarations merged into maximal runs, the data count section implied, and the
/// decoder's byte offsets dropped (they are not compared by `PartialEq` anyway).
pub fn text_normal_form(m: &Module) -> Module {
    let mut m = m.clone();
    m.data_count = None;
    for body in &mut m.code {
        let mut merged: Vec<(u32, wvm_binary::ValType)> = Vec::new();
        for &(n, t) in &body.locals {
            if n == 0 {
                continue;
            }
            match merged.last_mut() {
                Some((count, ty)) if *ty == t && count.checked_add(n).is_some() => *count += n,
                _ => merged.push((n, t)),
            }
        }
        body.locals = merged;
    }
    m
}
