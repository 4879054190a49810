//! Branches, traps, copies, constants and `select`.

use super::{Exec, Res, Src, Stop};
use crate::engine::ops::{Acc, Op, Slot, Slot16};
use crate::error::TrapCode;

#[inline(always)]
pub(super) fn trap(_x: &mut Exec<'_, '_>, code: TrapCode) -> Res {
    Err(Stop::Trap(code))
}

#[inline(always)]
pub(super) fn extra(_x: &mut Exec<'_, '_>, _a: u32, _b: u32) -> Res {
    // Never executed: the op that owns it skips it.
    Err(Stop::Trap(TrapCode::Unreachable))
}

#[inline(always)]
pub(super) fn copy(x: &mut Exec<'_, '_>, dst: Slot, src: impl Src) -> Res {
    let v: u64 = x.get(src);
    x.set(dst, v);
    Ok(())
}

/// The two copies of `copy2` and `copy2_br`, in order: the second may read what the first
/// wrote.
#[inline(always)]
fn copy_pair(x: &mut Exec<'_, '_>, dst1: Slot16, src1: Slot16, dst2: Slot16, src2: Slot16) {
    let a: u64 = x.get(Slot::from(src1));
    x.set(Slot::from(dst1), a);
    let b: u64 = x.get(Slot::from(src2));
    x.set(Slot::from(dst2), b);
}

#[inline(always)]
pub(super) fn copy2(
    x: &mut Exec<'_, '_>,
    dst1: Slot16,
    src1: Slot16,
    dst2: Slot16,
    src2: Slot16,
) -> Res {
    copy_pair(x, dst1, src1, dst2, src2);
    // The next op is the second `copy`, taken over by this one: continue after it.
    // SAFETY: `verify` proved that two more ops follow a `copy2`, so `pc` (one past this
    // op) plus one is still an op of the function.
    x.pc = unsafe { x.pc.add(1) };
    Ok(())
}

#[inline(always)]
pub(super) fn copy_br(x: &mut Exec<'_, '_>, dst: Slot, src: Slot, target: i32) -> Res {
    copy(x, dst, src)?;
    x.jump(target);
    Ok(())
}

#[inline(always)]
pub(super) fn copy2_br(
    x: &mut Exec<'_, '_>,
    dst1: Slot16,
    src1: Slot16,
    dst2: Slot16,
    src2: Slot16,
    target: i32,
) -> Res {
    copy_pair(x, dst1, src1, dst2, src2);
    x.jump(target);
    Ok(())
}

#[inline(always)]
pub(super) fn const32(x: &mut Exec<'_, '_>, dst: Slot, val: u32) -> Res {
    x.set(dst, val);
    Ok(())
}

#[inline(always)]
pub(super) fn const64(x: &mut Exec<'_, '_>, dst: Slot, val: u64) -> Res {
    x.set(dst, val);
    Ok(())
}

#[inline(always)]
pub(super) fn select(x: &mut Exec<'_, '_>, acc: Slot, b: Slot, cond: Slot) -> Res {
    // Branch-free on purpose: the condition is often data-dependent (e.g. a sign test), and
    // a mispredicted branch here costs more than always reading `b` and selecting with a
    // conditional move.
    let a: u64 = x.get(acc);
    let bv: u64 = x.get(b);
    let c = x.get::<u32>(cond);
    x.set(acc, core::hint::select_unpredictable(c != 0, a, bv));
    Ok(())
}

/// `select` with its condition in the accumulator; the translator emits it only right after
/// the op that computed the condition, never at a branch target.
#[inline(always)]
pub(super) fn select_cond_acc(x: &mut Exec<'_, '_>, dst: Slot, a: Slot, b: Slot) -> Res {
    let c = x.get::<u32>(Acc);
    let av: u64 = x.get(a);
    let bv: u64 = x.get(b);
    x.set(dst, core::hint::select_unpredictable(c != 0, av, bv));
    Ok(())
}

#[inline(always)]
pub(super) fn br(x: &mut Exec<'_, '_>, target: i32) -> Res {
    x.jump(target);
    Ok(())
}

#[inline(always)]
pub(super) fn br_if_nez(x: &mut Exec<'_, '_>, cond: impl Src, target: i32) -> Res {
    if x.get::<u32>(cond) != 0 {
        x.jump(target);
    }
    Ok(())
}

#[inline(always)]
pub(super) fn br_if_eqz(x: &mut Exec<'_, '_>, cond: impl Src, target: i32) -> Res {
    if x.get::<u32>(cond) == 0 {
        x.jump(target);
    }
    Ok(())
}

#[inline(always)]
pub(super) fn br_table(x: &mut Exec<'_, '_>, index: Slot, len: u32) -> Res {
    let i = x.get::<u32>(index).min(len);
    // SAFETY: `verify` proved `len + 1` `Br` ops follow the `BrTable`; `pc` points at the
    // first of them, so `pc + i` with `i <= len` is one of them.
    x.pc = unsafe { x.pc.add(i as usize) };
    // SAFETY: as above, the op at `pc` is an entry of the table.
    match unsafe { (*x.pc).op } {
        Op::Br { target } => {
            // `jump` is relative to the executing op, which is this entry.
            // SAFETY: the entry is inside the function, so one past it is in bounds.
            x.pc = unsafe { x.pc.add(1) };
            x.jump(target);
            Ok(())
        }
        _ => Err(Stop::Trap(TrapCode::Unreachable)),
    }
}

macro_rules! br_cmp {
    ($($name:ident, $imm:ident, $t:ty, |$a:ident, $b:ident| $e:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, lhs: impl Src, rhs: Slot, target: i32) -> Res {
            let $a: $t = x.get(lhs);
            let $b: $t = x.get(rhs);
            if $e {
                x.jump(target);
            }
            Ok(())
        }
        #[inline(always)]
        pub(super) fn $imm(x: &mut Exec<'_, '_>, lhs: impl Src, imm: i32, target: i32) -> Res {
            let $a: $t = x.get(lhs);
            let $b: $t = imm as $t;
            if $e {
                x.jump(target);
            }
            Ok(())
        }
    )*};
}

br_cmp! {
    br_if_i32_eq, br_if_i32_eq_imm, i32, |a, b| a == b;
    br_if_i32_ne, br_if_i32_ne_imm, i32, |a, b| a != b;
    br_if_i32_lt_s, br_if_i32_lt_s_imm, i32, |a, b| a < b;
    br_if_i32_lt_u, br_if_i32_lt_u_imm, i32, |a, b| (a as u32) < (b as u32);
    br_if_i32_gt_s, br_if_i32_gt_s_imm, i32, |a, b| a > b;
    br_if_i32_gt_u, br_if_i32_gt_u_imm, i32, |a, b| (a as u32) > (b as u32);
    br_if_i32_le_s, br_if_i32_le_s_imm, i32, |a, b| a <= b;
    br_if_i32_le_u, br_if_i32_le_u_imm, i32, |a, b| (a as u32) <= (b as u32);
    br_if_i32_ge_s, br_if_i32_ge_s_imm, i32, |a, b| a >= b;
    br_if_i32_ge_u, br_if_i32_ge_u_imm, i32, |a, b| (a as u32) >= (b as u32);
    br_if_i64_eq, br_if_i64_eq_imm, i64, |a, b| a == b;
    br_if_i64_ne, br_if_i64_ne_imm, i64, |a, b| a != b;
    br_if_i64_lt_s, br_if_i64_lt_s_imm, i64, |a, b| a < b;
    br_if_i64_lt_u, br_if_i64_lt_u_imm, i64, |a, b| (a as u64) < (b as u64);
    br_if_i64_gt_s, br_if_i64_gt_s_imm, i64, |a, b| a > b;
    br_if_i64_gt_u, br_if_i64_gt_u_imm, i64, |a, b| (a as u64) > (b as u64);
    br_if_i64_le_s, br_if_i64_le_s_imm, i64, |a, b| a <= b;
    br_if_i64_le_u, br_if_i64_le_u_imm, i64, |a, b| (a as u64) <= (b as u64);
    br_if_i64_ge_s, br_if_i64_ge_s_imm, i64, |a, b| a >= b;
    br_if_i64_ge_u, br_if_i64_ge_u_imm, i64, |a, b| (a as u64) >= (b as u64);
}
