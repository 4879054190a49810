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

/// The pair `(dst1, src1, dst2, src2)` as 16-bit slots, if all four fit.
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

/// Fuses copy pairs in `ops`; `offsets` holds each op's byte offset and is kept in step.
pub(super) fn fuse_copies(ops: &mut Vec<Op>, offsets: &mut Vec<u32>) {
    if !ops.windows(2).any(|w| pair(&w[0], &w[1]).is_some()) {
        return;
    }
    let n = ops.len();
    let target_of = |i: usize, op: &Op| {
        let mut op = *op;
        op.target_mut()
            .and_then(|t| usize::try_from(i as i64 + *t as i64).ok())
    };
    let mut is_target = vec![false; n + 1];
    for (i, op) in ops.iter().enumerate() {
        if let Some(j) = target_of(i, op) {
            if j <= n {
                is_target[j] = true;
            }
        }
    }
    // New index of every old op (a removed second copy gets its pair's), and whether the
    // op at each old index starts a fused pair.
    let mut new_index = Vec::with_capacity(n + 1);
    let mut fused = vec![false; n];
    let mut next = 0usize;
    let mut i = 0;
    while i < n {
        new_index.push(next);
        if i + 1 < n && !is_target[i + 1] && pair(&ops[i], &ops[i + 1]).is_some() {
            fused[i] = true;
            new_index.push(next);
            i += 1;
        }
        next += 1;
        i += 1;
    }
    new_index.push(next);
    if next == n {
        return;
    }
    let mut out = Vec::with_capacity(next);
    let mut out_offsets = Vec::with_capacity(next);
    let mut i = 0;
    while i < n {
        let mut op = ops[i];
        if fused[i] {
            if let Some(p) = pair(&ops[i], &ops[i + 1]) {
                op = p;
            }
        } else if let Some(j) = target_of(i, &ops[i]) {
            let to = new_index.get(j).copied().unwrap_or(next);
            if let Some(t) = op.target_mut() {
                *t = (to as i64 - new_index[i] as i64) as i32;
            }
        }
        out.push(op);
        out_offsets.push(offsets.get(i).copied().unwrap_or(0));
        i += if fused[i] { 2 } else { 1 };
    }
    *ops = out;
    *offsets = out_offsets;
}
