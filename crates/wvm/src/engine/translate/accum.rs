//! The accumulator pass: lets an op read the value the op right before it computed from the
//! executor's accumulator register instead of from the frame.
//!
//! Every op that writes a `dst` cell also leaves the value in the accumulator
//! (`Exec::set`). When the next op reads that cell, the round trip through memory is a store
//! followed at once by a load of the same address, which the processor can only forward with
//! a latency of several cycles; on a chain of dependent ops (a hash, a recurrence, an address
//! computation) that latency is most of the cost. The pass replaces such a reader with its
//! `*_acc` variant (generated in `acc_map.rs`), which reads the accumulator instead; the
//! cell is still written, so later readers are unaffected.
//!
//! When, besides, the reader is the only op that ever reads that value — a temporary the
//! reader's instruction popped (`Translator::consumed` records those) — the writer becomes
//! its register-result variant (`*_reg`, `res: Acc`), which skips the store and the load of
//! its `dst` field: the value lives only in the accumulator, for the one op that reads it.
//! Temporaries are never read after they are popped (the next value at that height is
//! written first), and only single-op consumers are recorded, so the cell is dead.
//!
//! An `f64` operand read this way comes from a second, float accumulator (`Exec::facc`, a
//! vector register), which only the ops that compute an `f64` write
//! (`acc_map::writes_facc`); after any other op (a `copy`, the bit-level `f64.neg`) an `f64`
//! reader keeps reading its cell.
//!
//! Only when the reader can be reached from nowhere but its predecessor: not at a branch
//! target (another path may arrive with another accumulator). Calls, returns, host calls and
//! fuel charges never write a `dst`, so an op after them is never rewritten; a stack-guard
//! bounce of the threaded backend saves and restores the accumulator.

use super::acc_map::{reads_facc, to_acc, writes_acc, writes_facc};
use super::reg_map::to_reg;
use crate::engine::ops::Op;

#[cfg(test)]
thread_local! {
    /// Tests of other translator rules switch the pass off to see the plain ops.
    pub(super) static DISABLED: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// Rewrites readers of the previous op's result to read the accumulator, and lets that op
/// leave its result only in the accumulator when its reader is the value's last (`consumed`:
/// `(op, slot)` pairs, see `Translator::consumed`; sorted here).
/// `is_target` marks the branch targets (`fuse::mark_branch_targets`).
pub(super) fn use_accumulator(ops: &mut [Op], consumed: &mut [(u32, u32)], is_target: &[bool]) {
    #[cfg(test)]
    if DISABLED.with(|d| d.get()) {
        return;
    }
    consumed.sort_unstable();
    let n = ops.len();
    for i in 1..n {
        if is_target.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some(d) = writes_acc(&ops[i - 1]) else {
            continue;
        };
        // `select_cond_acc` reads the accumulator by construction (see `Translator::select`).
        let reads_acc = match to_acc(&ops[i], d) {
            // An `f64` operand comes from the float accumulator, which only the ops that
            // compute an `f64` set.
            Some(new) if reads_facc(&new) && !writes_facc(&ops[i - 1]) => false,
            Some(new) => {
                ops[i] = new;
                true
            }
            None => matches!(ops[i], Op::SelectCondAcc { .. }),
        };
        if reads_acc && consumed.binary_search(&(i as u32, d.0)).is_ok() {
            if let Some(reg) = to_reg(&ops[i - 1]) {
                ops[i - 1] = reg;
            }
        }
    }
}
