//! The copy-pair pass: two consecutive `copy` ops become one `copy2`.
//!
//! Compiled loops move values between locals in pairs (a loop-carried variable shuffled at
//! the end of a round, arguments set up before a call), and every op costs a dispatch. Two
//! `copy` ops in a row, the second not a branch target, are replaced by one `copy2`, which
//! does both in order (so the second may read what the first wrote) and leaves the second
//! value in the accumulator, as the second `copy` did. `copy2` packs its four slots into 16
//! bits each, so a pair with a slot of 65536 or more stays as it is.
//!
//! The pass runs last, after the final slot layout and the accumulator pass. Removing ops
//! moves the ones after them, so every branch offset is recomputed, and the byte offset of
//! each op (for trap locations) goes with it. Only `copy` ops are removed: a `br_table` keeps
//! its entries right behind it, and a `call_indirect` or `i8x16.shuffle` its `extra` ops.

use crate::engine::ops::{Op, Slot, Slot16};

/// The pair `(dst1, src1, dst2, src2)` as one `copy2`, if both are copies and all four
/// slots fit in 16 bits.
fn pair(a: &Op, b: &Op) -> Option<Op> {
    let (Op::Copy { dst: d1, src: s1 }, Op::Copy { dst: d2, src: s2 }) = (*a, *b) else {
        return None;
    };
    let s = |s: Slot| u16::try_from(s.0).ok().map(Slot16);
    Some(Op::Copy2 {
        dst1: s(d1)?,
        src1: s(s1)?,
        dst2: s(d2)?,
        src2: s(s2)?,
    })
}

/// The index a branch at `i` lands on, if `op` is a branch and that index is not negative.
fn target_of(i: usize, op: &Op) -> Option<usize> {
    if !op.has_target() {
        return None;
    }
    let mut op = *op;
    op.target_mut()
        .and_then(|t| usize::try_from(i as i64 + *t as i64).ok())
}

/// Fuses copy pairs in `ops`; `offsets` holds each op's byte offset and is kept in step.
/// `new_index` is a scratch buffer (reused from function to function).
pub(super) fn fuse_copies(ops: &mut Vec<Op>, offsets: &mut Vec<u32>, new_index: &mut Vec<u32>) {
    if !ops.windows(2).any(|w| pair(&w[0], &w[1]).is_some()) {
        return;
    }
    let n = ops.len();
    // First the branch targets: `new_index[j] == 1` marks one.
    new_index.clear();
    new_index.resize(n + 1, 0);
    for (i, op) in ops.iter().enumerate() {
        if let Some(j) = target_of(i, op) {
            if let Some(t) = new_index.get_mut(j) {
                *t = 1;
            }
        }
    }
    // Then the new index of every op; the second op of a fused pair gets its pair's, so a
    // pair starts at `i` exactly when `new_index[i + 1] == new_index[i]`.
    let mut next = 0u32;
    let mut i = 0;
    while i < n {
        let fuse = i + 1 < n && new_index[i + 1] == 0 && pair(&ops[i], &ops[i + 1]).is_some();
        new_index[i] = next;
        if fuse {
            new_index[i + 1] = next;
            i += 1;
        }
        next += 1;
        i += 1;
    }
    new_index[n] = next;
    // Compact in place (`w <= i` throughout), recomputing branch offsets.
    let mut w = 0;
    let mut i = 0;
    while i < n {
        let mut op = ops[i];
        let fused = i + 1 < n && new_index[i + 1] == new_index[i];
        if fused {
            if let Some(p) = pair(&ops[i], &ops[i + 1]) {
                op = p;
            }
        } else if let Some(j) = target_of(i, &op) {
            let to = new_index.get(j).copied().unwrap_or(next);
            if let Some(t) = op.target_mut() {
                *t = (to as i64 - new_index[i] as i64) as i32;
            }
        }
        ops[w] = op;
        if let Some(&o) = offsets.get(i) {
            if let Some(slot) = offsets.get_mut(w) {
                *slot = o;
            }
        }
        w += 1;
        i += if fused { 2 } else { 1 };
    }
    ops.truncate(w);
    offsets.truncate(w);
}
