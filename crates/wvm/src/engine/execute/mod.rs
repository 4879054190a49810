//! The executor: runs translated ops over a frame of 8-byte cells.
//!
//! Dispatch is a portable `loop { match op }` generated from the op list; each arm calls the
//! op's handler (one `#[inline(always)]` function per op, grouped by category in the sibling
//! files). Hot state (`pc`, frame pointer, memory base and length) lives in [`Exec`], a local
//! of [`run`]. Wasm-to-Wasm calls do not recurse natively: a call pushes a [`Frame`] on the
//! store's frame stack and switches `pc`/`fp`; the callee's frame starts at the caller's
//! argument slots.

mod call;
mod control;
mod float;
mod memory;
pub(crate) mod metering;
mod numeric;
mod simd;
mod table;
#[cfg(all(wvm_threaded, not(miri)))]
mod threaded;
#[cfg(all(wvm_threaded, not(miri)))]
pub(crate) use threaded::{handler_of, link_br_tables, Handler};
mod variable;

use crate::engine::ops::{Acc, CompiledOp, Op, Slot};
use crate::engine::CompiledFunc;
use crate::error::{
    Error, FrameInfo, Trap, TrapCode, WasmBacktrace, BACKTRACE_INNER_FRAMES, BACKTRACE_OUTER_FRAMES,
};
use crate::store::{Store, StoreInner};
use std::sync::Arc;

/// Why the dispatch loop stops.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The entry function returned.
    Done,
    /// WebAssembly trapped.
    Trap(TrapCode),
    /// A host function failed; the error is in `Exec::error`.
    Host,
    /// A host function panicked; the payload is in `Cold::panic`.
    Panic,
    /// The threaded backend's native stack guard fired: the registers are saved in [`Cold`]
    /// and dispatch restarts from there with a fresh native stack (never leaves `run`).
    #[cfg_attr(not(all(wvm_threaded, not(miri))), allow(dead_code))]
    Bounce,
}

pub(crate) type Res = Result<(), Stop>;

/// A saved caller frame.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    ret_pc: *const CompiledOp,
    fp: *mut u64,
    func: *const CompiledFunc,
    inst: u32,
}

// SAFETY: a `Frame` is plain data. Its pointers point into the value stack and into compiled
// code that the same store owns, and they are only dereferenced by an executor holding
// `&mut Store`, so moving or sharing the store between threads cannot create a data race.
unsafe impl Send for Frame {}
// SAFETY: as above; `&Frame` gives no access to the pointees.
unsafe impl Sync for Frame {}

/// Values that live in a frame cell.
pub(crate) trait CellVal: Copy {
    /// True for `f64`: values of this type are also written to and read from the float
    /// accumulator (`Exec::facc`).
    const F64: bool = false;
    fn from_cell(c: u64) -> Self;
    fn into_cell(self) -> u64;
}

macro_rules! cell_int {
    ($($t:ty => $u:ty),*) => { $(impl CellVal for $t {
        #[inline(always)] fn from_cell(c: u64) -> Self { c as $u as $t }
        #[inline(always)] fn into_cell(self) -> u64 { self as $u as u64 }
    })* };
}
cell_int!(i32 => u32, u32 => u32, i64 => u64, u64 => u64);

impl CellVal for f32 {
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        f32::from_bits(c as u32)
    }
    #[inline(always)]
    fn into_cell(self) -> u64 {
        self.to_bits() as u64
    }
}
impl CellVal for f64 {
    const F64: bool = true;
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        f64::from_bits(c)
    }
    #[inline(always)]
    fn into_cell(self) -> u64 {
        self.to_bits()
    }
}
impl CellVal for bool {
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        c as u32 != 0
    }
    #[inline(always)]
    fn into_cell(self) -> u64 {
        self as u64
    }
}

/// Where an op reads an operand from: a frame cell ([`Slot`]) or the accumulator ([`Acc`]).
/// Handlers take `impl Src`, so one handler body serves both op variants, each compiled
/// for its own source.
pub(crate) trait Src: Copy {
    fn read(self, x: &Exec<'_, '_>) -> u64;
    /// Reads an `f64` operand: for [`Acc`], from the float accumulator.
    fn read_f64(self, x: &Exec<'_, '_>) -> f64;
}

impl Src for Slot {
    #[inline(always)]
    fn read(self, x: &Exec<'_, '_>) -> u64 {
        x.cell(self)
    }
    #[inline(always)]
    fn read_f64(self, x: &Exec<'_, '_>) -> f64 {
        f64::from_bits(x.cell(self))
    }
}

impl Src for Acc {
    #[inline(always)]
    fn read(self, x: &Exec<'_, '_>) -> u64 {
        x.acc
    }
    #[inline(always)]
    fn read_f64(self, x: &Exec<'_, '_>) -> f64 {
        // The translator lets an op read an `f64` from the accumulator only right after an
        // op that wrote one (`acc_map::writes_facc`); then both accumulators hold it. Debug
        // builds check that rule on every such read.
        debug_assert_eq!(
            x.facc.to_bits(),
            x.acc,
            "f64 read from a float accumulator the previous op did not write"
        );
        x.facc
    }
}

/// Where an op puts its result besides the accumulator: a frame cell ([`Slot`]), or nowhere
/// ([`Acc`]: the register-result op variants, for a value only the next op reads).
pub(crate) trait Dst: Copy {
    fn store(self, x: &mut Exec<'_, '_>, c: u64);
}

impl Dst for Slot {
    #[inline(always)]
    fn store(self, x: &mut Exec<'_, '_>, c: u64) {
        // SAFETY: as in `Exec::cell`.
        unsafe { *x.fp.add(self.0 as usize) = c }
    }
}

impl Dst for Acc {
    #[inline(always)]
    fn store(self, _x: &mut Exec<'_, '_>, _c: u64) {}
}

/// Executor state for one invocation of [`run`].
///
/// The hot registers (`pc`, `fp`, memory base and length) are fields whose address is never
/// taken: every out-of-line helper receives only the cold part `c`, so the compiler can keep
/// the hot registers in machine registers across the dispatch loop.
pub(crate) struct Exec<'c, 's> {
    pc: *const CompiledOp,
    fp: *mut u64,
    mem: *mut u8,
    /// The accumulator: the value the last op wrote with [`Exec::set`] (also in its cell).
    /// An op variant that reads its operand from here instead of the frame saves the store
    /// to load forwarding on a chain of dependent ops (see `translate/accum.rs`).
    acc: u64,
    /// The float accumulator: the last `f64` an op wrote with [`Exec::set`] (as an `f64`;
    /// it is in `acc` as bits too). An `f64` operand read from [`Acc`] comes from here, so
    /// a chain of `f64` ops stays in a vector register (see `translate/accum.rs`).
    facc: f64,
    /// The store's fuel while WebAssembly runs (written back to `StoreInner::fuel` whenever
    /// execution leaves the dispatch loop or calls the host).
    fuel: u64,
    pub(crate) c: &'c mut Cold<'s>,
}

/// The cold part of the executor state, passed by reference to out-of-line helpers.
///
/// Not generic over the store's data type: the executor is compiled once, in this crate
/// (with this crate's optimisation settings, which the threaded dispatch depends on), and the
/// few operations that need the typed `Store<T>` (host calls, the resource limiter) go
/// through [`StoreHooks`].
pub(crate) struct Cold<'s> {
    /// The store's untyped part. Derived from `store`; re-derived after every use of `store`
    /// (see [`Cold::with_store`]).
    pub(crate) inner: &'s mut StoreInner,
    /// Length in bytes of memory 0 of the current instance (its base is `Exec::mem`).
    pub(crate) mem_len: usize,
    /// The whole `Store<T>`, type-erased; only [`StoreHooks`] functions use it.
    store: *mut (),
    hooks: &'static StoreHooks,
    func: *const CompiledFunc,
    inst: u32,
    funcs_ptr: *const crate::module::FuncCode,
    funcs_len: usize,
    /// The current instance's global index list (store indices).
    globals_ptr: *const u32,
    globals_len: usize,
    stack_base: *mut u64,
    stack_end: *mut u64,
    frames_base: usize,
    max_depth: usize,
    error: Option<Error>,
    panic: Option<Box<dyn std::any::Any + Send>>,
    /// `pc` and `fp` where the threaded backend stopped (unused by the portable one).
    #[cfg_attr(not(all(wvm_threaded, not(miri))), allow(dead_code))]
    exit_pc: *const CompiledOp,
    #[cfg_attr(not(all(wvm_threaded, not(miri))), allow(dead_code))]
    exit_fp: *mut u64,
    /// Memory 0 base and the accumulator where the threaded backend bounced.
    #[cfg_attr(not(all(wvm_threaded, not(miri))), allow(dead_code))]
    exit_mem: *mut u8,
    #[cfg_attr(not(all(wvm_threaded, not(miri))), allow(dead_code))]
    exit_acc: u64,
    #[cfg_attr(not(all(wvm_threaded, not(miri))), allow(dead_code))]
    exit_facc: f64,
    /// The threaded backend's native stack limit (see `threaded.rs`).
    #[cfg_attr(not(all(wvm_threaded, not(miri))), allow(dead_code))]
    stack_limit: usize,
    /// The fuel register where the threaded backend stopped or bounced.
    #[cfg_attr(not(all(wvm_threaded, not(miri))), allow(dead_code))]
    exit_fuel: u64,
}

impl Exec<'_, '_> {
    /// Reads an operand: a frame cell, or the accumulator for [`Acc`].
    #[inline(always)]
    pub(crate) fn get<V: CellVal>(&self, s: impl Src) -> V {
        if V::F64 {
            return V::from_cell(s.read_f64(self).to_bits());
        }
        V::from_cell(s.read(self))
    }

    /// Reads a frame cell.
    #[inline(always)]
    fn cell(&self, s: Slot) -> u64 {
        // SAFETY: `CompiledFunc::verify` proved every slot of the running function's ops is
        // below its `frame_size`, and `enter` checked `fp + frame_size <= stack_end` before the
        // function's first op ran; the value stack is one live allocation owned by the store.
        unsafe { *self.fp.add(s.0 as usize) }
    }

    /// Writes a result: to the accumulator, and to a frame cell unless `s` is [`Acc`].
    #[inline(always)]
    pub(crate) fn set<V: CellVal>(&mut self, s: impl Dst, v: V) {
        let c = v.into_cell();
        self.acc = c;
        if V::F64 {
            self.facc = f64::from_bits(c);
        }
        s.store(self, c);
    }

    /// Moves `pc` by `target` bytes (a stored branch offset, see [`CompiledOp`]) relative to
    /// the op being executed.
    #[inline(always)]
    pub(crate) fn jump(&mut self, target: i32) {
        // SAFETY: `pc` already points one past the executing op; `CompiledOp::new` stored
        // `target` as a whole number of ops in bytes, and `verify` proved that the executing
        // op's index plus that number of ops is an op of the same function.
        self.pc = unsafe {
            self.pc
                .byte_offset(target as isize - CompiledOp::SIZE as isize)
        };
    }

    /// Index of the current frame's first cell in the value stack.
    #[inline(always)]
    fn fp_index(&self) -> usize {
        (self.fp as usize - self.c.stack_base as usize) / 8
    }

    /// Reloads the cached base and length of memory 0 of the current instance.
    #[inline(always)]
    pub(crate) fn refresh_memory(&mut self) {
        let (m, l) = self.c.memory0();
        self.mem = m;
        self.c.mem_len = l;
    }

    /// Makes `inst` the current instance (memory and function caches follow).
    #[inline(always)]
    pub(crate) fn switch_instance(&mut self, inst: u32) {
        self.c.set_instance(inst);
        self.refresh_memory();
    }
}

impl Cold<'_> {
    /// Base and length of memory 0 of the current instance.
    #[inline(never)]
    pub(crate) fn memory0(&mut self) -> (*mut u8, usize) {
        let inner = &mut self.inner;
        let m = inner
            .instances
            .get(self.inst as usize)
            .and_then(|i| i.memories.first().copied());
        match m.and_then(|m| inner.memories.get_mut(m as usize)) {
            Some(mem) => (mem.data.as_mut_ptr(), mem.data.len()),
            None => (core::ptr::NonNull::dangling().as_ptr(), 0),
        }
    }

    #[inline(never)]
    fn set_instance(&mut self, inst: u32) {
        self.inst = inst;
        if let Some(i) = self.inner.instances.get(inst as usize) {
            let funcs = &i.module.inner.funcs;
            self.funcs_ptr = funcs.as_ptr();
            self.funcs_len = funcs.len();
            self.globals_ptr = i.globals.as_ptr();
            self.globals_len = i.globals.len();
        } else {
            self.funcs_ptr = core::ptr::NonNull::dangling().as_ptr();
            self.funcs_len = 0;
            self.globals_ptr = core::ptr::NonNull::dangling().as_ptr();
            self.globals_len = 0;
        }
    }

    /// The store index of memory `m` of the current instance.
    pub(crate) fn memory_index(&self, m: u32) -> Result<usize, Stop> {
        self.inner
            .instances
            .get(self.inst as usize)
            .and_then(|i| i.memories.get(m as usize))
            .map(|&m| m as usize)
            .ok_or(Stop::Trap(TrapCode::MemoryOutOfBounds))
    }

    /// The store index of table `t` of the current instance.
    pub(crate) fn table_index(&self, t: u32) -> Result<usize, Stop> {
        self.inner
            .instances
            .get(self.inst as usize)
            .and_then(|i| i.tables.get(t as usize))
            .map(|&t| t as usize)
            .ok_or(Stop::Trap(TrapCode::TableOutOfBounds))
    }

    /// The active frames of this activation, innermost first, bounded: only the kept frames
    /// (innermost [`BACKTRACE_INNER_FRAMES`], outermost [`BACKTRACE_OUTER_FRAMES`]) are
    /// converted to [`FrameInfo`]s; the rest are only counted.
    fn backtrace(&self, pc: *const CompiledOp) -> WasmBacktrace {
        let info = |func: *const CompiledFunc, pc: *const CompiledOp| {
            // SAFETY: frame functions are compiled code kept alive by the store's instances
            // (null entries are filtered out before this is called).
            let f = unsafe { &*func };
            let idx = (pc as usize).wrapping_sub(f.ops.as_ptr() as usize)
                / core::mem::size_of::<CompiledOp>();
            let idx = idx.saturating_sub(1);
            FrameInfo {
                func_index: f.func_index,
                func_name: f.name.as_deref().map(String::from),
                offset: f.offsets.get(idx).filter(|&o| o != 0).map(|o| o as usize),
            }
        };
        let frames = &self.inner.frames;
        let active = core::iter::once((self.func, pc))
            .chain(
                frames[self.frames_base.min(frames.len())..]
                    .iter()
                    .rev()
                    .map(|fr| (fr.func, fr.ret_pc)),
            )
            .filter(|(func, _)| !func.is_null());
        let total = active.clone().count();
        let keep = BACKTRACE_INNER_FRAMES + BACKTRACE_OUTER_FRAMES;
        if total <= keep {
            return WasmBacktrace {
                frames: active.map(|(f, pc)| info(f, pc)).collect(),
                frames_omitted: 0,
            };
        }
        let outer_start = total - BACKTRACE_OUTER_FRAMES;
        WasmBacktrace {
            frames: active
                .enumerate()
                .filter(|(i, _)| *i < BACKTRACE_INNER_FRAMES || *i >= outer_start)
                .map(|(_, (f, pc))| info(f, pc))
                .collect(),
            frames_omitted: total - keep,
        }
    }
}

macro_rules! gen_dispatch {
    ($(($name:ident, $snake:ident, $doc:literal, { $($field:ident : $fty:ty),* }))*) => {
        /// The dispatch loop: runs ops until one stops execution.
        ///
        /// Each arm checks its own handler's result, so the arms of infallible ops flow
        /// straight back to the loop head; that lets the compiler copy the (small) dispatch
        /// sequence into the arms, giving each op its own indirect jump.
        #[cfg_attr(all(wvm_threaded, not(miri)), allow(dead_code))]
        #[inline(always)]
        fn dispatch_loop(x: &mut Exec<'_, '_>) -> Stop {
            loop {
                // SAFETY: `pc` starts at the first op of a verified function and only moves
                // by `jump` (verified targets), by calls (to the first op of a verified
                // function), by returns (to a saved return address) or by one op; the last op
                // of every function never falls through, so `pc` always points at an op of a
                // live function.
                let op = unsafe { (*x.pc).op };
                // SAFETY: `pc` points into the op slice, so one past it is in bounds or one
                // past the end.
                x.pc = unsafe { x.pc.add(1) };
                match op {
                    $(Op::$name { $($field),* } => {
                        if let Err(stop) = handlers::$snake(x, $($field),*) {
                            return stop;
                        }
                    })*
                }
            }
        }
    };
}
for_each_op!(gen_dispatch);

mod handlers {
    pub(super) use super::call::*;
    pub(super) use super::control::*;
    pub(super) use super::memory::*;
    pub(super) use super::metering::*;
    pub(super) use super::numeric::*;
    pub(super) use super::simd::*;
    pub(super) use super::table::*;
    pub(super) use super::variable::*;
    include!("acc_aliases.rs");
}

/// The operations of the executor that need the typed `Store<T>`, as functions instantiated
/// for the store's data type (so the executor itself is not generic).
pub(crate) struct StoreHooks {
    /// Runs host function `idx` with arguments at `base` (`call.rs`).
    call_host: fn(&mut Cold<'_>, u32, *mut u64, usize) -> Res,
    /// Asks the store's resource limiter, if any, whether memory `m` may grow by `delta`
    /// pages.
    memory_may_grow: fn(&mut Cold<'_>, usize, u64) -> Result<bool, Error>,
    /// Asks the store's resource limiter, if any, whether table `t` may grow by `delta`
    /// elements.
    table_may_grow: fn(&mut Cold<'_>, usize, u64) -> Result<bool, Error>,
}

struct HooksFor<T>(core::marker::PhantomData<T>);

impl<T> HooksFor<T> {
    const HOOKS: StoreHooks = StoreHooks {
        call_host: call::call_host::<T>,
        // The limit functions answer `Ok(true)` themselves when the store has no limiter.
        // SAFETY (both): these hooks are only installed by `run::<T>` for a `Store<T>`.
        memory_may_grow: |c, m, delta| unsafe {
            c.with_store::<T, _>(|s| crate::limits::memory_may_grow(s, m, delta))
        },
        table_may_grow: |c, t, delta| unsafe {
            c.with_store::<T, _>(|s| crate::limits::table_may_grow(s, t, delta))
        },
    };
}

impl Cold<'_> {
    /// Runs `f` with the typed store.
    ///
    /// # Safety
    /// `T` must be the data type of the store this activation runs in (the one `run::<T>`
    /// received).
    unsafe fn with_store<T, R>(&mut self, f: impl FnOnce(&mut Store<T>) -> R) -> R {
        let store = self.store.cast::<Store<T>>();
        // SAFETY: `store` is the `&mut Store<T>` `run` holds (caller's contract for `T`);
        // `self.inner` is not used while this reference lives, and is re-derived below.
        let r = f(unsafe { &mut *store });
        // SAFETY: as above; the reference `f` used is gone, so this is the only live path to
        // the store's untyped part again.
        self.inner = unsafe { &mut (*store).inner };
        r
    }
}

/// Native stack that nested (host -> wasm) invocations may use below the outermost one.
const MAX_NATIVE_STACK: usize = 512 * 1024;

/// Runs `func` of instance `inst` with its frame at value-stack cell `fp_index`, where the
/// arguments already are; the results are left in the first cells of the frame.
pub(crate) fn run<T>(
    store: &mut Store<T>,
    func: &Arc<CompiledFunc>,
    inst: u32,
    fp_index: usize,
) -> Result<(), Error> {
    let store: *mut Store<T> = store;
    // SAFETY: `store` comes from a live `&mut Store<T>`; both pointers share its provenance.
    let inner = unsafe { &raw mut (*store).inner };
    run_erased(
        store.cast(),
        inner,
        &HooksFor::<T>::HOOKS,
        func,
        inst,
        fp_index,
    )
}

/// [`run`] without the store's data type, so that the executor is compiled in this crate.
/// `store` is the whole `Store<T>`, `inner` its untyped part, `hooks` made for that `T`.
#[inline(never)]
fn run_erased(
    store: *mut (),
    inner: *mut StoreInner,
    hooks: &'static StoreHooks,
    func: &Arc<CompiledFunc>,
    inst: u32,
    fp_index: usize,
) -> Result<(), Error> {
    // SAFETY: `inner` points into the store `run` borrows mutably for this whole call. It is
    // a local reference (not an argument), so the typed store may be used in between by
    // `Cold::with_store`, which re-derives the reference afterwards.
    let store_inner = unsafe { &mut *inner };
    let max_depth = store_inner.engine.config().max_call_depth;
    let frames_base = store_inner.frames.len();
    // Host -> wasm re-entry recurses natively: bound the native stack it may use. (Miri gives
    // every local its own allocation at an unrelated address, so there the bound is the
    // call-depth check below alone.)
    let marker = 0u8;
    let here = core::ptr::addr_of!(marker) as usize;
    if store_inner.depth == 0 {
        store_inner.native_stack_base = here;
    } else if !cfg!(miri) && store_inner.native_stack_base.abs_diff(here) > MAX_NATIVE_STACK {
        return Err(Error::trap(TrapCode::StackOverflow));
    }
    if frames_base + store_inner.depth as usize >= max_depth {
        return Err(Error::trap(TrapCode::StackOverflow));
    }
    let (stack_base, stack_len) = store_inner.stack_mut()?;
    let need = fp_index as u64 + func.frame_size as u64;
    if need > stack_len as u64 {
        return Err(Error::trap(TrapCode::StackOverflow));
    }
    // SAFETY: `fp_index + frame_size <= stack_len` was checked just above.
    let fp = unsafe { stack_base.add(fp_index) };
    // SAFETY: `stack_len` is the allocation's length in cells.
    let stack_end = unsafe { stack_base.add(stack_len) };
    init_frame(fp, func);
    let mut cold = Cold {
        inner: store_inner,
        mem_len: 0,
        store,
        hooks,
        func: Arc::as_ptr(func),
        inst,
        funcs_ptr: core::ptr::NonNull::dangling().as_ptr(),
        funcs_len: 0,
        globals_ptr: core::ptr::NonNull::dangling().as_ptr(),
        globals_len: 0,
        stack_base,
        stack_end,
        frames_base,
        max_depth,
        error: None,
        panic: None,
        exit_pc: core::ptr::null(),
        exit_fp: core::ptr::null_mut(),
        exit_mem: core::ptr::null_mut(),
        exit_acc: 0,
        exit_facc: 0.0,
        stack_limit: 0,
        exit_fuel: 0,
    };
    let mut x = Exec {
        pc: func.ops.as_ptr(),
        fp,
        mem: core::ptr::NonNull::dangling().as_ptr(),
        acc: 0,
        facc: 0.0,
        fuel: 0,
        c: &mut cold,
    };
    x.switch_instance(inst);
    // Fuel: continue a suspended resumable call (metering.rs).
    if let Some(s) = x.c.inner.resume_from.take() {
        x.restore(s);
    }
    x.c.inner.depth += 1;
    x.fuel = x.c.inner.fuel;
    #[cfg(all(wvm_threaded, not(miri)))]
    let stop = threaded::dispatch(&mut x);
    #[cfg(not(all(wvm_threaded, not(miri))))]
    let stop = dispatch_loop(&mut x);
    x.c.inner.fuel = x.fuel;
    x.c.inner.depth -= 1;
    // Fuel: an outermost resumable call keeps its registers for `ResumableInvocation`.
    if matches!(stop, Stop::Trap(TrapCode::OutOfFuel))
        && x.c.inner.resumable
        && x.c.inner.depth == 0
    {
        x.suspend(func, inst, fp_index);
    }
    let result = match stop {
        Stop::Done => Ok(()),
        Stop::Trap(code) => {
            let bt = x.c.backtrace(x.pc);
            Err(Error::from(Trap {
                code,
                backtrace: bt.frames,
                frames_omitted: bt.frames_omitted,
            }))
        }
        Stop::Host => {
            let e =
                x.c.error
                    .take()
                    .unwrap_or_else(|| Error::usage("host function failed"));
            Err(e.with_wasm_backtrace(|| x.c.backtrace(x.pc)))
        }
        Stop::Panic => Err(Error::usage("host function panicked")),
        // `threaded::dispatch` resumes every bounce itself.
        Stop::Bounce => Err(Error::usage("internal error: dispatch bounce escaped")),
    };
    x.c.inner.frames.truncate(frames_base);
    if let Some(payload) = x.c.panic.take() {
        std::panic::resume_unwind(payload);
    }
    result
}

/// Frame entries with fewer than this many declared locals to zero and fewer than this many
/// constants to copy take the calls' fast path, [`init_frame_small`]; larger ones go through
/// [`init_frame`] on the out-of-line path.
const SMALL_FRAME_INIT: u32 = 16;

/// Whether [`init_frame_small`] may prepare `func`'s frame (see [`SMALL_FRAME_INIT`]).
#[inline(always)]
fn frame_init_is_small(func: &CompiledFunc) -> bool {
    let zero = func.num_locals.saturating_sub(func.num_params);
    // `consts.len() < 16` without a truncating cast: the `or` is below 16 iff both are.
    (zero as usize | func.consts.len()) < SMALL_FRAME_INIT as usize
}

/// Prepares a new frame: zeroes the declared (non-parameter) locals and copies the
/// function's constants after them. Uses `memset`/`memcpy` for large counts.
#[inline(always)]
fn init_frame(fp: *mut u64, func: &CompiledFunc) {
    if frame_init_is_small(func) {
        init_frame_small(fp, func);
        return;
    }
    let n = func.num_locals.saturating_sub(func.num_params) as usize;
    if n > 0 {
        // SAFETY: the caller checked `fp + frame_size <= stack_end` and
        // `num_locals + consts <= frame_size` (verified), so the cells are in the value stack.
        unsafe { core::ptr::write_bytes(fp.add(func.num_params as usize), 0, n) };
    }
    let k = func.consts.len();
    if k > 0 {
        // SAFETY: as above; the constants occupy `num_locals..num_locals + k`, and the source
        // is the function's own constant list, which cannot overlap the value stack.
        unsafe {
            core::ptr::copy_nonoverlapping(
                func.consts.as_ptr(),
                fp.add(func.num_locals as usize),
                k,
            )
        };
    }
}

/// [`init_frame`] for frames with fewer than [`SMALL_FRAME_INIT`] cells to zero and to copy.
///
/// Each count is split into its binary digits (8, 4, 2, 1 cells), and each part is one
/// fixed-size write, which the compiler emits as a few vector stores. The general version's
/// run-time counts become calls of `memset`/`memcpy`, and any native call on a call
/// handler's fast path makes it save and restore callee-saved registers on every call.
#[inline(always)]
fn init_frame_small(fp: *mut u64, func: &CompiledFunc) {
    let params = func.num_params as usize;
    let locals = func.num_locals as usize;
    let zero = locals.saturating_sub(params);
    let consts = &func.consts[..];
    let k = consts.len();
    debug_assert!(zero < SMALL_FRAME_INIT as usize && k < SMALL_FRAME_INIT as usize);
    macro_rules! parts {
        ($n:expr, |$at:ident, $len:ident| $body:expr) => {{
            let n = $n;
            // The common case, nothing to write, costs one test instead of four.
            if n != 0 {
                let mut $at = 0usize;
                if n & 8 != 0 {
                    const $len: usize = 8;
                    $body;
                    $at += 8;
                }
                if n & 4 != 0 {
                    const $len: usize = 4;
                    $body;
                    $at += 4;
                }
                if n & 2 != 0 {
                    const $len: usize = 2;
                    $body;
                    $at += 2;
                }
                if n & 1 != 0 {
                    const $len: usize = 1;
                    $body;
                }
                let _ = $at;
            }
        }};
    }
    // SAFETY: the caller checked `fp + frame_size <= stack_end`, and `verify` checked
    // `num_locals + consts <= frame_size`; the declared locals are cells `params..locals`, and
    // the parts cover `at..at + LEN` with `at + LEN <= zero` (the binary digits of `zero < 16`
    // add up to `zero`), so every written cell is one of them.
    parts!(zero, |at, LEN| unsafe {
        core::ptr::write_bytes(fp.add(params + at), 0, LEN)
    });
    // SAFETY: as above for the constants' cells `locals..locals + k`; the source range
    // `at..at + LEN` lies inside `consts` (the digits of `k < 16` add up to `k`), which is the
    // function's own list and cannot overlap the value stack.
    parts!(k, |at, LEN| unsafe {
        core::ptr::copy_nonoverlapping(consts.as_ptr().add(at), fp.add(locals + at), LEN)
    });
}
