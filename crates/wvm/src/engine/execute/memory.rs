//! Linear-memory ops: bounds-checked loads and stores on memory 0 (cached base and length),
//! `memory.size`/`grow` and the bulk operations.

use super::{Cold, Dst, Exec, Res, Src, Stop};
use crate::engine::ops::{Args3, Slot};
use crate::error::TrapCode;

const OOB: Stop = Stop::Trap(TrapCode::MemoryOutOfBounds);

impl Exec<'_, '_> {
    /// The effective address of an access of `N` bytes, or a trap if it is out of bounds.
    #[inline(always)]
    fn ea<const N: usize>(&self, ptr: impl Src, offset: u32) -> Result<usize, Stop> {
        let ea = self.get::<u32>(ptr) as u64 + offset as u64;
        if ea + N as u64 > self.c.mem_len as u64 {
            return Err(OOB);
        }
        Ok(ea as usize)
    }

    #[inline(always)]
    fn read<const N: usize>(&self, ptr: impl Src, offset: u32) -> Result<[u8; N], Stop> {
        let ea = self.ea::<N>(ptr, offset)?;
        // SAFETY: `ea + N <= mem_len` was just checked, and `mem`/`mem_len` describe memory 0
        // of the current instance: they are refreshed after every operation that can move or
        // resize it (grow, bulk operations, host calls, instance switches).
        Ok(unsafe { core::ptr::read_unaligned(self.mem.add(ea) as *const [u8; N]) })
    }

    #[inline(always)]
    fn write<const N: usize>(&mut self, ptr: Slot, offset: u32, bytes: [u8; N]) -> Res {
        let ea = self.ea::<N>(ptr, offset)?;
        // SAFETY: as in `read`.
        unsafe { core::ptr::write_unaligned(self.mem.add(ea) as *mut [u8; N], bytes) };
        Ok(())
    }
}

macro_rules! load {
    ($($name:ident, $n:literal, $conv:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, dst: impl Dst, ptr: impl Src, offset: u32) -> Res {
            let b = x.read::<$n>(ptr, offset)?;
            x.set(dst, $conv(b));
            Ok(())
        }
    )*};
}

load! {
    i32_load, 4, u32::from_le_bytes;
    i64_load, 8, u64::from_le_bytes;
    f32_load, 4, u32::from_le_bytes;
    // As `f64`, so that the float accumulator is set too (see `Exec::set`).
    f64_load, 8, f64::from_le_bytes;
    i32_load8_s, 1, |b: [u8; 1]| b[0] as i8 as i32;
    i32_load8_u, 1, |b: [u8; 1]| b[0] as u32;
    i32_load16_s, 2, |b| i16::from_le_bytes(b) as i32;
    i32_load16_u, 2, |b| u16::from_le_bytes(b) as u32;
    i64_load8_s, 1, |b: [u8; 1]| b[0] as i8 as i64;
    i64_load8_u, 1, |b: [u8; 1]| b[0] as u64;
    i64_load16_s, 2, |b| i16::from_le_bytes(b) as i64;
    i64_load16_u, 2, |b| u16::from_le_bytes(b) as u64;
    i64_load32_s, 4, |b| i32::from_le_bytes(b) as i64;
    i64_load32_u, 4, |b| u32::from_le_bytes(b) as u64;
}

macro_rules! store {
    ($($name:ident, $t:ty, $n:literal;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, ptr: Slot, val: impl Src, offset: u32) -> Res {
            let v: $t = x.get::<u64>(val) as $t;
            x.write::<$n>(ptr, offset, v.to_le_bytes())
        }
    )*};
}

store! {
    i32_store, u32, 4;
    i64_store, u64, 8;
    f32_store, u32, 4;
    f64_store, u64, 8;
    i32_store8, u8, 1;
    i32_store16, u16, 2;
    i64_store8, u8, 1;
    i64_store16, u16, 2;
    i64_store32, u32, 4;
}

/// The effective address of a fused `i32.add` + access: `base + idx` wrapped to 32 bits,
/// exactly what the `i32.add` would have left in the address slot (offset 0).
#[inline(always)]
fn idx_addr(x: &Exec<'_, '_>, base: Slot, idx: Slot) -> u32 {
    x.get::<u32>(base).wrapping_add(x.get::<u32>(idx))
}

macro_rules! load_idx {
    ($($name:ident, $n:literal, $conv:expr;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, dst: impl Dst, base: Slot, idx: Slot) -> Res {
            let ea = idx_addr(x, base, idx) as u64;
            if ea + $n > x.c.mem_len as u64 {
                return Err(OOB);
            }
            let ea = ea as usize;
            // SAFETY: `ea + N <= mem_len` was just checked (in u64, no overflow), and
            // `mem`/`mem_len` describe memory 0 of the current instance, kept current as
            // explained in `Exec::read`.
            let b = unsafe { core::ptr::read_unaligned(x.mem.add(ea) as *const [u8; $n]) };
            x.set(dst, $conv(b));
            Ok(())
        }
    )*};
}

load_idx! {
    i32_load_idx, 4, u32::from_le_bytes;
    i64_load_idx, 8, u64::from_le_bytes;
    f64_load_idx, 8, f64::from_le_bytes;
    i32_load8_u_idx, 1, |b: [u8; 1]| b[0] as u32;
}

macro_rules! store_idx {
    ($($name:ident, $t:ty, $n:literal;)*) => {$(
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, base: Slot, idx: Slot, val: Slot) -> Res {
            let ea = idx_addr(x, base, idx) as u64;
            if ea + $n > x.c.mem_len as u64 {
                return Err(OOB);
            }
            let ea = ea as usize;
            let v: $t = x.get::<u64>(val) as $t;
            // SAFETY: as in `load_idx`.
            unsafe { core::ptr::write_unaligned(x.mem.add(ea) as *mut [u8; $n], v.to_le_bytes()) };
            Ok(())
        }
    )*};
}

store_idx! {
    i32_store_idx, u32, 4;
    i64_store_idx, u64, 8;
    f64_store_idx, u64, 8;
    i32_store8_idx, u8, 1;
}

#[inline(always)]
pub(super) fn memory_size(x: &mut Exec<'_, '_>, dst: Slot, mem: u32) -> Res {
    let m = x.c.memory_index(mem)?;
    let pages = x.c.inner.memories[m].pages();
    x.set(dst, pages);
    Ok(())
}

#[inline(always)]
pub(super) fn memory_grow(x: &mut Exec<'_, '_>, dst: Slot, delta: Slot, mem: u32) -> Res {
    let delta = x.get::<u32>(delta) as u64;
    let r = grow(&mut *x.c, mem, delta)?;
    x.refresh_memory();
    x.set(dst, r);
    Ok(())
}

#[inline(never)]
fn grow(c: &mut Cold<'_>, mem: u32, delta: u64) -> Result<u32, Stop> {
    let m = c.memory_index(mem)?;
    // Resource limiter (limits.rs): a refusal returns -1, an error traps.
    {
        match (c.hooks.memory_may_grow)(c, m, delta) {
            Ok(true) => {}
            Ok(false) => return Ok(u32::MAX),
            Err(e) => {
                c.error = Some(e);
                return Err(Stop::Host);
            }
        }
    }
    Ok(match c.inner.memories[m].grow(delta) {
        Some(old) => old as u32,
        None => u32::MAX,
    })
}

#[inline(always)]
fn args3(x: &Exec<'_, '_>, a: Args3) -> (u64, u64, u64) {
    (
        x.get::<u32>(Slot(a.0)) as u64,
        x.get::<u32>(Slot(a.0 + 1)) as u64,
        x.get::<u32>(Slot(a.0 + 2)) as u64,
    )
}

/// Runs a bulk memory operation out of line and reloads the memory cache afterwards (the
/// operation borrowed the memory through the store).
macro_rules! bulk {
    ($name:ident, $cold:ident, ($($imm:ident),*)) => {
        #[inline(always)]
        pub(super) fn $name(x: &mut Exec<'_, '_>, args: Args3, $($imm: u32),*) -> Res {
            let a = args3(x, args);
            let r = $cold(&mut *x.c, a, $($imm),*);
            x.refresh_memory();
            r
        }
    };
}
bulk!(memory_fill, fill, (mem));
bulk!(memory_copy, copy, (dst_mem, src_mem));
bulk!(memory_init, init, (data, mem));

#[inline(never)]
fn fill(c: &mut Cold<'_>, (d, val, n): (u64, u64, u64), mem: u32) -> Res {
    let m = c.memory_index(mem)?;
    let data = &mut c.inner.memories[m].data;
    if d + n > data.len() as u64 {
        return Err(OOB);
    }
    data[d as usize..(d + n) as usize].fill(val as u8);
    Ok(())
}

#[inline(never)]
fn copy(c: &mut Cold<'_>, (d, s, n): (u64, u64, u64), dst_mem: u32, src_mem: u32) -> Res {
    let dm = c.memory_index(dst_mem)?;
    let sm = c.memory_index(src_mem)?;
    let mems = &mut c.inner.memories;
    if dm == sm {
        let data = &mut mems[dm].data;
        let len = data.len() as u64;
        if d + n > len || s + n > len {
            return Err(OOB);
        }
        data.copy_within(s as usize..(s + n) as usize, d as usize);
    } else {
        let src_len = mems[sm].data.len() as u64;
        let dst_len = mems[dm].data.len() as u64;
        if d + n > dst_len || s + n > src_len {
            return Err(OOB);
        }
        let tmp = mems[sm].data[s as usize..(s + n) as usize].to_vec();
        mems[dm].data[d as usize..(d + n) as usize].copy_from_slice(&tmp);
    }
    Ok(())
}

#[inline(never)]
fn init(c: &mut Cold<'_>, (d, s, n): (u64, u64, u64), data: u32, mem: u32) -> Res {
    let m = c.memory_index(mem)?;
    let inner = &mut c.inner;
    let inst = &inner.instances[c.inst as usize];
    let seg: &[u8] = if inst
        .data_dropped
        .get(data as usize)
        .copied()
        .unwrap_or(true)
    {
        &[]
    } else {
        inst.module
            .inner
            .ir
            .data
            .get(data as usize)
            .map(|d| d.init.as_slice())
            .unwrap_or(&[])
    };
    let dst = &mut inner.memories[m].data;
    if s + n > seg.len() as u64 || d + n > dst.len() as u64 {
        return Err(OOB);
    }
    dst[d as usize..(d + n) as usize].copy_from_slice(&seg[s as usize..(s + n) as usize]);
    Ok(())
}

#[inline(always)]
pub(super) fn data_drop(x: &mut Exec<'_, '_>, data: u32) -> Res {
    let inst = x.c.inst as usize;
    if let Some(d) =
        x.c.inner
            .instances
            .get_mut(inst)
            .and_then(|i| i.data_dropped.get_mut(data as usize))
    {
        *d = true;
    }
    Ok(())
}
