//! [`Global`]: a global variable.

use crate::error::Error;
use crate::store::{AsContext, AsContextMut, GlobalEntity, StoreId};
use crate::values::{cell_to_val, val_to_cell, Val};
use wvm_binary::{GlobalType, ValType};

/// A global variable owned by a store.
///
/// ```
/// let mut store = wvm::Store::new(&wvm::Engine::default(), ());
/// let ty = wvm::GlobalType { val: wvm::ValType::I32, mutable: true };
/// let g = wvm::Global::new(&mut store, ty, wvm::Val::I32(1))?;
/// g.set(&mut store, wvm::Val::I32(2))?;
/// assert_eq!(g.get(&store), wvm::Val::I32(2));
/// assert!(g.set(&mut store, wvm::Val::I64(2)).is_err());
/// # Ok::<(), wvm::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) store: StoreId,
    pub(crate) idx: u32,
}

impl Global {
    /// Creates a global of type `ty` with value `val`.
    pub fn new(mut ctx: impl AsContextMut, ty: GlobalType, val: Val) -> Result<Global, Error> {
        let inner = &mut ctx.as_context_mut().store.inner;
        if val.ty() != ty.val {
            return Err(Error::usage(format!(
                "global value has type {} but the global has type {}",
                val.ty(),
                ty.val
            )));
        }
        let value = val_to_cell(inner, &val)?;
        let hi = val.v128().map_or(0, |v| (v >> 64) as u64);
        inner.globals.push(GlobalEntity { ty, value, hi });
        Ok(Global {
            store: inner.id,
            idx: (inner.globals.len() - 1) as u32,
        })
    }

    /// The global's type (an immutable i32 for another store's global).
    pub fn ty(&self, ctx: impl AsContext) -> GlobalType {
        let c = ctx.as_context();
        match c.store.inner.check(self.store) {
            Ok(()) => c.store.inner.globals.get(self.idx as usize).map(|g| g.ty),
            Err(_) => None,
        }
        .unwrap_or(GlobalType {
            val: ValType::I32,
            mutable: false,
        })
    }

    /// The current value (`i32 0` for another store's global).
    pub fn get(&self, ctx: impl AsContext) -> Val {
        let c = ctx.as_context();
        let inner = &c.store.inner;
        if inner.id != self.store {
            return Val::I32(0);
        }
        match inner.globals.get(self.idx as usize) {
            Some(g) if g.ty.val == ValType::V128 => {
                Val::V128(g.value as u128 | (g.hi as u128) << 64)
            }
            Some(g) => cell_to_val(inner.id, g.ty.val, g.value),
            None => Val::I32(0),
        }
    }

    /// Sets the value; immutable globals and wrongly typed values are errors.
    pub fn set(&self, mut ctx: impl AsContextMut, val: Val) -> Result<(), Error> {
        let inner = &mut ctx.as_context_mut().store.inner;
        inner.check(self.store)?;
        let cell = val_to_cell(inner, &val)?;
        let g = inner
            .globals
            .get_mut(self.idx as usize)
            .ok_or_else(|| Error::usage("unknown global"))?;
        if !g.ty.mutable {
            return Err(Error::usage("cannot set an immutable global"));
        }
        if val.ty() != g.ty.val {
            return Err(Error::usage(format!(
                "global has type {} but the value has type {}",
                g.ty.val,
                val.ty()
            )));
        }
        g.value = cell;
        g.hi = val.v128().map_or(0, |v| (v >> 64) as u64);
        Ok(())
    }
}
