//! Binary → [`Module`]: the whole Wasm 2.0 binary format.
//!
//! Like the reference interpreter, each section's contents are read from the module's bytes
//! and then checked against the section size; errors use the spec testsuite's wording.

mod code;
mod names;
mod sections;
pub(crate) mod types;

pub use code::{BodyReader, MAX_LOCALS};
pub use names::{decode_names, encode_names};

use crate::error::DecodeError;
use crate::features::Features;
use crate::module::{CustomSection, Module};
use crate::reader::{Reader, UNEXPECTED_END};
use code::{Bodies, InstrCtx};

/// Position of a standard section id in the required order (custom sections excepted).
fn section_order(id: u8) -> Option<u8> {
    Some(match id {
        1..=9 => id,
        12 => 10, // data count sits between element and code
        10 => 11,
        11 => 12,
        _ => return None,
    })
}

/// Decodes a whole module.
pub fn decode(bytes: &[u8], features: &Features) -> Result<Module, DecodeError> {
    decode_impl(bytes, features, Bodies::Decode)
}

/// Decodes and checks a whole module like [`decode`] (same errors, in the same order), but
/// keeps no function instructions: each body in `code` has its `locals` and `offset` and
/// empty `instrs`/`offsets`. [`decode_func_body`] decodes one body again when it is needed,
/// so a consumer that translates functions one at a time never holds all of them decoded.
pub fn decode_deferred(bytes: &[u8], features: &Features) -> Result<Module, DecodeError> {
    decode_impl(bytes, features, Bodies::Check)
}

/// Decodes a module without looking inside function bodies: each body in `code` has only
/// its `offset` (empty locals and instructions). Faster than [`decode_deferred`] for a
/// consumer that reads every body afterwards anyway ([`func_body_reader`],
/// [`decode_func_body`]), but it does not check the bodies: when it fails, [`decode`] fails
/// too (maybe with another error), but when it succeeds `decode` may still fail, in a body
/// or because a body uses `memory.init`/`data.drop` without a data count section
/// ([`BodyReader::uses_data_index`]). A consumer that meets any error in the module can call
/// [`decode_deferred`] to learn whether the module is malformed and the error `decode`
/// would give.
pub fn decode_skipping_bodies(bytes: &[u8], features: &Features) -> Result<Module, DecodeError> {
    decode_impl(bytes, features, Bodies::Skip)
}

/// Decodes the instructions of a body that [`decode_deferred`] left out: `bytes` and
/// `features` must be the ones given to `decode_deferred`, and `body` one of its bodies.
pub fn decode_func_body(
    bytes: &[u8],
    features: &Features,
    body: &crate::module::FuncBody,
) -> Result<crate::module::FuncBody, DecodeError> {
    let mut r = Reader::with_eof_message(bytes, UNEXPECTED_END);
    r.seek(body.offset);
    let size = r.len32()? as usize;
    let start = r.pos();
    let mut ctx = InstrCtx::new(features);
    let decoded = code::func_body(&mut r, &mut ctx, body.offset, size, &mut Vec::new())?;
    if r.pos() != start + size {
        return Err(r.error(r.pos(), "section size mismatch"));
    }
    Ok(decoded)
}

/// Reads a body that [`decode_deferred`] (or [`decode_skipping_bodies`]) left out one instruction at a time, without
/// building its instruction list: returns the body's locals and a [`BodyReader`].
/// `bytes`, `features` and `body` as for [`decode_func_body`], which gives the same
/// instructions and errors.
pub fn func_body_reader<'a>(
    bytes: &'a [u8],
    features: &'a Features,
    body: &crate::module::FuncBody,
) -> Result<(Vec<(u32, crate::types::ValType)>, BodyReader<'a>), DecodeError> {
    BodyReader::new(bytes, features, body.offset)
}

/// Where the last of `bodies` ends in `bytes` (0 without bodies): the bytes
/// [`decode_func_body`] may read lie before it, so a consumer that decodes bodies later needs
/// to keep only `bytes[..code_end]`. `bodies` must be the `code` of [`decode_deferred`] of
/// `bytes`.
pub fn code_end(bytes: &[u8], bodies: &[crate::module::FuncBody]) -> usize {
    let Some(last) = bodies.last() else {
        return 0;
    };
    let mut r = Reader::new(bytes);
    r.seek(last.offset);
    match r.len32() {
        Ok(size) => r.pos().saturating_add(size as usize).min(bytes.len()),
        Err(_) => bytes.len(),
    }
}

fn decode_impl(bytes: &[u8], features: &Features, bodies: Bodies) -> Result<Module, DecodeError> {
    let mut r = Reader::with_eof_message(bytes, "unexpected end");
    if r.array::<4>()? != *b"\0asm" {
        return Err(DecodeError::new(0, "magic header not detected"));
    }
    let version = u32::from_le_bytes(r.array()?);
    if version != 1 && !(version == 0x0d && features.allow_legacy_version) {
        return Err(DecodeError::new(4, "unknown binary version"));
    }
    let mut m = Module {
        version,
        ..Module::default()
    };
    let mut ctx = InstrCtx::new(features);
    let mut last_order = 0u8;
    let mut last_id = 0u8;
    let mut data_seen = false;
    while !r.at_end() {
        r.set_eof_message("unexpected end");
        let id_at = r.pos();
        let id = r.u8()?;
        let order = if id == 0 {
            0
        } else {
            match section_order(id) {
                Some(o) => o,
                None => return Err(DecodeError::new(id_at, "malformed section id")),
            }
        };
        let size = r.len32()? as usize;
        let start = r.pos();
        let end = start + size;
        if id == 0 {
            m.customs.push(custom_section(bytes, start, end, last_id)?);
            r.seek(end);
            continue;
        }
        if order <= last_order {
            return Err(DecodeError::new(
                id_at,
                "unexpected content after last section",
            ));
        }
        last_order = order;
        last_id = id;
        r.set_eof_message(UNEXPECTED_END);
        match id {
            1 => m.types = sections::type_section(&mut r)?,
            2 => m.imports = sections::import_section(&mut r, &mut ctx)?,
            3 => m.funcs = sections::function_section(&mut r)?,
            4 => m.tables = sections::table_section(&mut r, &mut ctx)?,
            5 => m.memories = sections::memory_section(&mut r, &ctx)?,
            6 => m.globals = sections::global_section(&mut r, &mut ctx)?,
            7 => m.exports = sections::export_section(&mut r, &ctx)?,
            8 => m.start = Some(r.u32()?),
            9 => m.elements = sections::element_section(&mut r, &mut ctx)?,
            12 => m.data_count = Some(r.u32()?),
            10 => {
                m.code = code::code_section(&mut r, &mut ctx, bodies)?;
                if ctx.uses_data_index && m.data_count.is_none() {
                    return Err(DecodeError::new(start, "data count section required"));
                }
            }
            11 => {
                m.data = sections::data_section(&mut r, &mut ctx)?;
                data_seen = true;
            }
            _ => return Err(DecodeError::new(id_at, "malformed section id")),
        }
        if r.pos() != end {
            return Err(DecodeError::new(r.pos(), "section size mismatch"));
        }
    }
    if m.funcs.len() != m.code.len() {
        return Err(DecodeError::new(
            bytes.len(),
            "function and code section have inconsistent lengths",
        ));
    }
    if let Some(n) = m.data_count {
        if n as usize != m.data.len() || (n != 0 && !data_seen) {
            return Err(DecodeError::new(
                bytes.len(),
                "data count and data section have inconsistent lengths",
            ));
        }
    }
    attach_names(&mut m);
    Ok(m)
}

/// A custom section: its name must fit in the section; the rest is kept as is.
fn custom_section(
    bytes: &[u8],
    start: usize,
    end: usize,
    after_section: u8,
) -> Result<CustomSection, DecodeError> {
    let section = bytes.get(..end).unwrap_or(bytes);
    let mut s = Reader::with_eof_message(section, "unexpected end");
    s.seek(start);
    let name = s.name()?;
    let data = section.get(s.pos()..).unwrap_or(&[]).to_vec();
    Ok(CustomSection {
        name,
        data,
        after_section,
    })
}

/// Fills `Module::names` from the first `name` custom section (if it is well-formed).
pub(crate) fn attach_names(m: &mut Module) {
    if let Some(c) = m.customs.iter().find(|c| c.name == "name") {
        m.names = decode_names(&c.data);
    }
}

#[cfg(test)]
mod tests;
