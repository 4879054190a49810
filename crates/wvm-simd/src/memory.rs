//! The pure parts of the SIMD loads and stores: turning the bytes read from linear memory
//! into a `v128` and a lane into the bytes to write. The engine does bounds checks and the
//! memory access itself (reading or writing exactly `op.bytes()` bytes).

use crate::{convert, lanes, V128};
use wvm_binary::simd::{SimdMemLaneOp, SimdMemOp};

/// `v128.load`: the 16 bytes in memory order.
#[inline]
pub fn v128_load(bytes: [u8; 16]) -> V128 {
    V128::from_bytes(bytes)
}

/// `v128.store`: the 16 bytes to write.
#[inline]
pub fn v128_store(v: V128) -> [u8; 16] {
    v.to_bytes()
}

#[inline]
fn low64(bytes: [u8; 8]) -> V128 {
    V128(u64::from_le_bytes(bytes) as u128)
}

#[inline]
pub fn v128_load8x8_s(bytes: [u8; 8]) -> V128 {
    convert::i16x8_extend_low_i8x16_s(low64(bytes))
}
#[inline]
pub fn v128_load8x8_u(bytes: [u8; 8]) -> V128 {
    convert::i16x8_extend_low_i8x16_u(low64(bytes))
}
#[inline]
pub fn v128_load16x4_s(bytes: [u8; 8]) -> V128 {
    convert::i32x4_extend_low_i16x8_s(low64(bytes))
}
#[inline]
pub fn v128_load16x4_u(bytes: [u8; 8]) -> V128 {
    convert::i32x4_extend_low_i16x8_u(low64(bytes))
}
#[inline]
pub fn v128_load32x2_s(bytes: [u8; 8]) -> V128 {
    convert::i64x2_extend_low_i32x4_s(low64(bytes))
}
#[inline]
pub fn v128_load32x2_u(bytes: [u8; 8]) -> V128 {
    convert::i64x2_extend_low_i32x4_u(low64(bytes))
}
#[inline]
pub fn v128_load8_splat(byte: u8) -> V128 {
    lanes::i8x16_splat(byte as u32)
}
#[inline]
pub fn v128_load16_splat(bytes: [u8; 2]) -> V128 {
    lanes::i16x8_splat(u16::from_le_bytes(bytes) as u32)
}
#[inline]
pub fn v128_load32_splat(bytes: [u8; 4]) -> V128 {
    lanes::i32x4_splat(u32::from_le_bytes(bytes))
}
#[inline]
pub fn v128_load64_splat(bytes: [u8; 8]) -> V128 {
    lanes::i64x2_splat(u64::from_le_bytes(bytes))
}
/// The 4 bytes in lane 0 of an `i32x4`, other lanes zero.
#[inline]
pub fn v128_load32_zero(bytes: [u8; 4]) -> V128 {
    V128(u32::from_le_bytes(bytes) as u128)
}
/// The 8 bytes in lane 0 of an `i64x2`, other lane zero.
#[inline]
pub fn v128_load64_zero(bytes: [u8; 8]) -> V128 {
    low64(bytes)
}

/// The `v128.loadMxN_s/u` family on the 8 bytes read. Returns zero for any other `op`.
#[inline]
pub fn load_extend(op: SimdMemOp, bytes: &[u8; 8]) -> V128 {
    let b = *bytes;
    match op {
        SimdMemOp::V128Load8x8S => v128_load8x8_s(b),
        SimdMemOp::V128Load8x8U => v128_load8x8_u(b),
        SimdMemOp::V128Load16x4S => v128_load16x4_s(b),
        SimdMemOp::V128Load16x4U => v128_load16x4_u(b),
        SimdMemOp::V128Load32x2S => v128_load32x2_s(b),
        SimdMemOp::V128Load32x2U => v128_load32x2_u(b),
        _ => V128::ZERO,
    }
}

/// Any SIMD load given exactly the `op.bytes()` bytes read from memory. `None` for
/// `v128.store` or a slice of the wrong length.
#[inline]
pub fn load(op: SimdMemOp, bytes: &[u8]) -> Option<V128> {
    Some(match op {
        SimdMemOp::V128Load => v128_load(bytes.try_into().ok()?),
        SimdMemOp::V128Load8x8S
        | SimdMemOp::V128Load8x8U
        | SimdMemOp::V128Load16x4S
        | SimdMemOp::V128Load16x4U
        | SimdMemOp::V128Load32x2S
        | SimdMemOp::V128Load32x2U => load_extend(op, bytes.try_into().ok()?),
        SimdMemOp::V128Load8Splat => match bytes {
            [b] => v128_load8_splat(*b),
            _ => return None,
        },
        SimdMemOp::V128Load16Splat => v128_load16_splat(bytes.try_into().ok()?),
        SimdMemOp::V128Load32Splat => v128_load32_splat(bytes.try_into().ok()?),
        SimdMemOp::V128Load64Splat => v128_load64_splat(bytes.try_into().ok()?),
        SimdMemOp::V128Load32Zero => v128_load32_zero(bytes.try_into().ok()?),
        SimdMemOp::V128Load64Zero => v128_load64_zero(bytes.try_into().ok()?),
        SimdMemOp::V128Store => return None,
    })
}

/// Lane index for a lane memory op: validated to be in range, taken modulo the lane count.
#[inline]
fn lane_shift(op: SimdMemLaneOp, lane: u8) -> u32 {
    let n = op.bytes(); // 1, 2, 4 or 8
    let lanes = 16 / n;
    (lane as u32 & (lanes - 1)) * n * 8
}

#[inline]
fn width_mask(op: SimdMemLaneOp) -> u128 {
    u128::MAX >> (128 - op.bytes() * 8)
}

/// `v128.loadN_lane`: `v` with lane `lane` replaced by the `op.bytes()` bytes read.
/// `None` for a store `op` or a slice of the wrong length.
#[inline]
pub fn load_lane(op: SimdMemLaneOp, v: V128, lane: u8, bytes: &[u8]) -> Option<V128> {
    if op.is_store() || bytes.len() != op.bytes() as usize {
        return None;
    }
    let mut buf = [0u8; 8];
    buf.get_mut(..bytes.len())?.copy_from_slice(bytes);
    let val = u64::from_le_bytes(buf) as u128;
    let s = lane_shift(op, lane);
    Some(V128((v.0 & !(width_mask(op) << s)) | (val << s)))
}

/// `v128.storeN_lane` (or, for a load `op`, the same lane of the same width): the bytes to
/// write; only the first `op.bytes()` are meaningful, the rest are zero.
#[inline]
pub fn store_lane(op: SimdMemLaneOp, v: V128, lane: u8) -> [u8; 8] {
    let s = lane_shift(op, lane);
    (((v.0 >> s) & width_mask(op)) as u64).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extending_loads() {
        let b = [0x80, 1, 2, 3, 4, 5, 6, 0xff];
        let v = load_extend(SimdMemOp::V128Load8x8S, &b).to_i16x8();
        assert_eq!(v, [-128, 1, 2, 3, 4, 5, 6, -1]);
        let u = load_extend(SimdMemOp::V128Load8x8U, &b).to_u16x8();
        assert_eq!(u, [128, 1, 2, 3, 4, 5, 6, 255]);
        let w = load_extend(SimdMemOp::V128Load32x2S, &b).to_i64x2();
        assert_eq!(w, [0x0302_0180, 0xff06_0504u32 as i32 as i64]);
        assert_eq!(load_extend(SimdMemOp::V128Load, &b), V128::ZERO);
    }

    #[test]
    fn generic_load() {
        assert_eq!(
            load(SimdMemOp::V128Load16Splat, &[1, 2]).map(|v| v.to_u16x8()),
            Some([0x0201; 8])
        );
        assert_eq!(load(SimdMemOp::V128Load16Splat, &[1]), None);
        assert_eq!(load(SimdMemOp::V128Store, &[0; 16]), None);
        assert_eq!(
            load(SimdMemOp::V128Load32Zero, &[1, 0, 0, 0x80]),
            Some(V128(0x8000_0001))
        );
        assert_eq!(
            load(SimdMemOp::V128Load8Splat, &[7]).map(|v| v.to_u8x16()),
            Some([7; 16])
        );
        let all: [u8; 16] = core::array::from_fn(|i| i as u8);
        assert_eq!(load(SimdMemOp::V128Load, &all), Some(V128::from_bytes(all)));
    }

    #[test]
    fn lane_loads_and_stores() {
        let v = V128(u128::MAX);
        let r = load_lane(SimdMemLaneOp::V128Load16Lane, v, 7, &[0x34, 0x12]);
        assert_eq!(r.map(|r| r.to_u16x8()[7]), Some(0x1234));
        assert_eq!(r.map(|r| r.to_u16x8()[6]), Some(0xffff));
        assert_eq!(load_lane(SimdMemLaneOp::V128Load16Lane, v, 0, &[1]), None);
        assert_eq!(load_lane(SimdMemLaneOp::V128Store8Lane, v, 0, &[1]), None);
        let x = V128::from_u64x2([0x1122_3344_5566_7788, 0x99aa_bbcc_ddee_ff00]);
        assert_eq!(
            store_lane(SimdMemLaneOp::V128Store64Lane, x, 1),
            0x99aa_bbcc_ddee_ff00u64.to_le_bytes()
        );
        assert_eq!(
            store_lane(SimdMemLaneOp::V128Store8Lane, x, 1),
            [0x77, 0, 0, 0, 0, 0, 0, 0]
        );
        let y = load_lane(SimdMemLaneOp::V128Load64Lane, x, 0, &[0; 8]);
        assert_eq!(y.map(|y| y.to_u64x2()), Some([0, 0x99aa_bbcc_ddee_ff00]));
    }
}
