//! Table ops. Table elements are cells: 0 is null, otherwise store index + 1. The work is
//! done out of line on the cold executor state; the inline wrappers move slot values.

use super::{Cold, Exec, Res, Stop};
use crate::engine::ops::{Args2, Args3, Slot};
use crate::error::TrapCode;

const OOB: Stop = Stop::Trap(TrapCode::TableOutOfBounds);

#[inline(always)]
pub(super) fn table_get(x: &mut Exec<'_, '_>, dst: Slot, index: Slot, table: u32) -> Res {
    let i = x.get::<u32>(index) as usize;
    let v = get(&*x.c, table, i)?;
    x.set(dst, v);
    Ok(())
}

#[inline(never)]
fn get(c: &Cold<'_>, table: u32, i: usize) -> Result<u64, Stop> {
    let t = c.table_index(table)?;
    c.inner.tables[t].elems.get(i).copied().ok_or(OOB)
}

#[inline(always)]
pub(super) fn table_set(x: &mut Exec<'_, '_>, index: Slot, val: Slot, table: u32) -> Res {
    let i = x.get::<u32>(index) as usize;
    let v: u64 = x.get(val);
    set(&mut *x.c, table, i, v)
}

#[inline(never)]
fn set(c: &mut Cold<'_>, table: u32, i: usize, v: u64) -> Res {
    let t = c.table_index(table)?;
    *c.inner.tables[t].elems.get_mut(i).ok_or(OOB)? = v;
    Ok(())
}

#[inline(always)]
pub(super) fn table_size(x: &mut Exec<'_, '_>, dst: Slot, table: u32) -> Res {
    let t = x.c.table_index(table)?;
    let n = x.c.inner.tables[t].elems.len() as u32;
    x.set(dst, n);
    Ok(())
}

#[inline(always)]
pub(super) fn table_grow(x: &mut Exec<'_, '_>, args: Args2, table: u32) -> Res {
    let init: u64 = x.get(Slot(args.0));
    let n = x.get::<u32>(Slot(args.0 + 1)) as u64;
    let r = grow(&mut *x.c, table, n, init)?;
    x.set(Slot(args.0), r);
    Ok(())
}

#[inline(never)]
fn grow(c: &mut Cold<'_>, table: u32, n: u64, init: u64) -> Result<u32, Stop> {
    let t = c.table_index(table)?;
    // Resource limiter (limits.rs): a refusal returns -1, an error traps.
    {
        match (c.hooks.table_may_grow)(c, t, n) {
            Ok(true) => {}
            Ok(false) => return Ok(u32::MAX),
            Err(e) => {
                c.error = Some(e);
                return Err(Stop::Host);
            }
        }
    }
    Ok(match c.inner.tables[t].grow(n, init) {
        Some(old) => old as u32,
        None => u32::MAX,
    })
}

#[inline(always)]
fn args3(x: &Exec<'_, '_>, a: Args3) -> (u64, u64, u64) {
    (
        x.get::<u32>(Slot(a.0)) as u64,
        x.get::<u64>(Slot(a.0 + 1)),
        x.get::<u32>(Slot(a.0 + 2)) as u64,
    )
}

#[inline(always)]
pub(super) fn table_fill(x: &mut Exec<'_, '_>, args: Args3, table: u32) -> Res {
    let a = args3(x, args);
    fill(&mut *x.c, a, table)
}

#[inline(never)]
fn fill(c: &mut Cold<'_>, (i, v, n): (u64, u64, u64), table: u32) -> Res {
    let t = c.table_index(table)?;
    let elems = &mut c.inner.tables[t].elems;
    if i + n > elems.len() as u64 {
        return Err(OOB);
    }
    elems[i as usize..(i + n) as usize].fill(v);
    Ok(())
}

#[inline(always)]
pub(super) fn table_copy(x: &mut Exec<'_, '_>, args: Args3, dst_table: u32, src_table: u32) -> Res {
    let (d, s, n) = args3(x, args);
    copy(&mut *x.c, (d, s as u32 as u64, n), dst_table, src_table)
}

#[inline(never)]
fn copy(c: &mut Cold<'_>, (d, s, n): (u64, u64, u64), dst_table: u32, src_table: u32) -> Res {
    let dt = c.table_index(dst_table)?;
    let st = c.table_index(src_table)?;
    let tables = &mut c.inner.tables;
    if d + n > tables[dt].elems.len() as u64 || s + n > tables[st].elems.len() as u64 {
        return Err(OOB);
    }
    let (d, s, n) = (d as usize, s as usize, n as usize);
    if dt == st {
        tables[dt].elems.copy_within(s..s + n, d);
    } else {
        let tmp = tables[st].elems[s..s + n].to_vec();
        tables[dt].elems[d..d + n].copy_from_slice(&tmp);
    }
    Ok(())
}

#[inline(always)]
pub(super) fn table_init(x: &mut Exec<'_, '_>, args: Args3, elem: u32, table: u32) -> Res {
    let (d, s, n) = args3(x, args);
    init(&mut *x.c, (d, s as u32 as u64, n), elem, table)
}

#[inline(never)]
fn init(c: &mut Cold<'_>, (d, s, n): (u64, u64, u64), elem: u32, table: u32) -> Res {
    let t = c.table_index(table)?;
    let inner = &mut c.inner;
    let seg: &[u64] = inner.instances[c.inst as usize]
        .elems
        .get(elem as usize)
        .map(|v| v.as_slice())
        .unwrap_or(&[]);
    let dst = &mut inner.tables[t].elems;
    if s + n > seg.len() as u64 || d + n > dst.len() as u64 {
        return Err(OOB);
    }
    dst[d as usize..(d + n) as usize].copy_from_slice(&seg[s as usize..(s + n) as usize]);
    Ok(())
}

#[inline(always)]
pub(super) fn elem_drop(x: &mut Exec<'_, '_>, elem: u32) -> Res {
    let inst = x.c.inst as usize;
    if let Some(e) =
        x.c.inner
            .instances
            .get_mut(inst)
            .and_then(|i| i.elems.get_mut(elem as usize))
    {
        *e = Vec::new();
    }
    Ok(())
}
