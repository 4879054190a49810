//! Semantics of the WebAssembly 128-bit SIMD operators (Wasm 2.0 `v128`) in portable, safe Rust.
//!
//! Everything here is pure: the engine owns the operand stack and linear memory and calls in
//! with plain values. Two layers:
//!
//! * one `#[inline]` function per operator (`int::i32x4_add`, `float::f32x4_min`, ...), for
//!   engines that specialise their handlers per operator;
//! * generic dispatchers keyed by the operator tables of `wvm_binary::simd`
//!   ([`unary`], [`binary`], [`ternary`], [`test()`], [`splat`], [`shift`], [`extract_lane`],
//!   [`replace_lane`], [`shuffle`], the loads and stores in [`memory`]), and [`shape()`] which
//!   tells a translator which dispatcher an operator needs, derived from its signature.
//!
//! Every operator has a portable implementation (`int::portable`, `float::portable`, ...),
//! branch-free over fixed-size lane arrays. LLVM does not vectorise those well while the value
//! is a `u128`, so on x86_64 the 129 operators for which an SSE2 version measured faster are
//! replaced by `core::arch` versions (private module `x86`, safe wrappers with a `SAFETY`
//! argument), tested bit-for-bit against the portable ones. The `portable` feature turns the
//! replacement off (the spec test then runs on the portable code).
//!
//! Scalars cross the boundary as raw bits in a `u64`: `i32`/`f32` values occupy the low 32 bits
//! (upper bits are ignored on input and zero on output), `i64`/`f64` all 64.

pub mod convert;
pub mod dispatch;
pub mod float;
pub mod int;
pub mod lanes;
pub mod memory;
#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(feature = "portable")
))]
mod x86;

pub use dispatch::{
    binary, shape, shift, splat, ternary, test, try_binary, try_shift, try_splat, try_ternary,
    try_test, try_unary, unary, SimdShape,
};
pub use lanes::{extract_lane, replace_lane, shuffle, swizzle};

/// A 128-bit SIMD value. Lane `i` of an `iNxM` view occupies bits `N*i .. N*i+N`
/// (little-endian lane order, as in linear memory).
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default, Hash)]
#[repr(transparent)]
pub struct V128(pub u128);

macro_rules! lane_views {
    ($(($to:ident, $from:ident, $t:ty, $bits:ty, $n:expr))*) => {
        impl V128 {
            $(
                #[doc = concat!("The value as ", stringify!($n), " lanes of `", stringify!($t), "`.")]
                #[inline(always)]
                pub fn $to(self) -> [$t; $n] {
                    // Shifts of the u128 (rather than byte copies) let LLVM see a plain bitcast.
                    let w = 128 / $n;
                    core::array::from_fn(|i| <$t>::from_bits_le((self.0 >> (w * i)) as $bits))
                }
                #[doc = concat!("Builds a value from ", stringify!($n), " lanes of `", stringify!($t), "`.")]
                #[inline(always)]
                pub fn $from(lanes: [$t; $n]) -> V128 {
                    let w = 128 / $n;
                    let mut r = 0u128;
                    for (i, l) in lanes.into_iter().enumerate() {
                        r |= (l.to_bits_le() as u128) << (w * i);
                    }
                    V128(r)
                }
            )*
        }
    };
}

/// Raw-bits conversion of one lane type (identity for unsigned, `as` for signed,
/// `from_bits` for floats).
trait LaneBits: Sized {
    type Bits;
    fn from_bits_le(b: Self::Bits) -> Self;
    fn to_bits_le(self) -> Self::Bits;
}
macro_rules! lane_bits {
    ($($t:ty, $b:ty, |$x:ident| $from:expr, |$y:ident| $to:expr;)*) => {$(
        impl LaneBits for $t {
            type Bits = $b;
            #[inline(always)]
            fn from_bits_le($x: $b) -> $t { $from }
            #[inline(always)]
            fn to_bits_le(self) -> $b { let $y = self; $to }
        }
    )*};
}
lane_bits! {
    u8, u8, |x| x, |y| y;
    i8, u8, |x| x as i8, |y| y as u8;
    u16, u16, |x| x, |y| y;
    i16, u16, |x| x as i16, |y| y as u16;
    u32, u32, |x| x, |y| y;
    i32, u32, |x| x as i32, |y| y as u32;
    u64, u64, |x| x, |y| y;
    i64, u64, |x| x as i64, |y| y as u64;
    f32, u32, |x| f32::from_bits(x), |y| y.to_bits();
    f64, u64, |x| f64::from_bits(x), |y| y.to_bits();
}

lane_views! {
    (to_i8x16, from_i8x16, i8, u8, 16)
    (to_u8x16, from_u8x16, u8, u8, 16)
    (to_i16x8, from_i16x8, i16, u16, 8)
    (to_u16x8, from_u16x8, u16, u16, 8)
    (to_i32x4, from_i32x4, i32, u32, 4)
    (to_u32x4, from_u32x4, u32, u32, 4)
    (to_i64x2, from_i64x2, i64, u64, 2)
    (to_u64x2, from_u64x2, u64, u64, 2)
    (to_f32x4, from_f32x4, f32, u32, 4)
    (to_f64x2, from_f64x2, f64, u64, 2)
}

impl V128 {
    /// All bits zero.
    pub const ZERO: V128 = V128(0);

    /// The value from its 16 bytes in memory order.
    #[inline(always)]
    pub fn from_bytes(bytes: [u8; 16]) -> V128 {
        V128(u128::from_le_bytes(bytes))
    }

    /// The 16 bytes in memory order.
    #[inline(always)]
    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }
}

impl From<u128> for V128 {
    fn from(v: u128) -> V128 {
        V128(v)
    }
}

impl From<V128> for u128 {
    fn from(v: V128) -> u128 {
        v.0
    }
}

/// All-ones when `c`, else zero: the lane result of a comparison.
#[inline(always)]
pub(crate) fn mask<T: MaskInt>(c: bool) -> T {
    T::mask(c)
}

pub(crate) trait MaskInt {
    fn mask(c: bool) -> Self;
}
macro_rules! mask_int {
    ($($t:ty)*) => { $(impl MaskInt for $t {
        #[inline(always)]
        fn mask(c: bool) -> $t { (c as $t).wrapping_neg() }
    })* };
}
mask_int!(i8 i16 i32 i64 u8 u16 u32 u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_order_is_little_endian() {
        let v = V128(0x0f0e0d0c_0b0a0908_07060504_03020100);
        assert_eq!(v.to_u8x16()[0], 0);
        assert_eq!(v.to_u8x16()[15], 15);
        assert_eq!(v.to_u16x8()[1], 0x0302);
        assert_eq!(v.to_u32x4()[3], 0x0f0e0d0c);
        assert_eq!(v.to_u64x2()[0], 0x07060504_03020100);
        assert_eq!(V128::from_u32x4(v.to_u32x4()), v);
        assert_eq!(V128::from_i16x8(v.to_i16x8()), v);
        assert_eq!(V128::from_f64x2(v.to_f64x2()), v);
        assert_eq!(V128::from_bytes(v.to_bytes()), v);
        assert_eq!(mask::<i16>(true), -1);
        assert_eq!(mask::<u32>(false), 0);
    }
}
