//! `f32x4` / `f64x2` arithmetic, rounding, min/max and comparisons.
//!
//! NaN results: hardware arithmetic (`+ - * / sqrt`) already yields a quiet NaN that keeps the
//! payload of a NaN operand, so a canonical input gives a canonical result and any input gives
//! an arithmetic NaN. Operations implemented in software ([`f32x4_min`], the rounding functions)
//! produce their NaN the same way (by adding the operands, or by setting the quiet bit), never
//! with a made-up payload. `abs`/`neg` are pure sign-bit operations, as the spec requires.

use crate::int::{lanewise1, lanewise2};
use crate::{mask, V128};

const F32_SIGN: u32 = 0x8000_0000;
const F64_SIGN: u64 = 0x8000_0000_0000_0000;
const F32_QUIET: u32 = 0x0040_0000;
const F64_QUIET: u64 = 0x0008_0000_0000_0000;

/// Sets the quiet bit of `r` if it is a NaN (so a signalling input yields an arithmetic NaN).
#[inline(always)]
fn quiet32(r: f32) -> f32 {
    f32::from_bits(r.to_bits() | ((r.is_nan() as u32) * F32_QUIET))
}
#[inline(always)]
fn quiet64(r: f64) -> f64 {
    f64::from_bits(r.to_bits() | ((r.is_nan() as u64) * F64_QUIET))
}

/// Portable implementations of every operator in this module. The parent module
/// re-exports them, except where a faster target-specific version replaces one.
pub mod portable {
    #[allow(unused_imports)]
    use super::*;

    macro_rules! minmax {
        ($($name:ident: $t:ty, $to:ident, $from:ident, $pick:tt, $zero:tt, $quiet:ident;)*) => {$(
            /// NaN if either operand is NaN; otherwise the smaller/larger with `-0 < +0`.
            #[inline]
            pub fn $name(a: V128, b: V128) -> V128 {
                let (x, y) = (a.$to(), b.$to());
                let mut r = x;
                for ((r, &a), &b) in r.iter_mut().zip(x.iter()).zip(y.iter()) {
                    // Equal operands can only differ in the sign of zero: combine the sign bits.
                    let eq = <$t>::from_bits(a.to_bits() $zero b.to_bits());
                    let ord = if a $pick b { a } else { b };
                    let v = if a == b { eq } else { ord };
                    // Rust (and LLVM) may propagate a signalling NaN through `+` unchanged
                    // (Miri does); the spec wants an arithmetic NaN, so set the quiet bit.
                    *r = if a.is_nan() || b.is_nan() { $quiet(a + b) } else { v };
                }
                V128::$from(r)
            }
        )*};
    }
    minmax! {
        f32x4_min: f32, to_f32x4, from_f32x4, <, |, quiet32;
        f32x4_max: f32, to_f32x4, from_f32x4, >, &, quiet32;
        f64x2_min: f64, to_f64x2, from_f64x2, <, |, quiet64;
        f64x2_max: f64, to_f64x2, from_f64x2, >, &, quiet64;
    }

    lanewise2! {
        f32x4_add: to_f32x4, from_f32x4, |a, b| a + b;
        f32x4_sub: to_f32x4, from_f32x4, |a, b| a - b;
        f32x4_mul: to_f32x4, from_f32x4, |a, b| a * b;
        f32x4_div: to_f32x4, from_f32x4, |a, b| a / b;
        f64x2_add: to_f64x2, from_f64x2, |a, b| a + b;
        f64x2_sub: to_f64x2, from_f64x2, |a, b| a - b;
        f64x2_mul: to_f64x2, from_f64x2, |a, b| a * b;
        f64x2_div: to_f64x2, from_f64x2, |a, b| a / b;
        /// Pseudo-minimum: `b < a ? b : a`, bit-exact (no NaN or zero-sign special cases).
        f32x4_pmin: to_f32x4, from_f32x4, |a, b| if b < a { b } else { a };
        /// Pseudo-maximum: `a < b ? b : a`, bit-exact.
        f32x4_pmax: to_f32x4, from_f32x4, |a, b| if a < b { b } else { a };
        /// Pseudo-minimum: `b < a ? b : a`, bit-exact.
        f64x2_pmin: to_f64x2, from_f64x2, |a, b| if b < a { b } else { a };
        /// Pseudo-maximum: `a < b ? b : a`, bit-exact.
        f64x2_pmax: to_f64x2, from_f64x2, |a, b| if a < b { b } else { a };
    }

    lanewise1! {
        f32x4_abs: to_u32x4, from_u32x4, |a| a & !F32_SIGN;
        f32x4_neg: to_u32x4, from_u32x4, |a| a ^ F32_SIGN;
        f64x2_abs: to_u64x2, from_u64x2, |a| a & !F64_SIGN;
        f64x2_neg: to_u64x2, from_u64x2, |a| a ^ F64_SIGN;
        f32x4_sqrt: to_f32x4, from_f32x4, |a| quiet32(a.sqrt());
        f64x2_sqrt: to_f64x2, from_f64x2, |a| quiet64(a.sqrt());
        f32x4_ceil: to_f32x4, from_f32x4, |a| quiet32(a.ceil());
        f32x4_floor: to_f32x4, from_f32x4, |a| quiet32(a.floor());
        f32x4_trunc: to_f32x4, from_f32x4, |a| quiet32(a.trunc());
        /// Round to nearest, ties to even.
        f32x4_nearest: to_f32x4, from_f32x4, |a| quiet32(a.round_ties_even());
        f64x2_ceil: to_f64x2, from_f64x2, |a| quiet64(a.ceil());
        f64x2_floor: to_f64x2, from_f64x2, |a| quiet64(a.floor());
        f64x2_trunc: to_f64x2, from_f64x2, |a| quiet64(a.trunc());
        /// Round to nearest, ties to even.
        f64x2_nearest: to_f64x2, from_f64x2, |a| quiet64(a.round_ties_even());
    }

    /// Defines float comparisons producing all-ones integer lanes of the same width.
    macro_rules! fcmp {
        ($($name:ident: $to:ident, $from:ident, $it:ty, $op:tt;)*) => {$(
            #[inline]
            pub fn $name(a: V128, b: V128) -> V128 {
                let (x, y) = (a.$to(), b.$to());
                let mut r = [0 as $it; 16 / core::mem::size_of::<$it>()];
                for ((r, &a), &b) in r.iter_mut().zip(x.iter()).zip(y.iter()) {
                    *r = mask(a $op b);
                }
                V128::$from(r)
            }
        )*};
    }
    fcmp! {
        f32x4_eq: to_f32x4, from_u32x4, u32, ==;
        f32x4_ne: to_f32x4, from_u32x4, u32, !=;
        f32x4_lt: to_f32x4, from_u32x4, u32, <;
        f32x4_gt: to_f32x4, from_u32x4, u32, >;
        f32x4_le: to_f32x4, from_u32x4, u32, <=;
        f32x4_ge: to_f32x4, from_u32x4, u32, >=;
        f64x2_eq: to_f64x2, from_u64x2, u64, ==;
        f64x2_ne: to_f64x2, from_u64x2, u64, !=;
        f64x2_lt: to_f64x2, from_u64x2, u64, <;
        f64x2_gt: to_f64x2, from_u64x2, u64, >;
        f64x2_le: to_f64x2, from_u64x2, u64, <=;
        f64x2_ge: to_f64x2, from_u64x2, u64, >=;
    }
}

pub use portable::*;

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(feature = "portable")
))]
pub use crate::x86::float::{
    f32x4_add, f32x4_ceil, f32x4_div, f32x4_eq, f32x4_floor, f32x4_ge, f32x4_gt, f32x4_le,
    f32x4_lt, f32x4_max, f32x4_min, f32x4_mul, f32x4_ne, f32x4_nearest, f32x4_neg, f32x4_pmax,
    f32x4_pmin, f32x4_sqrt, f32x4_sub, f32x4_trunc, f64x2_add, f64x2_div, f64x2_eq, f64x2_ge,
    f64x2_gt, f64x2_le, f64x2_lt, f64x2_mul, f64x2_ne, f64x2_pmax, f64x2_pmin, f64x2_sqrt,
    f64x2_sub,
};

#[cfg(test)]
mod tests {
    use super::*;

    const CANON32: u32 = 0x7fc0_0000;
    const SNAN32: u32 = 0x7f80_0001;

    fn f4(v: [f32; 4]) -> V128 {
        V128::from_f32x4(v)
    }
    fn bits4(v: V128) -> [u32; 4] {
        v.to_u32x4()
    }
    fn is_canonical32(b: u32) -> bool {
        b & 0x7fff_ffff == CANON32
    }
    fn is_arith32(b: u32) -> bool {
        b & 0x7fc0_0000 == CANON32
    }

    #[test]
    fn min_max_zero_sign_and_nan() {
        let a = f4([0.0, -0.0, 1.0, f32::from_bits(CANON32)]);
        let b = f4([-0.0, 0.0, f32::NEG_INFINITY, 2.0]);
        let mn = bits4(f32x4_min(a, b));
        assert_eq!(mn[0], (-0.0f32).to_bits());
        assert_eq!(mn[1], (-0.0f32).to_bits());
        assert_eq!(mn[2], f32::NEG_INFINITY.to_bits());
        assert!(is_canonical32(mn[3]));
        let mx = bits4(f32x4_max(a, b));
        assert_eq!(mx[0], 0);
        assert_eq!(mx[1], 0);
        assert_eq!(mx[2], 1.0f32.to_bits());
        assert!(is_canonical32(mx[3]));
        // A signalling NaN operand yields an arithmetic (quiet) NaN, also when second.
        let s = f4([1.0, 1.0, 1.0, 1.0]);
        let n = V128::from_u32x4([SNAN32; 4]);
        assert!(bits4(f32x4_min(s, n)).iter().all(|&b| is_arith32(b)));
        assert!(bits4(f32x4_max(n, s)).iter().all(|&b| is_arith32(b)));
        let d = f64x2_min(
            V128::from_f64x2([0.0, f64::NAN]),
            V128::from_f64x2([-0.0, 0.0]),
        );
        assert_eq!(d.to_u64x2()[0], (-0.0f64).to_bits());
        assert!(d.to_f64x2()[1].is_nan());
    }

    #[test]
    fn pmin_pmax_are_bit_exact() {
        let nan = f32::from_bits(0x7fc0_1234);
        let a = f4([0.0, nan, 1.0, -0.0]);
        let b = f4([-0.0, 1.0, nan, 0.0]);
        // b < a is false for every lane here, so pmin returns a unchanged.
        assert_eq!(f32x4_pmin(a, b), a);
        assert_eq!(f32x4_pmax(a, b), a);
        assert_eq!(f32x4_pmin(f4([2.0; 4]), f4([1.0; 4])), f4([1.0; 4]));
        assert_eq!(f32x4_pmax(f4([2.0; 4]), f4([3.0; 4])), f4([3.0; 4]));
    }

    #[test]
    fn rounding() {
        let v = f4([2.5, -2.5, 3.5, -0.4]);
        assert_eq!(f32x4_nearest(v), f4([2.0, -2.0, 4.0, -0.0]));
        assert_eq!(bits4(f32x4_nearest(v))[3], (-0.0f32).to_bits());
        assert_eq!(f32x4_ceil(v), f4([3.0, -2.0, 4.0, -0.0]));
        assert_eq!(f32x4_floor(v), f4([2.0, -3.0, 3.0, -1.0]));
        assert_eq!(f32x4_trunc(v), f4([2.0, -2.0, 3.0, -0.0]));
        assert_eq!(
            f64x2_nearest(V128::from_f64x2([0.5, 1.5])),
            V128::from_f64x2([0.0, 2.0])
        );
        let n = V128::from_u32x4([SNAN32; 4]);
        assert!(bits4(f32x4_ceil(n)).iter().all(|&b| is_arith32(b)));
        assert!(bits4(f32x4_nearest(n)).iter().all(|&b| is_arith32(b)));
    }

    #[test]
    fn abs_neg_flip_only_the_sign() {
        let n = V128::from_u32x4([0x7fc0_0001, 0xffc0_0000, 0x8000_0000, 1]);
        assert_eq!(
            bits4(f32x4_neg(n)),
            [0xffc0_0001, 0x7fc0_0000, 0, 0x8000_0001]
        );
        assert_eq!(bits4(f32x4_abs(n)), [0x7fc0_0001, 0x7fc0_0000, 0, 1]);
        assert_eq!(
            f64x2_neg(V128::from_u64x2([0, 1])).to_u64x2(),
            [F64_SIGN, F64_SIGN | 1]
        );
    }

    #[test]
    fn arithmetic_and_compare() {
        let a = f4([1.0, f32::INFINITY, 0.0, f32::NAN]);
        let b = f4([2.0, f32::INFINITY, 0.0, 1.0]);
        let s = bits4(f32x4_sub(a, b));
        assert_eq!(f32::from_bits(s[0]), -1.0);
        assert!(is_canonical32(s[1]));
        let d = bits4(f32x4_div(a, b));
        assert!(is_canonical32(d[2]));
        assert!(is_canonical32(bits4(f32x4_sqrt(f4([-1.0; 4])))[0]));
        assert_eq!(bits4(f32x4_eq(a, b)), [0, u32::MAX, u32::MAX, 0]);
        assert_eq!(bits4(f32x4_ne(a, b)), [u32::MAX, 0, 0, u32::MAX]);
        assert_eq!(bits4(f32x4_lt(a, b)), [u32::MAX, 0, 0, 0]);
        assert_eq!(bits4(f32x4_ge(a, b)), [0, u32::MAX, u32::MAX, 0]);
        assert_eq!(
            f64x2_le(
                V128::from_f64x2([-0.0, 1.0]),
                V128::from_f64x2([0.0, f64::NAN])
            )
            .to_u64x2(),
            [u64::MAX, 0]
        );
    }
}
