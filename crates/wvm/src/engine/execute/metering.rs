//! Fuel, interruption and NaN canonicalization ops (emitted only when the engine's
//! [`Config`](crate::Config) enables them), and the resumption of a call that ran out of fuel.

use super::{Cold, Exec, Frame, Res, Stop};
use crate::engine::ops::{Op, Slot};
use crate::engine::CompiledFunc;
use crate::error::{Error, TrapCode};
use crate::store::Store;
use std::sync::atomic::Ordering;

#[inline(always)]
pub(super) fn consume_fuel<T>(x: &mut Exec<'_, '_, T>, amount: u64) -> Res {
    let fuel = &mut x.c.store.inner.fuel;
    match fuel.checked_sub(amount) {
        Some(left) => {
            *fuel = left;
            Ok(())
        }
        // Nothing is charged: a resumed call retries this op (see `suspend`).
        None => Err(Stop::Trap(TrapCode::OutOfFuel)),
    }
}

/// Bulk operations: 1 fuel per this many bytes (or table elements).
pub(crate) const BULK_UNITS_PER_FUEL_LOG2: u32 = 6;

#[inline(always)]
pub(super) fn consume_fuel_bytes<T>(x: &mut Exec<'_, '_, T>, len: Slot) -> Res {
    let n = x.get::<u32>(len) as u64 >> BULK_UNITS_PER_FUEL_LOG2;
    consume_fuel(x, n)
}

#[inline(always)]
pub(super) fn check_interrupt<T>(x: &mut Exec<'_, '_, T>) -> Res {
    let flag = x.c.store.inner.engine.interrupt_flag();
    if flag.load(Ordering::Relaxed) {
        // Consume the request: later calls run normally.
        flag.store(false, Ordering::Relaxed);
        return Err(Stop::Trap(TrapCode::Interrupted));
    }
    Ok(())
}

#[inline(always)]
pub(super) fn canon_f32<T>(x: &mut Exec<'_, '_, T>, reg: Slot) -> Res {
    let v: f32 = x.get(reg);
    if v.is_nan() {
        x.set(reg, f32::from_bits(0x7fc0_0000));
    }
    Ok(())
}

#[inline(always)]
pub(super) fn canon_f64<T>(x: &mut Exec<'_, '_, T>, reg: Slot) -> Res {
    let v: f64 = x.get(reg);
    if v.is_nan() {
        x.set(reg, f64::from_bits(0x7ff8_0000_0000_0000));
    }
    Ok(())
}

/// The executor registers of a call suspended at a `ConsumeFuel` op.
pub(crate) struct Suspended {
    /// The `ConsumeFuel` op to retry.
    pc: *const Op,
    /// Frame pointer as a value-stack cell index.
    fp_index: usize,
    func: *const CompiledFunc,
    inst: u32,
    /// Saved caller frames (innermost last), with frame pointers as cell indices.
    frames: Vec<(Frame, usize)>,
    /// Value-stack cells `0..cells.len()` at the time of suspension.
    cells: Vec<u64>,
}

// SAFETY: `Suspended` is plain data; its pointers point to compiled code owned (through
// `Arc`s that are never dropped while the store lives) by the store's instances, and are only
// dereferenced by an executor holding `&mut Store` of that store.
unsafe impl Send for Suspended {}
// SAFETY: as above; `&Suspended` gives no access to the pointees.
unsafe impl Sync for Suspended {}

impl<T> Exec<'_, '_, T> {
    /// Saves the registers of an outermost call that stopped at a `ConsumeFuel` op (the op
    /// just executed) so that [`resume`] can retry it.
    #[inline(never)]
    #[cold]
    pub(super) fn suspend(&mut self) {
        // SAFETY: `pc` points one past the `ConsumeFuel` op that stopped, inside its function.
        let pc = unsafe { self.pc.sub(1) };
        let c: &Cold<'_, T> = self.c;
        let base = c.stack_base as usize;
        let idx = |p: *mut u64| (p as usize - base) / 8;
        let fp_index = idx(self.fp);
        // SAFETY: `func` is the running function (compiled code owned by the store).
        let top = fp_index + unsafe { (*c.func).frame_size } as usize;
        let frames = c
            .store
            .inner
            .frames
            .get(c.frames_base..)
            .unwrap_or(&[])
            .iter()
            .map(|f| (*f, idx(f.fp)))
            .collect();
        let mut cells = vec![0u64; top];
        // SAFETY: `0..top` lies inside the value stack: the running frame ends at `top`.
        unsafe { core::ptr::copy_nonoverlapping(c.stack_base, cells.as_mut_ptr(), top) };
        let s = Suspended {
            pc,
            fp_index,
            func: c.func,
            inst: c.inst,
            frames,
            cells,
        };
        self.c.store.inner.suspended = Some(s);
    }
}

/// Continues a call suspended by [`Exec::suspend`]; the entry function's results are left in
/// the first cells of the value stack.
pub(crate) fn resume<T>(store: &mut Store<T>, s: Suspended) -> Result<(), Error> {
    if store.inner.depth != 0 || store.inner.stack_top != 0 {
        return Err(Error::usage(
            "a resumable call can only be resumed when no WebAssembly is running",
        ));
    }
    let max_depth = store.inner.engine.config().max_call_depth;
    let (stack_base, stack_len) = store.inner.stack_mut()?;
    if s.cells.len() > stack_len {
        return Err(Error::trap(TrapCode::StackOverflow));
    }
    // SAFETY: `cells.len() <= stack_len`; the value stack is only accessed through raw
    // pointers and no WebAssembly is active.
    unsafe { core::ptr::copy_nonoverlapping(s.cells.as_ptr(), stack_base, s.cells.len()) };
    // SAFETY: `fp_index` and the saved frames' indices were computed from this store's value
    // stack (it never moves), and their frames end inside `cells.len() <= stack_len`.
    let at = |i: usize| unsafe { stack_base.add(i) };
    store.inner.frames.clear();
    store
        .inner
        .frames
        .extend(s.frames.iter().map(|&(f, i)| Frame { fp: at(i), ..f }));
    store.inner.native_stack_base = core::ptr::addr_of!(max_depth) as usize;
    let mut cold = Cold {
        store,
        func: s.func,
        inst: s.inst,
        funcs_ptr: core::ptr::NonNull::dangling().as_ptr(),
        funcs_len: 0,
        globals_ptr: core::ptr::NonNull::dangling().as_ptr(),
        globals_len: 0,
        stack_base,
        // SAFETY: `stack_len` is the allocation's length in cells.
        stack_end: unsafe { stack_base.add(stack_len) },
        frames_base: 0,
        max_depth,
        error: None,
    };
    let mut x = Exec {
        pc: s.pc,
        fp: at(s.fp_index),
        mem: core::ptr::NonNull::dangling().as_ptr(),
        mem_len: 0,
        c: &mut cold,
    };
    x.switch_instance(s.inst);
    x.c.store.inner.depth += 1;
    let stop = loop {
        // SAFETY: `pc` starts at the saved `ConsumeFuel` op of a verified function and then
        // moves exactly as in `run` (see the argument there).
        let op = unsafe { *x.pc };
        // SAFETY: `pc` points into the op slice, so one past it is in bounds or one past the end.
        x.pc = unsafe { x.pc.add(1) };
        if let Err(stop) = super::dispatch(&mut x, op) {
            break stop;
        }
    };
    x.c.store.inner.depth -= 1;
    let result = match stop {
        Stop::Done => Ok(()),
        Stop::Trap(code) => {
            if code == TrapCode::OutOfFuel && x.c.store.inner.resumable {
                x.suspend();
            }
            Err(Error::from(crate::error::Trap {
                code,
                backtrace: x.c.backtrace(x.pc),
            }))
        }
        Stop::Host => Err(x
            .c
            .error
            .take()
            .unwrap_or_else(|| Error::usage("host function failed"))),
    };
    x.c.store.inner.frames.clear();
    result
}
