//! Fuel metering API: the store's fuel budget and resumable calls.
//!
//! With [`Config::consume_fuel`](crate::Config::consume_fuel) the translator charges every
//! basic block on entry (a `ConsumeFuel` op; the schedule is in `docs/fuel.md`). When a charge
//! exceeds the fuel left, nothing is charged and the call traps with "all fuel consumed"; a
//! call started with [`Func::call_resumable`] instead keeps its state at that op, and
//! [`ResumableInvocation::resume`] retries the charge after the host added fuel.

use crate::engine::execute::metering::{self, Suspended};
use crate::error::{Error, TrapCode};
use crate::func::Func;
use crate::store::{AsContextMut, Store, StoreId};
use crate::values::cell_to_val;
use crate::Val;
use std::sync::Arc;
use wvm_binary::FuncType;

fn not_enabled() -> Error {
    Error::usage("fuel is not enabled in this store's engine (Config::consume_fuel)")
}

impl<T> Store<T> {
    /// Sets the fuel left for WebAssembly running in this store. Errors unless the engine was
    /// configured with [`Config::consume_fuel`](crate::Config::consume_fuel).
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        if !self.inner.engine.config().consume_fuel {
            return Err(not_enabled());
        }
        self.inner.fuel = fuel;
        Ok(())
    }

    /// The fuel left. Errors unless fuel is enabled.
    pub fn get_fuel(&self) -> Result<u64, Error> {
        if !self.inner.engine.config().consume_fuel {
            return Err(not_enabled());
        }
        Ok(self.inner.fuel)
    }
}

/// The outcome of [`Func::call_resumable`] or [`ResumableInvocation::resume`].
#[derive(Debug)]
pub enum ResumableCall {
    /// The call returned; the results were written.
    Finished,
    /// The call ran out of fuel; add fuel and resume it.
    OutOfFuel(ResumableInvocation),
}

/// A call suspended because it ran out of fuel.
pub struct ResumableInvocation {
    store: StoreId,
    ty: Arc<FuncType>,
    state: Suspended,
}

impl core::fmt::Debug for ResumableInvocation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ResumableInvocation")
            .field("ty", &self.ty)
            .finish_non_exhaustive()
    }
}

/// Turns the outcome of an outermost resumable run into a [`ResumableCall`].
fn outcome<T>(
    store: &mut Store<T>,
    ty: Arc<FuncType>,
    r: Result<(), Error>,
) -> Result<ResumableCall, Error> {
    let suspended = store.inner.suspended.take();
    match (r, suspended) {
        (Err(e), Some(state)) if e.trap_code() == Some(TrapCode::OutOfFuel) => {
            Ok(ResumableCall::OutOfFuel(ResumableInvocation {
                store: store.inner.id,
                ty,
                state,
            }))
        }
        (r, _) => r.map(|()| ResumableCall::Finished),
    }
}

fn check_outermost<T>(store: &Store<T>) -> Result<(), Error> {
    if store.inner.depth != 0 || store.inner.stack_top != 0 {
        return Err(Error::usage(
            "resumable calls are only available when no WebAssembly is running",
        ));
    }
    Ok(())
}

impl Func {
    /// Like [`Func::call`], but running out of fuel returns
    /// [`ResumableCall::OutOfFuel`] instead of a trap; the call can then be resumed after
    /// adding fuel. Only for outermost calls (not from inside a host function).
    pub fn call_resumable(
        &self,
        mut ctx: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall, Error> {
        let store = ctx.as_context_mut().store;
        store.inner.check(self.store)?;
        check_outermost(store)?;
        let ty = store
            .inner
            .funcs
            .get(self.idx as usize)
            .map(|f| f.ty.clone())
            .ok_or_else(|| Error::usage("unknown function"))?;
        store.inner.suspended = None;
        store.inner.resumable = true;
        let r = self.call(&mut *store, params, results);
        store.inner.resumable = false;
        outcome(store, ty, r)
    }
}

impl ResumableInvocation {
    /// The suspended function's signature.
    pub fn ty(&self) -> &FuncType {
        &self.ty
    }

    /// Continues the call from the charge that failed (add fuel first with
    /// [`Store::set_fuel`]). `results` must have room for the function's results.
    pub fn resume(
        self,
        mut ctx: impl AsContextMut,
        results: &mut [Val],
    ) -> Result<ResumableCall, Error> {
        let store = ctx.as_context_mut().store;
        store.inner.check(self.store)?;
        check_outermost(store)?;
        if results.len() != self.ty.results.len() {
            return Err(Error::usage(format!(
                "expected {} results, got room for {}",
                self.ty.results.len(),
                results.len()
            )));
        }
        store.inner.suspended = None;
        store.inner.resumable = true;
        let r = metering::resume(store, self.state);
        store.inner.resumable = false;
        if let Ok(at) = r {
            let (base, len) = store.inner.stack_mut()?;
            for (i, t) in self.ty.results.iter().enumerate() {
                if at + i >= len {
                    break;
                }
                // SAFETY: `at + i < len`, the value stack's length in cells; no WebAssembly
                // runs.
                let cell = unsafe { *base.add(at + i) };
                results[i] = cell_to_val(store.inner.id, *t, cell);
            }
        }
        outcome(store, self.ty, r.map(|_| ()))
    }
}
