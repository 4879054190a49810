//! The threaded dispatch backend: one function per op, each ending with a call of the next
//! op's handler in tail position.
//!
//! Every handler receives the hot registers (`pc`, `fp`, memory base and length) and the cold
//! state as arguments, runs the op's shared handler body (the same `#[inline(always)]`
//! functions the portable `loop { match }` uses), and calls the next op's handler, whose
//! address the op carries in front of its fields ([`CompiledOp`], direct threading: one load and
//! an indirect jump, no handler table lookup on the hot path). Optimised builds turn those calls into jumps (sibling calls), so
//! the registers stay in machine registers from op to op and every op has its own indirect
//! jump, which branch predictors learn far better than the single shared jump of a `match`
//! loop. Stable Rust does not guarantee the tail calls, so `build.rs` enables this backend only
//! where LLVM performs them, and `tools/check_tail_calls.py` checks a built binary.
//!
//! The store's fuel also travels in an argument register (`ConsumeFuel` is then a register
//! subtraction, not a load and store of a counter every block depends on); it is written back
//! whenever execution leaves the handlers or calls the host.
//!
//! **Stack guard.** Should some handler's call not become a jump after all (another compiler
//! version, other build settings), each execution of that op would leave a native frame
//! behind. So the handlers of the ops that [check the stack](Op::checks_stack) — every
//! branch, call and return, and the `stack_guard` op the translator puts into long
//! straight-line code — compare the native stack pointer with a limit (in [`Cold`], one
//! compare with a memory operand) before dispatching: below it, the handler saves the
//! registers in [`Cold`] and returns [`Stop::Bounce`], which unwinds all those frames back to
//! [`dispatch`], which resumes at the saved `pc`. Every loop round and every call passes such
//! a check, and between two checks at most [`STACK_GUARD_SPAN`] ops run, so a missed tail
//! call costs speed, never a stack overflow. The other handlers dispatch unchecked: the check
//! was three of the eleven instructions of a simple op.
//!
//! [`STACK_GUARD_SPAN`]: crate::engine::ops::STACK_GUARD_SPAN
//!
//! A handler whose op stops execution (return from the entry function, trap, host error)
//! saves `pc` and `fp` in [`Cold`] and returns the [`Stop`].

use super::{handlers, Cold, Exec, Stop};
use crate::engine::ops::{CompiledOp, Op};

/// An op handler: `(pc of the op, fp, memory base, accumulator, cold state, fuel, float
/// accumulator)`. The float accumulator travels in a vector register, beside the six integer
/// argument registers.
pub(crate) type Handler = for<'c, 's> unsafe fn(
    *const CompiledOp,
    *mut u64,
    *mut u8,
    u64,
    &'c mut Cold<'s>,
    u64,
    f64,
) -> Stop;

/// How much native stack the handlers of one `dispatch` may use before bouncing. Handlers
/// that were compiled to tail jumps use none; the guard only matters if some were not.
const STACK_ALLOWANCE: usize = 128 * 1024;

#[cfg(test)]
thread_local! {
    /// Tests: the stack allowance of `dispatch` on this thread (0: bounce after every op).
    static TEST_ALLOWANCE: core::cell::Cell<usize> = const { core::cell::Cell::new(STACK_ALLOWANCE) };
}

#[inline(always)]
fn allowance() -> usize {
    #[cfg(test)]
    return TEST_ALLOWANCE.with(|a| a.get());
    #[cfg(not(test))]
    STACK_ALLOWANCE
}

/// The native stack pointer.
#[inline(always)]
fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads the stack pointer register into a general register; no memory access,
    // no stack use, flags preserved.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    // SAFETY: as above.
    #[cfg(target_arch = "aarch64")]
    unsafe {
        core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    sp
}

/// Runs from `x.pc` until an op stops execution; on return `x.pc`/`x.fp` are the registers at
/// the stop (as the portable loop leaves them).
#[inline(never)]
pub(super) fn dispatch(x: &mut Exec<'_, '_>) -> Stop {
    x.c.stack_limit = stack_pointer().saturating_sub(allowance());
    let (mut pc, mut fp, mut mem, mut acc, mut facc) = (x.pc, x.fp, x.mem, x.acc, x.facc);
    loop {
        // SAFETY: `pc` points at the next op to run of a verified function (see `run`, and
        // after a bounce the registers `next` saved), the invariant every handler keeps.
        let stop = unsafe { next(pc, fp, mem, acc, &mut *x.c, x.fuel, facc) };
        x.fuel = x.c.exit_fuel;
        if !matches!(stop, Stop::Bounce) {
            x.pc = x.c.exit_pc;
            x.fp = x.c.exit_fp;
            return stop;
        }
        (pc, fp) = (x.c.exit_pc, x.c.exit_fp);
        (mem, acc, facc) = (x.c.exit_mem, x.c.exit_acc, x.c.exit_facc);
    }
}

/// Calls the handler of the op at `pc` (or bounces, see the module documentation).
///
/// # Safety
/// `pc` points at an op of a verified, live function; `fp` is that function's frame inside
/// the value stack (room for `frame_size` cells checked); `mem`/`c.mem_len` describe memory
/// 0 of the current instance.
#[inline(always)]
unsafe fn next(
    pc: *const CompiledOp,
    fp: *mut u64,
    mem: *mut u8,
    acc: u64,
    c: &mut Cold<'_>,
    fuel: u64,
    facc: f64,
) -> Stop {
    // SAFETY: `pc` points at a valid op (caller's contract), whose handler is stored with it.
    let h = unsafe { (*pc).handler };
    // SAFETY: the caller's contract, and `h` is the handler of the op at `pc`.
    unsafe { next_via(h, pc, fp, mem, acc, c, fuel, facc) }
}

/// [`next`] with the handler `h` of the op at `pc` already loaded: checks the native stack,
/// then calls `h`.
///
/// # Safety
/// As for [`next`], and `h` is the handler of the op at `pc`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn next_via(
    h: Handler,
    pc: *const CompiledOp,
    fp: *mut u64,
    mem: *mut u8,
    acc: u64,
    c: &mut Cold<'_>,
    fuel: u64,
    facc: f64,
) -> Stop {
    if stack_pointer() < c.stack_limit {
        return bounce(pc, fp, mem, acc, c, fuel, facc);
    }
    // SAFETY: the caller's contract is the handler's.
    unsafe { h(pc, fp, mem, acc, c, fuel, facc) }
}

/// Calls the handler of the op at `pc` without checking the native stack: what the handlers
/// of ops that do not [check the stack](Op::checks_stack) do.
///
/// # Safety
/// As for [`next`].
#[inline(always)]
unsafe fn next_unchecked(
    pc: *const CompiledOp,
    fp: *mut u64,
    mem: *mut u8,
    acc: u64,
    c: &mut Cold<'_>,
    fuel: u64,
    facc: f64,
) -> Stop {
    // SAFETY: `pc` points at a valid op (caller's contract).
    let h = unsafe { (*pc).handler };
    // SAFETY: `CompiledOp::new` stored the handler of this op's variant (`handler_of`); the
    // caller's contract is the handler's.
    unsafe { h(pc, fp, mem, acc, c, fuel, facc) }
}

#[cold]
#[inline(never)]
fn bounce(
    pc: *const CompiledOp,
    fp: *mut u64,
    mem: *mut u8,
    acc: u64,
    c: &mut Cold<'_>,
    fuel: u64,
    facc: f64,
) -> Stop {
    c.exit_pc = pc;
    c.exit_fp = fp;
    c.exit_mem = mem;
    c.exit_acc = acc;
    c.exit_facc = facc;
    c.exit_fuel = fuel;
    Stop::Bounce
}

/// The handler of `br_table`: jumps straight to the handler of the chosen target.
///
/// The generic path would step to the chosen entry (a `br` op), read its offset, and then
/// load the handler of the op it lands on: three dependent loads before the indirect jump,
/// whose target a `br_table` in an interpreter loop rarely lets the processor predict. Here
/// each entry also carries, in its handler field, the handler of the op its `br` lands on
/// ([`link_br_tables`]; entries are only ever read by their `br_table`, never dispatched), so
/// the offset and the handler are read side by side from the entry.
///
/// # Safety
/// As for [`next`], and the op at `pc` is a `BrTable` whose entries were linked.
unsafe fn br_table_direct(
    pc: *const CompiledOp,
    fp: *mut u64,
    mem: *mut u8,
    acc: u64,
    c: &mut Cold<'_>,
    fuel: u64,
    facc: f64,
) -> Stop {
    // SAFETY: `pc` points at a valid op, a `BrTable` (only those carry this handler).
    let Op::BrTable { index, len } = (unsafe { *pc }).op else {
        // SAFETY: as above.
        unsafe { core::hint::unreachable_unchecked() }
    };
    // SAFETY: `verify` proved `index` lies inside the frame at `fp`.
    let i = (unsafe { *fp.add(index.0 as usize) } as u32).min(len);
    // SAFETY: `verify` proved that `len + 1` `br` entries follow the `BrTable`, so entry `i`
    // (`i <= len`) is inside the function.
    let entry = unsafe { pc.add(1 + i as usize) };
    // SAFETY: `entry` is a valid op.
    let (op, h) = unsafe { ((*entry).op, (*entry).handler) };
    let Op::Br { target } = op else {
        // SAFETY: `verify` proved every entry is a `br`.
        unsafe { core::hint::unreachable_unchecked() }
    };
    // SAFETY: `target` is the entry's offset in bytes to an op of this function (`verify`),
    // and `h` that op's handler (`link_br_tables`), so the call keeps `next`'s contract.
    let to = unsafe { entry.byte_offset(target as isize) };
    // SAFETY: as above.
    unsafe { next_via(h, to, fp, mem, acc, c, fuel, facc) }
}

/// Stores in each `br_table` entry of `ops` the handler of the op that entry's `br` lands
/// on, for [`br_table_direct`]. Entries whose target lies outside `ops` are left alone
/// (`verify` rejects such code).
pub(crate) fn link_br_tables(ops: &mut [CompiledOp]) {
    for i in 0..ops.len() {
        let Op::BrTable { len, .. } = ops[i].op else {
            continue;
        };
        for j in i + 1..=(i + 1).saturating_add(len as usize) {
            let Some(Op::Br { target }) = ops.get(j).map(|e| e.op) else {
                break;
            };
            let to = j as i64 + (target / CompiledOp::SIZE) as i64;
            if let Some(h) = usize::try_from(to)
                .ok()
                .and_then(|k| ops.get(k))
                .map(|o| o.handler)
            {
                ops[j].handler = h;
            }
        }
    }
}

/// Leaves the threaded code with `stop`, saving the registers for `dispatch`.
#[inline(always)]
fn leave(x: Exec<'_, '_>, stop: Stop) -> Stop {
    x.c.exit_pc = x.pc;
    x.c.exit_fp = x.fp;
    x.c.exit_fuel = x.fuel;
    stop
}

macro_rules! gen_threaded {
    ($(($name:ident, $snake:ident, $doc:literal, { $($field:ident : $fty:ty),* }))*) => {
        mod op_handlers {
            use super::*;
            $(
                /// Runs one op, then the next one's handler in tail position.
                ///
                /// # Safety
                /// As for [`next`], and the op at `pc` is an `Op::` of this variant.
                pub(super) unsafe fn $snake(
                    pc: *const CompiledOp,
                    fp: *mut u64,
                    mem: *mut u8,
                    acc: u64,
                    c: &mut Cold<'_>,
                    fuel: u64,
                    facc: f64,
                ) -> Stop {
                    // SAFETY: `pc` points at a valid op.
                    let op = unsafe { (*pc).op };
                    const CHECK: bool = checks_stack!($name; $($field)*);
                    let Op::$name { $($field),* } = op else {
                        // SAFETY: only ops of this variant carry this handler (`handler_of`).
                        unsafe { core::hint::unreachable_unchecked() }
                    };
                    // SAFETY: `pc` points into a function's op slice, so one past it is in
                    // bounds or one past the end (the handler body moves it before use).
                    let mut x = Exec { pc: unsafe { pc.add(1) }, fp, mem, acc, facc, fuel, c };
                    match handlers::$snake(&mut x, $($field),*) {
                        // SAFETY: every handler body leaves `pc` at an op of a live verified
                        // function (one past an op that falls through, a verified branch
                        // target, a callee's first op or a saved return address) and keeps
                        // `fp`/`mem` consistent, which is `next`'s contract.
                        Ok(()) if CHECK => unsafe { next(x.pc, x.fp, x.mem, x.acc, x.c, x.fuel, x.facc) },
                        // SAFETY: as above.
                        Ok(()) => unsafe { next_unchecked(x.pc, x.fp, x.mem, x.acc, x.c, x.fuel, x.facc) },
                        Err(stop) => leave(x, stop),
                    }
                }
            )*
        }

        /// The handlers, indexed by [`Op::tag`] (op list order).
        static HANDLERS: [Handler; Op::COUNT] = [$(op_handlers::$snake,)*];

        /// The handler of `op`'s variant, which [`CompiledOp::new`] stores with the op.
        pub(crate) fn handler_of(op: &Op) -> Handler {
            if let Op::BrTable { .. } = op {
                return br_table_direct;
            }
            // The tag is below `Op::COUNT`, the table's length.
            HANDLERS[op.tag()]
        }
    };
}
for_each_op!(gen_threaded);

#[cfg(test)]
mod tests {
    use super::TEST_ALLOWANCE;
    use crate::{Engine, Instance, Module, Store};

    /// Loops, calls (direct, indirect, recursive), memory, `br_table` and a trap, run with an
    /// allowance of 0 (every stack check bounces back to `dispatch`) and with the normal one: the
    /// results must agree, so bounces lose no register (`pc`, `fp`, memory cache).
    #[test]
    fn bouncing_at_every_stack_check_changes_nothing() {
        let wat = r#"(module
            (memory 1)
            (table 2 funcref)
            (elem (i32.const 0) $sq $fib)
            (type $t (func (param i32) (result i32)))
            (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))
            (func $fib (type $t)
              (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
                (then (local.get 0))
                (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                               (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
            (func (export "run") (param $n i32) (result i32) (local $i i32) (local $acc i32)
              (loop $l
                (i32.store (i32.shl (local.get $i) (i32.const 2))
                  (call_indirect (type $t) (local.get $i) (i32.and (local.get $i) (i32.const 1))))
                (local.set $acc (i32.add (local.get $acc)
                  (i32.load (i32.shl (local.get $i) (i32.const 2)))))
                (block $b2 (block $b1 (block $b0
                  (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
                  (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55))) (br $b2))
                  (local.set $acc (i32.rotl (local.get $acc) (i32.const 3))))
                (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                    (local.get $n))))
              (memory.fill (i32.const 4096) (local.get $acc) (i32.const 100))
              (i32.add (local.get $acc) (i32.load8_u (i32.const 4150))))
            (func (export "oob") (result i32) (i32.load (i32.const 65534))))"#;
        let run = |allowance: usize| {
            TEST_ALLOWANCE.with(|a| a.set(allowance));
            let engine = Engine::default();
            let module = Module::new(&engine, wat).unwrap();
            let mut store = Store::new(&engine, ());
            let inst = Instance::new(&mut store, &module, &[]).unwrap();
            let f = inst.get_typed_func::<i32, i32>(&mut store, "run").unwrap();
            let r = f.call(&mut store, 20).unwrap();
            let oob = inst.get_typed_func::<(), i32>(&mut store, "oob").unwrap();
            let e = oob.call(&mut store, ()).unwrap_err().to_string();
            TEST_ALLOWANCE.with(|a| a.set(super::STACK_ALLOWANCE));
            (r, e)
        };
        let normal = run(super::STACK_ALLOWANCE);
        let bouncing = run(0);
        assert_eq!(normal, bouncing);
        assert!(normal.1.contains("out of bounds"), "{}", normal.1);
    }
}
