//! Calls and returns. Wasm-to-Wasm calls never recurse natively; host calls go through the
//! out-of-line [`call_host`].

use super::{init_frame, Cold, Exec, Frame, Res, Src, Stop};
use crate::engine::ops::{Op, Slot};
use crate::engine::CompiledFunc;
use crate::error::{Error, TrapCode};
use crate::func::Caller;
use crate::store::FuncKind;
use crate::values::{read_vals, write_vals};

/// What a call through a store function index resolved to.
enum Callee {
    Wasm(*const CompiledFunc, u32),
    Host,
}

impl Exec<'_, '_> {
    /// Enters `callee` (of instance `inst`) with its frame at the caller's slot `args`.
    #[inline(always)]
    fn enter(&mut self, callee: *const CompiledFunc, args: Slot, inst: u32) -> Res {
        // SAFETY: `callee` points to compiled code owned by an instance of this store.
        let c = unsafe { &*callee };
        // SAFETY: `args` is a verified slot of the running function, whose frame lies inside
        // the value stack, so `fp + args` is inside the value stack too.
        let new_fp = unsafe { self.fp.add(args.0 as usize) };
        let room = (self.c.stack_end as usize - new_fp as usize) / 8;
        let frames = &mut self.c.inner.frames;
        if room < c.frame_size as usize || frames.len() + 1 >= self.c.max_depth {
            return Err(Stop::Trap(TrapCode::StackOverflow));
        }
        frames.push(Frame {
            ret_pc: self.pc,
            fp: self.fp,
            func: self.c.func,
            inst: self.c.inst,
        });
        init_frame(new_fp, c);
        self.fp = new_fp;
        self.pc = c.ops.as_ptr();
        self.c.func = callee;
        if inst != self.c.inst {
            self.switch_instance(inst);
        }
        Ok(())
    }

    /// Calls the store function `idx` with arguments at `args`.
    #[inline(always)]
    fn call_store_func(&mut self, idx: u32, args: Slot) -> Res {
        match self.c.resolve(idx)? {
            Callee::Wasm(code, inst) => self.enter(code, args, inst),
            Callee::Host => {
                // SAFETY: `func` is the running function (compiled code owned by the store).
                let frame = unsafe { (*self.c.func).frame_size } as usize;
                // SAFETY: `args` is a verified slot, so `fp + args` is inside the frame.
                let base = unsafe { self.fp.add(args.0 as usize) };
                let top = self.fp_index() + frame;
                // The host may read or set the fuel, or run WebAssembly that uses it.
                self.c.inner.fuel = self.fuel;
                let r = (self.c.hooks.call_host)(&mut *self.c, idx, base, top);
                self.fuel = self.c.inner.fuel;
                self.refresh_memory();
                r
            }
        }
    }
}

impl Cold<'_> {
    #[inline(always)]
    fn resolve(&mut self, idx: u32) -> Result<Callee, Stop> {
        let entity = self
            .inner
            .funcs
            .get(idx as usize)
            .ok_or(Stop::Trap(TrapCode::UninitializedElement))?;
        Ok(match &entity.kind {
            FuncKind::Wasm { instance, code } => match code.slot().get() {
                Some(c) => Callee::Wasm(std::sync::Arc::as_ptr(c), *instance),
                None => self.translate_callee(idx)?,
            },
            FuncKind::Host(_) => Callee::Host,
        })
    }

    /// Translates store function `idx` on its first call (lazy translation).
    #[cold]
    #[inline(never)]
    fn translate_callee(&mut self, idx: u32) -> Result<Callee, Stop> {
        let r = match self.inner.funcs.get(idx as usize).map(|f| &f.kind) {
            Some(FuncKind::Wasm { instance, code }) => code
                .compiled()
                .map(|c| Callee::Wasm(std::sync::Arc::as_ptr(c), *instance)),
            _ => return Err(Stop::Trap(TrapCode::UninitializedElement)),
        };
        r.map_err(|e| {
            self.error = Some(e);
            Stop::Host
        })
    }

    /// Translates defined function `def` of the current instance on its first call.
    #[cold]
    #[inline(never)]
    fn translate_internal(&mut self, def: u32) -> Result<*const CompiledFunc, Stop> {
        let r = match self.inner.instances.get(self.inst as usize) {
            Some(i) => i
                .module
                .inner
                .translate_now(def as usize)
                .map(std::sync::Arc::as_ptr),
            None => return Err(Stop::Trap(TrapCode::UninitializedElement)),
        };
        r.map_err(|e| {
            self.error = Some(e);
            Stop::Host
        })
    }
}

/// Calls host function `idx`: converts the argument cells at `base` to
/// [`Val`](crate::Val)s, runs the closure with a [`Caller`] and writes the results back.
/// `top` is the first value-stack cell above the caller's frame (nested calls start there).
/// Reached through [`StoreHooks::call_host`](super::StoreHooks), instantiated for the store's
/// data type `T`.
#[inline(never)]
#[cold]
pub(super) fn call_host<T>(c: &mut Cold<'_>, idx: u32, base: *mut u64, top: usize) -> Res {
    let store_id = c.inner.id;
    let (ty, host) = match c.inner.funcs.get(idx as usize).map(|f| (&f.kind, &f.ty)) {
        Some((FuncKind::Host(h), ty)) => {
            let h = *h as usize;
            let ty = ty.clone();
            // SAFETY: the hooks of this activation were made for `Store<T>` (`run::<T>`).
            match unsafe { c.with_store::<T, _>(|s| s.hosts.get(h).cloned()) } {
                Some(host) => (ty, host),
                None => return Err(Stop::Trap(TrapCode::UninitializedElement)),
            }
        }
        _ => return Err(Stop::Trap(TrapCode::UninitializedElement)),
    };
    // SAFETY (both closures): the callee's parameters and results lie in the caller's frame at
    // `base..` — the translator reserved `max(params, results)` verified cells there — and
    // nested executions only use cells from `top` on, above the caller's frame.
    let read = |i: usize| unsafe { *base.add(i) };
    let params: Vec<crate::Val> = read_vals(store_id, &ty.params, read);
    let mut results: Vec<crate::Val> = ty
        .results
        .iter()
        .map(|t| crate::Val::default_for(*t))
        .collect();
    let saved_top = c.inner.stack_top;
    c.inner.stack_top = top;
    let inst = c.inst;
    // A panic in host code is caught here only to restore the store's executor state; `run`
    // resumes unwinding once its own state is restored.
    // SAFETY: the hooks of this activation were made for `Store<T>` (`run::<T>`).
    let r = unsafe {
        c.with_store::<T, _>(|store| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                host(
                    Caller::new(
                        store,
                        Some(crate::instance::Instance::from_index(store_id, inst)),
                    ),
                    &params,
                    &mut results,
                )
            }))
        })
    };
    c.inner.stack_top = saved_top;
    let r = match r {
        Ok(r) => r,
        Err(payload) => {
            c.panic = Some(payload);
            return Err(Stop::Panic);
        }
    };
    if let Err(e) = r {
        c.error = Some(e);
        return Err(Stop::Host);
    }
    for (v, t) in results.iter().zip(ty.results.iter()) {
        if v.ty() != *t {
            c.error = Some(Error::usage(format!(
                "host function returned a {} where {} was expected",
                v.ty(),
                t
            )));
            return Err(Stop::Host);
        }
    }
    // SAFETY: as above (the results fill `cells_len(results)` cells from `base`).
    let written = write_vals(c.inner, &results, |i, cell| unsafe { *base.add(i) = cell });
    if let Err(e) = written {
        c.error = Some(e);
        return Err(Stop::Host);
    }
    Ok(())
}

#[inline(always)]
pub(super) fn call_internal(x: &mut Exec<'_, '_>, def: u32, args: Slot) -> Res {
    if def as usize >= x.c.funcs_len {
        return Err(Stop::Trap(TrapCode::UninitializedElement));
    }
    // SAFETY: `funcs_ptr`/`funcs_len` describe the current instance's module function list,
    // owned by an `Arc` the store keeps alive and never resized; `def < funcs_len`.
    let code = match unsafe { (*x.c.funcs_ptr.add(def as usize)).get() } {
        Some(c) => std::sync::Arc::as_ptr(c),
        None => x.c.translate_internal(def)?,
    };
    let inst = x.c.inst;
    x.enter(code, args, inst)
}

#[inline(always)]
pub(super) fn call(x: &mut Exec<'_, '_>, func: u32, args: Slot) -> Res {
    let idx =
        x.c.inner
            .instances
            .get(x.c.inst as usize)
            .and_then(|i| i.funcs.get(func as usize))
            .copied()
            .ok_or(Stop::Trap(TrapCode::UninitializedElement))?;
    x.call_store_func(idx, args)
}

#[inline(always)]
pub(super) fn call_indirect(x: &mut Exec<'_, '_>, type_id: u32, index: Slot, args: Slot) -> Res {
    // SAFETY: `verify` proved an `Extra` op follows every `CallIndirect`; `pc` points at it.
    let table = match unsafe { *x.pc } {
        Op::Extra { a, .. } => a,
        _ => return Err(Stop::Trap(TrapCode::UndefinedElement)),
    };
    // SAFETY: the `Extra` op is not the last op (the last op is terminal), so skipping it
    // stays inside the function.
    x.pc = unsafe { x.pc.add(1) };
    let i = x.get::<u32>(index) as usize;
    let f = x.c.indirect_target(table, i, type_id)?;
    x.call_store_func(f, args)
}

impl Cold<'_> {
    /// The store function at `table[i]`, checked against canonical signature `type_id`.
    #[inline(always)]
    fn indirect_target(&self, table: u32, i: usize, type_id: u32) -> Result<u32, Stop> {
        let t = self.table_index(table)?;
        let inner = &self.inner;
        let cell = *inner
            .tables
            .get(t)
            .and_then(|t| t.elems.get(i))
            .ok_or(Stop::Trap(TrapCode::UndefinedElement))?;
        if cell == 0 {
            return Err(Stop::Trap(TrapCode::UninitializedElement));
        }
        let f = (cell - 1) as u32;
        match inner.funcs.get(f as usize) {
            Some(e) if e.type_id == type_id => Ok(f),
            _ => Err(Stop::Trap(TrapCode::IndirectCallTypeMismatch)),
        }
    }
}

#[inline(always)]
pub(super) fn ret(x: &mut Exec<'_, '_>) -> Res {
    let frames = &mut x.c.inner.frames;
    if frames.len() <= x.c.frames_base {
        return Err(Stop::Done);
    }
    let Some(f) = frames.pop() else {
        return Err(Stop::Done);
    };
    x.pc = f.ret_pc;
    x.fp = f.fp;
    x.c.func = f.func;
    if f.inst != x.c.inst {
        x.switch_instance(f.inst);
    }
    Ok(())
}

#[inline(always)]
pub(super) fn return_slot(x: &mut Exec<'_, '_>, src: impl Src) -> Res {
    let v: u64 = x.get(src);
    x.set(Slot(0), v);
    ret(x)
}
