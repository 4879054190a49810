//! [`Table`]: a table of references.

use crate::error::{Error, TrapCode};
use crate::store::{AsContext, AsContextMut, StoreId, TableEntity};
use crate::values::{cell_to_val, val_to_cell, Val};
use wvm_binary::{TableType, ValType};

/// A table owned by a store.
///
/// ```
/// let mut store = wvm::Store::new(&wvm::Engine::default(), ());
/// let ty = wvm::TableType::new(wvm::RefType::FUNCREF, 2, None);
/// let t = wvm::Table::new(&mut store, ty, wvm::Val::FuncRef(None))?;
/// assert_eq!(t.size(&store), 2);
/// assert_eq!(t.grow(&mut store, 3, wvm::Val::FuncRef(None))?, 2);
/// assert!(t.get(&store, 4).unwrap().is_null());
/// # Ok::<(), wvm::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) store: StoreId,
    pub(crate) idx: u32,
}

impl Table {
    /// Creates a table of type `ty` filled with `init`.
    pub fn new(mut ctx: impl AsContextMut, ty: TableType, init: Val) -> Result<Table, Error> {
        let inner = &mut ctx.as_context_mut().store.inner;
        if init.ty() != ValType::Ref(ty.elem) {
            return Err(Error::usage("table initial value has the wrong type"));
        }
        let cell = val_to_cell(inner, &init)?;
        inner.tables.push(TableEntity::new(ty, cell)?);
        Ok(Table {
            store: inner.id,
            idx: (inner.tables.len() - 1) as u32,
        })
    }

    /// The table's current type (minimum = current size); empty for another store's table.
    pub fn ty(&self, ctx: impl AsContext) -> TableType {
        let c = ctx.as_context();
        match c.store.inner.check(self.store) {
            Ok(()) => c.store.inner.tables.get(self.idx as usize).map(|t| t.ty),
            Err(_) => None,
        }
        .unwrap_or(TableType::new(wvm_binary::RefType::FUNCREF, 0, Some(0)))
    }

    /// Current number of elements (0 for another store's table).
    pub fn size(&self, ctx: impl AsContext) -> u64 {
        let c = ctx.as_context();
        if c.store.inner.id != self.store {
            return 0;
        }
        c.store
            .inner
            .tables
            .get(self.idx as usize)
            .map(|t| t.elems.len() as u64)
            .unwrap_or(0)
    }

    /// Element `index`, or `None` if out of bounds (or another store's table).
    pub fn get(&self, ctx: impl AsContext, index: u64) -> Option<Val> {
        let c = ctx.as_context();
        let inner = &c.store.inner;
        inner.check(self.store).ok()?;
        let t = inner.tables.get(self.idx as usize)?;
        let cell = *t.elems.get(usize::try_from(index).ok()?)?;
        Some(cell_to_val(inner.id, ValType::Ref(t.ty.elem), cell))
    }

    /// Sets element `index`; out of bounds or a wrongly typed value is an error.
    pub fn set(&self, mut ctx: impl AsContextMut, index: u64, val: Val) -> Result<(), Error> {
        let inner = &mut ctx.as_context_mut().store.inner;
        inner.check(self.store)?;
        let cell = val_to_cell(inner, &val)?;
        let t = inner
            .tables
            .get_mut(self.idx as usize)
            .ok_or_else(|| Error::usage("unknown table"))?;
        if val.ty() != ValType::Ref(t.ty.elem) {
            return Err(Error::usage("table element has the wrong type"));
        }
        let slot = usize::try_from(index)
            .ok()
            .and_then(|i| t.elems.get_mut(i))
            .ok_or_else(|| Error::trap(TrapCode::TableOutOfBounds))?;
        *slot = cell;
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the old size.
    pub fn grow(&self, mut ctx: impl AsContextMut, delta: u64, init: Val) -> Result<u64, Error> {
        let store = ctx.as_context_mut().store;
        if store.limiter.is_some() {
            store.inner.check(self.store)?;
            if !crate::limits::table_may_grow(store, self.idx as usize, delta)? {
                return Err(Error::usage(
                    "failed to grow table: refused by the resource limiter",
                ));
            }
        }
        let inner = &mut store.inner;
        inner.check(self.store)?;
        let cell = val_to_cell(inner, &init)?;
        let t = inner
            .tables
            .get_mut(self.idx as usize)
            .ok_or_else(|| Error::usage("unknown table"))?;
        if init.ty() != ValType::Ref(t.ty.elem) {
            return Err(Error::usage("table element has the wrong type"));
        }
        t.grow(delta, cell)
            .ok_or_else(|| Error::usage("failed to grow table"))
    }
}
