//! Shared helpers for the wvm fuzz targets: feature sets, `wasm-smith` configurations and the
//! verdicts compared by the differential targets.

pub mod differential;
pub mod engines;

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

/// The module bytes for `validate_vs_wasmparser`. The first byte picks how they are made:
/// 0 = a `wasm-smith` module; 1 = the same with `allow_invalid_funcs`; 2 = a `wasm-smith`
/// module with 1-4 bytes overwritten, inserted or removed; 3 = the remaining bytes as they are;
/// 4 = a `wasm-smith` module with instructions or function types shuffled
/// ([`mutate_instructions`]), which mostly still decodes but often no longer validates.
pub fn differential_input(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mode: u8 = u.arbitrary()?;
    match mode % 5 {
        0 | 1 => {
            let mut config = wasm2_config(u)?;
            config.allow_invalid_funcs = mode % 5 == 1;
            Ok(wasm_smith::Module::new(config, u)?.to_bytes())
        }
        2 => {
            let config = wasm2_config(u)?;
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
        3 => Ok(u.bytes(u.len())?.to_vec()),
        _ => {
            let config = wasm2_config(u)?;
            let bytes = wasm_smith::Module::new(config, u)?.to_bytes();
            let Ok(mut module) = wvm_binary::decode(&bytes, &wasm2_no_simd()) else {
                return Ok(bytes);
            };
            mutate_instructions(&mut module, u)?;
            Ok(wvm_binary::encode(&module))
        }
    }
}

/// Makes 1-4 structural edits that keep a module decodable but may break validation: an
/// instruction removed, duplicated, or replaced by one taken from anywhere in the module
/// (operands and indices then mismatch), or a function given another type.
pub fn mutate_instructions(m: &mut Module, u: &mut Unstructured<'_>) -> Result<()> {
    let pool: Vec<wvm_binary::Instr> = m
        .code
        .iter()
        .flat_map(|b| b.instrs.iter().cloned())
        .collect();
    let edits = u.int_in_range(1..=4)?;
    for _ in 0..edits {
        if m.code.is_empty() {
            return Ok(());
        }
        let f = u.choose_index(m.code.len())?;
        let action = u.int_in_range(0..=3)?;
        if action == 3 {
            if let (Some(slot), false) = (m.funcs.get_mut(f), m.types.is_empty()) {
                *slot = u.choose_index(m.types.len())? as u32;
            }
            continue;
        }
        let body = &mut m.code[f];
        body.offsets.clear();
        // Leave the final `end` alone so that the body still decodes.
        let editable = body.instrs.len().saturating_sub(1);
        let at = if editable == 0 {
            0
        } else {
            u.choose_index(editable)?
        };
        match action {
            0 if editable > 0 => {
                body.instrs.remove(at);
            }
            1 if editable > 0 => {
                let i = body.instrs[at].clone();
                body.instrs.insert(at, i);
            }
            _ => {
                if let Ok(i) = u.choose(&pool) {
                    let i = i.clone();
                    if editable > 0 && u.arbitrary()? {
                        body.instrs[at] = i;
                    } else {
                        body.instrs.insert(at, i);
                    }
                }
            }
        }
    }
    Ok(())
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

/// Disagreements that are documented oracle differences rather than bugs (docs/fuzzing.md):
/// `wasmparser` enforces implementation limits that the specification does not have (names
/// longer than 100,000 bytes; more than 100,000 element or data segments; more than 1,000,000
/// types, functions, imports, exports or globals), so it may reject a module we accept.
pub fn known_oracle_difference(
    ours: &std::result::Result<(), String>,
    theirs: &std::result::Result<(), String>,
) -> bool {
    match (ours, theirs) {
        (Ok(()), Err(e)) => {
            e.starts_with("string size out of bounds") || e.contains("count exceeds limit of")
        }
        _ => false,
    }
}
