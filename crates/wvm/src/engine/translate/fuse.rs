//! The copy-fusion pass: a `copy` takes over the `copy` or the `br` right after it.
//!
//! Compiled loops move values between locals in pairs (a loop-carried variable shuffled at
//! the end of a round, arguments set up before a call), often right before the branch back
//! to the loop header, and every op costs a dispatch. So:
//! * of two `copy` ops in a row, the first becomes a `copy2`, which does both in order (the
//!   second may read what the first wrote), leaves the second value in the accumulator as
//!   the second `copy` did, and continues after the second. `copy2` packs its four slots
//!   into 16 bits each, so a pair with a slot of 65536 or more stays as it is;
//! * a `copy`, or such a pair, followed by a `br` becomes `copy_br` or `copy2_br`, which
//!   jumps where the `br` would have.
//!
//! The ops taken over stay in place, never executed (so no op moves and no branch offset
//! changes), and only when no branch lands on them: every path to them passed the first op.
//! The pass runs last, after the final slot layout and the accumulator pass.

use crate::engine::ops::{Op, Slot, Slot16};

/// Marks in `is_target` (resized to `ops.len() + 1`) every index a branch of `ops` lands on.
pub(super) fn mark_branch_targets(ops: &[Op], is_target: &mut Vec<bool>) {
    let n = ops.len();
    is_target.clear();
    is_target.resize(n + 1, false);
    for (i, op) in ops.iter().enumerate() {
        if !op.has_target() {
            continue;
        }
        let mut op = *op;
        if let Some(t) = op.target_mut() {
            if let Ok(j) = usize::try_from(i as i64 + *t as i64) {
                if let Some(m) = is_target.get_mut(j) {
                    *m = true;
                }
            }
        }
    }
}

/// The copies `a` then `b` as one `copy2`, if all four slots fit in 16 bits.
fn pair(a: Op, b: Op) -> Option<Op> {
    let (Op::Copy { dst: d1, src: s1 }, Op::Copy { dst: d2, src: s2 }) = (a, b) else {
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

/// Fuses copies with the `copy` or `br` after them (see the module documentation).
/// `is_target` comes from [`mark_branch_targets`] of these ops.
pub(super) fn fuse_copies(ops: &mut [Op], is_target: &[bool]) {
    let n = ops.len();
    // The op at `j` if no branch lands on it.
    let free = |ops: &[Op], j: usize| (j < n && is_target.get(j) == Some(&false)).then(|| ops[j]);
    // The offset, relative to `from`, of the `br` at `j`'s target, if `j` holds a free `br`.
    let br_from = |ops: &[Op], j: usize, from: usize| match free(ops, j) {
        Some(Op::Br { target }) => target.checked_add((j - from) as i32),
        _ => None,
    };
    let mut i = 0;
    while i < n {
        let Op::Copy { dst, src } = ops[i] else {
            i += 1;
            continue;
        };
        let copy2 = free(ops, i + 1).and_then(|b| pair(ops[i], b));
        match copy2 {
            Some(Op::Copy2 {
                dst1,
                src1,
                dst2,
                src2,
            }) => {
                ops[i] = match br_from(ops, i + 2, i) {
                    Some(target) => Op::Copy2Br {
                        dst1,
                        src1,
                        dst2,
                        src2,
                        target,
                    },
                    None => Op::Copy2 {
                        dst1,
                        src1,
                        dst2,
                        src2,
                    },
                };
                i += 2;
            }
            _ => {
                if let Some(target) = br_from(ops, i + 1, i) {
                    ops[i] = Op::CopyBr { dst, src, target };
                }
                i += 1;
            }
        }
    }
}
