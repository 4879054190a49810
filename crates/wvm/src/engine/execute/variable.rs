//! Globals and `ref.func`.

use super::{Exec, Res, Stop};
use crate::engine::ops::Slot;
use crate::error::TrapCode;

impl<T> super::Cold<'_, T> {
    #[inline(always)]
    fn global_index(&self, idx: u32) -> Result<usize, Stop> {
        self.store
            .inner
            .instances
            .get(self.inst as usize)
            .and_then(|i| i.globals.get(idx as usize))
            .map(|&g| g as usize)
            .ok_or(Stop::Trap(TrapCode::Unreachable))
    }
}

#[inline(always)]
pub(super) fn global_get<T>(x: &mut Exec<'_, T>, dst: Slot, idx: u32) -> Res {
    let g = x.c.global_index(idx)?;
    let v = x.c.store.inner.globals.get(g).map(|g| g.value).unwrap_or(0);
    x.set(dst, v);
    Ok(())
}

#[inline(always)]
pub(super) fn global_set<T>(x: &mut Exec<'_, T>, src: Slot, idx: u32) -> Res {
    let g = x.c.global_index(idx)?;
    let v: u64 = x.get(src);
    if let Some(g) = x.c.store.inner.globals.get_mut(g) {
        g.value = v;
    }
    Ok(())
}

#[inline(always)]
pub(super) fn ref_func<T>(x: &mut Exec<'_, T>, dst: Slot, func: u32) -> Res {
    let f =
        x.c.store
            .inner
            .instances
            .get(x.c.inst as usize)
            .and_then(|i| i.funcs.get(func as usize))
            .copied()
            .ok_or(Stop::Trap(TrapCode::Unreachable))?;
    x.set(dst, f as u64 + 1);
    Ok(())
}
