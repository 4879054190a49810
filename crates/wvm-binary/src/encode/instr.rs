//! Encoding of instructions and constant expressions.

use super::types::{block_type, heap_type, val_type};
use super::writer::Writer;
use crate::instr::{Instr, MemArg};
use crate::module::ConstExpr;

fn mem_arg(w: &mut Writer, m: &MemArg) {
    if m.memory != 0 {
        w.u32(m.align | 0x40);
        w.u32(m.memory);
    } else {
        w.u32(m.align);
    }
    w.u64(m.offset);
}

pub fn instr(w: &mut Writer, i: &Instr) {
    match i {
        Instr::Unreachable => w.byte(0x00),
        Instr::Nop => w.byte(0x01),
        Instr::Block(bt) => {
            w.byte(0x02);
            block_type(w, bt);
        }
        Instr::Loop(bt) => {
            w.byte(0x03);
            block_type(w, bt);
        }
        Instr::If(bt) => {
            w.byte(0x04);
            block_type(w, bt);
        }
        Instr::Else => w.byte(0x05),
        Instr::End => w.byte(0x0b),
        Instr::Br(l) => {
            w.byte(0x0c);
            w.u32(*l);
        }
        Instr::BrIf(l) => {
            w.byte(0x0d);
            w.u32(*l);
        }
        Instr::BrTable(t) => {
            w.byte(0x0e);
            w.u32(t.targets.len() as u32);
            for l in t.targets.iter() {
                w.u32(*l);
            }
            w.u32(t.default);
        }
        Instr::Return => w.byte(0x0f),
        Instr::Call(f) => {
            w.byte(0x10);
            w.u32(*f);
        }
        Instr::CallIndirect { type_idx, table } => {
            w.byte(0x11);
            w.u32(*type_idx);
            w.u32(*table);
        }
        Instr::ReturnCall(f) => {
            w.byte(0x12);
            w.u32(*f);
        }
        Instr::ReturnCallIndirect { type_idx, table } => {
            w.byte(0x13);
            w.u32(*type_idx);
            w.u32(*table);
        }
        Instr::Drop => w.byte(0x1a),
        Instr::Select => w.byte(0x1b),
        Instr::SelectTyped(tys) => {
            w.byte(0x1c);
            w.u32(tys.len() as u32);
            for t in tys.iter() {
                val_type(w, *t);
            }
        }
        Instr::LocalGet(x) => op_u32(w, 0x20, *x),
        Instr::LocalSet(x) => op_u32(w, 0x21, *x),
        Instr::LocalTee(x) => op_u32(w, 0x22, *x),
        Instr::GlobalGet(x) => op_u32(w, 0x23, *x),
        Instr::GlobalSet(x) => op_u32(w, 0x24, *x),
        Instr::TableGet(x) => op_u32(w, 0x25, *x),
        Instr::TableSet(x) => op_u32(w, 0x26, *x),
        Instr::TableInit { elem, table } => {
            fc(w, 12);
            w.u32(*elem);
            w.u32(*table);
        }
        Instr::ElemDrop(x) => {
            fc(w, 13);
            w.u32(*x);
        }
        Instr::TableCopy { dst, src } => {
            fc(w, 14);
            w.u32(*dst);
            w.u32(*src);
        }
        Instr::TableGrow(x) => {
            fc(w, 15);
            w.u32(*x);
        }
        Instr::TableSize(x) => {
            fc(w, 16);
            w.u32(*x);
        }
        Instr::TableFill(x) => {
            fc(w, 17);
            w.u32(*x);
        }
        Instr::Load(op, m) => {
            w.byte(op.opcode());
            mem_arg(w, m);
        }
        Instr::Store(op, m) => {
            w.byte(op.opcode());
            mem_arg(w, m);
        }
        Instr::MemorySize(x) => op_u32(w, 0x3f, *x),
        Instr::MemoryGrow(x) => op_u32(w, 0x40, *x),
        Instr::MemoryInit { data, memory } => {
            fc(w, 8);
            w.u32(*data);
            w.u32(*memory);
        }
        Instr::DataDrop(x) => {
            fc(w, 9);
            w.u32(*x);
        }
        Instr::MemoryCopy { dst, src } => {
            fc(w, 10);
            w.u32(*dst);
            w.u32(*src);
        }
        Instr::MemoryFill(x) => {
            fc(w, 11);
            w.u32(*x);
        }
        Instr::I32Const(v) => {
            w.byte(0x41);
            w.i32(*v);
        }
        Instr::I64Const(v) => {
            w.byte(0x42);
            w.i64(*v);
        }
        Instr::F32Const(b) => {
            w.byte(0x43);
            w.bytes(&b.to_le_bytes());
        }
        Instr::F64Const(b) => {
            w.byte(0x44);
            w.bytes(&b.to_le_bytes());
        }
        Instr::Numeric(op) => {
            let (prefix, code) = op.opcode();
            if prefix == 0 {
                w.byte(code as u8);
            } else {
                w.byte(prefix);
                w.u32(code);
            }
        }
        Instr::RefNull(h) => {
            w.byte(0xd0);
            heap_type(w, *h);
        }
        Instr::RefIsNull => w.byte(0xd1),
        Instr::RefFunc(f) => op_u32(w, 0xd2, *f),
        Instr::V128Const(b) => {
            fd(w, 0x0c);
            w.bytes(b);
        }
        Instr::I8x16Shuffle(l) => {
            fd(w, 0x0d);
            w.bytes(l);
        }
        Instr::Simd(op) => fd(w, op.opcode()),
        Instr::SimdMem(op, m) => {
            fd(w, op.opcode());
            mem_arg(w, m);
        }
        Instr::SimdLane(op, lane) => {
            fd(w, op.opcode());
            w.byte(*lane);
        }
        Instr::SimdMemLane(op, m, lane) => {
            fd(w, op.opcode());
            mem_arg(w, m);
            w.byte(*lane);
        }
    }
}

#[inline]
fn op_u32(w: &mut Writer, op: u8, x: u32) {
    w.byte(op);
    w.u32(x);
}

#[inline]
fn fc(w: &mut Writer, sub: u32) {
    w.byte(0xfc);
    w.u32(sub);
}

#[inline]
fn fd(w: &mut Writer, sub: u32) {
    w.byte(0xfd);
    w.u32(sub);
}

/// A constant expression followed by `end`.
pub fn const_expr(w: &mut Writer, e: &ConstExpr) {
    for i in &e.instrs {
        instr(w, i);
    }
    w.byte(0x0b);
}
