//! Translation of validated WebAssembly function bodies into [`Op`]s, in the same walk as
//! validation.
//!
//! The translator keeps its own operand stack of [`Operand`]s: `local.get` and constants
//! emit nothing, they only push a reference; every other value lives in the temporary slot
//! `num_locals + height`. Control frames record where their label's values go and which
//! forward branches wait for the label. See `docs/engine.md` for the rules.

mod acc_map;
mod accum;
mod control;
mod fuse;
mod metering;
mod num_map;
mod operands;
mod reg_map;
mod simd;

use crate::engine::ops::{Args2, Args3, CompiledOp, Op, Slot, STACK_GUARD_SPAN};
use crate::engine::CompiledFunc;
use crate::error::{Error, TrapCode};
use crate::values::{cell_width, cells_len};
use wvm_binary::{FuncBody, FuncType, Instr, MemArg, Module, NumOp};
use wvm_validate::FuncValidator;

/// A value on the translator's operand stack.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Operand {
    /// The current value of a local (nothing emitted yet).
    Local(u32),
    /// A value in its temporary slot `num_locals + height`.
    Temp,
    /// A constant (bits; 32-bit values zero-extended).
    Const(u64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    /// Operand stack height below the block's parameters.
    height: u32,
    params: u32,
    results: u32,
    /// First op of a loop body (backward branch target).
    loop_start: u32,
    /// Forward branches (op indices) to patch when the end label is bound.
    branches: Vec<u32>,
    /// For `if`: the conditional jump to the else branch, until `else`/`end` binds it.
    else_jump: Option<u32>,
    /// Entered in unreachable code: validated only, nothing emitted.
    dead: bool,
}

/// What the translator needs to know about the module.
pub(crate) struct ModuleCtx<'a> {
    pub module: &'a Module,
    /// Canonical (engine-wide) type id of each type index.
    pub type_ids: &'a [u32],
    /// Type index of each function in the function index space.
    pub func_types: &'a [u32],
    pub num_imported_funcs: u32,
}

/// Translation state, reused across the functions of a module.
#[derive(Default)]
pub(crate) struct Translator {
    ops: Vec<Op>,
    offsets: Vec<u32>,
    /// Which ops are branch targets, for the final passes (`accum.rs`, `fuse.rs`); a buffer
    /// reused from function to function.
    is_target: Vec<bool>,
    stack: Vec<Operand>,
    ctrls: Vec<Ctrl>,
    spare_branch_lists: Vec<Vec<u32>>,
    /// Constants read from the frame's constant area, and their placeholder slots.
    consts: Vec<u64>,
    const_slots: std::collections::HashMap<u64, u32>,
    num_locals: u32,
    num_results: u32,
    max_height: u32,
    reachable: bool,
    /// Ops before this index may not be rewritten (a label was bound here).
    barrier: usize,
    /// Index just after the last op that checks the native stack (see `Op::checks_stack`).
    guard_mark: usize,
    /// `(op, slot)`: the op at index `op` read the temporary in `slot`, popped for it, so
    /// nothing reads that value afterwards (the accumulator pass may then leave the value
    /// only in the accumulator, see `accum.rs`).
    consumed: Vec<(u32, u32)>,
    offset: u32,
    /// `v128` support: where locals live and the width hint of the current instruction.
    wide: simd::WideState,
    /// Fuel, interruption and NaN canonicalization (see `metering.rs`).
    meter: metering::Meter,
}

/// Placeholder slots `CONST_BASE + k` name constant `k` until the frame layout is final.
pub(crate) const CONST_BASE: u32 = 1 << 31;
/// Placeholder slots `RET_BASE + i` name result cell `i` of the frame (absolute, unlike
/// temporaries, which move up by the number of constants).
pub(crate) const RET_BASE: u32 = 3 << 30;

fn unsupported(what: &str) -> Error {
    Error::usage(format!("unsupported in this engine: {what}"))
}

impl Translator {
    /// Validates and translates one defined function body.
    pub(crate) fn translate(
        &mut self,
        ctx: &ModuleCtx<'_>,
        func_index: u32,
        ty: &FuncType,
        body: &FuncBody,
        mut validator: FuncValidator<'_>,
    ) -> Result<CompiledFunc, Error> {
        self.reset();
        // Cells, not locals: a `v128` local or parameter takes two.
        let num_locals = self.wide.layout_locals(&ty.params, &body.locals);
        if num_locals > u32::MAX as u64 / 4 {
            return Err(unsupported("too many locals"));
        }
        self.num_locals = num_locals as u32;
        let (param_cells, result_cells) = (cells_len(&ty.params), cells_len(&ty.results));
        self.num_results = result_cells as u32;
        self.reachable = true;
        let branches = self.branch_list();
        self.ctrls.push(Ctrl {
            kind: CtrlKind::Func,
            height: 0,
            params: 0,
            results: result_cells as u32,
            loop_start: 0,
            branches,
            else_jump: None,
            dead: false,
        });
        self.meter_entry();
        for (i, instr) in body.instrs.iter().enumerate() {
            let off = body.offsets.get(i).copied().unwrap_or(0);
            self.wide.hint = simd::wide_hint(&validator, instr);
            validator.visit(instr, off as usize)?;
            self.offset = off;
            if self.reachable && self.ops.len() - self.guard_mark >= STACK_GUARD_SPAN {
                self.emit(Op::StackGuard {});
            }
            self.visit(ctx, instr)?;
        }
        validator.finish()?;
        let num_consts = self.consts.len() as u32;
        let temps_end = self.num_locals as u64 + self.max_height as u64;
        let frame_size = (temps_end + num_consts as u64)
            .max(param_cells as u64)
            .max(result_cells as u64);
        if frame_size >= CONST_BASE as u64 {
            return Err(unsupported("function frame too large"));
        }
        // Final layout `[params | locals | constants | temporaries]`: temporaries move up by
        // the number of constants, constant placeholders land after the locals.
        {
            let num_locals = self.num_locals;
            let remap = move |s: u32| {
                if s >= RET_BASE {
                    s - RET_BASE
                } else if s >= CONST_BASE {
                    num_locals + (s - CONST_BASE)
                } else if s >= num_locals {
                    s + num_consts
                } else {
                    s
                }
            };
            for op in &mut self.ops {
                op.remap_slots(&remap);
            }
            for (_, s) in &mut self.consumed {
                *s = remap(*s);
            }
        }
        fuse::mark_branch_targets(&self.ops, &mut self.is_target);
        accum::use_accumulator(&mut self.ops, &mut self.consumed, &self.is_target);
        fuse::fuse_copies(&mut self.ops, &self.is_target);
        #[allow(unused_mut)]
        let mut ops: Box<[CompiledOp]> = self
            .ops
            .iter()
            .map(|&op| CompiledOp::new(op))
            .collect::<Option<_>>()
            .ok_or_else(|| unsupported("function too large (a branch over too many ops)"))?;
        #[cfg(all(wvm_threaded, not(miri)))]
        crate::engine::execute::link_br_tables(&mut ops);
        let func = CompiledFunc {
            ops,
            offsets: self.offsets.as_slice().into(),
            num_params: param_cells as u32,
            num_results: result_cells as u32,
            num_locals: self.num_locals,
            frame_size: frame_size as u32,
            consts: self.consts.as_slice().into(),
            func_index,
            name: ctx.module.func_name(func_index).map(Into::into),
        };
        func.verify()?;
        Ok(func)
    }

    fn reset(&mut self) {
        self.ops.clear();
        self.offsets.clear();
        self.stack.clear();
        while let Some(c) = self.ctrls.pop() {
            self.recycle(c.branches);
        }
        self.max_height = 0;
        self.barrier = 0;
        self.guard_mark = 0;
        self.consumed.clear();
        self.consts.clear();
        self.const_slots.clear();
    }

    fn branch_list(&mut self) -> Vec<u32> {
        self.spare_branch_lists.pop().unwrap_or_default()
    }

    fn recycle(&mut self, mut v: Vec<u32>) {
        v.clear();
        self.spare_branch_lists.push(v);
    }

    /// Appends an op, recording the current instruction's byte offset; returns its index.
    fn emit(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.offsets.push(self.offset);
        if op.checks_stack() {
            self.guard_mark = self.ops.len();
        }
        self.ops.len() - 1
    }

    /// Records that the op at `at` is the only reader of operand `o`, popped from height `h`
    /// for it (only temporaries are recorded: locals and constants live on).
    pub(super) fn consumed(&mut self, at: usize, o: Operand, h: usize) {
        if o == Operand::Temp {
            let slot = self.slot_at(h).0;
            self.consumed.push((at as u32, slot));
        }
    }

    /// Replaces the last op by a fused one (recorded at the current instruction's offset);
    /// returns its index.
    fn replace_last(&mut self, op: Op) -> usize {
        self.ops.pop();
        self.offsets.pop();
        self.emit(op)
    }

    fn block_arity(ctx: &ModuleCtx<'_>, bt: &wvm_binary::BlockType) -> (u32, u32) {
        match bt {
            wvm_binary::BlockType::Empty => (0, 0),
            wvm_binary::BlockType::Value(t) => (0, cell_width(*t) as u32),
            wvm_binary::BlockType::Func(t) => ctx
                .module
                .types
                .get(*t as usize)
                .map(|f| (cells_len(&f.params) as u32, cells_len(&f.results) as u32))
                .unwrap_or((0, 0)),
        }
    }

    fn visit(&mut self, ctx: &ModuleCtx<'_>, instr: &Instr) -> Result<(), Error> {
        if !self.reachable {
            self.visit_unreachable(ctx, instr)?;
            if self.reachable && self.meter.on() {
                self.meter_landing();
            }
            return Ok(());
        }
        if self.meter.on() {
            return self.visit_metered(ctx, instr);
        }
        self.visit_reachable(ctx, instr)
    }

    /// Translates one reachable instruction.
    fn visit_reachable(&mut self, ctx: &ModuleCtx<'_>, instr: &Instr) -> Result<(), Error> {
        match instr {
            Instr::Unreachable => {
                self.emit(Op::Trap {
                    code: TrapCode::Unreachable,
                });
                self.set_unreachable();
            }
            Instr::Nop => {}
            Instr::Block(bt) => {
                let (p, r) = Self::block_arity(ctx, bt);
                self.enter_block(CtrlKind::Block, p, r);
            }
            Instr::Loop(bt) => {
                let (p, r) = Self::block_arity(ctx, bt);
                self.enter_block(CtrlKind::Loop, p, r);
            }
            Instr::If(bt) => {
                let (p, r) = Self::block_arity(ctx, bt);
                self.enter_if(p, r);
            }
            Instr::Else => self.visit_else(),
            Instr::End => self.visit_end(),
            Instr::Br(d) => {
                self.branch(*d);
                self.set_unreachable();
            }
            Instr::BrIf(d) => self.br_if(*d),
            Instr::BrTable(t) => {
                self.br_table(&t.targets, t.default);
                self.set_unreachable();
            }
            Instr::Return => {
                self.emit_return();
                self.set_unreachable();
            }
            Instr::Call(f) => self.call(ctx, *f)?,
            Instr::CallIndirect { type_idx, table } => {
                self.call_indirect(ctx, *type_idx, *table)?
            }
            Instr::ReturnCall(_) | Instr::ReturnCallIndirect { .. } => {
                return Err(unsupported("tail calls"))
            }
            Instr::Drop => {
                self.pop();
                if self.wide.hint {
                    self.pop();
                }
            }
            Instr::Select | Instr::SelectTyped(_) if self.wide.hint => self.select_v128(),
            Instr::Select | Instr::SelectTyped(_) => self.select(),
            Instr::LocalGet(i) => self.local_get_any(*i),
            Instr::LocalSet(i) => self.local_set_any(*i, false),
            Instr::LocalTee(i) => self.local_set_any(*i, true),
            Instr::GlobalGet(i) if simd::is_v128_global(&mut self.wide, ctx, *i) => {
                self.global_get_v128(*i)
            }
            Instr::GlobalSet(i) if simd::is_v128_global(&mut self.wide, ctx, *i) => {
                self.global_set_v128(*i)
            }
            Instr::GlobalGet(i) => {
                let dst = self.push_temp();
                self.emit(Op::GlobalGet { dst, idx: *i });
            }
            Instr::GlobalSet(i) => {
                let (o, h) = self.pop();
                let src = self.slot_for(o, h);
                let k = self.emit(Op::GlobalSet { src, idx: *i });
                self.consumed(k, o, h);
            }
            Instr::TableGet(t) => {
                let index = self.pop_slot();
                let dst = self.push_temp();
                self.emit(Op::TableGet {
                    dst,
                    index,
                    table: *t,
                });
            }
            Instr::TableSet(t) => {
                let val = self.pop_slot();
                let index = self.pop_slot();
                self.emit(Op::TableSet {
                    index,
                    val,
                    table: *t,
                });
            }
            Instr::TableInit { elem, table } => {
                let args = Args3(self.pop_args(3).0);
                self.emit(Op::TableInit {
                    args,
                    elem: *elem,
                    table: *table,
                });
            }
            Instr::ElemDrop(e) => {
                self.emit(Op::ElemDrop { elem: *e });
            }
            Instr::TableCopy { dst, src } => {
                let args = Args3(self.pop_args(3).0);
                self.emit(Op::TableCopy {
                    args,
                    dst_table: *dst,
                    src_table: *src,
                });
            }
            Instr::TableGrow(t) => {
                let args = self.pop_args(2);
                self.push_temp();
                self.emit(Op::TableGrow {
                    args: Args2(args.0),
                    table: *t,
                });
            }
            Instr::TableSize(t) => {
                let dst = self.push_temp();
                self.emit(Op::TableSize { dst, table: *t });
            }
            Instr::TableFill(t) => {
                let args = Args3(self.pop_args(3).0);
                self.emit(Op::TableFill { args, table: *t });
            }
            Instr::Load(op, m) => self.load(*op, m)?,
            Instr::Store(op, m) => self.store(*op, m)?,
            Instr::MemorySize(m) => {
                let dst = self.push_temp();
                self.emit(Op::MemorySize { dst, mem: *m });
            }
            Instr::MemoryGrow(m) => {
                let delta = self.pop_slot();
                let dst = self.push_temp();
                self.emit(Op::MemoryGrow {
                    dst,
                    delta,
                    mem: *m,
                });
            }
            Instr::MemoryInit { data, memory } => {
                let args = Args3(self.pop_args(3).0);
                self.emit(Op::MemoryInit {
                    args,
                    data: *data,
                    mem: *memory,
                });
            }
            Instr::DataDrop(d) => {
                self.emit(Op::DataDrop { data: *d });
            }
            Instr::MemoryCopy { dst, src } => {
                let args = Args3(self.pop_args(3).0);
                self.emit(Op::MemoryCopy {
                    args,
                    dst_mem: *dst,
                    src_mem: *src,
                });
            }
            Instr::MemoryFill(m) => {
                let args = Args3(self.pop_args(3).0);
                self.emit(Op::MemoryFill { args, mem: *m });
            }
            Instr::I32Const(v) => self.push(Operand::Const(*v as u32 as u64)),
            Instr::I64Const(v) => self.push(Operand::Const(*v as u64)),
            Instr::F32Const(v) => self.push(Operand::Const(*v as u64)),
            Instr::F64Const(v) => self.push(Operand::Const(*v)),
            Instr::Numeric(op) => self.numeric(*op),
            Instr::RefNull(_) => self.push(Operand::Const(0)),
            Instr::RefIsNull => self.numeric(NumOp::I64Eqz),
            Instr::RefFunc(f) => {
                let dst = self.push_temp();
                self.emit(Op::RefFunc { dst, func: *f });
            }
            Instr::V128Const(_)
            | Instr::I8x16Shuffle(_)
            | Instr::Simd(_)
            | Instr::SimdMem(..)
            | Instr::SimdLane(..)
            | Instr::SimdMemLane(..) => self.simd(instr)?,
        }
        Ok(())
    }

    /// Unreachable code is validated but not translated; only block structure is tracked.
    fn visit_unreachable(&mut self, _ctx: &ModuleCtx<'_>, instr: &Instr) -> Result<(), Error> {
        match instr {
            Instr::Block(_) | Instr::Loop(_) | Instr::If(_) => {
                let branches = self.branch_list();
                let height = self.stack.len() as u32;
                self.ctrls.push(Ctrl {
                    kind: CtrlKind::Block,
                    height,
                    params: 0,
                    results: 0,
                    loop_start: 0,
                    branches,
                    else_jump: None,
                    dead: true,
                });
            }
            Instr::Else => self.visit_else(),
            Instr::End => self.visit_end(),
            _ => {}
        }
        Ok(())
    }

    fn memarg_offset(m: &MemArg) -> Result<u32, Error> {
        if m.memory != 0 {
            return Err(unsupported("multiple memories"));
        }
        u32::try_from(m.offset).map_err(|_| unsupported("memory offsets above 4 GiB"))
    }

    fn load(&mut self, op: wvm_binary::LoadOp, m: &MemArg) -> Result<(), Error> {
        use wvm_binary::LoadOp as L;
        let offset = Self::memarg_offset(m)?;
        let (o, h) = self.pop();
        let ptr = self.slot_for(o, h);
        let fused = self.take_address_add(o, ptr, offset);
        let dst = self.push_temp();
        if let Some((base, idx)) = fused {
            let f = match op {
                L::I32Load => Some(Op::I32LoadIdx { dst, base, idx }),
                L::I64Load => Some(Op::I64LoadIdx { dst, base, idx }),
                L::F64Load => Some(Op::F64LoadIdx { dst, base, idx }),
                L::I32Load8U => Some(Op::I32Load8UIdx { dst, base, idx }),
                _ => None,
            };
            if let Some(f) = f {
                self.replace_last(f);
                return Ok(());
            }
        }
        let k = self.emit(match op {
            L::I32Load => Op::I32Load { dst, ptr, offset },
            L::I64Load => Op::I64Load { dst, ptr, offset },
            L::F32Load => Op::F32Load { dst, ptr, offset },
            L::F64Load => Op::F64Load { dst, ptr, offset },
            L::I32Load8S => Op::I32Load8S { dst, ptr, offset },
            L::I32Load8U => Op::I32Load8U { dst, ptr, offset },
            L::I32Load16S => Op::I32Load16S { dst, ptr, offset },
            L::I32Load16U => Op::I32Load16U { dst, ptr, offset },
            L::I64Load8S => Op::I64Load8S { dst, ptr, offset },
            L::I64Load8U => Op::I64Load8U { dst, ptr, offset },
            L::I64Load16S => Op::I64Load16S { dst, ptr, offset },
            L::I64Load16U => Op::I64Load16U { dst, ptr, offset },
            L::I64Load32S => Op::I64Load32S { dst, ptr, offset },
            L::I64Load32U => Op::I64Load32U { dst, ptr, offset },
        });
        self.consumed(k, o, h);
        Ok(())
    }

    /// For an access with offset 0 whose address operand `o` (in `ptr`) is a temporary that
    /// the last op computed as `i32.add base idx`, with no label bound since: the add's
    /// operands, so the caller can replace the add with a fused `*_idx` access (the caller
    /// pops the add). The temporary is dead afterwards (the access consumed it), and nothing
    /// ran between the add and the access, so `base`/`idx` still hold the add's inputs.
    fn take_address_add(&self, o: Operand, ptr: Slot, offset: u32) -> Option<(Slot, Slot)> {
        if offset != 0 || o != Operand::Temp || self.ops.len() <= self.barrier {
            return None;
        }
        match self.ops.last() {
            Some(&Op::I32Add { dst, lhs, rhs }) if dst == ptr => Some((lhs, rhs)),
            _ => None,
        }
    }

    fn store(&mut self, op: wvm_binary::StoreOp, m: &MemArg) -> Result<(), Error> {
        use wvm_binary::StoreOp as S;
        let offset = Self::memarg_offset(m)?;
        let (vo, vh) = self.pop();
        let val = self.slot_for(vo, vh);
        let (o, h) = self.pop();
        let ptr = self.slot_for(o, h);
        if let Some((base, idx)) = self.take_address_add(o, ptr, offset) {
            let f = match op {
                S::I32Store => Some(Op::I32StoreIdx { base, idx, val }),
                S::I64Store => Some(Op::I64StoreIdx { base, idx, val }),
                S::F64Store => Some(Op::F64StoreIdx { base, idx, val }),
                S::I32Store8 => Some(Op::I32Store8Idx { base, idx, val }),
                _ => None,
            };
            if let Some(f) = f {
                self.replace_last(f);
                return Ok(());
            }
        }
        let k = self.emit(match op {
            S::I32Store => Op::I32Store { ptr, val, offset },
            S::I64Store => Op::I64Store { ptr, val, offset },
            S::F32Store => Op::F32Store { ptr, val, offset },
            S::F64Store => Op::F64Store { ptr, val, offset },
            S::I32Store8 => Op::I32Store8 { ptr, val, offset },
            S::I32Store16 => Op::I32Store16 { ptr, val, offset },
            S::I64Store8 => Op::I64Store8 { ptr, val, offset },
            S::I64Store16 => Op::I64Store16 { ptr, val, offset },
            S::I64Store32 => Op::I64Store32 { ptr, val, offset },
        });
        self.consumed(k, o, h);
        self.consumed(k, vo, vh);
        Ok(())
    }

    fn call(&mut self, ctx: &ModuleCtx<'_>, f: u32) -> Result<(), Error> {
        let ty = ctx
            .func_types
            .get(f as usize)
            .and_then(|t| ctx.module.types.get(*t as usize))
            .ok_or_else(|| unsupported("unknown function"))?;
        let (p, r) = (cells_len(&ty.params), cells_len(&ty.results));
        let args = self.pop_args(p);
        for _ in 0..r {
            self.push_temp();
        }
        if f < ctx.num_imported_funcs {
            self.emit(Op::Call { func: f, args });
        } else {
            self.emit(Op::CallInternal {
                def: f - ctx.num_imported_funcs,
                args,
            });
        }
        Ok(())
    }

    fn call_indirect(
        &mut self,
        ctx: &ModuleCtx<'_>,
        type_idx: u32,
        table: u32,
    ) -> Result<(), Error> {
        let ty = ctx
            .module
            .types
            .get(type_idx as usize)
            .ok_or_else(|| unsupported("unknown type"))?;
        let type_id = ctx
            .type_ids
            .get(type_idx as usize)
            .copied()
            .unwrap_or(u32::MAX);
        let (p, r) = (cells_len(&ty.params), cells_len(&ty.results));
        let index = self.pop_slot();
        let args = self.pop_args(p);
        for _ in 0..r {
            self.push_temp();
        }
        self.emit(Op::CallIndirect {
            type_id,
            index,
            args,
        });
        self.emit(Op::Extra { a: table, b: 0 });
        Ok(())
    }

    fn select(&mut self) {
        let (c, hc) = self.pop();
        // A condition the last op just computed is in the accumulator (no label bound since,
        // so no other path arrives here): one op, and no copy of a local first operand. The
        // last op may have written it to a temporary or, through `local.tee`, to a local.
        let cond_slot = match c {
            Operand::Temp => Some(self.slot_at(hc)),
            Operand::Local(l) => Some(Slot(l)),
            Operand::Const(_) => None,
        };
        let cond_in_acc = cond_slot.is_some()
            && self.ops.len() > self.barrier
            && self.ops.last().and_then(|op| {
                let mut op = *op;
                op.dst_mut().copied()
            }) == cond_slot;
        if cond_in_acc {
            let (b, hb) = self.pop();
            let (a, ha) = self.pop();
            let dst = self.slot_at(ha);
            let (a_slot, b_slot) = (self.slot_for(a, ha), self.slot_for(b, hb));
            self.push_temp();
            let k = self.emit(Op::SelectCondAcc {
                dst,
                a: a_slot,
                b: b_slot,
            });
            self.consumed(k, c, hc);
            return;
        }
        let cond = self.slot_for(c, hc);
        let (b, hb) = self.pop();
        let (a, ha) = self.pop();
        let acc = self.slot_at(ha);
        // Put the first operand into the result slot, then overwrite it if `cond == 0`.
        match a {
            Operand::Temp => {}
            Operand::Local(l) => {
                self.emit(Op::Copy {
                    dst: acc,
                    src: Slot(l),
                });
            }
            Operand::Const(c) => self.emit_const(acc, c),
        }
        let b = self.slot_for(b, hb);
        self.push_temp();
        self.emit(Op::Select { acc, b, cond });
    }

    fn local_set(&mut self, x: u32, tee: bool) {
        let top = self.stack.len().saturating_sub(1);
        let v = self.stack.get(top).copied().unwrap_or(Operand::Temp);
        if v == Operand::Local(x) {
            if !tee {
                self.stack.pop();
            }
            return;
        }
        // Pending reads of `x` deeper in the stack must see the old value.
        let before = self.ops.len();
        for h in 0..top {
            if self.stack[h] == Operand::Local(x) {
                self.materialize(h);
            }
        }
        let materialized = self.ops.len() != before;
        let mut new_top = v;
        match v {
            Operand::Temp => {
                let slot = self.slot_at(top);
                let retargeted = !materialized
                    && self.ops.len() > self.barrier
                    && match self.ops.last_mut().and_then(|op| op.dst_mut()) {
                        Some(d) if *d == slot => {
                            *d = Slot(x);
                            true
                        }
                        _ => false,
                    };
                if retargeted {
                    new_top = Operand::Local(x);
                } else {
                    let k = self.emit(Op::Copy {
                        dst: Slot(x),
                        src: slot,
                    });
                    if !tee {
                        // `local.set` pops the value: the copy is its last reader.
                        self.consumed(k, v, top);
                    }
                }
            }
            Operand::Local(l) => {
                self.emit(Op::Copy {
                    dst: Slot(x),
                    src: Slot(l),
                });
            }
            Operand::Const(c) => self.emit_const(Slot(x), c),
        }
        if tee {
            if let Some(t) = self.stack.last_mut() {
                *t = new_top;
            }
        } else {
            self.stack.pop();
        }
    }

    fn numeric(&mut self, op: NumOp) {
        use NumOp::*;
        match op {
            // Bit-preserving conversions are free: every 32-bit reader truncates its cell.
            I32ReinterpretF32 | F32ReinterpretI32 | I64ReinterpretF64 | F64ReinterpretI64 => {}
            I32WrapI64 => {
                if let Some(Operand::Const(c)) = self.stack.last_mut() {
                    *c = *c as u32 as u64;
                }
            }
            _ if op.params().len() == 1 => {
                let (o, h) = self.pop();
                let src = self.slot_for(o, h);
                let dst = self.push_temp();
                if let Some(u) = num_map::unary(op, dst, src) {
                    let k = self.emit(u);
                    self.consumed(k, o, h);
                }
            }
            _ => self.binary(op),
        }
    }

    fn binary(&mut self, op: NumOp) {
        let (b, hb) = self.pop();
        let (a, ha) = self.pop();
        let dst = self.slot_at(ha);
        let is64 = op.params()[0] == wvm_binary::ValType::I64;
        let imm_of = |o: Operand| match o {
            Operand::Const(c) if !is64 => Some(c as u32 as i32),
            Operand::Const(c) if (c as i64) == (c as i64 as i32 as i64) => Some(c as i64 as i32),
            _ => None,
        };
        if !matches!(a, Operand::Const(_)) {
            if let Some(imm) = imm_of(b) {
                let lhs = self.slot_for(a, ha);
                if let Some(o) = num_map::binary_imm(op, dst, lhs, imm) {
                    self.push_temp();
                    let k = self.emit(o);
                    self.consumed(k, a, ha);
                    return;
                }
            }
        } else if !matches!(b, Operand::Const(_)) {
            if let (Some(imm), Some(m)) = (imm_of(a), control::mirror(op)) {
                let lhs = self.slot_for(b, hb);
                if let Some(o) = num_map::binary_imm(m, dst, lhs, imm) {
                    self.push_temp();
                    let k = self.emit(o);
                    self.consumed(k, b, hb);
                    return;
                }
            }
        }
        let lhs = self.slot_for(a, ha);
        let rhs = self.slot_for(b, hb);
        self.push_temp();
        if let Some(o) = num_map::binary(op, dst, lhs, rhs) {
            let k = self.emit(o);
            self.consumed(k, a, ha);
            self.consumed(k, b, hb);
        }
    }
}

#[cfg(test)]
mod tests;
