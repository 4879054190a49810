//! Lane-shape conversions: integer narrow/extend and the float/integer conversions.

use crate::V128;

/// Portable implementations of every operator in this module. The parent module
/// re-exports them, except where a faster target-specific version replaces one.
pub mod portable {
    #[allow(unused_imports)]
    use super::*;

    /// Defines `fn(a, b)` narrowing the signed lanes of `a` (low half) then `b` (high half) with
    /// saturation to the range of `$nt`.
    macro_rules! narrow {
        ($($name:ident: $to:ident, $from:ident, $nt:ty, $n:expr;)*) => {$(
            #[inline]
            pub fn $name(a: V128, b: V128) -> V128 {
                let (x, y) = (a.$to(), b.$to());
                let half = $n / 2;
                let r: [$nt; $n] = core::array::from_fn(|i| {
                    let v = if i < half { x[i % half] } else { y[i % half] };
                    v.clamp(<$nt>::MIN as _, <$nt>::MAX as _) as $nt
                });
                V128::$from(r)
            }
        )*};
    }
    narrow! {
        i8x16_narrow_i16x8_s: to_i16x8, from_i8x16, i8, 16;
        i8x16_narrow_i16x8_u: to_i16x8, from_u8x16, u8, 16;
        i16x8_narrow_i32x4_s: to_i32x4, from_i16x8, i16, 8;
        i16x8_narrow_i32x4_u: to_i32x4, from_u16x8, u16, 8;
    }

    /// Defines `fn(a)` widening lanes `$off..$off+N` (sign- or zero-extended by the source type).
    macro_rules! extend {
        ($($(#[$doc:meta])* $name:ident: $to:ident, $from:ident, $wide:ty, $n:expr, $off:expr;)*) => {$(
            $(#[$doc])*
            #[inline]
            pub fn $name(a: V128) -> V128 {
                let x = a.$to();
                let r: [$wide; $n] = core::array::from_fn(|i| x[i + $off] as $wide);
                V128::$from(r)
            }
        )*};
    }
    extend! {
        i16x8_extend_low_i8x16_s: to_i8x16, from_i16x8, i16, 8, 0;
        i16x8_extend_high_i8x16_s: to_i8x16, from_i16x8, i16, 8, 8;
        i16x8_extend_low_i8x16_u: to_u8x16, from_u16x8, u16, 8, 0;
        i16x8_extend_high_i8x16_u: to_u8x16, from_u16x8, u16, 8, 8;
        i32x4_extend_low_i16x8_s: to_i16x8, from_i32x4, i32, 4, 0;
        i32x4_extend_high_i16x8_s: to_i16x8, from_i32x4, i32, 4, 4;
        i32x4_extend_low_i16x8_u: to_u16x8, from_u32x4, u32, 4, 0;
        i32x4_extend_high_i16x8_u: to_u16x8, from_u32x4, u32, 4, 4;
        i64x2_extend_low_i32x4_s: to_i32x4, from_i64x2, i64, 2, 0;
        i64x2_extend_high_i32x4_s: to_i32x4, from_i64x2, i64, 2, 2;
        i64x2_extend_low_i32x4_u: to_u32x4, from_u64x2, u64, 2, 0;
        i64x2_extend_high_i32x4_u: to_u32x4, from_u64x2, u64, 2, 2;
        /// Exact: every `i32` is representable in `f64`.
        f64x2_convert_low_i32x4_s: to_i32x4, from_f64x2, f64, 2, 0;
        /// Exact: every `u32` is representable in `f64`.
        f64x2_convert_low_i32x4_u: to_u32x4, from_f64x2, f64, 2, 0;
    }

    /// Signed `i32` lanes to `f32`, rounding to nearest-even.
    #[inline]
    pub fn f32x4_convert_i32x4_s(a: V128) -> V128 {
        V128::from_f32x4(a.to_i32x4().map(|x| x as f32))
    }

    /// Unsigned `i32` lanes to `f32`, rounding to nearest-even.
    #[inline]
    pub fn f32x4_convert_i32x4_u(a: V128) -> V128 {
        V128::from_f32x4(a.to_u32x4().map(|x| x as f32))
    }

    // Rust's float-to-int `as` casts are exactly the spec's saturating truncation: toward zero,
    // clamped to the target range, NaN to 0.

    /// `f32` lanes to `i32` with saturation (NaN gives 0).
    #[inline]
    pub fn i32x4_trunc_sat_f32x4_s(a: V128) -> V128 {
        V128::from_i32x4(a.to_f32x4().map(|x| x as i32))
    }

    /// `f32` lanes to `u32` with saturation (NaN and negatives give 0).
    #[inline]
    pub fn i32x4_trunc_sat_f32x4_u(a: V128) -> V128 {
        V128::from_u32x4(a.to_f32x4().map(|x| x as u32))
    }

    /// Both `f64` lanes to `i32` with saturation into lanes 0 and 1; lanes 2 and 3 are zero.
    #[inline]
    pub fn i32x4_trunc_sat_f64x2_s_zero(a: V128) -> V128 {
        let [x, y] = a.to_f64x2();
        V128::from_i32x4([x as i32, y as i32, 0, 0])
    }

    /// Both `f64` lanes to `u32` with saturation into lanes 0 and 1; lanes 2 and 3 are zero.
    #[inline]
    pub fn i32x4_trunc_sat_f64x2_u_zero(a: V128) -> V128 {
        let [x, y] = a.to_f64x2();
        V128::from_u32x4([x as u32, y as u32, 0, 0])
    }

    /// Narrows a NaN by keeping its sign and top payload bits and setting the quiet bit, so a
    /// canonical NaN stays canonical (hardware conversion does the same; done here explicitly
    /// because Rust leaves NaN payloads of `as` unspecified).
    #[inline(always)]
    fn demote(x: f64) -> f32 {
        if x.is_nan() {
            let b = x.to_bits();
            let sign = ((b >> 63) as u32) << 31;
            let payload = ((b >> 29) as u32) & 0x007f_ffff;
            f32::from_bits(sign | 0x7fc0_0000 | payload)
        } else {
            x as f32
        }
    }

    /// Widens a NaN keeping sign and payload (shifted to the top) with the quiet bit set.
    #[inline(always)]
    fn promote(x: f32) -> f64 {
        if x.is_nan() {
            let b = x.to_bits() as u64;
            let sign = (b >> 31) << 63;
            let payload = (b & 0x007f_ffff) << 29;
            f64::from_bits(sign | 0x7ff8_0000_0000_0000 | payload)
        } else {
            x as f64
        }
    }

    /// Both `f64` lanes rounded to `f32` into lanes 0 and 1; lanes 2 and 3 are `+0.0`.
    #[inline]
    pub fn f32x4_demote_f64x2_zero(a: V128) -> V128 {
        let [x, y] = a.to_f64x2();
        V128::from_f32x4([demote(x), demote(y), 0.0, 0.0])
    }

    /// The low two `f32` lanes widened (exactly) to `f64`.
    #[inline]
    pub fn f64x2_promote_low_f32x4(a: V128) -> V128 {
        let [x, y, _, _] = a.to_f32x4();
        V128::from_f64x2([promote(x), promote(y)])
    }
}

pub use portable::*;

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(feature = "portable")
))]
pub use crate::x86::convert::{
    f32x4_convert_i32x4_s, f32x4_convert_i32x4_u, f64x2_convert_low_i32x4_s,
    i16x8_extend_high_i8x16_s, i16x8_extend_high_i8x16_u, i16x8_extend_low_i8x16_s,
    i16x8_extend_low_i8x16_u, i16x8_narrow_i32x4_s, i16x8_narrow_i32x4_u, i32x4_trunc_sat_f32x4_s,
    i32x4_trunc_sat_f64x2_s_zero, i8x16_narrow_i16x8_s, i8x16_narrow_i16x8_u,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_saturates_signed_input() {
        let a = V128::from_i16x8([-129, -128, 127, 128, 255, 256, -1, 0]);
        let b = V128::from_i16x8([i16::MIN, i16::MAX, 1, 2, 3, 4, 5, 6]);
        assert_eq!(
            i8x16_narrow_i16x8_s(a, b).to_i8x16(),
            [-128, -128, 127, 127, 127, 127, -1, 0, -128, 127, 1, 2, 3, 4, 5, 6]
        );
        assert_eq!(
            i8x16_narrow_i16x8_u(a, b).to_u8x16(),
            [0, 0, 127, 128, 255, 255, 0, 0, 0, 255, 1, 2, 3, 4, 5, 6]
        );
        let c = V128::from_i32x4([70000, -70000, 65535, -1]);
        assert_eq!(
            i16x8_narrow_i32x4_u(c, c).to_u16x8(),
            [65535, 0, 65535, 0, 65535, 0, 65535, 0]
        );
        assert_eq!(
            i16x8_narrow_i32x4_s(c, V128::ZERO).to_i16x8(),
            [32767, -32768, 32767, -1, 0, 0, 0, 0]
        );
    }

    #[test]
    fn extend_low_high() {
        let v = V128::from_i8x16([-1, 2, 3, 4, 5, 6, 7, 8, -128, 0, 0, 0, 0, 0, 0, 9]);
        assert_eq!(i16x8_extend_low_i8x16_s(v).to_i16x8()[0], -1);
        assert_eq!(i16x8_extend_low_i8x16_u(v).to_i16x8()[0], 255);
        assert_eq!(i16x8_extend_high_i8x16_s(v).to_i16x8()[0], -128);
        assert_eq!(i16x8_extend_high_i8x16_u(v).to_i16x8()[7], 9);
        let w = V128::from_i32x4([-1, 1, i32::MIN, 3]);
        assert_eq!(
            i64x2_extend_high_i32x4_s(w).to_i64x2(),
            [i32::MIN as i64, 3]
        );
        assert_eq!(i64x2_extend_low_i32x4_u(w).to_i64x2(), [u32::MAX as i64, 1]);
    }

    #[test]
    fn float_int_conversions() {
        let f = V128::from_f32x4([f32::NAN, -1.5, 3e9, -3e9]);
        assert_eq!(
            i32x4_trunc_sat_f32x4_s(f).to_i32x4(),
            [0, -1, i32::MAX, i32::MIN]
        );
        assert_eq!(
            i32x4_trunc_sat_f32x4_u(f).to_u32x4(),
            [0, 0, 3_000_000_000, 0]
        );
        let d = V128::from_f64x2([-1e20, 4294967295.9]);
        assert_eq!(
            i32x4_trunc_sat_f64x2_s_zero(d).to_i32x4(),
            [i32::MIN, i32::MAX, 0, 0]
        );
        assert_eq!(
            i32x4_trunc_sat_f64x2_u_zero(d).to_u32x4(),
            [0, u32::MAX, 0, 0]
        );
        // 16777217 rounds to even (16777216) in f32.
        let i = V128::from_i32x4([16777217, -1, i32::MIN, 16777219]);
        assert_eq!(
            f32x4_convert_i32x4_s(i).to_f32x4(),
            [16777216.0, -1.0, -2147483648.0, 16777220.0]
        );
        assert_eq!(f32x4_convert_i32x4_u(i).to_f32x4()[1], 4294967296.0);
        assert_eq!(
            f64x2_convert_low_i32x4_u(i).to_f64x2(),
            [16777217.0, 4294967295.0]
        );
        assert_eq!(f64x2_convert_low_i32x4_s(i).to_f64x2()[1], -1.0);
    }

    #[test]
    fn demote_promote() {
        let d = V128::from_f64x2([1.0 + f64::EPSILON, f64::from_bits(0xfff8_0000_0000_0000)]);
        let r = f32x4_demote_f64x2_zero(d).to_u32x4();
        assert_eq!(f32::from_bits(r[0]), 1.0);
        assert_eq!(r[1], 0xffc0_0000);
        assert_eq!(&r[2..], &[0, 0]);
        let s = V128::from_u32x4([0x7f80_0001, 0x3f80_0000, 9, 9]);
        let p = f64x2_promote_low_f32x4(s).to_u64x2();
        assert_eq!(p[0] & 0x7ff8_0000_0000_0000, 0x7ff8_0000_0000_0000);
        assert_eq!(f64::from_bits(p[1]), 1.0);
        let big = V128::from_f64x2([1e300, -1e300]);
        assert_eq!(
            f32x4_demote_f64x2_zero(big).to_f32x4()[..2],
            [f32::INFINITY, f32::NEG_INFINITY]
        );
    }
}
