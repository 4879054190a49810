//! Fuel, interruption and NaN canonicalization ops (emitted only when the engine's
//! [`Config`](crate::Config) enables them), and the resumption of a call that ran out of fuel.

use super::{Cold, Exec, Frame, Res, Stop};
use crate::engine::ops::{CompiledOp, Slot};
use crate::engine::CompiledFunc;
use crate::error::{Error, TrapCode};
use crate::store::Store;
use std::sync::atomic::Ordering;
use std::sync::Arc;

#[inline(always)]
pub(super) fn consume_fuel(x: &mut Exec<'_, '_>, amount: u64) -> Res {
    match x.fuel.checked_sub(amount) {
        Some(left) => {
            x.fuel = left;
            Ok(())
        }
        // Nothing is charged: a resumed call retries this op (see `suspend`).
        None => Err(Stop::Trap(TrapCode::OutOfFuel)),
    }
}

/// Bulk operations: 1 fuel per this many bytes (or table elements).
pub(crate) const BULK_UNITS_PER_FUEL_LOG2: u32 = 6;

#[inline(always)]
pub(super) fn consume_fuel_bytes(x: &mut Exec<'_, '_>, len: Slot) -> Res {
    let n = x.get::<u32>(len) as u64 >> BULK_UNITS_PER_FUEL_LOG2;
    consume_fuel(x, n)
}

/// A stack-check point in long straight-line code: nothing to do here (the threaded backend
/// checks the native stack before dispatching from it, see [`Op::checks_stack`]).
///
/// [`Op::checks_stack`]: crate::engine::ops::Op::checks_stack
#[inline(always)]
pub(super) fn stack_guard(_x: &mut Exec<'_, '_>) -> Res {
    Ok(())
}

#[inline(always)]
pub(super) fn check_interrupt(x: &mut Exec<'_, '_>) -> Res {
    let flag = x.c.inner.engine.interrupt_flag();
    if flag.load(Ordering::Relaxed) {
        // Consume the request: later calls run normally.
        flag.store(false, Ordering::Relaxed);
        return Err(Stop::Trap(TrapCode::Interrupted));
    }
    Ok(())
}

#[inline(always)]
pub(super) fn canon_f32(x: &mut Exec<'_, '_>, reg: Slot) -> Res {
    let v: f32 = x.get(reg);
    if v.is_nan() {
        x.set(reg, f32::from_bits(0x7fc0_0000));
    }
    Ok(())
}

#[inline(always)]
pub(super) fn canon_f64(x: &mut Exec<'_, '_>, reg: Slot) -> Res {
    let v: f64 = x.get(reg);
    if v.is_nan() {
        x.set(reg, f64::from_bits(0x7ff8_0000_0000_0000));
    }
    Ok(())
}

/// The executor registers of a call suspended at a `ConsumeFuel` op.
pub(crate) struct Suspended {
    /// The outermost function of the call, its instance and its frame's first cell.
    entry: Arc<CompiledFunc>,
    entry_inst: u32,
    entry_fp: usize,
    /// The op to retry (a `ConsumeFuel`/`ConsumeFuelBytes`).
    pc: *const CompiledOp,
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

impl Exec<'_, '_> {
    /// Saves the registers of an outermost call (entry function `entry` of instance
    /// `entry_inst`, frame at cell `entry_fp`) that stopped at a fuel op (the op just
    /// executed), so that [`resume`] can retry that op.
    #[inline(never)]
    #[cold]
    pub(super) fn suspend(&mut self, entry: &Arc<CompiledFunc>, entry_inst: u32, entry_fp: usize) {
        // SAFETY: `pc` points one past the fuel op that stopped, inside its function.
        let pc = unsafe { self.pc.sub(1) };
        let c: &Cold<'_> = self.c;
        let base = c.stack_base as usize;
        let idx = |p: *mut u64| (p as usize - base) / 8;
        let fp_index = idx(self.fp);
        // SAFETY: `func` is the running function (compiled code owned by the store).
        let top = fp_index + unsafe { (*c.func).frame_size } as usize;
        let frames = c
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
            entry: entry.clone(),
            entry_inst,
            entry_fp,
            pc,
            fp_index,
            func: c.func,
            inst: c.inst,
            frames,
            cells,
        };
        self.c.inner.suspended = Some(s);
    }

    /// Puts back the registers, frames and value-stack cells saved by [`Exec::suspend`]
    /// (called by `run` right after it set up the entry function's frame).
    #[inline(never)]
    #[cold]
    pub(super) fn restore(&mut self, s: Suspended) {
        let stack_base = self.c.stack_base;
        // SAFETY: `resume` checked `cells.len() <= stack length`; the value stack is one
        // allocation that never moves and is only accessed through raw pointers. Every saved
        // frame pointer index is below `cells.len()` (frames lie below the running frame's
        // end), and each frame's extent was checked against this same stack's end when it was
        // entered, so the restored frames are exactly as valid as before the suspension.
        unsafe { core::ptr::copy_nonoverlapping(s.cells.as_ptr(), stack_base, s.cells.len()) };
        // SAFETY: as above, every index is below `cells.len()`.
        let at = |i: usize| unsafe { stack_base.add(i) };
        let frames = &mut self.c.inner.frames;
        frames.truncate(self.c.frames_base);
        frames.extend(s.frames.iter().map(|&(f, i)| Frame { fp: at(i), ..f }));
        self.pc = s.pc;
        self.fp = at(s.fp_index);
        self.c.func = s.func;
        self.switch_instance(s.inst);
    }
}

/// Continues a call suspended by [`Exec::suspend`]. Returns the value-stack cell where the
/// entry function's results are.
pub(crate) fn resume<T>(store: &mut Store<T>, s: Suspended) -> Result<usize, Error> {
    if store.inner.depth != 0 || store.inner.stack_top != 0 {
        return Err(Error::usage(
            "a resumable call can only be resumed when no WebAssembly is running",
        ));
    }
    let (_, stack_len) = store.inner.stack_mut()?;
    if s.cells.len() > stack_len {
        return Err(Error::trap(TrapCode::StackOverflow));
    }
    store.inner.frames.clear();
    let (entry, inst, fp) = (s.entry.clone(), s.entry_inst, s.entry_fp);
    store.inner.resume_from = Some(s);
    let r = super::run(store, &entry, inst, fp);
    store.inner.resume_from = None;
    r.map(|()| fp)
}
