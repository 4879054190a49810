//! Globals and `ref.func`.

use super::{Exec, Res, Src, Stop};
use crate::engine::ops::Slot;
use crate::error::TrapCode;

impl super::Cold<'_> {
    /// The store index of global `idx` of the current instance.
    #[inline(always)]
    pub(super) fn global_index(&self, idx: u32) -> Result<usize, Stop> {
        if idx as usize >= self.globals_len {
            return Err(Stop::Trap(TrapCode::Unreachable));
        }
        // SAFETY: `globals_ptr`/`globals_len` describe the current instance's global list, a
        // vector that is never modified after instantiation and lives as long as the store;
        // `idx < globals_len`.
        Ok(unsafe { *self.globals_ptr.add(idx as usize) } as usize)
    }
}

#[inline(always)]
pub(super) fn global_get(x: &mut Exec<'_, '_>, dst: Slot, idx: u32) -> Res {
    let g = x.c.global_index(idx)?;
    let v = x.c.inner.globals.get(g).map(|g| g.value).unwrap_or(0);
    x.set(dst, v);
    Ok(())
}

#[inline(always)]
pub(super) fn global_set(x: &mut Exec<'_, '_>, src: impl Src, idx: u32) -> Res {
    let g = x.c.global_index(idx)?;
    let v: u64 = x.get(src);
    if let Some(g) = x.c.inner.globals.get_mut(g) {
        g.value = v;
    }
    Ok(())
}

#[inline(always)]
pub(super) fn ref_func(x: &mut Exec<'_, '_>, dst: Slot, func: u32) -> Res {
    let f =
        x.c.inner
            .instances
            .get(x.c.inst as usize)
            .and_then(|i| i.funcs.get(func as usize))
            .copied()
            .ok_or(Stop::Trap(TrapCode::Unreachable))?;
    x.set(dst, f as u64 + 1);
    Ok(())
}
