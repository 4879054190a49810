//! Calls and returns. Wasm-to-Wasm calls never recurse natively; host calls go through the
//! out-of-line [`call_host`].

use super::{frame_init_is_small, init_frame, init_frame_small, Cold, Exec, Frame, Res, Src, Stop};
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
    ///
    /// The fast path (same instance, room in the frame stack's allocation, few cells to
    /// initialise) makes no native call: no `memset`/`memcpy`, no inlined `Vec` growth.
    /// Everything else goes through the out-of-line [`enter_slow`], [parked](Self::parked).
    /// (The call handlers still save some callee-saved registers: the fast path needs more
    /// registers than the six the dispatch keeps occupied leave free.)
    #[inline(always)]
    fn enter(&mut self, callee: *const CompiledFunc, args: Slot, inst: u32) -> Res {
        // SAFETY: `callee` points to compiled code owned by an instance of this store.
        let c = unsafe { &*callee };
        // SAFETY: `args` is a verified slot of the running function, whose frame lies inside
        // the value stack, so `fp + args` is inside the value stack too.
        let new_fp = unsafe { self.fp.add(args.0 as usize) };
        let room = (self.c.stack_end as usize - new_fp as usize) / 8;
        let frames = &mut self.c.inner.frames;
        let depth = frames.len();
        if room < c.frame_size as usize || depth + 1 >= self.c.max_depth {
            return Err(Stop::Trap(TrapCode::StackOverflow));
        }
        if depth == frames.capacity() || inst != self.c.inst || !frame_init_is_small(c) {
            return self.parked((callee, new_fp, inst), enter_slow);
        }
        let frame = Frame {
            ret_pc: self.pc,
            fp: self.fp,
            func: self.c.func,
            inst,
        };
        // SAFETY: `depth < capacity` (checked just above), so cell `depth` of the allocation
        // is free and in bounds; writing it and then growing the length by one is what
        // `push` does without its growth path.
        unsafe {
            frames.as_mut_ptr().add(depth).write(frame);
            frames.set_len(depth + 1);
        }
        init_frame_small(new_fp, c);
        self.fp = new_fp;
        self.pc = c.ops.as_ptr();
        self.c.func = callee;
        Ok(())
    }

    /// Runs the out-of-line `f` with the registers `pc`, `fp`, `mem`, `acc` and `fuel`
    /// parked in `Cold`'s `exit_*` fields; `f` may change them, and they are reloaded from
    /// there afterwards, through the `Cold` reference `f` returns (its argument, passed
    /// through [`Parked::done`]). So no register of the handler is live across the native
    /// call, and the call does not by itself make the handler save callee-saved registers.
    #[inline(always)]
    fn parked<A>(&mut self, a: A, f: for<'a, 's> fn(&'a mut Cold<'s>, A) -> Parked<'a, 's>) -> Res {
        self.c.exit_pc = self.pc;
        self.c.exit_fp = self.fp;
        self.c.exit_mem = self.mem;
        self.c.exit_acc = self.acc;
        self.c.exit_fuel = self.fuel;
        let c: *mut Cold<'_> = &mut *self.c;
        // SAFETY: `c` comes from `self.c`, which is not used until it is replaced below.
        let Parked(c, r) = f(unsafe { &mut *c }, a);
        // SAFETY: every function passed here returns its own argument (`Parked::done(c, ..)`;
        // a `for<'a>` function has no other `&'a mut Cold` to return), so this is `self.c`'s
        // pointer again, valid for as long as `self.c` was; the old `self.c` is overwritten
        // here and never used again.
        self.c = unsafe { &mut *(c as *mut Cold<'_>) };
        let c = &mut *self.c;
        self.pc = c.exit_pc;
        self.fp = c.exit_fp;
        self.mem = c.exit_mem;
        self.acc = c.exit_acc;
        self.fuel = c.exit_fuel;
        // No op after a parked one reads the float accumulator (they write no `f64`), so it
        // need not survive the native call.
        self.facc = 0.0;
        r
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
                self.parked((idx, base, top), call_host_parked)
            }
        }
    }
}

/// What an out-of-line function run by [`Exec::parked`] returns: its `Cold` argument, and
/// the handler's result.
struct Parked<'a, 's>(&'a mut Cold<'s>, Res);

impl<'a, 's> Parked<'a, 's> {
    /// Ends a parked function. The reference goes through [`core::hint::black_box`] so that
    /// the compiler does not see that the function returns its argument: otherwise it would
    /// keep the argument in a callee-saved register across the call instead of using the
    /// returned one.
    #[inline(always)]
    fn done(c: &'a mut Cold<'s>, r: Res) -> Self {
        Parked(core::hint::black_box(c), r)
    }
}

/// The rest of [`Exec::enter`] (registers parked): pushes the caller's frame, growing the
/// frame stack if needed, prepares the callee's frame at `new_fp` and switches to instance
/// `inst`. The caller checked the value stack's room and the call depth.
#[cold]
#[inline(never)]
fn enter_slow<'a, 's>(
    c: &'a mut Cold<'s>,
    (callee, new_fp, inst): (*const CompiledFunc, *mut u64, u32),
) -> Parked<'a, 's> {
    c.inner.frames.push(Frame {
        ret_pc: c.exit_pc,
        fp: c.exit_fp,
        func: c.func,
        inst: c.inst,
    });
    // SAFETY: `callee` points to compiled code owned by an instance of this store.
    let code = unsafe { &*callee };
    init_frame(new_fp, code);
    c.exit_fp = new_fp;
    c.exit_pc = code.ops.as_ptr();
    c.func = callee;
    if inst != c.inst {
        switch_instance_parked(c, inst);
    }
    Parked::done(c, Ok(()))
}

/// [`Exec::switch_instance`] on the parked registers.
#[inline(always)]
fn switch_instance_parked(c: &mut Cold<'_>, inst: u32) {
    c.set_instance(inst);
    let (m, l) = c.memory0();
    c.exit_mem = m;
    c.mem_len = l;
}

/// Calls host function `idx` with arguments at `base`, nested calls starting at cell `top`
/// (registers parked).
#[cold]
#[inline(never)]
fn call_host_parked<'a, 's>(
    c: &'a mut Cold<'s>,
    (idx, base, top): (u32, *mut u64, usize),
) -> Parked<'a, 's> {
    // The host may read or set the fuel, or run WebAssembly that uses it.
    c.inner.fuel = c.exit_fuel;
    let r = (c.hooks.call_host)(c, idx, base, top);
    c.exit_fuel = c.inner.fuel;
    let (m, l) = c.memory0();
    c.exit_mem = m;
    c.mem_len = l;
    Parked::done(c, r)
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
    let table = match unsafe { (*x.pc).op } {
        Op::Extra { a, .. } => a,
        _ => return Err(Stop::Trap(TrapCode::UndefinedElement)),
    };
    // SAFETY: the `Extra` op is not the last op (the last op is terminal), so skipping it
    // stays inside the function.
    x.pc = unsafe { x.pc.add(1) };
    let i = x.get::<u32>(index) as usize;
    let f = x.c.indirect_target(table, i)?;
    // One look-up of the store function gives both the signature check and the code.
    let entity = x.c.inner.funcs.get(f as usize);
    match entity {
        Some(e) if e.type_id == type_id => match &e.kind {
            FuncKind::Wasm { instance, code } => match code.slot().get() {
                Some(c) => {
                    let inst = *instance;
                    x.enter(std::sync::Arc::as_ptr(c), args, inst)
                }
                // Not translated yet (lazy translation): `resolve` translates it.
                None => x.call_store_func(f, args),
            },
            FuncKind::Host(_) => x.call_store_func(f, args),
        },
        _ => Err(Stop::Trap(TrapCode::IndirectCallTypeMismatch)),
    }
}

impl Cold<'_> {
    /// The store function at `table[i]` (not yet checked against a signature).
    #[inline(always)]
    fn indirect_target(&self, table: u32, i: usize) -> Result<u32, Stop> {
        let t = self.table_index(table)?;
        let cell = *self
            .inner
            .tables
            .get(t)
            .and_then(|t| t.elems.get(i))
            .ok_or(Stop::Trap(TrapCode::UndefinedElement))?;
        if cell == 0 {
            return Err(Stop::Trap(TrapCode::UninitializedElement));
        }
        Ok((cell - 1) as u32)
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
    // Inline, without native calls: as a call of `Exec::switch_instance` it made `ret` save
    // five callee-saved registers on every return; parked (like the calls' slow paths) it
    // saved none but ran fib ~45% longer on the build machine (AMD EPYC, also with all
    // functions 64-byte aligned; cause unknown).
    if f.inst != x.c.inst {
        x.switch_instance_inline(f.inst);
    }
    Ok(())
}

impl Exec<'_, '_> {
    /// [`Exec::switch_instance`] without native calls (the same updates as
    /// `Cold::set_instance` and `Cold::memory0`, which other ops call out of line).
    #[inline(always)]
    fn switch_instance_inline(&mut self, inst: u32) {
        let c = &mut *self.c;
        c.inst = inst;
        let inner = &mut *c.inner;
        let (mem, len) = match inner.instances.get(inst as usize) {
            Some(i) => {
                let funcs = &i.module.inner.funcs;
                c.funcs_ptr = funcs.as_ptr();
                c.funcs_len = funcs.len();
                c.globals_ptr = i.globals.as_ptr();
                c.globals_len = i.globals.len();
                match i
                    .memories
                    .first()
                    .and_then(|&m| inner.memories.get_mut(m as usize))
                {
                    Some(m) => (m.data.as_mut_ptr(), m.data.len()),
                    None => (core::ptr::NonNull::dangling().as_ptr(), 0),
                }
            }
            None => {
                c.funcs_ptr = core::ptr::NonNull::dangling().as_ptr();
                c.funcs_len = 0;
                c.globals_ptr = core::ptr::NonNull::dangling().as_ptr();
                c.globals_len = 0;
                (core::ptr::NonNull::dangling().as_ptr(), 0)
            }
        };
        self.mem = mem;
        c.mem_len = len;
    }
}

#[inline(always)]
pub(super) fn return_slot(x: &mut Exec<'_, '_>, src: impl Src) -> Res {
    let v: u64 = x.get(src);
    x.set(Slot(0), v);
    ret(x)
}
