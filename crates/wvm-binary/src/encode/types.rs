//! Encoding of types.

use super::writer::Writer;
use crate::instr::BlockType;
use crate::types::{
    FuncType, GlobalType, HeapType, IndexType, Limits, MemoryType, RefType, TableType, ValType,
};

fn abstract_heap_code(h: HeapType) -> Option<u8> {
    Some(match h {
        HeapType::Func => 0x70,
        HeapType::Extern => 0x6f,
        HeapType::Any => 0x6e,
        HeapType::Eq => 0x6d,
        HeapType::I31 => 0x6c,
        HeapType::Struct => 0x6b,
        HeapType::Array => 0x6a,
        HeapType::Exn => 0x69,
        HeapType::None => 0x71,
        HeapType::NoExtern => 0x72,
        HeapType::NoFunc => 0x73,
        HeapType::NoExn => 0x74,
        HeapType::Concrete(_) => return None,
    })
}

pub fn heap_type(w: &mut Writer, h: HeapType) {
    match (abstract_heap_code(h), h) {
        (Some(c), _) => w.byte(c),
        (None, HeapType::Concrete(i)) => w.i64(i64::from(i)),
        (None, _) => unreachable!("every non-concrete heap type has a code"),
    }
}

pub fn ref_type(w: &mut Writer, r: RefType) {
    match (r.nullable, abstract_heap_code(r.heap)) {
        (true, Some(c)) => w.byte(c),
        (nullable, _) => {
            w.byte(if nullable { 0x63 } else { 0x64 });
            heap_type(w, r.heap);
        }
    }
}

pub fn val_type(w: &mut Writer, t: ValType) {
    match t {
        ValType::I32 => w.byte(0x7f),
        ValType::I64 => w.byte(0x7e),
        ValType::F32 => w.byte(0x7d),
        ValType::F64 => w.byte(0x7c),
        ValType::V128 => w.byte(0x7b),
        ValType::Ref(r) => ref_type(w, r),
    }
}

pub fn block_type(w: &mut Writer, b: &BlockType) {
    match b {
        BlockType::Empty => w.byte(0x40),
        BlockType::Value(t) => val_type(w, *t),
        BlockType::Func(i) => w.i64(i64::from(*i)),
    }
}

pub fn func_type(w: &mut Writer, f: &FuncType) {
    w.byte(0x60);
    w.u32(f.params.len() as u32);
    for p in f.params.iter() {
        val_type(w, *p);
    }
    w.u32(f.results.len() as u32);
    for r in f.results.iter() {
        val_type(w, *r);
    }
}

fn limits(w: &mut Writer, l: &Limits, index: IndexType, shared: bool) {
    let mut flags = 0u8;
    if l.max.is_some() {
        flags |= 1;
    }
    if shared {
        flags |= 2;
    }
    if index == IndexType::I64 {
        flags |= 4;
    }
    w.byte(flags);
    w.u64(l.min);
    if let Some(max) = l.max {
        w.u64(max);
    }
}

pub fn table_type(w: &mut Writer, t: &TableType) {
    ref_type(w, t.elem);
    limits(w, &t.limits, t.index, false);
}

pub fn memory_type(w: &mut Writer, m: &MemoryType) {
    limits(w, &m.limits, m.index, m.shared);
}

pub fn global_type(w: &mut Writer, g: &GlobalType) {
    val_type(w, g.val);
    w.byte(u8::from(g.mutable));
}
