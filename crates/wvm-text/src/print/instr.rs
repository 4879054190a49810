//! One instruction in the flat text form (`i32.load 1 offset=8`, `br_table 0 1 2`, ...).

use std::collections::HashMap;
use std::fmt::Write as _;

use wvm_binary::{BlockType, Instr, MemArg};

use super::lit;
use crate::keywords as kw;

/// Identifiers to print instead of indices (only valid, unique names).
#[derive(Clone, Copy, Debug, Default)]
pub struct Ids<'a> {
    pub funcs: Option<&'a HashMap<u32, String>>,
    pub locals: Option<&'a HashMap<u32, String>>,
}

impl Ids<'_> {
    pub const NONE: Ids<'static> = Ids {
        funcs: None,
        locals: None,
    };
}

fn write_idx(out: &mut String, ids: Option<&HashMap<u32, String>>, idx: u32) {
    match ids.and_then(|m| m.get(&idx)) {
        Some(name) => {
            out.push('$');
            out.push_str(name);
        }
        None => {
            let _ = write!(out, "{idx}");
        }
    }
}

/// `(result t)` / `(type N)` after `block`, `loop` and `if`.
fn write_block_type(out: &mut String, bt: &BlockType) {
    match bt {
        BlockType::Empty => {}
        BlockType::Value(t) => {
            let _ = write!(out, " (result {t})");
        }
        BlockType::Func(idx) => {
            let _ = write!(out, " (type {idx})");
        }
    }
}

/// ` [memory] [offset=N] [align=N]`, leaving out defaults.
fn write_memarg(out: &mut String, ma: &MemArg, natural_align: u32) {
    if ma.memory != 0 {
        let _ = write!(out, " {}", ma.memory);
    }
    if ma.offset != 0 {
        let _ = write!(out, " offset={}", ma.offset);
    }
    if ma.align != natural_align {
        match 1u64.checked_shl(ma.align) {
            Some(a) => {
                let _ = write!(out, " align={a}");
            }
            // Not expressible in text; the parser will reject it with this hint.
            None => {
                let _ = write!(out, " align=2**{}", ma.align);
            }
        }
    }
}

fn write_u32s(out: &mut String, items: impl IntoIterator<Item = u32>) {
    for i in items {
        let _ = write!(out, " {i}");
    }
}

/// Appends the text of `instr` (no indentation, no newline).
pub fn write_instr(out: &mut String, instr: &Instr, ids: &Ids) {
    use Instr as I;
    let simple = |out: &mut String, name: &str, idx: u32| {
        let _ = write!(out, "{name} {idx}");
    };
    match instr {
        I::Unreachable => out.push_str(kw::UNREACHABLE),
        I::Nop => out.push_str(kw::NOP),
        I::Block(bt) => {
            out.push_str(kw::BLOCK);
            write_block_type(out, bt);
        }
        I::Loop(bt) => {
            out.push_str(kw::LOOP);
            write_block_type(out, bt);
        }
        I::If(bt) => {
            out.push_str(kw::IF);
            write_block_type(out, bt);
        }
        I::Else => out.push_str(kw::ELSE),
        I::End => out.push_str(kw::END),
        I::Br(l) => simple(out, kw::BR, *l),
        I::BrIf(l) => simple(out, kw::BR_IF, *l),
        I::BrTable(t) => {
            out.push_str(kw::BR_TABLE);
            write_u32s(out, t.targets.iter().copied());
            write_u32s(out, [t.default]);
        }
        I::Return => out.push_str(kw::RETURN),
        I::Call(f) | I::ReturnCall(f) => {
            out.push_str(if matches!(instr, I::Call(_)) {
                kw::CALL
            } else {
                kw::RETURN_CALL
            });
            out.push(' ');
            write_idx(out, ids.funcs, *f);
        }
        I::CallIndirect { type_idx, table } | I::ReturnCallIndirect { type_idx, table } => {
            out.push_str(if matches!(instr, I::CallIndirect { .. }) {
                kw::CALL_INDIRECT
            } else {
                kw::RETURN_CALL_INDIRECT
            });
            if *table != 0 {
                let _ = write!(out, " {table}");
            }
            let _ = write!(out, " (type {type_idx})");
        }
        I::Drop => out.push_str(kw::DROP),
        I::Select => out.push_str(kw::SELECT),
        I::SelectTyped(tys) => {
            let _ = write!(out, "{} (result", kw::SELECT);
            for t in tys.iter() {
                let _ = write!(out, " {t}");
            }
            out.push(')');
        }
        I::LocalGet(i) | I::LocalSet(i) | I::LocalTee(i) => {
            out.push_str(match instr {
                I::LocalGet(_) => kw::LOCAL_GET,
                I::LocalSet(_) => kw::LOCAL_SET,
                _ => kw::LOCAL_TEE,
            });
            out.push(' ');
            write_idx(out, ids.locals, *i);
        }
        I::GlobalGet(g) => simple(out, kw::GLOBAL_GET, *g),
        I::GlobalSet(g) => simple(out, kw::GLOBAL_SET, *g),
        I::TableGet(t) => simple(out, kw::TABLE_GET, *t),
        I::TableSet(t) => simple(out, kw::TABLE_SET, *t),
        I::TableInit { elem, table } => {
            let _ = write!(out, "{} {table} {elem}", kw::TABLE_INIT);
        }
        I::ElemDrop(e) => simple(out, kw::ELEM_DROP, *e),
        I::TableCopy { dst, src } => {
            let _ = write!(out, "{} {dst} {src}", kw::TABLE_COPY);
        }
        I::TableGrow(t) => simple(out, kw::TABLE_GROW, *t),
        I::TableSize(t) => simple(out, kw::TABLE_SIZE, *t),
        I::TableFill(t) => simple(out, kw::TABLE_FILL, *t),
        I::Load(op, ma) => {
            out.push_str(op.name());
            write_memarg(out, ma, op.natural_align());
        }
        I::Store(op, ma) => {
            out.push_str(op.name());
            write_memarg(out, ma, op.natural_align());
        }
        I::MemorySize(m) | I::MemoryGrow(m) | I::MemoryFill(m) => {
            out.push_str(match instr {
                I::MemorySize(_) => kw::MEMORY_SIZE,
                I::MemoryGrow(_) => kw::MEMORY_GROW,
                _ => kw::MEMORY_FILL,
            });
            if *m != 0 {
                let _ = write!(out, " {m}");
            }
        }
        I::MemoryInit { data, memory } => {
            out.push_str(kw::MEMORY_INIT);
            if *memory != 0 {
                let _ = write!(out, " {memory}");
            }
            let _ = write!(out, " {data}");
        }
        I::DataDrop(d) => simple(out, kw::DATA_DROP, *d),
        I::MemoryCopy { dst, src } => {
            out.push_str(kw::MEMORY_COPY);
            if *dst != 0 || *src != 0 {
                let _ = write!(out, " {dst} {src}");
            }
        }
        I::I32Const(v) => {
            let _ = write!(out, "{} {v}", kw::I32_CONST);
        }
        I::I64Const(v) => {
            let _ = write!(out, "{} {v}", kw::I64_CONST);
        }
        I::F32Const(b) => {
            let _ = write!(out, "{} {}", kw::F32_CONST, lit::f32_text(*b));
        }
        I::F64Const(b) => {
            let _ = write!(out, "{} {}", kw::F64_CONST, lit::f64_text(*b));
        }
        I::Numeric(op) => out.push_str(op.name()),
        I::RefNull(h) => {
            let _ = write!(out, "{} {h}", kw::REF_NULL);
        }
        I::RefIsNull => out.push_str(kw::REF_IS_NULL),
        I::RefFunc(f) => {
            out.push_str(kw::REF_FUNC);
            out.push(' ');
            write_idx(out, ids.funcs, *f);
        }
        I::V128Const(bytes) => {
            let _ = write!(out, "{} i32x4", kw::V128_CONST);
            for lane in bytes.chunks_exact(4) {
                let v = u32::from_le_bytes([lane[0], lane[1], lane[2], lane[3]]);
                let _ = write!(out, " {v:#010x}");
            }
        }
        I::I8x16Shuffle(lanes) => {
            out.push_str(kw::I8X16_SHUFFLE);
            write_u32s(out, lanes.iter().map(|&l| l as u32));
        }
        I::Simd(op) => out.push_str(op.name()),
        I::SimdMem(op, ma) => {
            out.push_str(op.name());
            write_memarg(out, ma, op.natural_align());
        }
        I::SimdLane(op, lane) => {
            let _ = write!(out, "{} {lane}", op.name());
        }
        I::SimdMemLane(op, ma, lane) => {
            out.push_str(op.name());
            write_memarg(out, ma, op.natural_align());
            let _ = write!(out, " {lane}");
        }
    }
}

/// The text of one instruction.
pub fn instr_text(instr: &Instr, ids: &Ids) -> String {
    let mut s = String::new();
    write_instr(&mut s, instr, ids);
    s
}
