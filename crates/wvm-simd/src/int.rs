//! Integer lane arithmetic, comparisons, shifts and the whole-vector bitwise operators.
//!
//! Each function works on fixed-size lane arrays without per-lane branches so LLVM emits vector
//! instructions for it.

use crate::{mask, V128};

/// Defines `fn(a, b) -> V128` applying `$e` to each lane pair of the same lane type.
macro_rules! lanewise2 {
    ($($(#[$doc:meta])* $name:ident: $to:ident, $from:ident, |$a:ident, $b:ident| $e:expr;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128, b: V128) -> V128 {
            let (x, y) = (a.$to(), b.$to());
            let mut r = x;
            for ((r, &$a), &$b) in r.iter_mut().zip(x.iter()).zip(y.iter()) {
                *r = $e;
            }
            V128::$from(r)
        }
    )*};
}
pub(crate) use lanewise2;

/// Defines `fn(a) -> V128` applying `$e` to each lane.
macro_rules! lanewise1 {
    ($($(#[$doc:meta])* $name:ident: $to:ident, $from:ident, |$a:ident| $e:expr;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(a: V128) -> V128 {
            let mut r = a.$to();
            for r in r.iter_mut() {
                let $a = *r;
                *r = $e;
            }
            V128::$from(r)
        }
    )*};
}
pub(crate) use lanewise1;

/// Defines `fn(a, amount) -> V128`: the shift count is taken modulo the lane width.
macro_rules! shifts {
    ($($name:ident: $to:ident, $from:ident, $bits:expr, $op:tt;)*) => {$(
        #[inline]
        pub fn $name(a: V128, amount: u32) -> V128 {
            let s = amount & ($bits - 1);
            let mut r = a.$to();
            for r in r.iter_mut() {
                *r $op s;
            }
            V128::$from(r)
        }
    )*};
}

/// Portable implementations of every operator in this module. The parent module
/// re-exports them, except where a faster target-specific version replaces one.
pub mod portable {
    #[allow(unused_imports)]
    use super::*;

    // ---- v128 bitwise ----

    #[inline]
    pub fn v128_not(a: V128) -> V128 {
        V128(!a.0)
    }
    #[inline]
    pub fn v128_and(a: V128, b: V128) -> V128 {
        V128(a.0 & b.0)
    }
    #[inline]
    pub fn v128_andnot(a: V128, b: V128) -> V128 {
        V128(a.0 & !b.0)
    }
    #[inline]
    pub fn v128_or(a: V128, b: V128) -> V128 {
        V128(a.0 | b.0)
    }
    #[inline]
    pub fn v128_xor(a: V128, b: V128) -> V128 {
        V128(a.0 ^ b.0)
    }
    /// Bits of `a` where `c` is 1, of `b` where it is 0.
    #[inline]
    pub fn v128_bitselect(a: V128, b: V128, c: V128) -> V128 {
        V128((a.0 & c.0) | (b.0 & !c.0))
    }
    /// 1 if any bit is set.
    #[inline]
    pub fn v128_any_true(a: V128) -> u32 {
        (a.0 != 0) as u32
    }

    // ---- add / sub / mul ----

    lanewise2! {
        i8x16_add: to_u8x16, from_u8x16, |a, b| a.wrapping_add(b);
        i8x16_sub: to_u8x16, from_u8x16, |a, b| a.wrapping_sub(b);
        i8x16_add_sat_s: to_i8x16, from_i8x16, |a, b| a.saturating_add(b);
        i8x16_add_sat_u: to_u8x16, from_u8x16, |a, b| a.saturating_add(b);
        i8x16_sub_sat_s: to_i8x16, from_i8x16, |a, b| a.saturating_sub(b);
        i8x16_sub_sat_u: to_u8x16, from_u8x16, |a, b| a.saturating_sub(b);
        i16x8_add: to_u16x8, from_u16x8, |a, b| a.wrapping_add(b);
        i16x8_sub: to_u16x8, from_u16x8, |a, b| a.wrapping_sub(b);
        i16x8_mul: to_u16x8, from_u16x8, |a, b| a.wrapping_mul(b);
        i16x8_add_sat_s: to_i16x8, from_i16x8, |a, b| a.saturating_add(b);
        i16x8_add_sat_u: to_u16x8, from_u16x8, |a, b| a.saturating_add(b);
        i16x8_sub_sat_s: to_i16x8, from_i16x8, |a, b| a.saturating_sub(b);
        i16x8_sub_sat_u: to_u16x8, from_u16x8, |a, b| a.saturating_sub(b);
        i32x4_add: to_u32x4, from_u32x4, |a, b| a.wrapping_add(b);
        i32x4_sub: to_u32x4, from_u32x4, |a, b| a.wrapping_sub(b);
        i32x4_mul: to_u32x4, from_u32x4, |a, b| a.wrapping_mul(b);
        i64x2_add: to_u64x2, from_u64x2, |a, b| a.wrapping_add(b);
        i64x2_sub: to_u64x2, from_u64x2, |a, b| a.wrapping_sub(b);
        i64x2_mul: to_u64x2, from_u64x2, |a, b| a.wrapping_mul(b);
    }

    // ---- min / max / avgr ----

    lanewise2! {
        i8x16_min_s: to_i8x16, from_i8x16, |a, b| a.min(b);
        i8x16_min_u: to_u8x16, from_u8x16, |a, b| a.min(b);
        i8x16_max_s: to_i8x16, from_i8x16, |a, b| a.max(b);
        i8x16_max_u: to_u8x16, from_u8x16, |a, b| a.max(b);
        i16x8_min_s: to_i16x8, from_i16x8, |a, b| a.min(b);
        i16x8_min_u: to_u16x8, from_u16x8, |a, b| a.min(b);
        i16x8_max_s: to_i16x8, from_i16x8, |a, b| a.max(b);
        i16x8_max_u: to_u16x8, from_u16x8, |a, b| a.max(b);
        i32x4_min_s: to_i32x4, from_i32x4, |a, b| a.min(b);
        i32x4_min_u: to_u32x4, from_u32x4, |a, b| a.min(b);
        i32x4_max_s: to_i32x4, from_i32x4, |a, b| a.max(b);
        i32x4_max_u: to_u32x4, from_u32x4, |a, b| a.max(b);
        /// Rounding average `(a + b + 1) / 2` computed without overflow.
        i8x16_avgr_u: to_u8x16, from_u8x16, |a, b| ((a as u16 + b as u16 + 1) >> 1) as u8;
        /// Rounding average `(a + b + 1) / 2` computed without overflow.
        i16x8_avgr_u: to_u16x8, from_u16x8, |a, b| ((a as u32 + b as u32 + 1) >> 1) as u16;
        /// Q15 rounding multiply; only `MIN * MIN` saturates.
        i16x8_q15mulr_sat_s: to_i16x8, from_i16x8, |a, b| {
            ((a as i32 * b as i32 + 0x4000) >> 15).clamp(i16::MIN as i32, i16::MAX as i32) as i16
        };
    }

    // ---- abs / neg / popcnt ----

    lanewise1! {
        /// `abs(MIN)` is `MIN` (wrapping).
        i8x16_abs: to_i8x16, from_i8x16, |a| a.wrapping_abs();
        i8x16_neg: to_i8x16, from_i8x16, |a| a.wrapping_neg();
        /// `abs(MIN)` is `MIN` (wrapping).
        i16x8_abs: to_i16x8, from_i16x8, |a| a.wrapping_abs();
        i16x8_neg: to_i16x8, from_i16x8, |a| a.wrapping_neg();
        /// `abs(MIN)` is `MIN` (wrapping).
        i32x4_abs: to_i32x4, from_i32x4, |a| a.wrapping_abs();
        i32x4_neg: to_i32x4, from_i32x4, |a| a.wrapping_neg();
        /// `abs(MIN)` is `MIN` (wrapping).
        i64x2_abs: to_i64x2, from_i64x2, |a| a.wrapping_abs();
        i64x2_neg: to_i64x2, from_i64x2, |a| a.wrapping_neg();
    }

    /// Per-byte population count, SWAR on the whole `u128`: no step carries or borrows
    /// across a byte boundary.
    #[inline]
    pub fn i8x16_popcnt(a: V128) -> V128 {
        const M1: u128 = 0x5555_5555_5555_5555_5555_5555_5555_5555;
        const M2: u128 = 0x3333_3333_3333_3333_3333_3333_3333_3333;
        const M4: u128 = 0x0f0f_0f0f_0f0f_0f0f_0f0f_0f0f_0f0f_0f0f;
        let x = a.0;
        let x = x - ((x >> 1) & M1);
        let x = (x & M2) + ((x >> 2) & M2);
        V128((x + (x >> 4)) & M4)
    }

    // ---- comparisons: all-ones lanes for true ----

    lanewise2! {
        i8x16_eq: to_u8x16, from_u8x16, |a, b| mask(a == b);
        i8x16_ne: to_u8x16, from_u8x16, |a, b| mask(a != b);
        i8x16_lt_s: to_i8x16, from_i8x16, |a, b| mask(a < b);
        i8x16_lt_u: to_u8x16, from_u8x16, |a, b| mask(a < b);
        i8x16_gt_s: to_i8x16, from_i8x16, |a, b| mask(a > b);
        i8x16_gt_u: to_u8x16, from_u8x16, |a, b| mask(a > b);
        i8x16_le_s: to_i8x16, from_i8x16, |a, b| mask(a <= b);
        i8x16_le_u: to_u8x16, from_u8x16, |a, b| mask(a <= b);
        i8x16_ge_s: to_i8x16, from_i8x16, |a, b| mask(a >= b);
        i8x16_ge_u: to_u8x16, from_u8x16, |a, b| mask(a >= b);
        i16x8_eq: to_u16x8, from_u16x8, |a, b| mask(a == b);
        i16x8_ne: to_u16x8, from_u16x8, |a, b| mask(a != b);
        i16x8_lt_s: to_i16x8, from_i16x8, |a, b| mask(a < b);
        i16x8_lt_u: to_u16x8, from_u16x8, |a, b| mask(a < b);
        i16x8_gt_s: to_i16x8, from_i16x8, |a, b| mask(a > b);
        i16x8_gt_u: to_u16x8, from_u16x8, |a, b| mask(a > b);
        i16x8_le_s: to_i16x8, from_i16x8, |a, b| mask(a <= b);
        i16x8_le_u: to_u16x8, from_u16x8, |a, b| mask(a <= b);
        i16x8_ge_s: to_i16x8, from_i16x8, |a, b| mask(a >= b);
        i16x8_ge_u: to_u16x8, from_u16x8, |a, b| mask(a >= b);
        i32x4_eq: to_u32x4, from_u32x4, |a, b| mask(a == b);
        i32x4_ne: to_u32x4, from_u32x4, |a, b| mask(a != b);
        i32x4_lt_s: to_i32x4, from_i32x4, |a, b| mask(a < b);
        i32x4_lt_u: to_u32x4, from_u32x4, |a, b| mask(a < b);
        i32x4_gt_s: to_i32x4, from_i32x4, |a, b| mask(a > b);
        i32x4_gt_u: to_u32x4, from_u32x4, |a, b| mask(a > b);
        i32x4_le_s: to_i32x4, from_i32x4, |a, b| mask(a <= b);
        i32x4_le_u: to_u32x4, from_u32x4, |a, b| mask(a <= b);
        i32x4_ge_s: to_i32x4, from_i32x4, |a, b| mask(a >= b);
        i32x4_ge_u: to_u32x4, from_u32x4, |a, b| mask(a >= b);
        i64x2_eq: to_u64x2, from_u64x2, |a, b| mask(a == b);
        i64x2_ne: to_u64x2, from_u64x2, |a, b| mask(a != b);
        i64x2_lt_s: to_i64x2, from_i64x2, |a, b| mask(a < b);
        i64x2_gt_s: to_i64x2, from_i64x2, |a, b| mask(a > b);
        i64x2_le_s: to_i64x2, from_i64x2, |a, b| mask(a <= b);
        i64x2_ge_s: to_i64x2, from_i64x2, |a, b| mask(a >= b);
    }

    // ---- shifts (count modulo lane width) ----

    shifts! {
        i8x16_shl: to_u8x16, from_u8x16, 8, <<=;
        i8x16_shr_s: to_i8x16, from_i8x16, 8, >>=;
        i8x16_shr_u: to_u8x16, from_u8x16, 8, >>=;
        i16x8_shl: to_u16x8, from_u16x8, 16, <<=;
        i16x8_shr_s: to_i16x8, from_i16x8, 16, >>=;
        i16x8_shr_u: to_u16x8, from_u16x8, 16, >>=;
        i32x4_shl: to_u32x4, from_u32x4, 32, <<=;
        i32x4_shr_s: to_i32x4, from_i32x4, 32, >>=;
        i32x4_shr_u: to_u32x4, from_u32x4, 32, >>=;
        i64x2_shl: to_u64x2, from_u64x2, 64, <<=;
        i64x2_shr_s: to_i64x2, from_i64x2, 64, >>=;
        i64x2_shr_u: to_u64x2, from_u64x2, 64, >>=;
    }

    // ---- widening: extmul, extadd_pairwise, dot ----

    /// Defines `fn(a, b)` multiplying lanes `$off..$off+N` of `a` and `b`, widened to `$wide`.
    macro_rules! extmul {
        ($($name:ident: $to:ident, $from:ident, $wide:ty, $n:expr, $off:expr;)*) => {$(
            #[inline]
            pub fn $name(a: V128, b: V128) -> V128 {
                let (x, y) = (a.$to(), b.$to());
                let r: [$wide; $n] =
                    core::array::from_fn(|i| (x[i + $off] as $wide).wrapping_mul(y[i + $off] as $wide));
                V128::$from(r)
            }
        )*};
    }
    extmul! {
        i16x8_extmul_low_i8x16_s: to_i8x16, from_i16x8, i16, 8, 0;
        i16x8_extmul_high_i8x16_s: to_i8x16, from_i16x8, i16, 8, 8;
        i16x8_extmul_low_i8x16_u: to_u8x16, from_u16x8, u16, 8, 0;
        i16x8_extmul_high_i8x16_u: to_u8x16, from_u16x8, u16, 8, 8;
        i32x4_extmul_low_i16x8_s: to_i16x8, from_i32x4, i32, 4, 0;
        i32x4_extmul_high_i16x8_s: to_i16x8, from_i32x4, i32, 4, 4;
        i32x4_extmul_low_i16x8_u: to_u16x8, from_u32x4, u32, 4, 0;
        i32x4_extmul_high_i16x8_u: to_u16x8, from_u32x4, u32, 4, 4;
        i64x2_extmul_low_i32x4_s: to_i32x4, from_i64x2, i64, 2, 0;
        i64x2_extmul_high_i32x4_s: to_i32x4, from_i64x2, i64, 2, 2;
        i64x2_extmul_low_i32x4_u: to_u32x4, from_u64x2, u64, 2, 0;
        i64x2_extmul_high_i32x4_u: to_u32x4, from_u64x2, u64, 2, 2;
    }

    /// Defines `fn(a)` adding adjacent lane pairs, widened to `$wide`.
    macro_rules! extadd {
        ($($name:ident: $to:ident, $from:ident, $wide:ty, $n:expr;)*) => {$(
            #[inline]
            pub fn $name(a: V128) -> V128 {
                let x = a.$to();
                let r: [$wide; $n] =
                    core::array::from_fn(|i| x[2 * i] as $wide + x[2 * i + 1] as $wide);
                V128::$from(r)
            }
        )*};
    }
    extadd! {
        i16x8_extadd_pairwise_i8x16_s: to_i8x16, from_i16x8, i16, 8;
        i16x8_extadd_pairwise_i8x16_u: to_u8x16, from_u16x8, u16, 8;
        i32x4_extadd_pairwise_i16x8_s: to_i16x8, from_i32x4, i32, 4;
        i32x4_extadd_pairwise_i16x8_u: to_u16x8, from_u32x4, u32, 4;
    }

    /// Sum of the products of adjacent signed 16-bit lane pairs; `2 * MIN * MIN` wraps.
    #[inline]
    pub fn i32x4_dot_i16x8_s(a: V128, b: V128) -> V128 {
        let (x, y) = (a.to_i16x8(), b.to_i16x8());
        let r: [i32; 4] = core::array::from_fn(|i| {
            let lo = x[2 * i] as i32 * y[2 * i] as i32;
            let hi = x[2 * i + 1] as i32 * y[2 * i + 1] as i32;
            lo.wrapping_add(hi)
        });
        V128::from_i32x4(r)
    }
}

pub use portable::*;

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(feature = "portable")
))]
pub use crate::x86::int::{
    i16x8_abs, i16x8_add, i16x8_add_sat_s, i16x8_add_sat_u, i16x8_avgr_u, i16x8_eq,
    i16x8_extadd_pairwise_i8x16_s, i16x8_extadd_pairwise_i8x16_u, i16x8_extmul_high_i8x16_s,
    i16x8_extmul_high_i8x16_u, i16x8_extmul_low_i8x16_s, i16x8_extmul_low_i8x16_u, i16x8_ge_s,
    i16x8_ge_u, i16x8_gt_s, i16x8_gt_u, i16x8_le_s, i16x8_le_u, i16x8_lt_s, i16x8_lt_u,
    i16x8_max_s, i16x8_max_u, i16x8_min_s, i16x8_min_u, i16x8_mul, i16x8_ne, i16x8_neg,
    i16x8_q15mulr_sat_s, i16x8_shl, i16x8_shr_s, i16x8_shr_u, i16x8_sub, i16x8_sub_sat_s,
    i16x8_sub_sat_u, i32x4_abs, i32x4_add, i32x4_dot_i16x8_s, i32x4_eq,
    i32x4_extadd_pairwise_i16x8_s, i32x4_extadd_pairwise_i16x8_u, i32x4_ge_s, i32x4_ge_u,
    i32x4_gt_s, i32x4_gt_u, i32x4_le_s, i32x4_le_u, i32x4_lt_s, i32x4_lt_u, i32x4_ne, i32x4_neg,
    i32x4_sub, i64x2_add, i64x2_sub, i8x16_abs, i8x16_add, i8x16_add_sat_s, i8x16_add_sat_u,
    i8x16_avgr_u, i8x16_eq, i8x16_ge_s, i8x16_ge_u, i8x16_gt_s, i8x16_gt_u, i8x16_le_s, i8x16_le_u,
    i8x16_lt_s, i8x16_lt_u, i8x16_max_s, i8x16_max_u, i8x16_min_s, i8x16_min_u, i8x16_ne,
    i8x16_neg, i8x16_shl, i8x16_shr_s, i8x16_shr_u, i8x16_sub, i8x16_sub_sat_s, i8x16_sub_sat_u,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn i8s(v: [i8; 16]) -> V128 {
        V128::from_i8x16(v)
    }
    fn splat8(x: i8) -> V128 {
        i8s([x; 16])
    }
    fn splat16(x: i16) -> V128 {
        V128::from_i16x8([x; 8])
    }
    fn splat32(x: i32) -> V128 {
        V128::from_i32x4([x; 4])
    }

    #[test]
    fn saturation_bounds() {
        assert_eq!(i8x16_add_sat_s(splat8(127), splat8(1)), splat8(127));
        assert_eq!(i8x16_sub_sat_s(splat8(-128), splat8(1)), splat8(-128));
        assert_eq!(i8x16_add_sat_u(splat8(-1), splat8(1)), splat8(-1));
        assert_eq!(i8x16_sub_sat_u(splat8(0), splat8(1)), splat8(0));
        assert_eq!(
            i16x8_add_sat_s(splat16(32767), splat16(32767)),
            splat16(32767)
        );
        assert_eq!(i16x8_sub_sat_u(splat16(5), splat16(7)), splat16(0));
        assert_eq!(i8x16_add(splat8(127), splat8(1)), splat8(-128));
    }

    #[test]
    fn abs_neg_min() {
        assert_eq!(i8x16_abs(splat8(-128)), splat8(-128));
        assert_eq!(i16x8_abs(splat16(-5)), splat16(5));
        assert_eq!(i32x4_abs(splat32(i32::MIN)), splat32(i32::MIN));
        assert_eq!(i32x4_neg(splat32(i32::MIN)), splat32(i32::MIN));
        assert_eq!(
            i64x2_abs(V128::from_i64x2([i64::MIN, -3])),
            V128::from_i64x2([i64::MIN, 3])
        );
        assert_eq!(i8x16_popcnt(splat8(-1)), splat8(8));
        assert_eq!(i8x16_popcnt(splat8(0x55)), splat8(4));
    }

    #[test]
    fn min_max_avgr_q15() {
        assert_eq!(i8x16_min_s(splat8(-1), splat8(1)), splat8(-1));
        assert_eq!(i8x16_min_u(splat8(-1), splat8(1)), splat8(1));
        assert_eq!(i32x4_max_u(splat32(-1), splat32(1)), splat32(-1));
        assert_eq!(i8x16_avgr_u(splat8(-1), splat8(-1)), splat8(-1));
        assert_eq!(i8x16_avgr_u(splat8(1), splat8(2)), splat8(2));
        assert_eq!(i16x8_avgr_u(splat16(-1), splat16(0)), splat16(-32768));
        assert_eq!(
            i16x8_q15mulr_sat_s(splat16(i16::MIN), splat16(i16::MIN)),
            splat16(i16::MAX)
        );
        assert_eq!(
            i16x8_q15mulr_sat_s(splat16(16384), splat16(16384)),
            splat16(8192)
        );
        // 0.5 * 1/32768 rounds up: (1 * 16384 + 0x4000) >> 15 == 1
        assert_eq!(i16x8_q15mulr_sat_s(splat16(1), splat16(16384)), splat16(1));
    }

    #[test]
    fn comparisons_give_masks() {
        let a = V128::from_i32x4([1, -1, 5, i32::MIN]);
        let b = V128::from_i32x4([1, 1, 4, i32::MAX]);
        assert_eq!(i32x4_eq(a, b), V128::from_i32x4([-1, 0, 0, 0]));
        assert_eq!(i32x4_lt_s(a, b), V128::from_i32x4([0, -1, 0, -1]));
        assert_eq!(i32x4_lt_u(a, b), V128::from_i32x4([0, 0, 0, 0]));
        assert_eq!(i32x4_ge_u(a, b), V128::from_i32x4([-1, -1, -1, -1]));
        assert_eq!(
            i64x2_gt_s(V128::from_i64x2([0, -1]), V128::from_i64x2([-1, 0])),
            V128::from_i64x2([-1, 0])
        );
    }

    #[test]
    fn shifts_mod_width() {
        assert_eq!(i8x16_shl(splat8(1), 9), splat8(2));
        assert_eq!(i8x16_shr_s(splat8(-128), 7), splat8(-1));
        assert_eq!(i8x16_shr_u(splat8(-128), 7), splat8(1));
        assert_eq!(i32x4_shl(splat32(1), 32), splat32(1));
        assert_eq!(i32x4_shr_s(splat32(-8), 33), splat32(-4));
        assert_eq!(
            i64x2_shr_u(V128::from_i64x2([-1, 4]), 65),
            V128::from_i64x2([i64::MAX, 2])
        );
    }

    #[test]
    fn widening_ops() {
        assert_eq!(
            i16x8_extmul_low_i8x16_s(splat8(-128), splat8(-128)),
            splat16(16384)
        );
        assert_eq!(
            i16x8_extmul_high_i8x16_u(splat8(-1), splat8(-1)),
            V128::from_u16x8([65025; 8])
        );
        let a = V128::from_i32x4([-1, 2, i32::MIN, 4]);
        assert_eq!(
            i64x2_extmul_high_i32x4_s(a, a),
            V128::from_i64x2([1 << 62, 16])
        );
        assert_eq!(
            i64x2_extmul_low_i32x4_u(a, splat32(2)),
            V128::from_i64x2([0x1_ffff_fffe, 4])
        );
        assert_eq!(i16x8_extadd_pairwise_i8x16_s(splat8(-128)), splat16(-256));
        assert_eq!(i16x8_extadd_pairwise_i8x16_u(splat8(-1)), splat16(510));
        assert_eq!(i32x4_extadd_pairwise_i16x8_u(splat16(-1)), splat32(131070));
        assert_eq!(
            i32x4_dot_i16x8_s(splat16(i16::MIN), splat16(i16::MIN)),
            splat32(i32::MIN)
        );
        assert_eq!(i32x4_dot_i16x8_s(splat16(3), splat16(-2)), splat32(-12));
    }

    #[test]
    fn bitwise() {
        let a = V128(0xff00);
        let b = V128(0x0ff0);
        assert_eq!(v128_andnot(a, b), V128(0xf000));
        assert_eq!(v128_bitselect(V128(u128::MAX), V128(0), b), b);
        assert_eq!(v128_any_true(V128(0)), 0);
        assert_eq!(v128_any_true(V128(1 << 127)), 1);
        assert_eq!(v128_not(V128(0)), V128(u128::MAX));
    }
}
