//! Generic entry points keyed by [`SimdOp`], and [`shape()`], which tells a translator which
//! entry point an operator needs. The shape is derived from the operator's signature in the
//! `wvm_binary` table, so no operator is classified by hand.

use crate::convert::*;
use crate::float::*;
use crate::int::*;
use crate::lanes::*;
use crate::V128;
use wvm_binary::simd::SimdOp;
use wvm_binary::ValType;

/// How an operator without immediates takes its operands and what it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SimdShape {
    /// `v128 -> v128`: [`unary`].
    Unary,
    /// `v128 v128 -> v128`: [`binary`] (includes `i8x16.swizzle`).
    Binary,
    /// `v128 v128 v128 -> v128`: [`ternary`].
    Ternary,
    /// `v128 -> i32` (`any_true`, `all_true`, `bitmask`): [`test()`].
    Test,
    /// scalar `-> v128`: [`splat`].
    Splat,
    /// `v128 i32 -> v128`: [`shift`].
    Shift,
}

/// The entry point that executes `op`, read off its signature.
pub fn shape(op: SimdOp) -> SimdShape {
    use ValType::{I32, V128 as V};
    match (op.params(), op.result()) {
        ([V], V) => SimdShape::Unary,
        ([V, V], V) => SimdShape::Binary,
        ([V, V, V], V) => SimdShape::Ternary,
        ([V], _) => SimdShape::Test,
        ([V, I32], V) => SimdShape::Shift,
        // The only remaining signature in the table is `scalar -> v128`.
        _ => SimdShape::Splat,
    }
}

/// Executes a [`SimdShape::Unary`] operator; `None` for operators of another shape.
#[inline]
pub fn try_unary(op: SimdOp, a: V128) -> Option<V128> {
    use SimdOp::*;
    Some(match op {
        V128Not => v128_not(a),
        F32x4DemoteF64x2Zero => f32x4_demote_f64x2_zero(a),
        F64x2PromoteLowF32x4 => f64x2_promote_low_f32x4(a),
        I8x16Abs => i8x16_abs(a),
        I8x16Neg => i8x16_neg(a),
        I8x16Popcnt => i8x16_popcnt(a),
        F32x4Ceil => f32x4_ceil(a),
        F32x4Floor => f32x4_floor(a),
        F32x4Trunc => f32x4_trunc(a),
        F32x4Nearest => f32x4_nearest(a),
        F64x2Ceil => f64x2_ceil(a),
        F64x2Floor => f64x2_floor(a),
        F64x2Trunc => f64x2_trunc(a),
        F64x2Nearest => f64x2_nearest(a),
        I16x8ExtaddPairwiseI8x16S => i16x8_extadd_pairwise_i8x16_s(a),
        I16x8ExtaddPairwiseI8x16U => i16x8_extadd_pairwise_i8x16_u(a),
        I32x4ExtaddPairwiseI16x8S => i32x4_extadd_pairwise_i16x8_s(a),
        I32x4ExtaddPairwiseI16x8U => i32x4_extadd_pairwise_i16x8_u(a),
        I16x8Abs => i16x8_abs(a),
        I16x8Neg => i16x8_neg(a),
        I16x8ExtendLowI8x16S => i16x8_extend_low_i8x16_s(a),
        I16x8ExtendHighI8x16S => i16x8_extend_high_i8x16_s(a),
        I16x8ExtendLowI8x16U => i16x8_extend_low_i8x16_u(a),
        I16x8ExtendHighI8x16U => i16x8_extend_high_i8x16_u(a),
        I32x4Abs => i32x4_abs(a),
        I32x4Neg => i32x4_neg(a),
        I32x4ExtendLowI16x8S => i32x4_extend_low_i16x8_s(a),
        I32x4ExtendHighI16x8S => i32x4_extend_high_i16x8_s(a),
        I32x4ExtendLowI16x8U => i32x4_extend_low_i16x8_u(a),
        I32x4ExtendHighI16x8U => i32x4_extend_high_i16x8_u(a),
        I64x2Abs => i64x2_abs(a),
        I64x2Neg => i64x2_neg(a),
        I64x2ExtendLowI32x4S => i64x2_extend_low_i32x4_s(a),
        I64x2ExtendHighI32x4S => i64x2_extend_high_i32x4_s(a),
        I64x2ExtendLowI32x4U => i64x2_extend_low_i32x4_u(a),
        I64x2ExtendHighI32x4U => i64x2_extend_high_i32x4_u(a),
        F32x4Abs => f32x4_abs(a),
        F32x4Neg => f32x4_neg(a),
        F32x4Sqrt => f32x4_sqrt(a),
        F64x2Abs => f64x2_abs(a),
        F64x2Neg => f64x2_neg(a),
        F64x2Sqrt => f64x2_sqrt(a),
        I32x4TruncSatF32x4S => i32x4_trunc_sat_f32x4_s(a),
        I32x4TruncSatF32x4U => i32x4_trunc_sat_f32x4_u(a),
        F32x4ConvertI32x4S => f32x4_convert_i32x4_s(a),
        F32x4ConvertI32x4U => f32x4_convert_i32x4_u(a),
        I32x4TruncSatF64x2SZero => i32x4_trunc_sat_f64x2_s_zero(a),
        I32x4TruncSatF64x2UZero => i32x4_trunc_sat_f64x2_u_zero(a),
        F64x2ConvertLowI32x4S => f64x2_convert_low_i32x4_s(a),
        F64x2ConvertLowI32x4U => f64x2_convert_low_i32x4_u(a),
        _ => return None,
    })
}

/// Executes a [`SimdShape::Binary`] operator; `None` for operators of another shape.
#[inline]
pub fn try_binary(op: SimdOp, a: V128, b: V128) -> Option<V128> {
    use SimdOp::*;
    Some(match op {
        I8x16Swizzle => i8x16_swizzle(a, b),
        I8x16Eq => i8x16_eq(a, b),
        I8x16Ne => i8x16_ne(a, b),
        I8x16LtS => i8x16_lt_s(a, b),
        I8x16LtU => i8x16_lt_u(a, b),
        I8x16GtS => i8x16_gt_s(a, b),
        I8x16GtU => i8x16_gt_u(a, b),
        I8x16LeS => i8x16_le_s(a, b),
        I8x16LeU => i8x16_le_u(a, b),
        I8x16GeS => i8x16_ge_s(a, b),
        I8x16GeU => i8x16_ge_u(a, b),
        I16x8Eq => i16x8_eq(a, b),
        I16x8Ne => i16x8_ne(a, b),
        I16x8LtS => i16x8_lt_s(a, b),
        I16x8LtU => i16x8_lt_u(a, b),
        I16x8GtS => i16x8_gt_s(a, b),
        I16x8GtU => i16x8_gt_u(a, b),
        I16x8LeS => i16x8_le_s(a, b),
        I16x8LeU => i16x8_le_u(a, b),
        I16x8GeS => i16x8_ge_s(a, b),
        I16x8GeU => i16x8_ge_u(a, b),
        I32x4Eq => i32x4_eq(a, b),
        I32x4Ne => i32x4_ne(a, b),
        I32x4LtS => i32x4_lt_s(a, b),
        I32x4LtU => i32x4_lt_u(a, b),
        I32x4GtS => i32x4_gt_s(a, b),
        I32x4GtU => i32x4_gt_u(a, b),
        I32x4LeS => i32x4_le_s(a, b),
        I32x4LeU => i32x4_le_u(a, b),
        I32x4GeS => i32x4_ge_s(a, b),
        I32x4GeU => i32x4_ge_u(a, b),
        F32x4Eq => f32x4_eq(a, b),
        F32x4Ne => f32x4_ne(a, b),
        F32x4Lt => f32x4_lt(a, b),
        F32x4Gt => f32x4_gt(a, b),
        F32x4Le => f32x4_le(a, b),
        F32x4Ge => f32x4_ge(a, b),
        F64x2Eq => f64x2_eq(a, b),
        F64x2Ne => f64x2_ne(a, b),
        F64x2Lt => f64x2_lt(a, b),
        F64x2Gt => f64x2_gt(a, b),
        F64x2Le => f64x2_le(a, b),
        F64x2Ge => f64x2_ge(a, b),
        V128And => v128_and(a, b),
        V128Andnot => v128_andnot(a, b),
        V128Or => v128_or(a, b),
        V128Xor => v128_xor(a, b),
        I8x16NarrowI16x8S => i8x16_narrow_i16x8_s(a, b),
        I8x16NarrowI16x8U => i8x16_narrow_i16x8_u(a, b),
        I8x16Add => i8x16_add(a, b),
        I8x16AddSatS => i8x16_add_sat_s(a, b),
        I8x16AddSatU => i8x16_add_sat_u(a, b),
        I8x16Sub => i8x16_sub(a, b),
        I8x16SubSatS => i8x16_sub_sat_s(a, b),
        I8x16SubSatU => i8x16_sub_sat_u(a, b),
        I8x16MinS => i8x16_min_s(a, b),
        I8x16MinU => i8x16_min_u(a, b),
        I8x16MaxS => i8x16_max_s(a, b),
        I8x16MaxU => i8x16_max_u(a, b),
        I8x16AvgrU => i8x16_avgr_u(a, b),
        I16x8Q15mulrSatS => i16x8_q15mulr_sat_s(a, b),
        I16x8NarrowI32x4S => i16x8_narrow_i32x4_s(a, b),
        I16x8NarrowI32x4U => i16x8_narrow_i32x4_u(a, b),
        I16x8Add => i16x8_add(a, b),
        I16x8AddSatS => i16x8_add_sat_s(a, b),
        I16x8AddSatU => i16x8_add_sat_u(a, b),
        I16x8Sub => i16x8_sub(a, b),
        I16x8SubSatS => i16x8_sub_sat_s(a, b),
        I16x8SubSatU => i16x8_sub_sat_u(a, b),
        I16x8Mul => i16x8_mul(a, b),
        I16x8MinS => i16x8_min_s(a, b),
        I16x8MinU => i16x8_min_u(a, b),
        I16x8MaxS => i16x8_max_s(a, b),
        I16x8MaxU => i16x8_max_u(a, b),
        I16x8AvgrU => i16x8_avgr_u(a, b),
        I16x8ExtmulLowI8x16S => i16x8_extmul_low_i8x16_s(a, b),
        I16x8ExtmulHighI8x16S => i16x8_extmul_high_i8x16_s(a, b),
        I16x8ExtmulLowI8x16U => i16x8_extmul_low_i8x16_u(a, b),
        I16x8ExtmulHighI8x16U => i16x8_extmul_high_i8x16_u(a, b),
        I32x4Add => i32x4_add(a, b),
        I32x4Sub => i32x4_sub(a, b),
        I32x4Mul => i32x4_mul(a, b),
        I32x4MinS => i32x4_min_s(a, b),
        I32x4MinU => i32x4_min_u(a, b),
        I32x4MaxS => i32x4_max_s(a, b),
        I32x4MaxU => i32x4_max_u(a, b),
        I32x4DotI16x8S => i32x4_dot_i16x8_s(a, b),
        I32x4ExtmulLowI16x8S => i32x4_extmul_low_i16x8_s(a, b),
        I32x4ExtmulHighI16x8S => i32x4_extmul_high_i16x8_s(a, b),
        I32x4ExtmulLowI16x8U => i32x4_extmul_low_i16x8_u(a, b),
        I32x4ExtmulHighI16x8U => i32x4_extmul_high_i16x8_u(a, b),
        I64x2Add => i64x2_add(a, b),
        I64x2Sub => i64x2_sub(a, b),
        I64x2Mul => i64x2_mul(a, b),
        I64x2Eq => i64x2_eq(a, b),
        I64x2Ne => i64x2_ne(a, b),
        I64x2LtS => i64x2_lt_s(a, b),
        I64x2GtS => i64x2_gt_s(a, b),
        I64x2LeS => i64x2_le_s(a, b),
        I64x2GeS => i64x2_ge_s(a, b),
        I64x2ExtmulLowI32x4S => i64x2_extmul_low_i32x4_s(a, b),
        I64x2ExtmulHighI32x4S => i64x2_extmul_high_i32x4_s(a, b),
        I64x2ExtmulLowI32x4U => i64x2_extmul_low_i32x4_u(a, b),
        I64x2ExtmulHighI32x4U => i64x2_extmul_high_i32x4_u(a, b),
        F32x4Add => f32x4_add(a, b),
        F32x4Sub => f32x4_sub(a, b),
        F32x4Mul => f32x4_mul(a, b),
        F32x4Div => f32x4_div(a, b),
        F32x4Min => f32x4_min(a, b),
        F32x4Max => f32x4_max(a, b),
        F32x4Pmin => f32x4_pmin(a, b),
        F32x4Pmax => f32x4_pmax(a, b),
        F64x2Add => f64x2_add(a, b),
        F64x2Sub => f64x2_sub(a, b),
        F64x2Mul => f64x2_mul(a, b),
        F64x2Div => f64x2_div(a, b),
        F64x2Min => f64x2_min(a, b),
        F64x2Max => f64x2_max(a, b),
        F64x2Pmin => f64x2_pmin(a, b),
        F64x2Pmax => f64x2_pmax(a, b),
        _ => return None,
    })
}

/// Executes a [`SimdShape::Ternary`] operator; `None` for operators of another shape.
#[inline]
pub fn try_ternary(op: SimdOp, a: V128, b: V128, c: V128) -> Option<V128> {
    match op {
        SimdOp::V128Bitselect => Some(v128_bitselect(a, b, c)),
        _ => None,
    }
}

/// Executes a [`SimdShape::Test`] operator (result is an `i32`); `None` otherwise.
#[inline]
pub fn try_test(op: SimdOp, a: V128) -> Option<u32> {
    use SimdOp::*;
    Some(match op {
        V128AnyTrue => v128_any_true(a),
        I8x16AllTrue => i8x16_all_true(a),
        I8x16Bitmask => i8x16_bitmask(a),
        I16x8AllTrue => i16x8_all_true(a),
        I16x8Bitmask => i16x8_bitmask(a),
        I32x4AllTrue => i32x4_all_true(a),
        I32x4Bitmask => i32x4_bitmask(a),
        I64x2AllTrue => i64x2_all_true(a),
        I64x2Bitmask => i64x2_bitmask(a),
        _ => return None,
    })
}

/// Executes a [`SimdShape::Splat`] operator on scalar bits; `None` otherwise.
#[inline]
pub fn try_splat(op: SimdOp, scalar_bits: u64) -> Option<V128> {
    use SimdOp::*;
    let lo = scalar_bits as u32;
    Some(match op {
        I8x16Splat => i8x16_splat(lo),
        I16x8Splat => i16x8_splat(lo),
        I32x4Splat => i32x4_splat(lo),
        I64x2Splat => i64x2_splat(scalar_bits),
        F32x4Splat => f32x4_splat(lo),
        F64x2Splat => f64x2_splat(scalar_bits),
        _ => return None,
    })
}

/// Executes a [`SimdShape::Shift`] operator; `None` otherwise.
#[inline]
pub fn try_shift(op: SimdOp, a: V128, amount: u32) -> Option<V128> {
    use SimdOp::*;
    Some(match op {
        I8x16Shl => i8x16_shl(a, amount),
        I8x16ShrS => i8x16_shr_s(a, amount),
        I8x16ShrU => i8x16_shr_u(a, amount),
        I16x8Shl => i16x8_shl(a, amount),
        I16x8ShrS => i16x8_shr_s(a, amount),
        I16x8ShrU => i16x8_shr_u(a, amount),
        I32x4Shl => i32x4_shl(a, amount),
        I32x4ShrS => i32x4_shr_s(a, amount),
        I32x4ShrU => i32x4_shr_u(a, amount),
        I64x2Shl => i64x2_shl(a, amount),
        I64x2ShrS => i64x2_shr_s(a, amount),
        I64x2ShrU => i64x2_shr_u(a, amount),
        _ => return None,
    })
}

/// [`try_unary`] for translated code, where the shape was checked with [`shape()`]; an
/// operator of another shape gives zero.
#[inline]
pub fn unary(op: SimdOp, a: V128) -> V128 {
    try_unary(op, a).unwrap_or(V128::ZERO)
}

/// [`try_binary`]; an operator of another shape gives zero.
#[inline]
pub fn binary(op: SimdOp, a: V128, b: V128) -> V128 {
    try_binary(op, a, b).unwrap_or(V128::ZERO)
}

/// [`try_ternary`]; an operator of another shape gives zero.
#[inline]
pub fn ternary(op: SimdOp, a: V128, b: V128, c: V128) -> V128 {
    try_ternary(op, a, b, c).unwrap_or(V128::ZERO)
}

/// [`try_test`]; an operator of another shape gives zero.
#[inline]
pub fn test(op: SimdOp, a: V128) -> u32 {
    try_test(op, a).unwrap_or(0)
}

/// [`try_splat`]; an operator of another shape gives zero.
#[inline]
pub fn splat(op: SimdOp, scalar_bits: u64) -> V128 {
    try_splat(op, scalar_bits).unwrap_or(V128::ZERO)
}

/// [`try_shift`]; an operator of another shape gives zero.
#[inline]
pub fn shift(op: SimdOp, a: V128, amount: u32) -> V128 {
    try_shift(op, a, amount).unwrap_or(V128::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operator is executed by exactly the entry point its shape names.
    #[test]
    fn shapes_cover_every_operator_exactly_once() {
        let a = V128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210);
        let mut counts = [0usize; 6];
        for &op in SimdOp::ALL {
            let handled = [
                try_unary(op, a).is_some(),
                try_binary(op, a, a).is_some(),
                try_ternary(op, a, a, a).is_some(),
                try_test(op, a).is_some(),
                try_splat(op, 7).is_some(),
                try_shift(op, a, 1).is_some(),
            ];
            let idx = shape(op) as usize;
            assert!(handled[idx], "{} not handled by {:?}", op.name(), shape(op));
            assert_eq!(
                handled.iter().filter(|h| **h).count(),
                1,
                "{} handled twice",
                op.name()
            );
            counts[idx] += 1;
        }
        // 1 ternary, 9 tests, 6 splats, 12 shifts in Wasm 2.0.
        assert_eq!(counts[2], 1);
        assert_eq!(counts[3], 9);
        assert_eq!(counts[4], 6);
        assert_eq!(counts[5], 12);
        assert_eq!(counts.iter().sum::<usize>(), SimdOp::ALL.len());
    }

    #[test]
    fn wrappers_agree() {
        let a = V128::from_i32x4([1, 2, 3, 4]);
        assert_eq!(
            binary(SimdOp::I32x4Add, a, a),
            V128::from_i32x4([2, 4, 6, 8])
        );
        assert_eq!(
            unary(SimdOp::I32x4Neg, a),
            V128::from_i32x4([-1, -2, -3, -4])
        );
        assert_eq!(
            shift(SimdOp::I32x4Shl, a, 33),
            V128::from_i32x4([2, 4, 6, 8])
        );
        assert_eq!(
            splat(SimdOp::I16x8Splat, 0xffff_0003),
            V128::from_i16x8([3; 8])
        );
        assert_eq!(test(SimdOp::I32x4AllTrue, a), 1);
        assert_eq!(unary(SimdOp::I32x4Add, a), V128::ZERO);
    }
}
