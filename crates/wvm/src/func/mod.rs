//! [`Func`] (host or WebAssembly functions), [`Caller`] and calls from the host.

mod typed;

pub use typed::{IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};

use crate::engine::execute;
use crate::error::{Error, TrapCode};
use crate::instance::Instance;
use crate::store::{AsContext, AsContextMut, FuncKind, Store, StoreId};
use crate::values::{cells_len, read_vals, write_vals, Val};
use crate::Extern;
use std::sync::Arc;
use wvm_binary::FuncType;

/// A host function as stored: untyped values in, untyped values out.
pub(crate) type HostFn<T> =
    Arc<dyn Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static>;

/// A function owned by a store: defined by a module or by the host.
///
/// ```
/// let mut store = wvm::Store::new(&wvm::Engine::default(), ());
/// let add = wvm::Func::wrap(&mut store, |a: i32, b: i32| a.wrapping_add(b));
/// let mut out = [wvm::Val::I32(0)];
/// add.call(&mut store, &[wvm::Val::I32(2), wvm::Val::I32(3)], &mut out)?;
/// assert_eq!(out[0], wvm::Val::I32(5));
/// let typed = add.typed::<(i32, i32), i32>(&store)?;
/// assert_eq!(typed.call(&mut store, (20, 22))?, 42);
/// # Ok::<(), wvm::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: StoreId,
    pub(crate) idx: u32,
}

/// The context a host function runs in: the store and the calling instance.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    instance: Option<Instance>,
}

impl<'a, T> Caller<'a, T> {
    pub(crate) fn new(store: &'a mut Store<T>, instance: Option<Instance>) -> Self {
        Caller { store, instance }
    }

    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.store.data()
    }

    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// The engine.
    pub fn engine(&self) -> &crate::Engine {
        self.store.engine()
    }

    /// An export of the calling instance (e.g. its `"memory"`); `None` when called directly
    /// from the host or if there is no such export.
    pub fn get_export(&mut self, name: &str) -> Option<Extern> {
        let inst = self.instance?;
        inst.get_export(&mut *self.store, name)
    }
}

impl Func {
    /// A host function with a dynamic signature.
    pub fn new<T>(
        mut ctx: impl AsContextMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Func {
        Func::from_host(ctx.as_context_mut().store, &ty, Arc::new(f))
    }

    /// A host function from a Rust closure: an optional leading [`Caller`], then parameters of
    /// types `i32`, `i64`, `u32`, `u64`, `f32`, `f64`, `Option<Func>`, `Option<ExternRef>`,
    /// returning `()`, a value, a tuple, or `Result` of those.
    pub fn wrap<T, Params, Results>(
        mut ctx: impl AsContextMut<Data = T>,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, host) = f.into_func();
        Func::from_host(ctx.as_context_mut().store, &ty, host)
    }

    pub(crate) fn from_host<T>(store: &mut Store<T>, ty: &FuncType, host: HostFn<T>) -> Func {
        store.hosts.push(host);
        let h = (store.hosts.len() - 1) as u32;
        let idx = store.inner.alloc_func(ty, FuncKind::Host(h));
        Func {
            store: store.inner.id,
            idx,
        }
    }

    /// The function's signature (`() -> ()` for a function of another store).
    pub fn ty(&self, ctx: impl AsContext) -> FuncType {
        let c = ctx.as_context();
        let inner = &c.store.inner;
        if inner.id != self.store {
            return FuncType::default();
        }
        inner
            .funcs
            .get(self.idx as usize)
            .map(|f| (*f.ty).clone())
            .unwrap_or_default()
    }

    /// Calls the function. Arity and types of `params` and the length of `results` are checked.
    pub fn call(
        &self,
        mut ctx: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        let store = ctx.as_context_mut().store;
        store.inner.check(self.store)?;
        let ty = store
            .inner
            .funcs
            .get(self.idx as usize)
            .map(|f| f.ty.clone())
            .ok_or_else(|| Error::usage("unknown function"))?;
        if params.len() != ty.params.len() {
            return Err(Error::usage(format!(
                "expected {} arguments, got {}",
                ty.params.len(),
                params.len()
            )));
        }
        if results.len() != ty.results.len() {
            return Err(Error::usage(format!(
                "expected {} results, got room for {}",
                ty.results.len(),
                results.len()
            )));
        }
        let mut cells = vec![0u64; cells_len(&ty.params).max(cells_len(&ty.results))];
        for (i, (v, t)) in params.iter().zip(ty.params.iter()).enumerate() {
            if v.ty() != *t {
                return Err(Error::usage(format!(
                    "argument {i} has type {} but {} was expected",
                    v.ty(),
                    t
                )));
            }
        }
        write_vals(&store.inner, params, |i, c| {
            if let Some(x) = cells.get_mut(i) {
                *x = c;
            }
        })?;
        invoke(store, self.idx, &mut cells)?;
        let vals = read_vals(store.inner.id, &ty.results, |i| {
            cells.get(i).copied().unwrap_or(0)
        });
        for (r, v) in results.iter_mut().zip(vals) {
            *r = v;
        }
        Ok(())
    }

    /// A typed view of the function; the signature is checked once here.
    pub fn typed<P: WasmParams, R: WasmResults>(
        &self,
        ctx: impl AsContext,
    ) -> Result<TypedFunc<P, R>, Error> {
        let c = ctx.as_context();
        c.store.inner.check(self.store)?;
        let ty = self.ty(&c);
        if *ty.params != *P::types() || *ty.results != *R::types() {
            return Err(Error::usage(format!(
                "type mismatch: function has type {ty}, not {}",
                FuncType::new(P::types(), R::types())
            )));
        }
        Ok(TypedFunc::new(*self))
    }
}

/// Calls store function `idx` with argument cells in `cells` (already type-checked); the
/// results replace them. `cells.len() >= max(params, results)`.
pub(crate) fn invoke<T>(store: &mut Store<T>, idx: u32, cells: &mut [u64]) -> Result<(), Error> {
    let (ty, kind) = match store.inner.funcs.get(idx as usize) {
        Some(f) => (
            f.ty.clone(),
            match &f.kind {
                FuncKind::Wasm { instance, code } => Ok((*instance, code.compiled()?.clone())),
                FuncKind::Host(h) => Err(*h),
            },
        ),
        None => return Err(Error::usage("unknown function")),
    };
    match kind {
        Ok((instance, code)) => {
            let (base_ptr, len) = store.inner.stack_mut()?;
            let base = store.inner.stack_top;
            if base == 0 {
                // Outermost call: no WebAssembly is active, so any leftover state (a host
                // function that panicked through the executor) is stale.
                store.inner.depth = 0;
                store.inner.frames.clear();
            }
            let need = base as u64 + (code.frame_size as u64).max(cells.len() as u64);
            if need > len as u64 {
                return Err(Error::trap(TrapCode::StackOverflow));
            }
            let n = cells_len(&ty.params).min(cells.len());
            // SAFETY: `base + n <= need <= len`, inside the value stack allocation, which no
            // reference aliases (it is only accessed through raw pointers).
            unsafe { core::ptr::copy_nonoverlapping(cells.as_ptr(), base_ptr.add(base), n) };
            execute::run(store, &code, instance, base)?;
            let r = cells_len(&ty.results).min(cells.len());
            // SAFETY: as above, `base + r <= need <= len`.
            unsafe { core::ptr::copy_nonoverlapping(base_ptr.add(base), cells.as_mut_ptr(), r) };
            Ok(())
        }
        Err(h) => {
            let host = store
                .hosts
                .get(h as usize)
                .cloned()
                .ok_or_else(|| Error::usage("unknown host function"))?;
            let id = store.inner.id;
            let params: Vec<Val> =
                read_vals(id, &ty.params, |i| cells.get(i).copied().unwrap_or(0));
            let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
            host(Caller::new(store, None), &params, &mut results)?;
            for (v, t) in results.iter().zip(ty.results.iter()) {
                if v.ty() != *t {
                    return Err(Error::usage(format!(
                        "host function returned a {} where {} was expected",
                        v.ty(),
                        t
                    )));
                }
            }
            write_vals(&store.inner, &results, |i, c| {
                if let Some(x) = cells.get_mut(i) {
                    *x = c;
                }
            })?;
            Ok(())
        }
    }
}
