//! Translation of `v128` values and the SIMD instructions.
//!
//! A `v128` occupies two consecutive frame cells (low half first) and, on the translator's
//! operand stack, two entries: one per cell. Block arities, call arguments and results are
//! therefore counted in cells, and everything that moves values around (branches, block
//! results, calls, returns) needs no special case. Only the instructions whose operand type
//! the translator cannot see (`drop`, untyped `select`) ask the validator for a width hint.

use super::{unsupported, ModuleCtx, Operand, Translator};
use crate::engine::ops::{Args3, Op, Slot, V128Args3, V128Slot};
use crate::error::Error;
use wvm_binary::simd::{SimdMemOp, SimdOp};
use wvm_binary::{ImportDesc, Instr, MemArg, ValType};
use wvm_simd::SimdShape;
use wvm_validate::FuncValidator;

/// Per-function `v128` layout state of the translator.
#[derive(Default)]
pub(crate) struct WideState {
    /// Whether the current `drop`/`select` operates on a `v128`.
    pub(super) hint: bool,
    /// When some local is a `v128`: runs `(first local, first cell, is v128)`; else empty
    /// (local `i` is cell `i`).
    runs: Vec<(u32, u32, bool)>,
    /// Which globals of the module being translated are `v128`, and that module's address.
    v128_globals: Vec<bool>,
    globals_of: usize,
}

impl WideState {
    /// Lays out parameters and locals; returns the number of cells they take.
    pub(super) fn layout_locals(&mut self, params: &[ValType], locals: &[(u32, ValType)]) -> u64 {
        self.runs.clear();
        let count: u64 = params.len() as u64 + locals.iter().map(|(n, _)| *n as u64).sum::<u64>();
        let any = params.contains(&ValType::V128)
            || locals.iter().any(|(n, t)| *n > 0 && *t == ValType::V128);
        if !any {
            return count;
        }
        let (mut idx, mut cell) = (0u64, 0u64);
        let runs = params
            .iter()
            .map(|t| (1u32, *t))
            .chain(locals.iter().copied());
        for (n, t) in runs {
            if n == 0 {
                continue;
            }
            let wide = t == ValType::V128;
            // Values beyond `u32` are never used: the caller rejects such frames.
            self.runs.push((idx as u32, cell as u32, wide));
            idx += n as u64;
            cell += n as u64 * if wide { 2 } else { 1 };
        }
        cell
    }

    /// The first cell of local `i` and whether it is a `v128`.
    fn local(&self, i: u32) -> (u32, bool) {
        if self.runs.is_empty() {
            return (i, false);
        }
        let k = self.runs.partition_point(|r| r.0 <= i).saturating_sub(1);
        match self.runs.get(k) {
            Some(&(first, cell, wide)) => {
                let w = if wide { 2 } else { 1 };
                (
                    cell.wrapping_add(i.wrapping_sub(first).wrapping_mul(w)),
                    wide,
                )
            }
            None => (i, false),
        }
    }
}

/// The width hint for `instr`, read from the validator before it visits `instr`.
pub(super) fn wide_hint(v: &FuncValidator<'_>, instr: &Instr) -> bool {
    match instr {
        Instr::Drop => v.operand_type(0) == Some(ValType::V128),
        Instr::Select => v.operand_type(1) == Some(ValType::V128),
        Instr::SelectTyped(t) => t.first() == Some(&ValType::V128),
        _ => false,
    }
}

/// Whether global `idx` of the module is a `v128` (cached per module in `w`).
pub(super) fn is_v128_global(w: &mut WideState, ctx: &ModuleCtx<'_>, idx: u32) -> bool {
    let key = ctx.module as *const _ as usize;
    if w.globals_of != key {
        w.globals_of = key;
        w.v128_globals.clear();
        for imp in &ctx.module.imports {
            if let ImportDesc::Global(t) = &imp.desc {
                w.v128_globals.push(t.val == ValType::V128);
            }
        }
        for g in &ctx.module.globals {
            w.v128_globals.push(g.ty.val == ValType::V128);
        }
    }
    w.v128_globals.get(idx as usize).copied().unwrap_or(false)
}

/// The dedicated op for a hot binary operator (the generic `SimdBinary` dispatches again).
fn dedicated_binary(op: SimdOp, out: V128Slot, a: V128Slot, b: V128Slot) -> Option<Op> {
    use SimdOp::*;
    Some(match op {
        I8x16Add => Op::SimdI8x16Add { out, a, b },
        I8x16Sub => Op::SimdI8x16Sub { out, a, b },
        I16x8Add => Op::SimdI16x8Add { out, a, b },
        I16x8Sub => Op::SimdI16x8Sub { out, a, b },
        I16x8Mul => Op::SimdI16x8Mul { out, a, b },
        I32x4Add => Op::SimdI32x4Add { out, a, b },
        I32x4Sub => Op::SimdI32x4Sub { out, a, b },
        I32x4Mul => Op::SimdI32x4Mul { out, a, b },
        I32x4MinS => Op::SimdI32x4MinS { out, a, b },
        I32x4MaxS => Op::SimdI32x4MaxS { out, a, b },
        V128And => Op::SimdV128And { out, a, b },
        V128Or => Op::SimdV128Or { out, a, b },
        V128Xor => Op::SimdV128Xor { out, a, b },
        I8x16NarrowI16x8U => Op::SimdI8x16NarrowI16x8U { out, a, b },
        I16x8NarrowI32x4U => Op::SimdI16x8NarrowI32x4U { out, a, b },
        F32x4Add => Op::SimdF32x4Add { out, a, b },
        F32x4Sub => Op::SimdF32x4Sub { out, a, b },
        F32x4Mul => Op::SimdF32x4Mul { out, a, b },
        F64x2Add => Op::SimdF64x2Add { out, a, b },
        F64x2Mul => Op::SimdF64x2Mul { out, a, b },
        _ => return None,
    })
}

/// The dedicated op for a hot unary operator.
fn dedicated_unary(op: SimdOp, out: V128Slot, a: V128Slot) -> Option<Op> {
    use SimdOp::*;
    Some(match op {
        I16x8ExtendLowI8x16U => Op::SimdI16x8ExtendLowI8x16U { out, a },
        I16x8ExtendHighI8x16U => Op::SimdI16x8ExtendHighI8x16U { out, a },
        I32x4ExtendLowI16x8U => Op::SimdI32x4ExtendLowI16x8U { out, a },
        I32x4ExtendHighI16x8U => Op::SimdI32x4ExtendHighI16x8U { out, a },
        _ => return None,
    })
}

/// The dedicated op for a hot shift.
fn dedicated_shift(op: SimdOp, out: V128Slot, a: V128Slot, amount: Slot) -> Option<Op> {
    use SimdOp::*;
    Some(match op {
        I16x8Shl => Op::SimdI16x8Shl { out, a, amount },
        I16x8ShrU => Op::SimdI16x8ShrU { out, a, amount },
        I32x4Shl => Op::SimdI32x4Shl { out, a, amount },
        I32x4ShrS => Op::SimdI32x4ShrS { out, a, amount },
        I32x4ShrU => Op::SimdI32x4ShrU { out, a, amount },
        _ => return None,
    })
}

impl Translator {
    /// The offset and memory index of a SIMD memory access (any memory, unlike scalar
    /// accesses, since the multi-memory SIMD spec tests use them).
    fn simd_memarg(m: &MemArg) -> Result<(u32, u8), Error> {
        let mem = u8::try_from(m.memory).map_err(|_| unsupported("memory index above 255"))?;
        let offset =
            u32::try_from(m.offset).map_err(|_| unsupported("memory offsets above 4 GiB"))?;
        Ok((offset, mem))
    }

    /// Pushes a `v128` temporary (two cells) and returns its slot.
    fn push_v128(&mut self) -> V128Slot {
        let s = self.push_temp();
        self.push_temp();
        V128Slot(s.0)
    }

    /// Pops a `v128` operand and returns two consecutive cells holding it (materializing
    /// its halves into their temporaries unless it is a whole local).
    fn pop_v128(&mut self) -> V128Slot {
        let len = self.stack.len();
        let Some(h) = len.checked_sub(2) else {
            // Impossible after validation.
            self.stack.clear();
            return V128Slot(self.slot_at(0).0);
        };
        let s = match (self.stack[h], self.stack[h + 1]) {
            (Operand::Local(a), Operand::Local(b)) if b == a.wrapping_add(1) => Slot(a),
            _ => {
                self.materialize(h);
                self.materialize(h + 1);
                self.slot_at(h)
            }
        };
        self.stack.truncate(h);
        V128Slot(s.0)
    }

    pub(super) fn local_get_any(&mut self, i: u32) {
        let (c, wide) = self.wide.local(i);
        self.push(Operand::Local(c));
        if wide {
            self.push(Operand::Local(c + 1));
        }
    }

    pub(super) fn local_set_any(&mut self, i: u32, tee: bool) {
        let (c, wide) = self.wide.local(i);
        if !wide {
            return self.local_set(c, tee);
        }
        self.local_set(c + 1, false);
        self.local_set(c, false);
        if tee {
            self.push(Operand::Local(c));
            self.push(Operand::Local(c + 1));
        }
    }

    pub(super) fn global_get_v128(&mut self, idx: u32) {
        let out = self.push_v128();
        self.emit(Op::GlobalGetV128 { out, idx });
    }

    pub(super) fn global_set_v128(&mut self, idx: u32) {
        let src = self.pop_v128();
        self.emit(Op::GlobalSetV128 { src, idx });
    }

    /// `select` of two `v128`s: one scalar select per half.
    pub(super) fn select_v128(&mut self) {
        let cond = self.pop_slot();
        let (bh, hbh) = self.pop();
        let (bl, hbl) = self.pop();
        let Some(h) = self.stack.len().checked_sub(2) else {
            return;
        };
        self.materialize(h);
        self.materialize(h + 1);
        let acc = self.slot_at(h);
        let bl = self.slot_for(bl, hbl);
        let bh = self.slot_for(bh, hbh);
        self.emit(Op::Select { acc, b: bl, cond });
        self.emit(Op::Select {
            acc: Slot(acc.0 + 1),
            b: bh,
            cond,
        });
    }

    /// Translates one SIMD instruction.
    pub(super) fn simd(&mut self, instr: &Instr) -> Result<(), Error> {
        match instr {
            Instr::V128Const(b) => {
                let v = u128::from_le_bytes(*b);
                self.push(Operand::Const(v as u64));
                self.push(Operand::Const((v >> 64) as u64));
            }
            Instr::I8x16Shuffle(lanes) => {
                let b = self.pop_v128();
                let a = self.pop_v128();
                let out = self.push_v128();
                self.emit(Op::SimdShuffle { out, a, b });
                for half in lanes.chunks_exact(8) {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(half);
                    let w = u64::from_le_bytes(w);
                    self.emit(Op::Extra {
                        a: w as u32,
                        b: (w >> 32) as u32,
                    });
                }
            }
            Instr::Simd(op) => {
                let op = *op;
                match wvm_simd::shape(op) {
                    SimdShape::Unary => {
                        let a = self.pop_v128();
                        let out = self.push_v128();
                        self.emit(dedicated_unary(op, out, a).unwrap_or(Op::SimdUnary {
                            out,
                            a,
                            op,
                        }));
                    }
                    SimdShape::Binary => {
                        let b = self.pop_v128();
                        let a = self.pop_v128();
                        let out = self.push_v128();
                        self.emit(dedicated_binary(op, out, a, b).unwrap_or(Op::SimdBinary {
                            out,
                            a,
                            b,
                            op,
                        }));
                    }
                    SimdShape::Ternary => {
                        let args = self.pop_args(6);
                        self.push_v128();
                        self.emit(Op::SimdTernary {
                            args: V128Args3(args.0),
                            op,
                        });
                    }
                    SimdShape::Test => {
                        let a = self.pop_v128();
                        let dst = self.push_temp();
                        self.emit(Op::SimdTest { dst, a, op });
                    }
                    SimdShape::Splat => {
                        let a = self.pop_slot();
                        let out = self.push_v128();
                        self.emit(Op::SimdSplat { out, a, op });
                    }
                    SimdShape::Shift => {
                        let amount = self.pop_slot();
                        let a = self.pop_v128();
                        let out = self.push_v128();
                        self.emit(
                            dedicated_shift(op, out, a, amount).unwrap_or(Op::SimdShift {
                                out,
                                a,
                                amount,
                                op,
                            }),
                        );
                    }
                }
            }
            Instr::SimdLane(op, lane) => {
                let (op, lane) = (*op, *lane);
                if op.params().len() == 1 {
                    let a = self.pop_v128();
                    let dst = self.push_temp();
                    self.emit(Op::SimdExtractLane { dst, a, op, lane });
                } else {
                    let b = self.pop_slot();
                    let a = self.pop_v128();
                    let out = self.push_v128();
                    self.emit(Op::SimdReplaceLane {
                        out,
                        a,
                        b,
                        op,
                        lane,
                    });
                }
            }
            Instr::SimdMem(op, m) => {
                let (op, (offset, mem)) = (*op, Self::simd_memarg(m)?);
                if op.is_store() {
                    let val = self.pop_v128();
                    let ptr = self.pop_slot();
                    if mem == 0 {
                        self.emit(Op::SimdV128Store { ptr, val, offset });
                        return Ok(());
                    }
                    self.emit(Op::SimdStore {
                        ptr,
                        val,
                        offset,
                        mem,
                    });
                } else {
                    let ptr = self.pop_slot();
                    let out = self.push_v128();
                    if mem == 0 && op == SimdMemOp::V128Load {
                        self.emit(Op::SimdV128Load { out, ptr, offset });
                        return Ok(());
                    }
                    self.emit(Op::SimdLoad {
                        out,
                        ptr,
                        offset,
                        op,
                        mem,
                    });
                }
            }
            Instr::SimdMemLane(op, m, lane) => {
                let (op, lane, (offset, mem)) = (*op, *lane, Self::simd_memarg(m)?);
                if op.is_store() {
                    let args = Args3(self.pop_args(3).0);
                    self.emit(Op::SimdStoreLane {
                        args,
                        offset,
                        op,
                        lane,
                        mem,
                    });
                } else {
                    let args = self.pop_args(3);
                    self.push_v128();
                    self.emit(Op::SimdLoadLane {
                        args: Args3(args.0),
                        offset,
                        op,
                        lane,
                        mem,
                    });
                }
            }
            _ => return Err(unsupported("this SIMD instruction")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Module};

    fn module(wat: &str) -> Module {
        Module::new(&Engine::default(), wat).unwrap()
    }

    #[test]
    fn locals_are_laid_out_in_cells() {
        let mut w = WideState::default();
        let cells = w.layout_locals(
            &[ValType::I32, ValType::V128, ValType::I64],
            &[(2, ValType::V128), (0, ValType::V128), (3, ValType::F32)],
        );
        assert_eq!(cells, 1 + 2 + 1 + 4 + 3);
        let got: Vec<_> = (0..8).map(|i| w.local(i)).collect();
        assert_eq!(
            got,
            vec![
                (0, false),
                (1, true),
                (3, false),
                (4, true),
                (6, true),
                (8, false),
                (9, false),
                (10, false)
            ]
        );
        // Without v128 locals, local i is cell i.
        assert_eq!(w.layout_locals(&[ValType::I32], &[(5, ValType::I64)]), 6);
        assert_eq!(w.local(4), (4, false));
    }

    #[test]
    fn scalar_after_v128_param_reads_the_right_cell() {
        let m = module("(module (func (param i32 v128 i64) (result i64) local.get 2))");
        let f = m.compiled_func(0).unwrap();
        assert_eq!(f.ops(), &[Op::ReturnSlot { src: Slot(3) }]);
        assert_eq!((f.num_params, f.num_results), (4, 1));
    }

    #[test]
    fn v128_ops_read_locals_in_place_and_results_take_two_cells() {
        let m = module(
            "(module (func (param v128) (result v128)
               local.get 0 local.get 0 i32x4.add))",
        );
        let f = m.compiled_func(0).unwrap();
        assert_eq!(
            f.ops().first(),
            Some(&Op::SimdI32x4Add {
                out: V128Slot(2),
                a: V128Slot(0),
                b: V128Slot(0),
            })
        );
        assert_eq!((f.num_params, f.num_results), (2, 2));
        assert!(f.frame_size() >= 4);
    }

    #[test]
    fn hot_operators_get_dedicated_ops_and_others_the_generic_ones() {
        let m = module(
            "(module (memory 1) (func (param i32 v128) (result v128)
               (v128.store offset=4 (local.get 0) (local.get 1))
               (i16x8.extend_low_i8x16_u (v128.load offset=8 (local.get 0)))
               (i32x4.shl (local.get 1) (i32.const 3))
               i16x8.avgr_u))",
        );
        let f = m.compiled_func(0).unwrap();
        let ops = f.ops();
        assert!(
            matches!(ops[0], Op::SimdV128Store { offset: 4, .. }),
            "{ops:?}"
        );
        assert!(
            matches!(ops[1], Op::SimdV128Load { offset: 8, .. }),
            "{ops:?}"
        );
        assert!(
            matches!(ops[2], Op::SimdI16x8ExtendLowI8x16U { .. }),
            "{ops:?}"
        );
        assert!(matches!(ops[3], Op::SimdI32x4Shl { .. }), "{ops:?}");
        assert!(
            matches!(
                ops[4],
                Op::SimdBinary {
                    op: SimdOp::I16x8AvgrU,
                    ..
                }
            ),
            "{ops:?}"
        );
    }
}
