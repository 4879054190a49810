//! Structured control flow: blocks, labels, branches and returns.

use super::num_map::{self, Rhs};
use super::{Ctrl, CtrlKind, Operand, Translator};
use crate::engine::ops::{Op, Slot};
use wvm_binary::NumOp;

/// The comparison with swapped operands (`a < b` ⇔ `b > a`); commutative ops map to
/// themselves. `None` if the operands cannot be swapped.
pub(super) fn mirror(op: NumOp) -> Option<NumOp> {
    use NumOp::*;
    Some(match op {
        I32Add | I32Mul | I32And | I32Or | I32Xor | I32Eq | I32Ne => op,
        I64Add | I64Mul | I64And | I64Or | I64Xor | I64Eq | I64Ne => op,
        I32LtS => I32GtS,
        I32GtS => I32LtS,
        I32LtU => I32GtU,
        I32GtU => I32LtU,
        I32LeS => I32GeS,
        I32GeS => I32LeS,
        I32LeU => I32GeU,
        I32GeU => I32LeU,
        I64LtS => I64GtS,
        I64GtS => I64LtS,
        I64LtU => I64GtU,
        I64GtU => I64LtU,
        I64LeS => I64GeS,
        I64GeS => I64LeS,
        I64LeU => I64GeU,
        I64GeU => I64LeU,
        _ => return None,
    })
}

/// The negated comparison (`!(a < b)` ⇔ `a >= b`).
pub(super) fn negate(op: NumOp) -> Option<NumOp> {
    use NumOp::*;
    Some(match op {
        I32Eq => I32Ne,
        I32Ne => I32Eq,
        I32LtS => I32GeS,
        I32GeS => I32LtS,
        I32LtU => I32GeU,
        I32GeU => I32LtU,
        I32GtS => I32LeS,
        I32LeS => I32GtS,
        I32GtU => I32LeU,
        I32LeU => I32GtU,
        I64Eq => I64Ne,
        I64Ne => I64Eq,
        I64LtS => I64GeS,
        I64GeS => I64LtS,
        I64LtU => I64GeU,
        I64GeU => I64LtU,
        I64GtS => I64LeS,
        I64LeS => I64GtS,
        I64GtU => I64LeU,
        I64LeU => I64GtU,
        _ => return None,
    })
}

impl Translator {
    pub(super) fn set_unreachable(&mut self) {
        self.reachable = false;
        if let Some(c) = self.ctrls.last() {
            let keep = (c.height + c.params) as usize;
            self.stack.truncate(keep.min(self.stack.len()));
        }
    }

    fn bind_label(&mut self) {
        self.barrier = self.ops.len();
    }

    fn patch(&mut self, at: u32, to: usize) {
        let rel = to as i64 - at as i64;
        if let Some(t) = self.ops.get_mut(at as usize).and_then(|op| op.target_mut()) {
            *t = rel as i32;
        }
    }

    pub(super) fn enter_block(&mut self, kind: CtrlKind, params: u32, results: u32) {
        self.materialize_for_block(params);
        let height = self.stack.len() as u32 - params.min(self.stack.len() as u32);
        if kind == CtrlKind::Loop {
            self.bind_label();
        }
        let branches = self.branch_list();
        self.ctrls.push(Ctrl {
            kind,
            height,
            params,
            results,
            loop_start: self.ops.len() as u32,
            branches,
            else_jump: None,
            dead: false,
        });
    }

    pub(super) fn enter_if(&mut self, params: u32, results: u32) {
        let (cond, h) = self.pop();
        let before = self.ops.len();
        self.materialize_for_block(params);
        let fusable = self.ops.len() == before;
        let jump = self.cond_branch(cond, h, false, fusable);
        self.enter_block(CtrlKind::If, params, results);
        if let Some(c) = self.ctrls.last_mut() {
            c.else_jump = Some(jump as u32);
        }
    }

    /// Emits a branch taken when the condition `cond` (at height `h`) is non-zero
    /// (`jump_if == true`) or zero, fusing a just-computed comparison when allowed.
    /// Returns the branch op's index (its target is patched later).
    fn cond_branch(&mut self, cond: Operand, h: usize, jump_if: bool, fusable: bool) -> usize {
        if cond == Operand::Temp && fusable && self.ops.len() > self.barrier {
            let slot = self.slot_at(h);
            if let Some((op, dst, lhs, rhs)) = self.ops.last().and_then(num_map::compare_of) {
                let op = if jump_if { Some(op) } else { negate(op) };
                if let (true, Some(op)) = (dst == slot, op) {
                    let fused = match rhs {
                        Rhs::Imm(0) if op == NumOp::I32Eq => Some(Op::BrIfEqz {
                            cond: lhs,
                            target: 0,
                        }),
                        Rhs::Imm(0) if op == NumOp::I32Ne => Some(Op::BrIfNez {
                            cond: lhs,
                            target: 0,
                        }),
                        Rhs::Imm(imm) => num_map::branch_imm(op, lhs, imm, 0),
                        Rhs::Slot(rhs) => num_map::branch(op, lhs, rhs, 0),
                    };
                    if let Some(f) = fused {
                        return self.replace_last(f);
                    }
                }
            }
        }
        let cond_op = cond;
        let cond = self.slot_for(cond, h);
        let k = if jump_if {
            self.emit(Op::BrIfNez { cond, target: 0 })
        } else {
            self.emit(Op::BrIfEqz { cond, target: 0 })
        };
        self.consumed(k, cond_op, h);
        k
    }

    /// Copies the top `arity` operands into the slots of a label at `height`.
    fn copy_to_label(&mut self, height: u32, arity: u32) {
        let len = self.stack.len();
        let first = len - (arity as usize).min(len);
        for i in 0..arity as usize {
            let h = first + i;
            let dst = self.slot_at(height as usize + i);
            match self.stack[h] {
                Operand::Temp => {
                    let src = self.slot_at(h);
                    if src != dst {
                        self.emit(Op::Copy { dst, src });
                    }
                }
                Operand::Local(l) => {
                    self.emit(Op::Copy { dst, src: Slot(l) });
                }
                Operand::Const(c) => self.emit_const(dst, c),
            }
        }
    }

    /// Whether branching to `depth` needs value copies (or is a return).
    fn branch_needs_moves(&self, depth: u32) -> bool {
        let Some(c) = self
            .ctrls
            .len()
            .checked_sub(1 + depth as usize)
            .map(|i| &self.ctrls[i])
        else {
            return false;
        };
        if c.kind == CtrlKind::Func {
            return true;
        }
        let arity = if c.kind == CtrlKind::Loop {
            c.params
        } else {
            c.results
        };
        let len = self.stack.len();
        let first = len - (arity as usize).min(len);
        (0..arity as usize)
            .any(|i| self.stack[first + i] != Operand::Temp || first + i != (c.height as usize + i))
    }

    /// Emits an unconditional branch to the label `depth` levels out (with its values).
    pub(super) fn branch(&mut self, depth: u32) {
        let Some(idx) = self.ctrls.len().checked_sub(1 + depth as usize) else {
            return;
        };
        let (kind, height, arity, loop_start) = {
            let c = &self.ctrls[idx];
            let arity = if c.kind == CtrlKind::Loop {
                c.params
            } else {
                c.results
            };
            (c.kind, c.height, arity, c.loop_start)
        };
        if kind == CtrlKind::Func {
            self.emit_return();
            return;
        }
        self.copy_to_label(height, arity);
        let at = self.emit(Op::Br { target: 0 });
        self.link_branch(idx, at, kind, loop_start);
    }

    fn link_branch(&mut self, ctrl: usize, at: usize, kind: CtrlKind, loop_start: u32) {
        if kind == CtrlKind::Loop {
            self.patch(at as u32, loop_start as usize);
        } else {
            self.ctrls[ctrl].branches.push(at as u32);
        }
    }

    pub(super) fn br_if(&mut self, depth: u32) {
        let (cond, h) = self.pop();
        let Some(idx) = self.ctrls.len().checked_sub(1 + depth as usize) else {
            return;
        };
        let (kind, loop_start) = (self.ctrls[idx].kind, self.ctrls[idx].loop_start);
        if !self.branch_needs_moves(depth) {
            let at = self.cond_branch(cond, h, true, true);
            self.link_branch(idx, at, kind, loop_start);
        } else {
            // Skip the value moves and the branch when the condition is zero.
            let skip = self.cond_branch(cond, h, false, true);
            self.branch(depth);
            let here = self.ops.len();
            self.patch(skip as u32, here);
            self.bind_label();
        }
    }

    pub(super) fn br_table(&mut self, targets: &[u32], default: u32) {
        let index = self.pop_slot();
        let len = targets.len() as u32;
        self.emit(Op::BrTable { index, len });
        let mut stubs = Vec::new();
        for &d in targets.iter().chain(core::iter::once(&default)) {
            let at = self.emit(Op::Br { target: 0 });
            if self.branch_needs_moves(d) {
                stubs.push((at, d));
            } else if let Some(idx) = self.ctrls.len().checked_sub(1 + d as usize) {
                let (kind, start) = (self.ctrls[idx].kind, self.ctrls[idx].loop_start);
                self.link_branch(idx, at, kind, start);
            }
        }
        for (at, d) in stubs {
            let here = self.ops.len();
            self.patch(at as u32, here);
            self.branch(d);
        }
    }

    /// Moves the function's results into slots `0..n` and returns.
    pub(super) fn emit_return(&mut self) {
        let n = self.num_results as usize;
        let len = self.stack.len();
        let first = len - n.min(len);
        if n == 1 {
            match self.stack[first] {
                Operand::Temp => {
                    let src = self.slot_at(first);
                    let k = self.emit(Op::ReturnSlot { src });
                    // Nothing runs in this frame after the return.
                    self.consumed(k, Operand::Temp, first);
                }
                Operand::Local(l) => {
                    self.emit(Op::ReturnSlot { src: Slot(l) });
                }
                Operand::Const(c) => {
                    let src = self.const_slot(c);
                    self.emit(Op::ReturnSlot { src });
                }
            }
            return;
        }
        // A local read that a lower result slot would overwrite first is moved to its
        // temporary; temporaries sit at or above their destination, so ascending copies
        // are then safe.
        let conflict =
            (0..n).any(|i| matches!(self.stack[first + i], Operand::Local(l) if (l as usize) < n));
        if conflict {
            for h in first..len {
                self.materialize(h);
            }
        }
        for i in 0..n {
            let dst = Slot(super::RET_BASE + i as u32);
            match self.stack[first + i] {
                // Temporaries move when constants are laid out, so the copy is always needed.
                Operand::Temp => {
                    let src = self.slot_at(first + i);
                    self.emit(Op::Copy { dst, src });
                }
                Operand::Local(l) => {
                    if l != i as u32 {
                        self.emit(Op::Copy { dst, src: Slot(l) });
                    }
                }
                Operand::Const(c) => self.emit_const(dst, c),
            }
        }
        self.emit(Op::Return {});
    }

    pub(super) fn visit_else(&mut self) {
        let Some(c) = self.ctrls.last() else { return };
        if c.dead {
            return;
        }
        let (height, params, results) = (c.height, c.params, c.results);
        if self.reachable {
            self.copy_to_label(height, results);
            let at = self.emit(Op::Br { target: 0 });
            if let Some(c) = self.ctrls.last_mut() {
                c.branches.push(at as u32);
            }
        }
        let here = self.ops.len();
        if let Some(j) = self.ctrls.last_mut().and_then(|c| c.else_jump.take()) {
            self.patch(j, here);
        }
        if let Some(c) = self.ctrls.last_mut() {
            c.kind = CtrlKind::Else;
        }
        self.stack.truncate(height as usize);
        for _ in 0..params {
            self.push(Operand::Temp);
        }
        self.reachable = true;
        self.bind_label();
    }

    pub(super) fn visit_end(&mut self) {
        let Some(c) = self.ctrls.pop() else { return };
        if c.dead {
            self.recycle(c.branches);
            return;
        }
        if c.kind == CtrlKind::Func {
            if self.reachable {
                self.emit_return();
            }
            self.reachable = false;
            self.recycle(c.branches);
            return;
        }
        if self.reachable {
            self.copy_to_label(c.height, c.results);
        }
        let here = self.ops.len();
        let mut reachable = self.reachable || !c.branches.is_empty();
        for &b in &c.branches {
            self.patch(b, here);
        }
        if let Some(j) = c.else_jump {
            // `if` without `else`: the false path falls through with its parameters, which
            // are already in the result slots.
            self.patch(j, here);
            reachable = true;
        }
        self.stack.truncate(c.height as usize);
        for _ in 0..c.results {
            self.push(Operand::Temp);
        }
        self.reachable = reachable;
        self.bind_label();
        self.recycle(c.branches);
    }
}
