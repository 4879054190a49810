//! SIMD ops: each calls the matching dispatcher of `wvm-simd` (or, for the hot operators the
//! translator gives dedicated ops, the operator's own function). A `v128` occupies two
//! consecutive frame cells, the low 64 bits in the lower cell.
//!
//! The handlers are `#[inline(always)]` like all others: the threaded backend gives every op
//! its own function, so SIMD code no longer enlarges a shared dispatch loop (in the portable
//! `loop { match }` backend, inlining them made the scalar ops measurably slower: hash 1.7x
//! the time in one build), and an out-of-line handler taking `&mut Exec` would force the VM
//! registers into memory.

use super::{Exec, Res, Stop};
use crate::engine::ops::{Args3, Op, Slot, V128Args3, V128Slot};
use crate::error::TrapCode;
use wvm_binary::simd::{SimdLaneOp, SimdMemLaneOp, SimdMemOp, SimdOp};
use wvm_simd::V128;

const OOB: Stop = Stop::Trap(TrapCode::MemoryOutOfBounds);

impl Exec<'_, '_> {
    /// Reads the `v128` in cells `s`, `s + 1`.
    #[inline(always)]
    fn get_v(&self, s: u32) -> V128 {
        let lo: u64 = self.get(Slot(s));
        let hi: u64 = self.get(Slot(s + 1));
        V128(lo as u128 | (hi as u128) << 64)
    }

    /// Writes a `v128` to cells `s`, `s + 1`.
    #[inline(always)]
    fn set_v(&mut self, s: u32, v: V128) {
        self.set(Slot(s), v.0 as u64);
        self.set(Slot(s + 1), (v.0 >> 64) as u64);
    }

    /// Base and length of memory `mem` of the current instance (memory 0 is cached).
    #[inline(always)]
    fn simd_mem(&mut self, mem: u8) -> Result<(*mut u8, usize), Stop> {
        if mem == 0 {
            Ok((self.mem, self.c.mem_len))
        } else {
            self.c.memory_n(mem as u32)
        }
    }

    /// Bounds check of an access of `n` bytes at `ptr + offset` in memory `mem`: the
    /// memory's base and the effective address.
    #[inline(always)]
    fn simd_ea(
        &mut self,
        mem: u8,
        ptr: Slot,
        offset: u32,
        n: u32,
    ) -> Result<(*mut u8, usize), Stop> {
        let (base, len) = self.simd_mem(mem)?;
        let ea = self.get::<u32>(ptr) as u64 + offset as u64;
        if ea + n as u64 > len as u64 {
            return Err(OOB);
        }
        Ok((base, ea as usize))
    }

    /// The `n` (at most 16) bytes at `ptr + offset` (bounds-checked), copied out.
    #[inline(always)]
    fn simd_read(&mut self, mem: u8, ptr: Slot, offset: u32, n: u32) -> Result<[u8; 16], Stop> {
        let n = n.min(16);
        let (base, ea) = self.simd_ea(mem, ptr, offset, n)?;
        let mut buf = [0u8; 16];
        // SAFETY: `ea + n <= len` was just checked, where `base`/`len` describe a live memory
        // of the current instance (memory 0's cache is refreshed after every operation that
        // can move or resize it; other memories are looked up for this access), and `buf` is
        // a distinct local of at least `n` bytes.
        unsafe { core::ptr::copy_nonoverlapping(base.add(ea), buf.as_mut_ptr(), n as usize) };
        Ok(buf)
    }

    /// Writes `bytes` at `ptr + offset` in memory `mem` (bounds-checked).
    #[inline(always)]
    fn simd_write(&mut self, mem: u8, ptr: Slot, offset: u32, bytes: &[u8]) -> Res {
        let (base, ea) = self.simd_ea(mem, ptr, offset, bytes.len() as u32)?;
        // SAFETY: as in `simd_read`; `bytes` is not part of linear memory.
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), base.add(ea), bytes.len()) };
        Ok(())
    }
}

impl super::Cold<'_> {
    /// Base and length of memory `m` of the current instance.
    #[inline(never)]
    #[cold]
    fn memory_n(&mut self, m: u32) -> Result<(*mut u8, usize), Stop> {
        let idx = self.memory_index(m)?;
        match self.inner.memories.get_mut(idx) {
            Some(mem) => Ok((mem.data.as_mut_ptr(), mem.data.len())),
            None => Err(OOB),
        }
    }
}

#[inline(always)]
pub(super) fn simd_unary(x: &mut Exec<'_, '_>, out: V128Slot, a: V128Slot, op: SimdOp) -> Res {
    let r = wvm_simd::unary(op, x.get_v(a.0));
    x.set_v(out.0, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_binary(
    x: &mut Exec<'_, '_>,
    out: V128Slot,
    a: V128Slot,
    b: V128Slot,
    op: SimdOp,
) -> Res {
    let r = wvm_simd::binary(op, x.get_v(a.0), x.get_v(b.0));
    x.set_v(out.0, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_ternary(x: &mut Exec<'_, '_>, args: V128Args3, op: SimdOp) -> Res {
    let s = args.0;
    let r = wvm_simd::ternary(op, x.get_v(s), x.get_v(s + 2), x.get_v(s + 4));
    x.set_v(s, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_test(x: &mut Exec<'_, '_>, dst: Slot, a: V128Slot, op: SimdOp) -> Res {
    let r = wvm_simd::test(op, x.get_v(a.0));
    x.set(dst, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_splat(x: &mut Exec<'_, '_>, out: V128Slot, a: Slot, op: SimdOp) -> Res {
    let r = wvm_simd::splat(op, x.get::<u64>(a));
    x.set_v(out.0, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_shift(
    x: &mut Exec<'_, '_>,
    out: V128Slot,
    a: V128Slot,
    amount: Slot,
    op: SimdOp,
) -> Res {
    let r = wvm_simd::shift(op, x.get_v(a.0), x.get::<u32>(amount));
    x.set_v(out.0, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_extract_lane(
    x: &mut Exec<'_, '_>,
    dst: Slot,
    a: V128Slot,
    op: SimdLaneOp,
    lane: u8,
) -> Res {
    let r = wvm_simd::extract_lane(op, x.get_v(a.0), lane);
    x.set(dst, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_replace_lane(
    x: &mut Exec<'_, '_>,
    out: V128Slot,
    a: V128Slot,
    b: Slot,
    op: SimdLaneOp,
    lane: u8,
) -> Res {
    let r = wvm_simd::replace_lane(op, x.get_v(a.0), lane, x.get::<u64>(b));
    x.set_v(out.0, r);
    Ok(())
}

/// The 8 bytes held by the `Extra` op at `pc`, which is then skipped.
#[inline(always)]
fn take_extra(x: &mut Exec<'_, '_>) -> [u8; 8] {
    // SAFETY: `verify` proved two `Extra` ops follow every `SimdShuffle`; `pc` points at the
    // next of them.
    let (a, b) = match unsafe { (*x.pc).op } {
        Op::Extra { a, b } => (a, b),
        _ => (0, 0),
    };
    // SAFETY: an `Extra` op is never the last op of a function (the last op is terminal),
    // so skipping it stays inside the function.
    x.pc = unsafe { x.pc.add(1) };
    ((a as u64) | (b as u64) << 32).to_le_bytes()
}

#[inline(always)]
pub(super) fn simd_shuffle(x: &mut Exec<'_, '_>, out: V128Slot, a: V128Slot, b: V128Slot) -> Res {
    let lo = u64::from_le_bytes(take_extra(x));
    let hi = u64::from_le_bytes(take_extra(x));
    let r = shuffle(x.get_v(a.0), x.get_v(b.0), lo as u128 | (hi as u128) << 64);
    x.set_v(out.0, r);
    Ok(())
}

/// `i8x16.shuffle` of `a` and `b` by the 16 lane indices (bytes of `lanes`, each below 32).
/// On x86_64 CPUs with SSSE3 it is two byte shuffles (`pshufb`) instead of the portable
/// 16-byte gather (measured: imgfilter's shuffles went from about a fifth of its run time to
/// a few percent); the result is the same bit for bit (tested against `wvm_simd::shuffle`).
#[inline(always)]
fn shuffle(a: V128, b: V128, lanes: u128) -> V128 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("ssse3") {
        // SAFETY: the only requirement of calling a `target_feature` function is that the CPU
        // has the feature, which was just detected at run time.
        return V128(unsafe { ssse3::shuffle(a.0, b.0, lanes) });
    }
    wvm_simd::shuffle(a, b, &lanes.to_le_bytes())
}

#[cfg(target_arch = "x86_64")]
mod ssse3 {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpgt_epi8, _mm_or_si128, _mm_set1_epi8, _mm_shuffle_epi8,
        _mm_sub_epi8,
    };

    /// `i8x16.shuffle` with `pshufb`: bytes of `a` where the index is below 16, bytes of `b`
    /// (index - 16) elsewhere. `pshufb` zeroes a byte whose index has bit 7 set and otherwise
    /// uses its low 4 bits.
    #[target_feature(enable = "ssse3")]
    pub(super) fn shuffle(a: u128, b: u128, lanes: u128) -> u128 {
        // SAFETY: `u128` and `__m128i` are both 16 plain bytes; every bit pattern is valid for
        // either, so transmuting between them is sound.
        let (va, vb, l) = unsafe {
            (
                core::mem::transmute::<u128, __m128i>(a),
                core::mem::transmute::<u128, __m128i>(b),
                core::mem::transmute::<u128, __m128i>(lanes & mask31()),
            )
        };
        // Indices 16..31: set bit 7 for the shuffle of `a` (zero), and subtract 16 for `b`,
        // where indices 0..15 become negative (bit 7 set: zero).
        let from_b = _mm_cmpgt_epi8(l, _mm_set1_epi8(15));
        let idx_a = _mm_or_si128(l, _mm_and_si128(from_b, _mm_set1_epi8(-128)));
        let idx_b = _mm_sub_epi8(l, _mm_set1_epi8(16));
        let r = _mm_or_si128(_mm_shuffle_epi8(va, idx_a), _mm_shuffle_epi8(vb, idx_b));
        // SAFETY: as above.
        unsafe { core::mem::transmute::<__m128i, u128>(r) }
    }

    /// Indices are validated to be below 32; like the portable version, take them modulo 32.
    #[inline(always)]
    fn mask31() -> u128 {
        u128::from_le_bytes([31; 16])
    }
}

#[inline(always)]
pub(super) fn simd_load(
    x: &mut Exec<'_, '_>,
    out: V128Slot,
    ptr: Slot,
    offset: u32,
    op: SimdMemOp,
    mem: u8,
) -> Res {
    let n = op.bytes();
    let buf = x.simd_read(mem, ptr, offset, n)?;
    let r = wvm_simd::memory::load(op, buf.get(..n as usize).unwrap_or(&[]))
        .ok_or(Stop::Trap(TrapCode::Unreachable))?;
    x.set_v(out.0, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_store(
    x: &mut Exec<'_, '_>,
    ptr: Slot,
    val: V128Slot,
    offset: u32,
    mem: u8,
) -> Res {
    let bytes = wvm_simd::memory::v128_store(x.get_v(val.0));
    x.simd_write(mem, ptr, offset, &bytes)
}

#[inline(always)]
pub(super) fn simd_load_lane(
    x: &mut Exec<'_, '_>,
    args: Args3,
    offset: u32,
    op: SimdMemLaneOp,
    lane: u8,
    mem: u8,
) -> Res {
    let ptr = Slot(args.0);
    let v = x.get_v(args.0 + 1);
    let n = op.bytes();
    let buf = x.simd_read(mem, ptr, offset, n)?;
    let r = wvm_simd::memory::load_lane(op, v, lane, buf.get(..n as usize).unwrap_or(&[]))
        .ok_or(Stop::Trap(TrapCode::Unreachable))?;
    x.set_v(args.0, r);
    Ok(())
}

#[inline(always)]
pub(super) fn simd_store_lane(
    x: &mut Exec<'_, '_>,
    args: Args3,
    offset: u32,
    op: SimdMemLaneOp,
    lane: u8,
    mem: u8,
) -> Res {
    let ptr = Slot(args.0);
    let bytes = wvm_simd::memory::store_lane(op, x.get_v(args.0 + 1), lane);
    let n = (op.bytes() as usize).min(8);
    x.simd_write(mem, ptr, offset, bytes.get(..n).unwrap_or(&[]))
}

#[inline(always)]
pub(super) fn global_get_v128(x: &mut Exec<'_, '_>, out: V128Slot, idx: u32) -> Res {
    let g = x.c.global_index(idx)?;
    let v =
        x.c.inner
            .globals
            .get(g)
            .map(|g| g.value as u128 | (g.hi as u128) << 64)
            .unwrap_or(0);
    x.set_v(out.0, V128(v));
    Ok(())
}

#[inline(always)]
pub(super) fn global_set_v128(x: &mut Exec<'_, '_>, src: V128Slot, idx: u32) -> Res {
    let g = x.c.global_index(idx)?;
    let v = x.get_v(src.0).0;
    if let Some(g) = x.c.inner.globals.get_mut(g) {
        g.value = v as u64;
        g.hi = (v >> 64) as u64;
    }
    Ok(())
}

// ---- dedicated handlers for hot operators (the generic ones dispatch again on `op`) ----

/// Defines `fn(x, out, a, b)` handlers calling one binary operator of `wvm-simd` directly.
macro_rules! binary_handlers {
    ($($name:ident => $f:path;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, out: V128Slot, a: V128Slot, b: V128Slot) -> Res {
            let r = $f(x.get_v(a.0), x.get_v(b.0));
            x.set_v(out.0, r);
            Ok(())
        }
    )*};
}

/// Defines `fn(x, out, a)` handlers calling one unary operator of `wvm-simd` directly.
macro_rules! unary_handlers {
    ($($name:ident => $f:path;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, out: V128Slot, a: V128Slot) -> Res {
            let r = $f(x.get_v(a.0));
            x.set_v(out.0, r);
            Ok(())
        }
    )*};
}

/// Defines `fn(x, out, a, amount)` handlers calling one shift of `wvm-simd` directly.
macro_rules! shift_handlers {
    ($($name:ident => $f:path;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, out: V128Slot, a: V128Slot, amount: Slot) -> Res {
            let r = $f(x.get_v(a.0), x.get::<u32>(amount));
            x.set_v(out.0, r);
            Ok(())
        }
    )*};
}

binary_handlers! {
    simd_i8x16_add => wvm_simd::int::i8x16_add;
    simd_i8x16_sub => wvm_simd::int::i8x16_sub;
    simd_i16x8_add => wvm_simd::int::i16x8_add;
    simd_i16x8_sub => wvm_simd::int::i16x8_sub;
    simd_i16x8_mul => wvm_simd::int::i16x8_mul;
    simd_i32x4_add => wvm_simd::int::i32x4_add;
    simd_i32x4_sub => wvm_simd::int::i32x4_sub;
    simd_i32x4_mul => wvm_simd::int::i32x4_mul;
    simd_i32x4_min_s => wvm_simd::int::i32x4_min_s;
    simd_i32x4_max_s => wvm_simd::int::i32x4_max_s;
    simd_v128_and => wvm_simd::int::v128_and;
    simd_v128_or => wvm_simd::int::v128_or;
    simd_v128_xor => wvm_simd::int::v128_xor;
    simd_i8x16_narrow_i16x8_u => wvm_simd::convert::i8x16_narrow_i16x8_u;
    simd_i16x8_narrow_i32x4_u => wvm_simd::convert::i16x8_narrow_i32x4_u;
    simd_f32x4_add => wvm_simd::float::f32x4_add;
    simd_f32x4_sub => wvm_simd::float::f32x4_sub;
    simd_f32x4_mul => wvm_simd::float::f32x4_mul;
    simd_f64x2_add => wvm_simd::float::f64x2_add;
    simd_f64x2_mul => wvm_simd::float::f64x2_mul;
}

unary_handlers! {
    simd_i16x8_extend_low_i8x16_u => wvm_simd::convert::i16x8_extend_low_i8x16_u;
    simd_i16x8_extend_high_i8x16_u => wvm_simd::convert::i16x8_extend_high_i8x16_u;
    simd_i32x4_extend_low_i16x8_u => wvm_simd::convert::i32x4_extend_low_i16x8_u;
    simd_i32x4_extend_high_i16x8_u => wvm_simd::convert::i32x4_extend_high_i16x8_u;
}

shift_handlers! {
    simd_i16x8_shl => wvm_simd::int::i16x8_shl;
    simd_i16x8_shr_u => wvm_simd::int::i16x8_shr_u;
    simd_i32x4_shl => wvm_simd::int::i32x4_shl;
    simd_i32x4_shr_s => wvm_simd::int::i32x4_shr_s;
    simd_i32x4_shr_u => wvm_simd::int::i32x4_shr_u;
}

/// `v128.load` from memory 0: a direct unaligned 16-byte read.
#[inline(always)]
pub(super) fn simd_v128_load(x: &mut Exec<'_, '_>, out: V128Slot, ptr: Slot, offset: u32) -> Res {
    let ea = x.get::<u32>(ptr) as u64 + offset as u64;
    if ea + 16 > x.c.mem_len as u64 {
        return Err(OOB);
    }
    // SAFETY: `ea + 16 <= mem_len` was just checked, and `mem`/`mem_len` describe the current
    // instance's memory 0 (refreshed after every operation that can move or resize it); the
    // read is unaligned-safe and copies 16 bytes out.
    let v = unsafe { core::ptr::read_unaligned(x.mem.add(ea as usize) as *const [u8; 16]) };
    x.set_v(out.0, V128(u128::from_le_bytes(v)));
    Ok(())
}

/// `v128.store` to memory 0: a direct unaligned 16-byte write.
#[inline(always)]
pub(super) fn simd_v128_store(x: &mut Exec<'_, '_>, ptr: Slot, val: V128Slot, offset: u32) -> Res {
    let ea = x.get::<u32>(ptr) as u64 + offset as u64;
    if ea + 16 > x.c.mem_len as u64 {
        return Err(OOB);
    }
    let bytes = x.get_v(val.0).0.to_le_bytes();
    // SAFETY: as in `simd_v128_load`; `bytes` is a local, not part of linear memory.
    unsafe { core::ptr::write_unaligned(x.mem.add(ea as usize) as *mut [u8; 16], bytes) };
    Ok(())
}

/// Each 32-bit lane of `c` (two f32 lanes) that holds a NaN replaced by the canonical NaN.
#[inline(always)]
fn canon_f32_pair(c: u64) -> u64 {
    let lane = |l: u64| {
        if l & 0x7fff_ffff > 0x7f80_0000 {
            0x7fc0_0000
        } else {
            l
        }
    };
    lane(c & 0xffff_ffff) | lane(c >> 32) << 32
}

/// `c` (one f64 lane) with a NaN replaced by the canonical NaN.
#[inline(always)]
fn canon_f64_cell(c: u64) -> u64 {
    if c & 0x7fff_ffff_ffff_ffff > 0x7ff0_0000_0000_0000 {
        0x7ff8_0000_0000_0000
    } else {
        c
    }
}

#[inline(always)]
pub(super) fn canon_f32x4(x: &mut Exec<'_, '_>, reg: V128Slot) -> Res {
    for s in [reg.0, reg.0 + 1] {
        let c: u64 = x.get(Slot(s));
        x.set(Slot(s), canon_f32_pair(c));
    }
    Ok(())
}

#[inline(always)]
pub(super) fn canon_f64x2(x: &mut Exec<'_, '_>, reg: V128Slot) -> Res {
    for s in [reg.0, reg.0 + 1] {
        let c: u64 = x.get(Slot(s));
        x.set(Slot(s), canon_f64_cell(c));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f32_lanes_canonicalized_independently() {
        let nan_payload = 0x7fa0_0001u64; // signalling NaN with a payload
        let neg_nan = 0xffc0_0123u64;
        let one = 1.0f32.to_bits() as u64;
        let inf = f32::INFINITY.to_bits() as u64;
        assert_eq!(
            canon_f32_pair(nan_payload | one << 32),
            0x7fc0_0000 | one << 32
        );
        assert_eq!(canon_f32_pair(inf | neg_nan << 32), inf | 0x7fc0_0000 << 32);
        assert_eq!(canon_f32_pair(one | inf << 32), one | inf << 32);
        let neg_inf = f32::NEG_INFINITY.to_bits() as u64;
        assert_eq!(canon_f32_pair(neg_inf), neg_inf);
    }

    #[test]
    fn shuffle_matches_the_portable_one() {
        let a = V128(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
        let b = V128(0x9f9e_9d9c_9b9a_9998_9796_9594_9392_9190);
        let mut seed = 0x1234_5678u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 24) as u8
        };
        let mut cases: Vec<[u8; 16]> = vec![
            core::array::from_fn(|i| i as u8),
            core::array::from_fn(|i| 16 + i as u8),
            core::array::from_fn(|i| 31 - i as u8),
            [4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [15, 16, 0, 31, 17, 14, 1, 30, 8, 24, 7, 23, 9, 25, 6, 22],
        ];
        for _ in 0..200 {
            cases.push(core::array::from_fn(|_| next() & 31));
        }
        for lanes in cases {
            let want = wvm_simd::shuffle(a, b, &lanes);
            assert_eq!(shuffle(a, b, u128::from_le_bytes(lanes)), want, "{lanes:?}");
        }
    }

    #[test]
    fn f64_lane_canonicalized() {
        assert_eq!(canon_f64_cell(0xfff0_0000_0000_0001), 0x7ff8_0000_0000_0000);
        assert_eq!(canon_f64_cell(0x7ff8_0000_0000_0000), 0x7ff8_0000_0000_0000);
        let inf = f64::NEG_INFINITY.to_bits();
        assert_eq!(canon_f64_cell(inf), inf);
        assert_eq!(canon_f64_cell(2.5f64.to_bits()), 2.5f64.to_bits());
    }
}
