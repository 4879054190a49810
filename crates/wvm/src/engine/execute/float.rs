//! Float semantics the hardware operators do not give directly: WebAssembly `min`/`max`,
//! `nearest`, and the trapping float-to-integer truncations.

use crate::error::TrapCode;

macro_rules! minmax {
    ($min:ident, $max:ident, $t:ty) => {
        /// WebAssembly `min`: NaN if either operand is NaN, and `-0 < +0`.
        #[inline(always)]
        pub(crate) fn $min(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                a + b
            } else if a == b {
                <$t>::from_bits(a.to_bits() | b.to_bits())
            } else if a < b {
                a
            } else {
                b
            }
        }
        /// WebAssembly `max`: NaN if either operand is NaN, and `+0 > -0`.
        #[inline(always)]
        pub(crate) fn $max(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                a + b
            } else if a == b {
                <$t>::from_bits(a.to_bits() & b.to_bits())
            } else if a > b {
                a
            } else {
                b
            }
        }
    };
}
minmax!(fmin32, fmax32, f32);
minmax!(fmin64, fmax64, f64);

/// `f32.nearest` on bits: round half to even.
pub(crate) fn f32_nearest_bits(a: u32) -> u32 {
    f32::from_bits(a).round_ties_even().to_bits()
}

/// `f64.nearest` on bits: round half to even.
pub(crate) fn f64_nearest_bits(a: u64) -> u64 {
    f64::from_bits(a).round_ties_even().to_bits()
}

/// Checks a float (widened to f64 exactly) for a trapping truncation into the open range
/// `(lo, hi)`; NaN is an invalid conversion, anything outside the range an overflow.
#[inline(always)]
fn check(x: f64, lo: f64, hi: f64) -> Result<(), TrapCode> {
    if x.is_nan() {
        Err(TrapCode::InvalidConversionToInteger)
    } else if x > lo && x < hi {
        Ok(())
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

#[inline(always)]
pub(crate) fn trunc_i32_s(x: f64) -> Result<i32, TrapCode> {
    check(x, -2147483649.0, 2147483648.0).map(|_| x as i32)
}
#[inline(always)]
pub(crate) fn trunc_i32_u(x: f64) -> Result<i32, TrapCode> {
    check(x, -1.0, 4294967296.0).map(|_| x as u32 as i32)
}
#[inline(always)]
pub(crate) fn trunc_i64_s(x: f64) -> Result<i64, TrapCode> {
    // -2^63 itself is representable and valid; the next f64 below it is not.
    if x == -9223372036854775808.0 {
        return Ok(i64::MIN);
    }
    check(x, -9223372036854775808.0, 9223372036854775808.0).map(|_| x as i64)
}
#[inline(always)]
pub(crate) fn trunc_i64_u(x: f64) -> Result<i64, TrapCode> {
    check(x, -1.0, 18446744073709551616.0).map(|_| x as u64 as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_zero_signs_and_nan() {
        assert_eq!(fmin32(0.0, -0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(fmax32(-0.0, 0.0).to_bits(), 0.0f32.to_bits());
        assert!(fmin32(f32::NAN, 1.0).is_nan());
        assert!(fmax64(1.0, f64::NAN).is_nan());
        assert_eq!(fmin64(1.0, 2.0), 1.0);
        assert_eq!(fmax64(1.0, 2.0), 2.0);
    }

    #[test]
    fn nearest_rounds_half_to_even() {
        assert_eq!(f32::from_bits(f32_nearest_bits(2.5f32.to_bits())), 2.0);
        assert_eq!(f32::from_bits(f32_nearest_bits(3.5f32.to_bits())), 4.0);
        assert_eq!(
            f64::from_bits(f64_nearest_bits((-0.5f64).to_bits())).to_bits(),
            (-0.0f64).to_bits()
        );
    }

    #[test]
    fn truncations_trap_at_the_right_bounds() {
        assert_eq!(trunc_i32_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(trunc_i32_s(-2147483649.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(trunc_i32_s(2147483647.9), Ok(i32::MAX));
        assert_eq!(trunc_i32_s(2147483648.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(trunc_i32_u(-0.9), Ok(0));
        assert_eq!(trunc_i32_u(4294967295.0), Ok(-1));
        assert_eq!(trunc_i32_u(4294967296.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(trunc_i64_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(
            trunc_i64_s(9223372036854775808.0),
            Err(TrapCode::IntegerOverflow)
        );
        assert_eq!(trunc_i64_u(18446744073709549568.0), Ok(-2048));
        assert_eq!(
            trunc_i64_u(f64::NAN),
            Err(TrapCode::InvalidConversionToInteger)
        );
    }
}
