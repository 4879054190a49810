//! Lane access: splat, extract/replace lane, shuffle, swizzle, and the lane tests
//! (`all_true`, `bitmask`).

use crate::V128;
use wvm_binary::simd::SimdLaneOp;

/// Portable implementations of every operator in this module. The parent module
/// re-exports them, except where a faster target-specific version replaces one.
pub mod portable {
    #[allow(unused_imports)]
    use super::*;

    // ---- splat (scalar bits as described in the crate docs) ----

    #[inline]
    pub fn i8x16_splat(x: u32) -> V128 {
        V128::from_u8x16([x as u8; 16])
    }
    #[inline]
    pub fn i16x8_splat(x: u32) -> V128 {
        V128::from_u16x8([x as u16; 8])
    }
    #[inline]
    pub fn i32x4_splat(x: u32) -> V128 {
        V128::from_u32x4([x; 4])
    }
    #[inline]
    pub fn i64x2_splat(x: u64) -> V128 {
        V128::from_u64x2([x; 2])
    }
    /// Takes the `f32` bit pattern, so NaN payloads are preserved.
    #[inline]
    pub fn f32x4_splat(bits: u32) -> V128 {
        V128::from_u32x4([bits; 4])
    }
    /// Takes the `f64` bit pattern, so NaN payloads are preserved.
    #[inline]
    pub fn f64x2_splat(bits: u64) -> V128 {
        V128::from_u64x2([bits; 2])
    }

    // ---- tests ----

    /// Defines `all_true`: 1 if every lane is non-zero.
    macro_rules! all_true {
        ($($name:ident: $to:ident;)*) => {$(
            #[inline]
            pub fn $name(a: V128) -> u32 {
                a.$to().iter().fold(true, |acc, &l| acc & (l != 0)) as u32
            }
        )*};
    }
    all_true! {
        i8x16_all_true: to_u8x16;
        i16x8_all_true: to_u16x8;
        i32x4_all_true: to_u32x4;
        i64x2_all_true: to_u64x2;
    }

    /// Defines `bitmask`: bit `i` of the result is the sign bit of lane `i`.
    macro_rules! bitmask {
        ($($name:ident: $to:ident, $bits:expr;)*) => {$(
            #[inline]
            pub fn $name(a: V128) -> u32 {
                a.$to()
                    .iter()
                    .enumerate()
                    .fold(0u32, |acc, (i, &l)| acc | (((l >> ($bits - 1)) as u32) << i))
            }
        )*};
    }
    bitmask! {
        i8x16_bitmask: to_u8x16, 8;
        i16x8_bitmask: to_u16x8, 16;
        i32x4_bitmask: to_u32x4, 32;
        i64x2_bitmask: to_u64x2, 64;
    }

    // ---- shuffle / swizzle ----

    /// Lane `i` of the result is byte `lanes[i]` of the 32-byte concatenation `a ++ b`.
    /// Indices are validated to be below 32; larger ones are taken modulo 32.
    #[inline]
    pub fn shuffle(a: V128, b: V128, lanes: &[u8; 16]) -> V128 {
        let mut both = [0u8; 32];
        both[..16].copy_from_slice(&a.to_bytes());
        both[16..].copy_from_slice(&b.to_bytes());
        V128::from_u8x16(lanes.map(|l| both[(l & 31) as usize]))
    }

    /// Lane `i` of the result is byte `b[i]` of `a`, or 0 when that index is 16 or more.
    #[inline]
    pub fn swizzle(a: V128, b: V128) -> V128 {
        let bytes = a.to_bytes();
        let idx = b.to_u8x16();
        V128::from_u8x16(idx.map(|i| bytes.get(i as usize).copied().unwrap_or(0)))
    }

    /// Alias of [`swizzle`] named like the other per-operator functions.
    #[inline]
    pub fn i8x16_swizzle(a: V128, b: V128) -> V128 {
        swizzle(a, b)
    }

    // ---- extract / replace lane ----

    /// The scalar bits of lane `lane` (validated to be `< op.lanes()`; taken modulo the lane
    /// count otherwise). `i8`/`i16` lanes are sign- or zero-extended to `i32`, and 32-bit results
    /// occupy the low half of the returned bits. For a replace-lane `op` this returns 0.
    #[inline]
    pub fn extract_lane(op: SimdLaneOp, a: V128, lane: u8) -> u64 {
        let i = (lane & (op.lanes().wrapping_sub(1))) as usize;
        match op {
            SimdLaneOp::I8x16ExtractLaneS => a.to_i8x16()[i] as i32 as u32 as u64,
            SimdLaneOp::I8x16ExtractLaneU => a.to_u8x16()[i] as u64,
            SimdLaneOp::I16x8ExtractLaneS => a.to_i16x8()[i] as i32 as u32 as u64,
            SimdLaneOp::I16x8ExtractLaneU => a.to_u16x8()[i] as u64,
            SimdLaneOp::I32x4ExtractLane | SimdLaneOp::F32x4ExtractLane => a.to_u32x4()[i] as u64,
            SimdLaneOp::I64x2ExtractLane | SimdLaneOp::F64x2ExtractLane => a.to_u64x2()[i],
            _ => 0,
        }
    }

    /// `a` with lane `lane` replaced by the (truncated) scalar bits. For an extract-lane `op`
    /// this returns `a` unchanged.
    #[inline]
    pub fn replace_lane(op: SimdLaneOp, a: V128, lane: u8, scalar_bits: u64) -> V128 {
        let i = (lane & (op.lanes().wrapping_sub(1))) as usize;
        match op {
            SimdLaneOp::I8x16ReplaceLane => {
                let mut l = a.to_u8x16();
                l[i] = scalar_bits as u8;
                V128::from_u8x16(l)
            }
            SimdLaneOp::I16x8ReplaceLane => {
                let mut l = a.to_u16x8();
                l[i] = scalar_bits as u16;
                V128::from_u16x8(l)
            }
            SimdLaneOp::I32x4ReplaceLane | SimdLaneOp::F32x4ReplaceLane => {
                let mut l = a.to_u32x4();
                l[i] = scalar_bits as u32;
                V128::from_u32x4(l)
            }
            SimdLaneOp::I64x2ReplaceLane | SimdLaneOp::F64x2ReplaceLane => {
                let mut l = a.to_u64x2();
                l[i] = scalar_bits;
                V128::from_u64x2(l)
            }
            _ => a,
        }
    }
}

pub use portable::*;

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(feature = "portable")
))]
pub use crate::x86::lanes::{i16x8_all_true, i16x8_bitmask, i8x16_all_true, i8x16_bitmask};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splats() {
        assert_eq!(i8x16_splat(0x1ff), V128(u128::MAX));
        assert_eq!(i16x8_splat(0x12345).to_u16x8(), [0x2345; 8]);
        assert_eq!(f32x4_splat(0x7fa0_0001).to_u32x4(), [0x7fa0_0001; 4]);
        assert_eq!(i64x2_splat(u64::MAX - 1).to_u64x2(), [u64::MAX - 1; 2]);
    }

    #[test]
    fn tests_and_bitmasks() {
        let v = V128::from_i8x16([-1, 1, 0, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -2]);
        assert_eq!(i8x16_bitmask(v), 0b1000_0000_0000_1001);
        assert_eq!(i8x16_all_true(v), 0);
        assert_eq!(i8x16_all_true(V128::from_i8x16([3; 16])), 1);
        assert_eq!(
            i32x4_bitmask(V128::from_i32x4([0, -1, i32::MIN, 5])),
            0b0110
        );
        assert_eq!(i64x2_bitmask(V128::from_i64x2([-1, 0])), 1);
        assert_eq!(i16x8_all_true(V128::from_u16x8([256; 8])), 1);
        assert_eq!(i64x2_all_true(V128::from_u64x2([1 << 63, 0])), 0);
    }

    #[test]
    fn shuffle_and_swizzle() {
        let a = V128::from_u8x16(core::array::from_fn(|i| i as u8));
        let b = V128::from_u8x16(core::array::from_fn(|i| 100 + i as u8));
        let lanes: [u8; 16] = core::array::from_fn(|i| 31 - i as u8);
        let r = shuffle(a, b, &lanes).to_u8x16();
        assert_eq!(r[0], 115);
        assert_eq!(r[15], 100);
        let idx = V128::from_u8x16([0, 15, 16, 255, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 128]);
        let s = swizzle(b, idx).to_u8x16();
        assert_eq!(&s[..5], &[100, 115, 0, 0, 103]);
        assert_eq!(s[15], 0);
    }

    #[test]
    fn lanes() {
        let v = V128::from_i8x16([0, 0, -3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            extract_lane(SimdLaneOp::I8x16ExtractLaneS, v, 2),
            0xffff_fffd
        );
        assert_eq!(extract_lane(SimdLaneOp::I8x16ExtractLaneU, v, 2), 0xfd);
        let w = replace_lane(SimdLaneOp::I16x8ReplaceLane, v, 7, 0xabcd_1234);
        assert_eq!(w.to_u16x8()[7], 0x1234);
        assert_eq!(extract_lane(SimdLaneOp::I16x8ExtractLaneS, w, 7), 0x1234);
        let d = replace_lane(
            SimdLaneOp::F64x2ReplaceLane,
            V128::ZERO,
            1,
            1.5f64.to_bits(),
        );
        assert_eq!(
            extract_lane(SimdLaneOp::F64x2ExtractLane, d, 1),
            1.5f64.to_bits()
        );
        assert_eq!(
            extract_lane(SimdLaneOp::F32x4ExtractLane, d, 3),
            0x3ff8_0000
        );
    }
}
