//! A flat per-function instruction listing with byte offsets (the seed's `lbtext`).
//!
//! ```text
//! func 1 $hello (type 0) (func (param i32) (result i32))
//!   0x0023:   local.get 0
//!   0x0025:   end
//! ```
//!
//! Offsets are absolute byte offsets in the module binary: taken from
//! [`FuncBody::offsets`](wvm_binary::FuncBody) when the module was decoded, otherwise computed
//! by encoding the module and decoding it again.

use std::fmt::Write as _;

use wvm_binary::{Features, FuncBody, Instr, Module};

use crate::print::{lit, write_instr, Ids};

/// Byte offsets of every instruction of every defined function, by encoding `m` and
/// decoding the result. `None` if the encoded module does not decode.
fn computed_offsets(m: &Module) -> Option<Vec<Vec<u32>>> {
    let bytes = wvm_binary::encode(m);
    let features = Features {
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
    };
    let decoded = wvm_binary::decode(&bytes, &features).ok()?;
    Some(decoded.code.into_iter().map(|b| b.offsets).collect())
}

fn has_offsets(b: &FuncBody) -> bool {
    b.offsets.len() == b.instrs.len()
}

/// The listing of every defined function of `m`.
pub fn listing(m: &Module) -> String {
    let computed = if m.code.iter().all(has_offsets) {
        None
    } else {
        computed_offsets(m)
    };
    let mut out = String::new();
    let first = m.num_imported_funcs();
    for (i, body) in m.code.iter().enumerate() {
        let idx = first + i as u32;
        let _ = write!(out, "func {idx}");
        if let Some(name) = m.func_name(idx) {
            if lit::is_id(name) {
                let _ = write!(out, " ${name}");
            } else {
                let _ = write!(out, " {}", lit::string(name));
            }
        }
        if let Some(ty) = m.funcs.get(i) {
            let _ = write!(out, " (type {ty})");
            if let Some(ft) = m.types.get(*ty as usize) {
                let _ = write!(out, " {ft}");
            }
        }
        out.push('\n');
        let offsets: Option<&[u32]> = if has_offsets(body) {
            Some(&body.offsets)
        } else {
            computed
                .as_ref()
                .and_then(|c| c.get(i))
                .map(|v| v.as_slice())
                .filter(|v| v.len() == body.instrs.len())
        };
        if !body.locals.is_empty() {
            out.push_str("  locals:");
            for (k, (n, t)) in body.locals.iter().enumerate() {
                let sep = if k == 0 { "" } else { "," };
                let _ = write!(out, "{sep} {n} x {t}");
            }
            out.push('\n');
        }
        let mut depth = 1usize;
        for (k, ins) in body.instrs.iter().enumerate() {
            if matches!(ins, Instr::End | Instr::Else) {
                depth = depth.saturating_sub(1).max(1);
            }
            match offsets.and_then(|o| o.get(k)) {
                Some(off) => {
                    let _ = write!(out, "  {off:#06x}: ");
                }
                None => out.push_str("  ??????: "),
            }
            for _ in 0..depth {
                out.push_str("  ");
            }
            write_instr(&mut out, ins, &Ids::NONE);
            out.push('\n');
            if ins.opens_block() || matches!(ins, Instr::Else) {
                depth += 1;
            }
        }
    }
    out
}
