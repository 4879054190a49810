//! Numeric ops: one line of semantics per WebAssembly operator.

use super::float::*;
use super::{Dst, Exec, Res, Src, Stop};
use crate::engine::ops::Slot;
use crate::error::TrapCode;

macro_rules! bin {
    ($($name:ident, $t:ty, |$a:ident, $b:ident| $e:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, dst: impl Dst, lhs: impl Src, rhs: Slot) -> Res {
            let $a: $t = x.get(lhs);
            let $b: $t = x.get(rhs);
            x.set(dst, $e);
            Ok(())
        }
    )*};
}

macro_rules! bin_imm {
    ($($name:ident, $imm:ident, $t:ty, |$a:ident, $b:ident| $e:expr;)*) => {$(
        bin!($name, $t, |$a, $b| $e;);
        #[inline(always)]
        pub(super) fn $imm(x: &mut Exec<'_, '_>, dst: impl Dst, lhs: impl Src, imm: i32) -> Res {
            let $a: $t = x.get(lhs);
            let $b: $t = imm as $t;
            x.set(dst, $e);
            Ok(())
        }
    )*};
}

macro_rules! bin_trap {
    ($($name:ident, $imm:ident, $t:ty, |$a:ident, $b:ident| $e:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, dst: impl Dst, lhs: impl Src, rhs: Slot) -> Res {
            let $a: $t = x.get(lhs);
            let $b: $t = x.get(rhs);
            let r: Result<$t, TrapCode> = $e;
            x.set(dst, r.map_err(Stop::Trap)?);
            Ok(())
        }
        #[inline(always)]
        pub(super) fn $imm(x: &mut Exec<'_, '_>, dst: impl Dst, lhs: impl Src, imm: i32) -> Res {
            let $a: $t = x.get(lhs);
            let $b: $t = imm as $t;
            let r: Result<$t, TrapCode> = $e;
            x.set(dst, r.map_err(Stop::Trap)?);
            Ok(())
        }
    )*};
}

macro_rules! un {
    ($($name:ident, $t:ty, |$a:ident| $e:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, dst: impl Dst, src: impl Src) -> Res {
            let $a: $t = x.get(src);
            x.set(dst, $e);
            Ok(())
        }
    )*};
}

macro_rules! un_trap {
    ($($name:ident, $t:ty, |$a:ident| $e:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, dst: impl Dst, src: impl Src) -> Res {
            let $a: $t = x.get(src);
            x.set(dst, $e.map_err(Stop::Trap)?);
            Ok(())
        }
    )*};
}

/// Rounding ops return a quiet (arithmetic) NaN for any NaN input, as WebAssembly requires;
/// software rounding routines may pass a signalling NaN through unchanged.
#[inline(always)]
fn quiet_f32(a: f32, f: impl Fn(f32) -> f32) -> f32 {
    if a.is_nan() {
        f32::from_bits(a.to_bits() | 0x0040_0000)
    } else {
        f(a)
    }
}

#[inline(always)]
fn quiet_f64(a: f64, f: impl Fn(f64) -> f64) -> f64 {
    if a.is_nan() {
        f64::from_bits(a.to_bits() | 0x0008_0000_0000_0000)
    } else {
        f(a)
    }
}

fn div_s32(a: i32, b: i32) -> Result<i32, TrapCode> {
    match b {
        0 => Err(TrapCode::IntegerDivideByZero),
        -1 if a == i32::MIN => Err(TrapCode::IntegerOverflow),
        _ => Ok(a.wrapping_div(b)),
    }
}
fn div_s64(a: i64, b: i64) -> Result<i64, TrapCode> {
    match b {
        0 => Err(TrapCode::IntegerDivideByZero),
        -1 if a == i64::MIN => Err(TrapCode::IntegerOverflow),
        _ => Ok(a.wrapping_div(b)),
    }
}
fn nz32(b: i32) -> Result<u32, TrapCode> {
    if b == 0 {
        Err(TrapCode::IntegerDivideByZero)
    } else {
        Ok(b as u32)
    }
}
fn nz64(b: i64) -> Result<u64, TrapCode> {
    if b == 0 {
        Err(TrapCode::IntegerDivideByZero)
    } else {
        Ok(b as u64)
    }
}

bin_imm! {
    i32_eq, i32_eq_imm, i32, |a, b| a == b;
    i32_ne, i32_ne_imm, i32, |a, b| a != b;
    i32_lt_s, i32_lt_s_imm, i32, |a, b| a < b;
    i32_lt_u, i32_lt_u_imm, i32, |a, b| (a as u32) < (b as u32);
    i32_gt_s, i32_gt_s_imm, i32, |a, b| a > b;
    i32_gt_u, i32_gt_u_imm, i32, |a, b| (a as u32) > (b as u32);
    i32_le_s, i32_le_s_imm, i32, |a, b| a <= b;
    i32_le_u, i32_le_u_imm, i32, |a, b| (a as u32) <= (b as u32);
    i32_ge_s, i32_ge_s_imm, i32, |a, b| a >= b;
    i32_ge_u, i32_ge_u_imm, i32, |a, b| (a as u32) >= (b as u32);
    i64_eq, i64_eq_imm, i64, |a, b| a == b;
    i64_ne, i64_ne_imm, i64, |a, b| a != b;
    i64_lt_s, i64_lt_s_imm, i64, |a, b| a < b;
    i64_lt_u, i64_lt_u_imm, i64, |a, b| (a as u64) < (b as u64);
    i64_gt_s, i64_gt_s_imm, i64, |a, b| a > b;
    i64_gt_u, i64_gt_u_imm, i64, |a, b| (a as u64) > (b as u64);
    i64_le_s, i64_le_s_imm, i64, |a, b| a <= b;
    i64_le_u, i64_le_u_imm, i64, |a, b| (a as u64) <= (b as u64);
    i64_ge_s, i64_ge_s_imm, i64, |a, b| a >= b;
    i64_ge_u, i64_ge_u_imm, i64, |a, b| (a as u64) >= (b as u64);
    i32_add, i32_add_imm, i32, |a, b| a.wrapping_add(b);
    i32_sub, i32_sub_imm, i32, |a, b| a.wrapping_sub(b);
    i32_mul, i32_mul_imm, i32, |a, b| a.wrapping_mul(b);
    i32_and, i32_and_imm, i32, |a, b| a & b;
    i32_or, i32_or_imm, i32, |a, b| a | b;
    i32_xor, i32_xor_imm, i32, |a, b| a ^ b;
    i32_shl, i32_shl_imm, i32, |a, b| a.wrapping_shl(b as u32);
    i32_shr_s, i32_shr_s_imm, i32, |a, b| a.wrapping_shr(b as u32);
    i32_shr_u, i32_shr_u_imm, i32, |a, b| (a as u32).wrapping_shr(b as u32);
    i32_rotl, i32_rotl_imm, i32, |a, b| a.rotate_left(b as u32);
    i32_rotr, i32_rotr_imm, i32, |a, b| a.rotate_right(b as u32);
    i64_add, i64_add_imm, i64, |a, b| a.wrapping_add(b);
    i64_sub, i64_sub_imm, i64, |a, b| a.wrapping_sub(b);
    i64_mul, i64_mul_imm, i64, |a, b| a.wrapping_mul(b);
    i64_and, i64_and_imm, i64, |a, b| a & b;
    i64_or, i64_or_imm, i64, |a, b| a | b;
    i64_xor, i64_xor_imm, i64, |a, b| a ^ b;
    i64_shl, i64_shl_imm, i64, |a, b| a.wrapping_shl(b as u32);
    i64_shr_s, i64_shr_s_imm, i64, |a, b| a.wrapping_shr(b as u32);
    i64_shr_u, i64_shr_u_imm, i64, |a, b| (a as u64).wrapping_shr(b as u32);
    i64_rotl, i64_rotl_imm, i64, |a, b| a.rotate_left(b as u32);
    i64_rotr, i64_rotr_imm, i64, |a, b| a.rotate_right(b as u32);
}

bin_trap! {
    i32_div_s, i32_div_s_imm, i32, |a, b| div_s32(a, b);
    i32_div_u, i32_div_u_imm, i32, |a, b| nz32(b).map(|b| ((a as u32) / b) as i32);
    i32_rem_s, i32_rem_s_imm, i32, |a, b| nz32(b).map(|_| a.wrapping_rem(b));
    i32_rem_u, i32_rem_u_imm, i32, |a, b| nz32(b).map(|b| ((a as u32) % b) as i32);
    i64_div_s, i64_div_s_imm, i64, |a, b| div_s64(a, b);
    i64_div_u, i64_div_u_imm, i64, |a, b| nz64(b).map(|b| ((a as u64) / b) as i64);
    i64_rem_s, i64_rem_s_imm, i64, |a, b| nz64(b).map(|_| a.wrapping_rem(b));
    i64_rem_u, i64_rem_u_imm, i64, |a, b| nz64(b).map(|b| ((a as u64) % b) as i64);
}

bin! {
    f32_eq, f32, |a, b| a == b;
    f32_ne, f32, |a, b| a != b;
    f32_lt, f32, |a, b| a < b;
    f32_gt, f32, |a, b| a > b;
    f32_le, f32, |a, b| a <= b;
    f32_ge, f32, |a, b| a >= b;
    f64_eq, f64, |a, b| a == b;
    f64_ne, f64, |a, b| a != b;
    f64_lt, f64, |a, b| a < b;
    f64_gt, f64, |a, b| a > b;
    f64_le, f64, |a, b| a <= b;
    f64_ge, f64, |a, b| a >= b;
    f32_add, f32, |a, b| a + b;
    f32_sub, f32, |a, b| a - b;
    f32_mul, f32, |a, b| a * b;
    f32_div, f32, |a, b| a / b;
    f32_min, f32, |a, b| fmin32(a, b);
    f32_max, f32, |a, b| fmax32(a, b);
    f32_copysign, u32, |a, b| (a & 0x7fff_ffff) | (b & 0x8000_0000);
    f64_add, f64, |a, b| a + b;
    f64_sub, f64, |a, b| a - b;
    f64_mul, f64, |a, b| a * b;
    f64_div, f64, |a, b| a / b;
    f64_min, f64, |a, b| fmin64(a, b);
    f64_max, f64, |a, b| fmax64(a, b);
    f64_copysign, u64, |a, b| (a & 0x7fff_ffff_ffff_ffff) | (b & 0x8000_0000_0000_0000);
}

un! {
    i32_eqz, i32, |a| a == 0;
    i64_eqz, i64, |a| a == 0;
    i32_clz, i32, |a| a.leading_zeros();
    i32_ctz, i32, |a| a.trailing_zeros();
    i32_popcnt, i32, |a| a.count_ones();
    i64_clz, i64, |a| a.leading_zeros() as u64;
    i64_ctz, i64, |a| a.trailing_zeros() as u64;
    i64_popcnt, i64, |a| a.count_ones() as u64;
    f32_abs, u32, |a| a & 0x7fff_ffff;
    f32_neg, u32, |a| a ^ 0x8000_0000;
    f32_ceil, f32, |a| quiet_f32(a, |a| a.ceil());
    f32_floor, f32, |a| quiet_f32(a, |a| a.floor());
    f32_trunc, f32, |a| quiet_f32(a, |a| a.trunc());
    f32_nearest, f32, |a| quiet_f32(a, |a| f32::from_bits(f32_nearest_bits(a.to_bits())));
    f32_sqrt, f32, |a| a.sqrt();
    f64_abs, u64, |a| a & 0x7fff_ffff_ffff_ffff;
    f64_neg, u64, |a| a ^ 0x8000_0000_0000_0000;
    f64_ceil, f64, |a| quiet_f64(a, |a| a.ceil());
    f64_floor, f64, |a| quiet_f64(a, |a| a.floor());
    f64_trunc, f64, |a| quiet_f64(a, |a| a.trunc());
    f64_nearest, f64, |a| quiet_f64(a, |a| f64::from_bits(f64_nearest_bits(a.to_bits())));
    f64_sqrt, f64, |a| a.sqrt();
    i32_wrap_i64, i64, |a| a as i32;
    i64_extend_i32_s, i32, |a| a as i64;
    i64_extend_i32_u, u32, |a| a as u64;
    f32_convert_i32_s, i32, |a| a as f32;
    f32_convert_i32_u, u32, |a| a as f32;
    f32_convert_i64_s, i64, |a| a as f32;
    f32_convert_i64_u, u64, |a| a as f32;
    f32_demote_f64, f64, |a| a as f32;
    f64_convert_i32_s, i32, |a| a as f64;
    f64_convert_i32_u, u32, |a| a as f64;
    f64_convert_i64_s, i64, |a| a as f64;
    f64_convert_i64_u, u64, |a| a as f64;
    f64_promote_f32, f32, |a| a as f64;
    i32_reinterpret_f32, u32, |a| a;
    i64_reinterpret_f64, u64, |a| a;
    f32_reinterpret_i32, u32, |a| a;
    f64_reinterpret_i64, u64, |a| a;
    i32_extend8_s, i32, |a| a as i8 as i32;
    i32_extend16_s, i32, |a| a as i16 as i32;
    i64_extend8_s, i64, |a| a as i8 as i64;
    i64_extend16_s, i64, |a| a as i16 as i64;
    i64_extend32_s, i64, |a| a as i32 as i64;
    i32_trunc_sat_f32_s, f32, |a| a as i32;
    i32_trunc_sat_f32_u, f32, |a| a as u32;
    i32_trunc_sat_f64_s, f64, |a| a as i32;
    i32_trunc_sat_f64_u, f64, |a| a as u32;
    i64_trunc_sat_f32_s, f32, |a| a as i64;
    i64_trunc_sat_f32_u, f32, |a| a as u64;
    i64_trunc_sat_f64_s, f64, |a| a as i64;
    i64_trunc_sat_f64_u, f64, |a| a as u64;
}

un_trap! {
    i32_trunc_f32_s, f32, |a| trunc_i32_s(a as f64);
    i32_trunc_f32_u, f32, |a| trunc_i32_u(a as f64);
    i32_trunc_f64_s, f64, |a| trunc_i32_s(a);
    i32_trunc_f64_u, f64, |a| trunc_i32_u(a);
    i64_trunc_f32_s, f32, |a| trunc_i64_s(a as f64);
    i64_trunc_f32_u, f32, |a| trunc_i64_u(a as f64);
    i64_trunc_f64_s, f64, |a| trunc_i64_s(a);
    i64_trunc_f64_u, f64, |a| trunc_i64_u(a);
}
