//! The copy-fusion pass: a `copy` joins the `copy` or the `br` right after it.
//!
//! Compiled loops move values between locals in pairs (a loop-carried variable shuffled at
//! the end of a round, arguments set up before a call), often right before the branch back
//! to the loop header, and every op costs a dispatch. So:
//! * two `copy` ops in a row become one `copy2`, which does both in order (the second may
//!   read what the first wrote) and leaves the second value in the accumulator, as the
//!   second `copy` did. `copy2` packs its four slots into 16 bits each, so a pair with a
//!   slot of 65536 or more stays as it is;
//! * a `copy` or such a pair followed by a `br` becomes `copy_br` or `copy2_br`.
//!
//! Ops after the first of a group must not be branch targets. The pass runs last, after the
//! final slot layout and the accumulator pass. Removing ops moves the ones after them, so
//! every branch offset is recomputed, and the byte offset of each op (for trap locations)
//! goes with it (a group keeps its first op's). Only `copy` and `br` ops that are not branch
//! targets are removed, and a `br` only when a `copy` precedes it: a `br_table` keeps its
//! entries (each a `br` right behind the table or another entry) and a `call_indirect` or
//! `i8x16.shuffle` its `extra` ops.

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

/// How many ops from `i` on fuse into one (1: none). `targets[j] != 0` marks branch targets.
fn group_len(ops: &[Op], i: usize, targets: &[u32]) -> usize {
    let free = |j: usize| j < ops.len() && targets.get(j) == Some(&0);
    let is_br = |j: usize| free(j) && matches!(ops[j], Op::Br { .. });
    if !matches!(ops[i], Op::Copy { .. }) {
        return 1;
    }
    if free(i + 1) && pair(&ops[i], &ops[i + 1]).is_some() {
        return if is_br(i + 2) { 3 } else { 2 };
    }
    if is_br(i + 1) {
        2
    } else {
        1
    }
}

/// Fuses copy groups in `ops`; `offsets` holds each op's byte offset and is kept in step.
/// `new_index` is a scratch buffer (reused from function to function).
pub(super) fn fuse_copies(ops: &mut Vec<Op>, offsets: &mut Vec<u32>, new_index: &mut Vec<u32>) {
    let fusable = |w: &[Op]| match (w[0], w[1]) {
        (Op::Copy { .. }, Op::Br { .. }) => true,
        (a, b) => pair(&a, &b).is_some(),
    };
    if !ops.windows(2).any(fusable) {
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
    // Then the new index of every op. The later ops of a group get the group's (they are
    // not targets, so no branch asks for them); a group starting at `i` is recognised by
    // `new_index[i + 1] == new_index[i]`.
    let mut next = 0u32;
    let mut i = 0;
    while i < n {
        let len = group_len(ops, i, new_index);
        new_index[i..i + len].fill(next);
        next += 1;
        i += len;
    }
    new_index[n] = next;
    let new_target = |from: usize, j: usize| {
        let to = new_index.get(j).copied().unwrap_or(next);
        (to as i64 - new_index[from] as i64) as i32
    };
    // Compact in place (`w <= i` throughout), recomputing branch offsets.
    let mut w = 0;
    let mut i = 0;
    while i < n {
        let mut len = 1;
        while i + len < n && new_index[i + len] == new_index[i] {
            len += 1;
        }
        let mut op = ops[i];
        // The `br` ending a group, and where it lands.
        let br_target = match ops[i + len - 1] {
            Op::Br { .. } if len > 1 => target_of(i + len - 1, &ops[i + len - 1]),
            _ => None,
        };
        match (len, op, br_target) {
            (3, _, Some(j)) => {
                if let Some(Op::Copy2 {
                    dst1,
                    src1,
                    dst2,
                    src2,
                }) = pair(&ops[i], &ops[i + 1])
                {
                    op = Op::Copy2Br {
                        dst1,
                        src1,
                        dst2,
                        src2,
                        target: new_target(i, j),
                    };
                }
            }
            (2, Op::Copy { dst, src }, Some(j)) => {
                op = Op::CopyBr {
                    dst,
                    src,
                    target: new_target(i, j),
                }
            }
            (2, _, None) => {
                if let Some(p) = pair(&ops[i], &ops[i + 1]) {
                    op = p;
                }
            }
            _ => {
                if let Some(j) = target_of(i, &op) {
                    let t = new_target(i, j);
                    if let Some(tt) = op.target_mut() {
                        *tt = t;
                    }
                }
            }
        }
        ops[w] = op;
        if let Some(&o) = offsets.get(i) {
            if let Some(slot) = offsets.get_mut(w) {
                *slot = o;
            }
        }
        w += 1;
        i += len;
    }
    ops.truncate(w);
    offsets.truncate(w);
}
