//! The translator's operand stack: where each Wasm value currently lives.

use super::{Operand, Translator};
use crate::engine::ops::{Op, Slot};

impl Translator {
    /// The temporary slot of stack height `h`.
    pub(super) fn slot_at(&self, h: usize) -> Slot {
        Slot(self.num_locals + h as u32)
    }

    pub(super) fn push(&mut self, o: Operand) {
        self.stack.push(o);
        self.max_height = self.max_height.max(self.stack.len() as u32);
    }

    /// Pushes a temporary and returns its slot.
    pub(super) fn push_temp(&mut self) -> Slot {
        self.push(Operand::Temp);
        self.slot_at(self.stack.len() - 1)
    }

    /// Pops an operand and returns it with its height. Validation guarantees the operand
    /// exists; an empty stack (impossible after validation) yields a temporary.
    pub(super) fn pop(&mut self) -> (Operand, usize) {
        let o = self.stack.pop().unwrap_or(Operand::Temp);
        (o, self.stack.len())
    }

    /// Pops an operand and returns a slot holding it (constants are materialized).
    pub(super) fn pop_slot(&mut self) -> Slot {
        let (o, h) = self.pop();
        self.slot_for(o, h)
    }

    /// The slot holding operand `o` that stood at height `h` (for reading only); constants
    /// are read from the frame's constant area.
    pub(super) fn slot_for(&mut self, o: Operand, h: usize) -> Slot {
        match o {
            Operand::Local(l) => Slot(l),
            Operand::Temp => self.slot_at(h),
            Operand::Const(c) => self.const_slot(c),
        }
    }

    /// The placeholder slot of constant `c` (deduplicated per function).
    pub(super) fn const_slot(&mut self, c: u64) -> Slot {
        let next = self.consts.len() as u32;
        let k = *self.const_slots.entry(c).or_insert(next);
        if k == next {
            self.consts.push(c);
        }
        Slot(super::CONST_BASE + k)
    }

    pub(super) fn emit_const(&mut self, dst: Slot, c: u64) {
        if c <= u32::MAX as u64 {
            self.emit(Op::Const32 { dst, val: c as u32 });
        } else {
            self.emit(Op::Const64 { dst, val: c });
        }
    }

    /// Moves the operand at height `h` into its temporary slot.
    pub(super) fn materialize(&mut self, h: usize) {
        let dst = self.slot_at(h);
        match self.stack[h] {
            Operand::Temp => return,
            Operand::Local(l) => {
                self.emit(Op::Copy { dst, src: Slot(l) });
            }
            Operand::Const(c) => self.emit_const(dst, c),
        }
        self.stack[h] = Operand::Temp;
    }

    /// Materializes the top `n` operands into consecutive temporaries, pops them and returns
    /// the first slot (calls and bulk operations read their arguments from there).
    pub(super) fn pop_args(&mut self, n: usize) -> Slot {
        let len = self.stack.len();
        let first = len.saturating_sub(n);
        for h in first..len {
            self.materialize(h);
        }
        self.stack.truncate(first);
        // The argument slot must lie inside the frame even when there are no arguments.
        self.max_height = self.max_height.max(first as u32 + 1);
        self.slot_at(first)
    }

    /// Materializes every pending local read (and the top `params` operands), so values stay
    /// correct on every path through the block being entered.
    pub(super) fn materialize_for_block(&mut self, params: u32) {
        let len = self.stack.len();
        let first_param = len.saturating_sub(params as usize);
        for h in 0..len {
            if h >= first_param || matches!(self.stack[h], Operand::Local(_)) {
                self.materialize(h);
            }
        }
    }
}
