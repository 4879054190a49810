//! Calls and returns. Wasm-to-Wasm calls never recurse natively; host calls go through the
//! out-of-line [`call_host`].

use super::{zero_locals, Exec, Frame, Res, Stop};
use crate::engine::ops::Slot;
use crate::engine::CompiledFunc;
use crate::error::{Error, TrapCode};
use crate::func::Caller;
use crate::store::FuncKind;
use crate::values::{cell_to_val, val_to_cell};

impl<T> Exec<'_, T> {
    /// Enters `callee` (of instance `inst`) with its frame at the caller's slot `args`.
    #[inline(always)]
    fn enter(&mut self, callee: *const CompiledFunc, args: Slot, inst: u32) -> Res {
        // SAFETY: `callee` points to compiled code owned by an instance of this store.
        let c = unsafe { &*callee };
        // SAFETY: `args` is a verified slot of the running function, whose frame lies inside
        // the value stack, so `fp + args` is inside the value stack too.
        let new_fp = unsafe { self.fp.add(args.0 as usize) };
        let room = (self.stack_end as usize - new_fp as usize) / 8;
        let frames = &mut self.store.inner.frames;
        if room < c.frame_size as usize || frames.len() + 1 >= self.max_depth {
            return Err(Stop::Trap(TrapCode::StackOverflow));
        }
        frames.push(Frame {
            ret_pc: self.pc,
            fp: self.fp,
            func: self.func,
            inst: self.inst,
        });
        zero_locals(new_fp, c);
        self.fp = new_fp;
        self.pc = c.ops.as_ptr();
        self.func = callee;
        if inst != self.inst {
            self.switch_instance(inst);
        }
        Ok(())
    }

    /// Calls the store function `idx` with arguments at `args`.
    #[inline(always)]
    fn call_store_func(&mut self, idx: u32, args: Slot) -> Res {
        let entity = self
            .store
            .inner
            .funcs
            .get(idx as usize)
            .ok_or(Stop::Trap(TrapCode::UninitializedElement))?;
        match &entity.kind {
            FuncKind::Wasm { instance, code } => {
                let (inst, code) = (*instance, std::sync::Arc::as_ptr(code));
                self.enter(code, args, inst)
            }
            FuncKind::Host(_) => call_host(self, idx, args),
        }
    }
}

/// Calls a host function: converts the argument cells to [`Val`](crate::Val)s, runs the
/// closure with a [`Caller`] and writes the results back.
#[inline(never)]
#[cold]
fn call_host<T>(x: &mut Exec<'_, T>, idx: u32, args: Slot) -> Res {
    let store_id = x.store.inner.id;
    let (ty, host) = match x
        .store
        .inner
        .funcs
        .get(idx as usize)
        .map(|f| (&f.kind, &f.ty))
    {
        Some((FuncKind::Host(h), ty)) => match x.store.hosts.get(*h as usize) {
            Some(host) => (ty.clone(), host.clone()),
            None => return Err(Stop::Trap(TrapCode::UninitializedElement)),
        },
        _ => return Err(Stop::Trap(TrapCode::UninitializedElement)),
    };
    let base = args.0 as usize;
    let params: Vec<crate::Val> = ty
        .params
        .iter()
        .enumerate()
        .map(|(i, t)| cell_to_val(store_id, *t, x.get::<u64>(Slot((base + i) as u32))))
        .collect();
    let mut results: Vec<crate::Val> = ty
        .results
        .iter()
        .map(|t| crate::Val::default_for(*t))
        .collect();
    let saved_top = x.store.inner.stack_top;
    // SAFETY: `func` is the running function (compiled code owned by the store).
    let frame = unsafe { (*x.func).frame_size } as usize;
    x.store.inner.stack_top = x.fp_index() + frame;
    let inst = x.inst;
    let r = host(
        Caller::new(
            x.store,
            Some(crate::instance::Instance::from_index(store_id, inst)),
        ),
        &params,
        &mut results,
    );
    x.store.inner.stack_top = saved_top;
    x.refresh_memory();
    if let Err(e) = r {
        x.error = Some(e);
        return Err(Stop::Host);
    }
    for (i, (v, t)) in results.iter().zip(ty.results.iter()).enumerate() {
        match val_to_cell(&x.store.inner, v) {
            Ok(c) if v.ty() == *t => x.set(Slot((base + i) as u32), c),
            Ok(_) => {
                x.error = Some(Error::usage(format!(
                    "host function returned a {} where {} was expected",
                    v.ty(),
                    t
                )));
                return Err(Stop::Host);
            }
            Err(e) => {
                x.error = Some(e);
                return Err(Stop::Host);
            }
        }
    }
    Ok(())
}

#[inline(always)]
pub(super) fn call_internal<T>(x: &mut Exec<'_, T>, def: u32, args: Slot) -> Res {
    if def as usize >= x.funcs_len {
        return Err(Stop::Trap(TrapCode::UninitializedElement));
    }
    // SAFETY: `funcs_ptr`/`funcs_len` describe the current instance's module function list,
    // owned by an `Arc` the store keeps alive and never mutated; `def < funcs_len`.
    let code = unsafe { std::sync::Arc::as_ptr(&*x.funcs_ptr.add(def as usize)) };
    let inst = x.inst;
    x.enter(code, args, inst)
}

#[inline(always)]
pub(super) fn call<T>(x: &mut Exec<'_, T>, func: u32, args: Slot) -> Res {
    let idx = x
        .store
        .inner
        .instances
        .get(x.inst as usize)
        .and_then(|i| i.funcs.get(func as usize))
        .copied()
        .ok_or(Stop::Trap(TrapCode::UninitializedElement))?;
    x.call_store_func(idx, args)
}

#[inline(always)]
pub(super) fn call_indirect<T>(x: &mut Exec<'_, T>, type_id: u32, index: Slot, args: Slot) -> Res {
    // SAFETY: `verify` proved an `Extra` op follows every `CallIndirect`; `pc` points at it.
    let table = match unsafe { *x.pc } {
        crate::engine::ops::Op::Extra { a, .. } => a,
        _ => return Err(Stop::Trap(TrapCode::UndefinedElement)),
    };
    // SAFETY: the `Extra` op is not the last op (the last op is terminal), so skipping it
    // stays inside the function.
    x.pc = unsafe { x.pc.add(1) };
    let t = x.table_index(table)?;
    let i = x.get::<u32>(index) as usize;
    let inner = &x.store.inner;
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
        Some(e) if e.type_id == type_id => {}
        _ => return Err(Stop::Trap(TrapCode::IndirectCallTypeMismatch)),
    }
    x.call_store_func(f, args)
}

#[inline(always)]
pub(super) fn ret<T>(x: &mut Exec<'_, T>) -> Res {
    let frames = &mut x.store.inner.frames;
    if frames.len() <= x.frames_base {
        return Err(Stop::Done);
    }
    let Some(f) = frames.pop() else {
        return Err(Stop::Done);
    };
    x.pc = f.ret_pc;
    x.fp = f.fp;
    x.func = f.func;
    if f.inst != x.inst {
        x.switch_instance(f.inst);
    }
    Ok(())
}

#[inline(always)]
pub(super) fn return_slot<T>(x: &mut Exec<'_, T>, src: Slot) -> Res {
    let v: u64 = x.get(src);
    x.set(Slot(0), v);
    ret(x)
}
