//! [`Val`], [`ExternRef`] and the conversion between values and 8-byte frame cells.

use crate::error::Error;
use crate::func::Func;
use crate::store::{AsContext, AsContextMut, StoreContext, StoreId, StoreInner};
use std::any::Any;
use std::sync::Arc;
use wvm_binary::{HeapType, RefType, ValType};

/// A WebAssembly value. Floats are kept as bit patterns so NaN payloads survive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    /// `i32`
    I32(i32),
    /// `i64`
    I64(i64),
    /// `f32`, as bits.
    F32(u32),
    /// `f64`, as bits.
    F64(u64),
    /// `v128`
    V128(u128),
    /// `funcref` (`None` is null).
    FuncRef(Option<Func>),
    /// `externref` (`None` is null).
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
        }
    }

    /// The zero value (or null reference) of a type.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::Ref(RefType {
                heap: HeapType::Extern | HeapType::NoExtern,
                ..
            }) => Val::ExternRef(None),
            ValType::Ref(_) => Val::FuncRef(None),
        }
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        match self {
            Val::I32(v) => Some(*v),
            _ => None,
        }
    }
    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        match self {
            Val::I64(v) => Some(*v),
            _ => None,
        }
    }
    /// The `f32`, if this is one.
    pub fn f32(&self) -> Option<f32> {
        match self {
            Val::F32(v) => Some(f32::from_bits(*v)),
            _ => None,
        }
    }
    /// The `f64`, if this is one.
    pub fn f64(&self) -> Option<f64> {
        match self {
            Val::F64(v) => Some(f64::from_bits(*v)),
            _ => None,
        }
    }
    /// The `v128`, if this is one.
    pub fn v128(&self) -> Option<u128> {
        match self {
            Val::V128(v) => Some(*v),
            _ => None,
        }
    }
    /// The function reference (`Some(None)` for null), if this is a `funcref`.
    pub fn funcref(&self) -> Option<Option<Func>> {
        match self {
            Val::FuncRef(v) => Some(*v),
            _ => None,
        }
    }
    /// The external reference (`Some(None)` for null), if this is an `externref`.
    pub fn externref(&self) -> Option<Option<ExternRef>> {
        match self {
            Val::ExternRef(v) => Some(*v),
            _ => None,
        }
    }
    /// Same as [`Val::i32`].
    pub fn unwrap_i32(&self) -> Option<i32> {
        self.i32()
    }
    /// Same as [`Val::i64`].
    pub fn unwrap_i64(&self) -> Option<i64> {
        self.i64()
    }
    /// Same as [`Val::f32`].
    pub fn unwrap_f32(&self) -> Option<f32> {
        self.f32()
    }
    /// Same as [`Val::f64`].
    pub fn unwrap_f64(&self) -> Option<f64> {
        self.f64()
    }
    /// Whether this is a null reference.
    pub fn is_null(&self) -> bool {
        matches!(self, Val::FuncRef(None) | Val::ExternRef(None))
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Self {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Self {
        Val::F32(v.to_bits())
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::F64(v.to_bits())
    }
}
impl From<Func> for Val {
    fn from(v: Func) -> Self {
        Val::FuncRef(Some(v))
    }
}
impl From<ExternRef> for Val {
    fn from(v: ExternRef) -> Self {
        Val::ExternRef(Some(v))
    }
}

/// A reference to a host value, owned by a store.
///
/// ```
/// let mut store = wvm::Store::new(&wvm::Engine::default(), ());
/// let r = wvm::ExternRef::new(&mut store, 42u32);
/// assert_eq!(r.data(&store).unwrap().downcast_ref::<u32>(), Some(&42));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExternRef {
    pub(crate) store: StoreId,
    pub(crate) idx: u32,
}

impl ExternRef {
    /// Stores `value` in the store and returns a reference to it.
    pub fn new(mut ctx: impl AsContextMut, value: impl Any + Send + Sync) -> ExternRef {
        let inner = &mut ctx.as_context_mut().store.inner;
        inner.externrefs.push(Arc::new(value));
        ExternRef {
            store: inner.id,
            idx: (inner.externrefs.len() - 1) as u32,
        }
    }

    /// The host value.
    pub fn data<'a, T: 'a>(
        &self,
        ctx: impl Into<StoreContext<'a, T>>,
    ) -> Result<&'a (dyn Any + Send + Sync), Error> {
        let store = ctx.into().store;
        store.inner.check(self.store)?;
        store
            .inner
            .externrefs
            .get(self.idx as usize)
            .map(|a| &**a)
            .ok_or_else(|| Error::usage("unknown externref"))
    }

    /// Whether this reference belongs to the store of `ctx`.
    pub fn comes_from(&self, ctx: impl AsContext) -> bool {
        ctx.as_context().store.inner.id == self.store
    }
}

/// The cell encoding of a value (references: 0 is null, else store index + 1).
pub(crate) fn val_to_cell(inner: &StoreInner, v: &Val) -> Result<u64, Error> {
    Ok(match *v {
        Val::I32(x) => x as u32 as u64,
        Val::I64(x) => x as u64,
        Val::F32(x) => x as u64,
        Val::F64(x) => x,
        // The low half; `write_vals` stores the high half in the next cell.
        Val::V128(v) => v as u64,
        Val::FuncRef(None) | Val::ExternRef(None) => 0,
        Val::FuncRef(Some(f)) => {
            inner.check(f.store)?;
            f.idx as u64 + 1
        }
        Val::ExternRef(Some(r)) => {
            inner.check(r.store)?;
            r.idx as u64 + 1
        }
    })
}

/// The value of type `ty` held in a cell.
pub(crate) fn cell_to_val(store: StoreId, ty: ValType, c: u64) -> Val {
    match ty {
        ValType::I32 => Val::I32(c as u32 as i32),
        ValType::I64 => Val::I64(c as i64),
        ValType::F32 => Val::F32(c as u32),
        ValType::F64 => Val::F64(c),
        ValType::V128 => Val::V128(c as u128),
        ValType::Ref(_) => match (Val::default_for(ty), c) {
            (v, 0) => v,
            (Val::ExternRef(_), c) => Val::ExternRef(Some(ExternRef {
                store,
                idx: (c - 1) as u32,
            })),
            (_, c) => Val::FuncRef(Some(Func {
                store,
                idx: (c - 1) as u32,
            })),
        },
    }
}

/// Number of frame cells a value of type `t` occupies (`v128`: two, low half first).
pub(crate) fn cell_width(t: ValType) -> usize {
    if t == ValType::V128 {
        2
    } else {
        1
    }
}

/// Number of frame cells a sequence of values of types `types` occupies.
pub(crate) fn cells_len(types: &[ValType]) -> usize {
    types.iter().map(|t| cell_width(*t)).sum()
}

/// Reads values of types `types` from consecutive cells (`read(i)` is cell `i`).
pub(crate) fn read_vals(
    store: StoreId,
    types: &[ValType],
    read: impl Fn(usize) -> u64,
) -> Vec<Val> {
    let mut at = 0;
    types
        .iter()
        .map(|t| {
            let v = match t {
                ValType::V128 => Val::V128(read(at) as u128 | (read(at + 1) as u128) << 64),
                _ => cell_to_val(store, *t, read(at)),
            };
            at += cell_width(*t);
            v
        })
        .collect()
}

/// Writes `vals` to consecutive cells (`write(i, c)` sets cell `i`).
pub(crate) fn write_vals(
    inner: &StoreInner,
    vals: &[Val],
    mut write: impl FnMut(usize, u64),
) -> Result<(), Error> {
    let mut at = 0;
    for v in vals {
        write(at, val_to_cell(inner, v)?);
        if let Val::V128(x) = v {
            write(at + 1, (*x >> 64) as u64);
            at += 2;
        } else {
            at += 1;
        }
    }
    Ok(())
}
