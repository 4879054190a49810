//! The SIMD (0xFD prefix) operator tables.
//!
//! Like the scalar numeric operators, each SIMD operator is listed once with its opcode,
//! text name and signature; every consumer (decoder, encoder, validator, printer, engine)
//! is generated from or reads these lists.

use crate::types::ValType;

/// `(opcode, Variant, "text.name", [param types], result type)` for SIMD operators without
/// immediates.
#[macro_export]
macro_rules! for_each_simd_op {
    ($m:ident) => {
        $m! {
            (0x0e, I8x16Swizzle, "i8x16.swizzle", [V128, V128], V128)
            (0x0f, I8x16Splat, "i8x16.splat", [I32], V128)
            (0x10, I16x8Splat, "i16x8.splat", [I32], V128)
            (0x11, I32x4Splat, "i32x4.splat", [I32], V128)
            (0x12, I64x2Splat, "i64x2.splat", [I64], V128)
            (0x13, F32x4Splat, "f32x4.splat", [F32], V128)
            (0x14, F64x2Splat, "f64x2.splat", [F64], V128)
            (0x23, I8x16Eq, "i8x16.eq", [V128, V128], V128)
            (0x24, I8x16Ne, "i8x16.ne", [V128, V128], V128)
            (0x25, I8x16LtS, "i8x16.lt_s", [V128, V128], V128)
            (0x26, I8x16LtU, "i8x16.lt_u", [V128, V128], V128)
            (0x27, I8x16GtS, "i8x16.gt_s", [V128, V128], V128)
            (0x28, I8x16GtU, "i8x16.gt_u", [V128, V128], V128)
            (0x29, I8x16LeS, "i8x16.le_s", [V128, V128], V128)
            (0x2a, I8x16LeU, "i8x16.le_u", [V128, V128], V128)
            (0x2b, I8x16GeS, "i8x16.ge_s", [V128, V128], V128)
            (0x2c, I8x16GeU, "i8x16.ge_u", [V128, V128], V128)
            (0x2d, I16x8Eq, "i16x8.eq", [V128, V128], V128)
            (0x2e, I16x8Ne, "i16x8.ne", [V128, V128], V128)
            (0x2f, I16x8LtS, "i16x8.lt_s", [V128, V128], V128)
            (0x30, I16x8LtU, "i16x8.lt_u", [V128, V128], V128)
            (0x31, I16x8GtS, "i16x8.gt_s", [V128, V128], V128)
            (0x32, I16x8GtU, "i16x8.gt_u", [V128, V128], V128)
            (0x33, I16x8LeS, "i16x8.le_s", [V128, V128], V128)
            (0x34, I16x8LeU, "i16x8.le_u", [V128, V128], V128)
            (0x35, I16x8GeS, "i16x8.ge_s", [V128, V128], V128)
            (0x36, I16x8GeU, "i16x8.ge_u", [V128, V128], V128)
            (0x37, I32x4Eq, "i32x4.eq", [V128, V128], V128)
            (0x38, I32x4Ne, "i32x4.ne", [V128, V128], V128)
            (0x39, I32x4LtS, "i32x4.lt_s", [V128, V128], V128)
            (0x3a, I32x4LtU, "i32x4.lt_u", [V128, V128], V128)
            (0x3b, I32x4GtS, "i32x4.gt_s", [V128, V128], V128)
            (0x3c, I32x4GtU, "i32x4.gt_u", [V128, V128], V128)
            (0x3d, I32x4LeS, "i32x4.le_s", [V128, V128], V128)
            (0x3e, I32x4LeU, "i32x4.le_u", [V128, V128], V128)
            (0x3f, I32x4GeS, "i32x4.ge_s", [V128, V128], V128)
            (0x40, I32x4GeU, "i32x4.ge_u", [V128, V128], V128)
            (0x41, F32x4Eq, "f32x4.eq", [V128, V128], V128)
            (0x42, F32x4Ne, "f32x4.ne", [V128, V128], V128)
            (0x43, F32x4Lt, "f32x4.lt", [V128, V128], V128)
            (0x44, F32x4Gt, "f32x4.gt", [V128, V128], V128)
            (0x45, F32x4Le, "f32x4.le", [V128, V128], V128)
            (0x46, F32x4Ge, "f32x4.ge", [V128, V128], V128)
            (0x47, F64x2Eq, "f64x2.eq", [V128, V128], V128)
            (0x48, F64x2Ne, "f64x2.ne", [V128, V128], V128)
            (0x49, F64x2Lt, "f64x2.lt", [V128, V128], V128)
            (0x4a, F64x2Gt, "f64x2.gt", [V128, V128], V128)
            (0x4b, F64x2Le, "f64x2.le", [V128, V128], V128)
            (0x4c, F64x2Ge, "f64x2.ge", [V128, V128], V128)
            (0x4d, V128Not, "v128.not", [V128], V128)
            (0x4e, V128And, "v128.and", [V128, V128], V128)
            (0x4f, V128Andnot, "v128.andnot", [V128, V128], V128)
            (0x50, V128Or, "v128.or", [V128, V128], V128)
            (0x51, V128Xor, "v128.xor", [V128, V128], V128)
            (0x52, V128Bitselect, "v128.bitselect", [V128, V128, V128], V128)
            (0x53, V128AnyTrue, "v128.any_true", [V128], I32)
            (0x5e, F32x4DemoteF64x2Zero, "f32x4.demote_f64x2_zero", [V128], V128)
            (0x5f, F64x2PromoteLowF32x4, "f64x2.promote_low_f32x4", [V128], V128)
            (0x60, I8x16Abs, "i8x16.abs", [V128], V128)
            (0x61, I8x16Neg, "i8x16.neg", [V128], V128)
            (0x62, I8x16Popcnt, "i8x16.popcnt", [V128], V128)
            (0x63, I8x16AllTrue, "i8x16.all_true", [V128], I32)
            (0x64, I8x16Bitmask, "i8x16.bitmask", [V128], I32)
            (0x65, I8x16NarrowI16x8S, "i8x16.narrow_i16x8_s", [V128, V128], V128)
            (0x66, I8x16NarrowI16x8U, "i8x16.narrow_i16x8_u", [V128, V128], V128)
            (0x67, F32x4Ceil, "f32x4.ceil", [V128], V128)
            (0x68, F32x4Floor, "f32x4.floor", [V128], V128)
            (0x69, F32x4Trunc, "f32x4.trunc", [V128], V128)
            (0x6a, F32x4Nearest, "f32x4.nearest", [V128], V128)
            (0x6b, I8x16Shl, "i8x16.shl", [V128, I32], V128)
            (0x6c, I8x16ShrS, "i8x16.shr_s", [V128, I32], V128)
            (0x6d, I8x16ShrU, "i8x16.shr_u", [V128, I32], V128)
            (0x6e, I8x16Add, "i8x16.add", [V128, V128], V128)
            (0x6f, I8x16AddSatS, "i8x16.add_sat_s", [V128, V128], V128)
            (0x70, I8x16AddSatU, "i8x16.add_sat_u", [V128, V128], V128)
            (0x71, I8x16Sub, "i8x16.sub", [V128, V128], V128)
            (0x72, I8x16SubSatS, "i8x16.sub_sat_s", [V128, V128], V128)
            (0x73, I8x16SubSatU, "i8x16.sub_sat_u", [V128, V128], V128)
            (0x74, F64x2Ceil, "f64x2.ceil", [V128], V128)
            (0x75, F64x2Floor, "f64x2.floor", [V128], V128)
            (0x76, I8x16MinS, "i8x16.min_s", [V128, V128], V128)
            (0x77, I8x16MinU, "i8x16.min_u", [V128, V128], V128)
            (0x78, I8x16MaxS, "i8x16.max_s", [V128, V128], V128)
            (0x79, I8x16MaxU, "i8x16.max_u", [V128, V128], V128)
            (0x7a, F64x2Trunc, "f64x2.trunc", [V128], V128)
            (0x7b, I8x16AvgrU, "i8x16.avgr_u", [V128, V128], V128)
            (0x7c, I16x8ExtaddPairwiseI8x16S, "i16x8.extadd_pairwise_i8x16_s", [V128], V128)
            (0x7d, I16x8ExtaddPairwiseI8x16U, "i16x8.extadd_pairwise_i8x16_u", [V128], V128)
            (0x7e, I32x4ExtaddPairwiseI16x8S, "i32x4.extadd_pairwise_i16x8_s", [V128], V128)
            (0x7f, I32x4ExtaddPairwiseI16x8U, "i32x4.extadd_pairwise_i16x8_u", [V128], V128)
            (0x80, I16x8Abs, "i16x8.abs", [V128], V128)
            (0x81, I16x8Neg, "i16x8.neg", [V128], V128)
            (0x82, I16x8Q15mulrSatS, "i16x8.q15mulr_sat_s", [V128, V128], V128)
            (0x83, I16x8AllTrue, "i16x8.all_true", [V128], I32)
            (0x84, I16x8Bitmask, "i16x8.bitmask", [V128], I32)
            (0x85, I16x8NarrowI32x4S, "i16x8.narrow_i32x4_s", [V128, V128], V128)
            (0x86, I16x8NarrowI32x4U, "i16x8.narrow_i32x4_u", [V128, V128], V128)
            (0x87, I16x8ExtendLowI8x16S, "i16x8.extend_low_i8x16_s", [V128], V128)
            (0x88, I16x8ExtendHighI8x16S, "i16x8.extend_high_i8x16_s", [V128], V128)
            (0x89, I16x8ExtendLowI8x16U, "i16x8.extend_low_i8x16_u", [V128], V128)
            (0x8a, I16x8ExtendHighI8x16U, "i16x8.extend_high_i8x16_u", [V128], V128)
            (0x8b, I16x8Shl, "i16x8.shl", [V128, I32], V128)
            (0x8c, I16x8ShrS, "i16x8.shr_s", [V128, I32], V128)
            (0x8d, I16x8ShrU, "i16x8.shr_u", [V128, I32], V128)
            (0x8e, I16x8Add, "i16x8.add", [V128, V128], V128)
            (0x8f, I16x8AddSatS, "i16x8.add_sat_s", [V128, V128], V128)
            (0x90, I16x8AddSatU, "i16x8.add_sat_u", [V128, V128], V128)
            (0x91, I16x8Sub, "i16x8.sub", [V128, V128], V128)
            (0x92, I16x8SubSatS, "i16x8.sub_sat_s", [V128, V128], V128)
            (0x93, I16x8SubSatU, "i16x8.sub_sat_u", [V128, V128], V128)
            (0x94, F64x2Nearest, "f64x2.nearest", [V128], V128)
            (0x95, I16x8Mul, "i16x8.mul", [V128, V128], V128)
            (0x96, I16x8MinS, "i16x8.min_s", [V128, V128], V128)
            (0x97, I16x8MinU, "i16x8.min_u", [V128, V128], V128)
            (0x98, I16x8MaxS, "i16x8.max_s", [V128, V128], V128)
            (0x99, I16x8MaxU, "i16x8.max_u", [V128, V128], V128)
            (0x9b, I16x8AvgrU, "i16x8.avgr_u", [V128, V128], V128)
            (0x9c, I16x8ExtmulLowI8x16S, "i16x8.extmul_low_i8x16_s", [V128, V128], V128)
            (0x9d, I16x8ExtmulHighI8x16S, "i16x8.extmul_high_i8x16_s", [V128, V128], V128)
            (0x9e, I16x8ExtmulLowI8x16U, "i16x8.extmul_low_i8x16_u", [V128, V128], V128)
            (0x9f, I16x8ExtmulHighI8x16U, "i16x8.extmul_high_i8x16_u", [V128, V128], V128)
            (0xa0, I32x4Abs, "i32x4.abs", [V128], V128)
            (0xa1, I32x4Neg, "i32x4.neg", [V128], V128)
            (0xa3, I32x4AllTrue, "i32x4.all_true", [V128], I32)
            (0xa4, I32x4Bitmask, "i32x4.bitmask", [V128], I32)
            (0xa7, I32x4ExtendLowI16x8S, "i32x4.extend_low_i16x8_s", [V128], V128)
            (0xa8, I32x4ExtendHighI16x8S, "i32x4.extend_high_i16x8_s", [V128], V128)
            (0xa9, I32x4ExtendLowI16x8U, "i32x4.extend_low_i16x8_u", [V128], V128)
            (0xaa, I32x4ExtendHighI16x8U, "i32x4.extend_high_i16x8_u", [V128], V128)
            (0xab, I32x4Shl, "i32x4.shl", [V128, I32], V128)
            (0xac, I32x4ShrS, "i32x4.shr_s", [V128, I32], V128)
            (0xad, I32x4ShrU, "i32x4.shr_u", [V128, I32], V128)
            (0xae, I32x4Add, "i32x4.add", [V128, V128], V128)
            (0xb1, I32x4Sub, "i32x4.sub", [V128, V128], V128)
            (0xb5, I32x4Mul, "i32x4.mul", [V128, V128], V128)
            (0xb6, I32x4MinS, "i32x4.min_s", [V128, V128], V128)
            (0xb7, I32x4MinU, "i32x4.min_u", [V128, V128], V128)
            (0xb8, I32x4MaxS, "i32x4.max_s", [V128, V128], V128)
            (0xb9, I32x4MaxU, "i32x4.max_u", [V128, V128], V128)
            (0xba, I32x4DotI16x8S, "i32x4.dot_i16x8_s", [V128, V128], V128)
            (0xbc, I32x4ExtmulLowI16x8S, "i32x4.extmul_low_i16x8_s", [V128, V128], V128)
            (0xbd, I32x4ExtmulHighI16x8S, "i32x4.extmul_high_i16x8_s", [V128, V128], V128)
            (0xbe, I32x4ExtmulLowI16x8U, "i32x4.extmul_low_i16x8_u", [V128, V128], V128)
            (0xbf, I32x4ExtmulHighI16x8U, "i32x4.extmul_high_i16x8_u", [V128, V128], V128)
            (0xc0, I64x2Abs, "i64x2.abs", [V128], V128)
            (0xc1, I64x2Neg, "i64x2.neg", [V128], V128)
            (0xc3, I64x2AllTrue, "i64x2.all_true", [V128], I32)
            (0xc4, I64x2Bitmask, "i64x2.bitmask", [V128], I32)
            (0xc7, I64x2ExtendLowI32x4S, "i64x2.extend_low_i32x4_s", [V128], V128)
            (0xc8, I64x2ExtendHighI32x4S, "i64x2.extend_high_i32x4_s", [V128], V128)
            (0xc9, I64x2ExtendLowI32x4U, "i64x2.extend_low_i32x4_u", [V128], V128)
            (0xca, I64x2ExtendHighI32x4U, "i64x2.extend_high_i32x4_u", [V128], V128)
            (0xcb, I64x2Shl, "i64x2.shl", [V128, I32], V128)
            (0xcc, I64x2ShrS, "i64x2.shr_s", [V128, I32], V128)
            (0xcd, I64x2ShrU, "i64x2.shr_u", [V128, I32], V128)
            (0xce, I64x2Add, "i64x2.add", [V128, V128], V128)
            (0xd1, I64x2Sub, "i64x2.sub", [V128, V128], V128)
            (0xd5, I64x2Mul, "i64x2.mul", [V128, V128], V128)
            (0xd6, I64x2Eq, "i64x2.eq", [V128, V128], V128)
            (0xd7, I64x2Ne, "i64x2.ne", [V128, V128], V128)
            (0xd8, I64x2LtS, "i64x2.lt_s", [V128, V128], V128)
            (0xd9, I64x2GtS, "i64x2.gt_s", [V128, V128], V128)
            (0xda, I64x2LeS, "i64x2.le_s", [V128, V128], V128)
            (0xdb, I64x2GeS, "i64x2.ge_s", [V128, V128], V128)
            (0xdc, I64x2ExtmulLowI32x4S, "i64x2.extmul_low_i32x4_s", [V128, V128], V128)
            (0xdd, I64x2ExtmulHighI32x4S, "i64x2.extmul_high_i32x4_s", [V128, V128], V128)
            (0xde, I64x2ExtmulLowI32x4U, "i64x2.extmul_low_i32x4_u", [V128, V128], V128)
            (0xdf, I64x2ExtmulHighI32x4U, "i64x2.extmul_high_i32x4_u", [V128, V128], V128)
            (0xe0, F32x4Abs, "f32x4.abs", [V128], V128)
            (0xe1, F32x4Neg, "f32x4.neg", [V128], V128)
            (0xe3, F32x4Sqrt, "f32x4.sqrt", [V128], V128)
            (0xe4, F32x4Add, "f32x4.add", [V128, V128], V128)
            (0xe5, F32x4Sub, "f32x4.sub", [V128, V128], V128)
            (0xe6, F32x4Mul, "f32x4.mul", [V128, V128], V128)
            (0xe7, F32x4Div, "f32x4.div", [V128, V128], V128)
            (0xe8, F32x4Min, "f32x4.min", [V128, V128], V128)
            (0xe9, F32x4Max, "f32x4.max", [V128, V128], V128)
            (0xea, F32x4Pmin, "f32x4.pmin", [V128, V128], V128)
            (0xeb, F32x4Pmax, "f32x4.pmax", [V128, V128], V128)
            (0xec, F64x2Abs, "f64x2.abs", [V128], V128)
            (0xed, F64x2Neg, "f64x2.neg", [V128], V128)
            (0xef, F64x2Sqrt, "f64x2.sqrt", [V128], V128)
            (0xf0, F64x2Add, "f64x2.add", [V128, V128], V128)
            (0xf1, F64x2Sub, "f64x2.sub", [V128, V128], V128)
            (0xf2, F64x2Mul, "f64x2.mul", [V128, V128], V128)
            (0xf3, F64x2Div, "f64x2.div", [V128, V128], V128)
            (0xf4, F64x2Min, "f64x2.min", [V128, V128], V128)
            (0xf5, F64x2Max, "f64x2.max", [V128, V128], V128)
            (0xf6, F64x2Pmin, "f64x2.pmin", [V128, V128], V128)
            (0xf7, F64x2Pmax, "f64x2.pmax", [V128, V128], V128)
            (0xf8, I32x4TruncSatF32x4S, "i32x4.trunc_sat_f32x4_s", [V128], V128)
            (0xf9, I32x4TruncSatF32x4U, "i32x4.trunc_sat_f32x4_u", [V128], V128)
            (0xfa, F32x4ConvertI32x4S, "f32x4.convert_i32x4_s", [V128], V128)
            (0xfb, F32x4ConvertI32x4U, "f32x4.convert_i32x4_u", [V128], V128)
            (0xfc, I32x4TruncSatF64x2SZero, "i32x4.trunc_sat_f64x2_s_zero", [V128], V128)
            (0xfd, I32x4TruncSatF64x2UZero, "i32x4.trunc_sat_f64x2_u_zero", [V128], V128)
            (0xfe, F64x2ConvertLowI32x4S, "f64x2.convert_low_i32x4_s", [V128], V128)
            (0xff, F64x2ConvertLowI32x4U, "f64x2.convert_low_i32x4_u", [V128], V128)
        }
    };
}

/// `(opcode, Variant, "text.name", bytes accessed, is_store)` for SIMD loads and stores with a
/// memarg.
#[macro_export]
macro_rules! for_each_simd_mem_op {
    ($m:ident) => {
        $m! {
            (0x00, V128Load, "v128.load", 16, false)
            (0x01, V128Load8x8S, "v128.load8x8_s", 8, false)
            (0x02, V128Load8x8U, "v128.load8x8_u", 8, false)
            (0x03, V128Load16x4S, "v128.load16x4_s", 8, false)
            (0x04, V128Load16x4U, "v128.load16x4_u", 8, false)
            (0x05, V128Load32x2S, "v128.load32x2_s", 8, false)
            (0x06, V128Load32x2U, "v128.load32x2_u", 8, false)
            (0x07, V128Load8Splat, "v128.load8_splat", 1, false)
            (0x08, V128Load16Splat, "v128.load16_splat", 2, false)
            (0x09, V128Load32Splat, "v128.load32_splat", 4, false)
            (0x0a, V128Load64Splat, "v128.load64_splat", 8, false)
            (0x0b, V128Store, "v128.store", 16, true)
            (0x5c, V128Load32Zero, "v128.load32_zero", 4, false)
            (0x5d, V128Load64Zero, "v128.load64_zero", 8, false)
        }
    };
}

/// `(opcode, Variant, "text.name", lane count, [param types], result type)` for lane ops.
#[macro_export]
macro_rules! for_each_simd_lane_op {
    ($m:ident) => {
        $m! {
            (0x15, I8x16ExtractLaneS, "i8x16.extract_lane_s", 16, [V128], I32)
            (0x16, I8x16ExtractLaneU, "i8x16.extract_lane_u", 16, [V128], I32)
            (0x17, I8x16ReplaceLane, "i8x16.replace_lane", 16, [V128, I32], V128)
            (0x18, I16x8ExtractLaneS, "i16x8.extract_lane_s", 8, [V128], I32)
            (0x19, I16x8ExtractLaneU, "i16x8.extract_lane_u", 8, [V128], I32)
            (0x1a, I16x8ReplaceLane, "i16x8.replace_lane", 8, [V128, I32], V128)
            (0x1b, I32x4ExtractLane, "i32x4.extract_lane", 4, [V128], I32)
            (0x1c, I32x4ReplaceLane, "i32x4.replace_lane", 4, [V128, I32], V128)
            (0x1d, I64x2ExtractLane, "i64x2.extract_lane", 2, [V128], I64)
            (0x1e, I64x2ReplaceLane, "i64x2.replace_lane", 2, [V128, I64], V128)
            (0x1f, F32x4ExtractLane, "f32x4.extract_lane", 4, [V128], F32)
            (0x20, F32x4ReplaceLane, "f32x4.replace_lane", 4, [V128, F32], V128)
            (0x21, F64x2ExtractLane, "f64x2.extract_lane", 2, [V128], F64)
            (0x22, F64x2ReplaceLane, "f64x2.replace_lane", 2, [V128, F64], V128)
        }
    };
}

/// `(opcode, Variant, "text.name", bytes accessed, is_store)` for `v128.loadN_lane` /
/// `v128.storeN_lane` (memarg plus lane index).
#[macro_export]
macro_rules! for_each_simd_mem_lane_op {
    ($m:ident) => {
        $m! {
            (0x54, V128Load8Lane, "v128.load8_lane", 1, false)
            (0x55, V128Load16Lane, "v128.load16_lane", 2, false)
            (0x56, V128Load32Lane, "v128.load32_lane", 4, false)
            (0x57, V128Load64Lane, "v128.load64_lane", 8, false)
            (0x58, V128Store8Lane, "v128.store8_lane", 1, true)
            (0x59, V128Store16Lane, "v128.store16_lane", 2, true)
            (0x5a, V128Store32Lane, "v128.store32_lane", 4, true)
            (0x5b, V128Store64Lane, "v128.store64_lane", 8, true)
        }
    };
}

macro_rules! define_simd_op {
    ($(($code:expr, $name:ident, $text:expr, [$($p:ident),*], $r:ident))*) => {
        /// A SIMD operator without immediates.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum SimdOp { $($name,)* }
        impl SimdOp {
            pub const ALL: &'static [SimdOp] = &[$(SimdOp::$name,)*];
            pub fn opcode(self) -> u32 { match self { $(SimdOp::$name => $code,)* } }
            pub fn from_opcode(code: u32) -> Option<SimdOp> {
                match code { $($code => Some(SimdOp::$name),)* _ => None }
            }
            pub fn name(self) -> &'static str { match self { $(SimdOp::$name => $text,)* } }
            pub fn from_name(name: &str) -> Option<SimdOp> {
                match name { $($text => Some(SimdOp::$name),)* _ => None }
            }
            pub fn params(self) -> &'static [ValType] {
                match self { $(SimdOp::$name => &[$(ValType::$p),*],)* }
            }
            pub fn result(self) -> ValType { match self { $(SimdOp::$name => ValType::$r,)* } }
        }
    };
}
for_each_simd_op!(define_simd_op);

macro_rules! define_simd_mem_op {
    ($enum:ident, $doc:expr, $(($code:expr, $name:ident, $text:expr, $bytes:expr, $store:expr))*) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $enum { $($name,)* }
        impl $enum {
            pub const ALL: &'static [$enum] = &[$($enum::$name,)*];
            pub fn opcode(self) -> u32 { match self { $($enum::$name => $code,)* } }
            pub fn from_opcode(code: u32) -> Option<$enum> {
                match code { $($code => Some($enum::$name),)* _ => None }
            }
            pub fn name(self) -> &'static str { match self { $($enum::$name => $text,)* } }
            pub fn from_name(name: &str) -> Option<$enum> {
                match name { $($text => Some($enum::$name),)* _ => None }
            }
            /// Bytes of memory accessed; the largest valid alignment is its log2.
            pub fn bytes(self) -> u32 { match self { $($enum::$name => $bytes,)* } }
            pub fn natural_align(self) -> u32 { self.bytes().trailing_zeros() }
            pub fn is_store(self) -> bool { match self { $($enum::$name => $store,)* } }
        }
    };
}
macro_rules! define_simd_mem {
    ($($t:tt)*) => { define_simd_mem_op!(SimdMemOp, "A SIMD load or store.", $($t)*); };
}
macro_rules! define_simd_mem_lane {
    ($($t:tt)*) => {
        define_simd_mem_op!(SimdMemLaneOp, "A SIMD lane load or store.", $($t)*);
    };
}
for_each_simd_mem_op!(define_simd_mem);
for_each_simd_mem_lane_op!(define_simd_mem_lane);

macro_rules! define_simd_lane_op {
    ($(($code:expr, $name:ident, $text:expr, $lanes:expr, [$($p:ident),*], $r:ident))*) => {
        /// A SIMD lane extract or replace (lane index immediate).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum SimdLaneOp { $($name,)* }
        impl SimdLaneOp {
            pub const ALL: &'static [SimdLaneOp] = &[$(SimdLaneOp::$name,)*];
            pub fn opcode(self) -> u32 { match self { $(SimdLaneOp::$name => $code,)* } }
            pub fn from_opcode(code: u32) -> Option<SimdLaneOp> {
                match code { $($code => Some(SimdLaneOp::$name),)* _ => None }
            }
            pub fn name(self) -> &'static str { match self { $(SimdLaneOp::$name => $text,)* } }
            pub fn from_name(name: &str) -> Option<SimdLaneOp> {
                match name { $($text => Some(SimdLaneOp::$name),)* _ => None }
            }
            /// Number of lanes: valid lane indices are `0..lanes`.
            pub fn lanes(self) -> u8 { match self { $(SimdLaneOp::$name => $lanes,)* } }
            pub fn params(self) -> &'static [ValType] {
                match self { $(SimdLaneOp::$name => &[$(ValType::$p),*],)* }
            }
            pub fn result(self) -> ValType { match self { $(SimdLaneOp::$name => ValType::$r,)* } }
        }
    };
}
for_each_simd_lane_op!(define_simd_lane_op);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instr::{Instr, LoadOp, MemArg, NumOp, StoreOp};
    use crate::{decode, Features};

    /// Encodes `body` with the `wat` crate and decodes its single function's first
    /// instruction with our decoder.
    fn first_instr(body: &str) -> Instr {
        let text = format!("(module (memory 1) (func {body}))");
        let bytes = wat::parse_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let f = Features {
            simd: true,
            ..Features::wasm2()
        };
        let m = decode(&bytes, &f).unwrap_or_else(|e| panic!("{text}: {e}"));
        m.code[0].instrs[0].clone()
    }

    const MA: MemArg = MemArg {
        align: 0,
        offset: 3,
        memory: 0,
    };

    #[test]
    fn every_simd_opcode_matches_wat() {
        for &op in SimdOp::ALL {
            assert_eq!(first_instr(op.name()), Instr::Simd(op), "{}", op.name());
            assert_eq!(SimdOp::from_name(op.name()), Some(op));
        }
        for &op in SimdMemOp::ALL {
            let i = first_instr(&format!("{} offset=3 align=1", op.name()));
            assert_eq!(i, Instr::SimdMem(op, MA), "{}", op.name());
        }
        for &op in SimdLaneOp::ALL {
            let i = first_instr(&format!("{} 1", op.name()));
            assert_eq!(i, Instr::SimdLane(op, 1), "{}", op.name());
        }
        for &op in SimdMemLaneOp::ALL {
            let i = first_instr(&format!("{} offset=3 align=1 1", op.name()));
            assert_eq!(i, Instr::SimdMemLane(op, MA, 1), "{}", op.name());
        }
        let v = first_instr("v128.const i32x4 1 2 3 4");
        assert!(matches!(v, Instr::V128Const(b) if b[0] == 1 && b[4] == 2));
        let s = first_instr("i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31");
        assert!(matches!(s, Instr::I8x16Shuffle(l) if l[15] == 31));
    }

    #[test]
    fn simd_tables_are_complete_and_disjoint() {
        let total = SimdOp::ALL.len()
            + SimdMemOp::ALL.len()
            + SimdLaneOp::ALL.len()
            + SimdMemLaneOp::ALL.len();
        // Wasm 2.0 has 236 SIMD instructions; v128.const and i8x16.shuffle are separate.
        assert_eq!(total + 2, 236);
        for code in 0..0x200u32 {
            let hits = [
                SimdOp::from_opcode(code).is_some(),
                SimdMemOp::from_opcode(code).is_some(),
                SimdLaneOp::from_opcode(code).is_some(),
                SimdMemLaneOp::from_opcode(code).is_some(),
                code == 0x0c || code == 0x0d,
            ];
            assert!(
                hits.iter().filter(|h| **h).count() <= 1,
                "opcode {code:#x} listed twice"
            );
        }
        for &op in SimdLaneOp::ALL {
            let expect = match &op.name()[..5] {
                "i8x16" => 16,
                "i16x8" => 8,
                "i32x4" | "f32x4" => 4,
                _ => 2,
            };
            assert_eq!(op.lanes(), expect, "{}", op.name());
        }
    }

    #[test]
    fn scalar_tables_match_wat() {
        for &op in NumOp::ALL {
            assert_eq!(first_instr(op.name()), Instr::Numeric(op), "{}", op.name());
        }
        for &op in LoadOp::ALL {
            let i = first_instr(&format!("{} offset=3 align=1", op.name()));
            assert_eq!(i, Instr::Load(op, MA), "{}", op.name());
        }
        for &op in StoreOp::ALL {
            let i = first_instr(&format!("{} offset=3 align=1", op.name()));
            assert_eq!(i, Instr::Store(op, MA), "{}", op.name());
        }
    }
}
