//! Table ops. Table elements are cells: 0 is null, otherwise store index + 1.

use super::{Exec, Res, Stop};
use crate::engine::ops::{Args2, Args3, Slot};
use crate::error::TrapCode;

const OOB: Stop = Stop::Trap(TrapCode::TableOutOfBounds);

#[inline(never)]
pub(super) fn table_get<T>(x: &mut Exec<'_, T>, dst: Slot, index: Slot, table: u32) -> Res {
    let t = x.table_index(table)?;
    let i = x.get::<u32>(index) as usize;
    let v = *x.store.inner.tables[t].elems.get(i).ok_or(OOB)?;
    x.set(dst, v);
    Ok(())
}

#[inline(never)]
pub(super) fn table_set<T>(x: &mut Exec<'_, T>, index: Slot, val: Slot, table: u32) -> Res {
    let t = x.table_index(table)?;
    let i = x.get::<u32>(index) as usize;
    let v: u64 = x.get(val);
    *x.store.inner.tables[t].elems.get_mut(i).ok_or(OOB)? = v;
    Ok(())
}

#[inline(never)]
pub(super) fn table_size<T>(x: &mut Exec<'_, T>, dst: Slot, table: u32) -> Res {
    let t = x.table_index(table)?;
    let n = x.store.inner.tables[t].elems.len() as u32;
    x.set(dst, n);
    Ok(())
}

#[inline(never)]
pub(super) fn table_grow<T>(x: &mut Exec<'_, T>, args: Args2, table: u32) -> Res {
    let t = x.table_index(table)?;
    let init: u64 = x.get(Slot(args.0));
    let n = x.get::<u32>(Slot(args.0 + 1)) as u64;
    let r = match x.store.inner.tables[t].grow(n, init) {
        Some(old) => old as u32,
        None => u32::MAX,
    };
    x.set(Slot(args.0), r);
    Ok(())
}

#[inline(never)]
pub(super) fn table_fill<T>(x: &mut Exec<'_, T>, args: Args3, table: u32) -> Res {
    let t = x.table_index(table)?;
    let i = x.get::<u32>(Slot(args.0)) as u64;
    let v: u64 = x.get(Slot(args.0 + 1));
    let n = x.get::<u32>(Slot(args.0 + 2)) as u64;
    let elems = &mut x.store.inner.tables[t].elems;
    if i + n > elems.len() as u64 {
        return Err(OOB);
    }
    elems[i as usize..(i + n) as usize].fill(v);
    Ok(())
}

#[inline(never)]
pub(super) fn table_copy<T>(
    x: &mut Exec<'_, T>,
    args: Args3,
    dst_table: u32,
    src_table: u32,
) -> Res {
    let dt = x.table_index(dst_table)?;
    let st = x.table_index(src_table)?;
    let d = x.get::<u32>(Slot(args.0)) as u64;
    let s = x.get::<u32>(Slot(args.0 + 1)) as u64;
    let n = x.get::<u32>(Slot(args.0 + 2)) as u64;
    let tables = &mut x.store.inner.tables;
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

#[inline(never)]
pub(super) fn table_init<T>(x: &mut Exec<'_, T>, args: Args3, elem: u32, table: u32) -> Res {
    let t = x.table_index(table)?;
    let d = x.get::<u32>(Slot(args.0)) as u64;
    let s = x.get::<u32>(Slot(args.0 + 1)) as u64;
    let n = x.get::<u32>(Slot(args.0 + 2)) as u64;
    let inner = &mut x.store.inner;
    let seg: &[u64] = inner.instances[x.inst as usize]
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

#[inline(never)]
pub(super) fn elem_drop<T>(x: &mut Exec<'_, T>, elem: u32) -> Res {
    let inst = x.inst as usize;
    if let Some(e) = x
        .store
        .inner
        .instances
        .get_mut(inst)
        .and_then(|i| i.elems.get_mut(elem as usize))
    {
        *e = Vec::new();
    }
    Ok(())
}
