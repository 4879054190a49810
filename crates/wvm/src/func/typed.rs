//! Rust-typed functions: [`TypedFunc`], closures turned into host functions ([`IntoFunc`])
//! and the traits mapping Rust types to WebAssembly values.

use super::{invoke, Caller, Func, HostFn};
use crate::error::Error;
use crate::store::AsContextMut;
use crate::values::{cell_to_val, cell_width, cells_len, write_vals, ExternRef, Val};
use core::marker::PhantomData;
use std::sync::Arc;
use wvm_binary::{FuncType, ValType};

mod sealed {
    pub trait Sealed {}
}

/// A Rust type that is a WebAssembly value type.
pub trait WasmTy: sealed::Sealed + Sized + Send + 'static {
    /// The WebAssembly type.
    fn valtype() -> ValType;
    /// Into a [`Val`].
    fn into_val(self) -> Val;
    /// From a [`Val`] of the right type.
    fn from_val(v: Val) -> Option<Self>;
}

macro_rules! wasm_ty {
    ($($t:ty, $vt:expr, |$s:ident| $into:expr, |$v:ident| $from:expr;)*) => {$(
        impl sealed::Sealed for $t {}
        impl WasmTy for $t {
            fn valtype() -> ValType { $vt }
            fn into_val(self) -> Val { let $s = self; $into }
            fn from_val($v: Val) -> Option<Self> { $from }
        }
    )*};
}

wasm_ty! {
    i32, ValType::I32, |s| Val::I32(s), |v| v.i32();
    u32, ValType::I32, |s| Val::I32(s as i32), |v| v.i32().map(|x| x as u32);
    i64, ValType::I64, |s| Val::I64(s), |v| v.i64();
    u64, ValType::I64, |s| Val::I64(s as i64), |v| v.i64().map(|x| x as u64);
    f32, ValType::F32, |s| Val::F32(s.to_bits()), |v| v.f32();
    f64, ValType::F64, |s| Val::F64(s.to_bits()), |v| v.f64();
    // v128: the 128 bits as one integer, lane 0 in the low bits (little-endian lane order).
    u128, ValType::V128, |s| Val::V128(s), |v| v.v128();
    Option<Func>, ValType::FUNCREF, |s| Val::FuncRef(s), |v| v.funcref();
    Option<ExternRef>, ValType::EXTERNREF, |s| Val::ExternRef(s), |v| v.externref();
}

/// Parameters of a typed function: `()`, one [`WasmTy`] or a tuple of them.
pub trait WasmParams: Send + Sized {
    /// The WebAssembly types.
    fn types() -> Vec<ValType>;
    /// Writes the values, in order, into `out` (which has room for all of them).
    fn write_vals(self, out: &mut [Val]);
}

/// Results of a typed function: `()`, one [`WasmTy`] or a tuple of them.
pub trait WasmResults: Sized {
    /// The WebAssembly types.
    fn types() -> Vec<ValType>;
    /// Converts from values of the right types.
    fn from_vals(vals: &[Val]) -> Option<Self>;
    /// Converts into values, in order.
    fn into_vals(self, out: &mut [Val]);
}

impl<A: WasmTy> WasmParams for A {
    fn types() -> Vec<ValType> {
        vec![A::valtype()]
    }
    fn write_vals(self, out: &mut [Val]) {
        if let Some(o) = out.first_mut() {
            *o = self.into_val();
        }
    }
}

impl<A: WasmTy> WasmResults for A {
    fn types() -> Vec<ValType> {
        vec![A::valtype()]
    }
    fn from_vals(vals: &[Val]) -> Option<Self> {
        A::from_val(*vals.first()?)
    }
    fn into_vals(self, out: &mut [Val]) {
        if let Some(o) = out.first_mut() {
            *o = self.into_val();
        }
    }
}

macro_rules! tuples {
    ($(($($a:ident $i:tt),*))*) => {$(
        impl<$($a: WasmTy),*> WasmParams for ($($a,)*) {
            fn types() -> Vec<ValType> { vec![$($a::valtype()),*] }
            #[allow(unused_variables)]
            fn write_vals(self, out: &mut [Val]) {
                $(if let Some(o) = out.get_mut($i) { *o = self.$i.into_val(); })*
            }
        }
        impl<$($a: WasmTy),*> WasmResults for ($($a,)*) {
            fn types() -> Vec<ValType> { vec![$($a::valtype()),*] }
            #[allow(unused_variables)]
            fn from_vals(vals: &[Val]) -> Option<Self> {
                Some(($($a::from_val(*vals.get($i)?)?,)*))
            }
            #[allow(unused_variables)]
            fn into_vals(self, out: &mut [Val]) {
                $(if let Some(o) = out.get_mut($i) { *o = self.$i.into_val(); })*
            }
        }
    )*};
}

tuples! {
    ()
    (A0 0)
    (A0 0, A1 1)
    (A0 0, A1 1, A2 2)
    (A0 0, A1 1, A2 2, A3 3)
    (A0 0, A1 1, A2 2, A3 3, A4 4)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7)
}

/// What a host closure may return: results, or `Result` of results.
pub trait WasmRet {
    /// The result types.
    fn types() -> Vec<ValType>;
    /// Writes the results.
    fn into_results(self, out: &mut [Val]) -> Result<(), Error>;
}

impl<R: WasmResults> WasmRet for R {
    fn types() -> Vec<ValType> {
        R::types()
    }
    fn into_results(self, out: &mut [Val]) -> Result<(), Error> {
        self.into_vals(out);
        Ok(())
    }
}

impl<R: WasmResults> WasmRet for Result<R, Error> {
    fn types() -> Vec<ValType> {
        R::types()
    }
    fn into_results(self, out: &mut [Val]) -> Result<(), Error> {
        self?.into_vals(out);
        Ok(())
    }
}

/// A Rust closure usable as a host function (see [`Func::wrap`]).
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    /// The signature and the untyped host function.
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, HostFn<T>);
}

fn arg<A: WasmTy>(params: &[Val], i: usize) -> Result<A, Error> {
    params
        .get(i)
        .and_then(|v| A::from_val(*v))
        .ok_or_else(|| Error::usage("host function called with wrongly typed arguments"))
}

macro_rules! into_func {
    ($(($($a:ident $i:tt),*))*) => {$(
        impl<T, F, R, $($a,)*> IntoFunc<T, ($($a,)*), R> for F
        where
            F: Fn($($a),*) -> R + Send + Sync + 'static,
            R: WasmRet,
            $($a: WasmTy,)*
        {
            fn into_func(self) -> (FuncType, HostFn<T>) {
                let ty = FuncType::new([$($a::valtype()),*], R::types());
                #[allow(unused_variables)]
                let host = move |_c: Caller<'_, T>, params: &[Val], results: &mut [Val]| {
                    let r = self($(arg::<$a>(params, $i)?),*);
                    r.into_results(results)
                };
                (ty, Arc::new(host))
            }
        }
        impl<'c, T, F, R, $($a,)*> IntoFunc<T, (Caller<'c, T>, $($a,)*), R> for F
        where
            F: Fn(Caller<'_, T>, $($a),*) -> R + Send + Sync + 'static,
            R: WasmRet,
            $($a: WasmTy,)*
        {
            fn into_func(self) -> (FuncType, HostFn<T>) {
                let ty = FuncType::new([$($a::valtype()),*], R::types());
                #[allow(unused_variables)]
                let host = move |c: Caller<'_, T>, params: &[Val], results: &mut [Val]| {
                    let r = self(c, $(arg::<$a>(params, $i)?),*);
                    r.into_results(results)
                };
                (ty, Arc::new(host))
            }
        }
    )*};
}

into_func! {
    ()
    (A0 0)
    (A0 0, A1 1)
    (A0 0, A1 1, A2 2)
    (A0 0, A1 1, A2 2, A3 3)
    (A0 0, A1 1, A2 2, A3 3, A4 4)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10)
    (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11)
}

/// A function with a statically known signature; calls skip the per-call type checks.
pub struct TypedFunc<P, R> {
    func: Func,
    _marker: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    pub(crate) fn new(func: Func) -> Self {
        TypedFunc {
            func,
            _marker: PhantomData,
        }
    }

    /// The untyped function.
    pub fn func(&self) -> &Func {
        &self.func
    }

    /// Calls the function. Up to 8 parameters and results (16 cells: a `v128` takes two) need
    /// no heap allocation.
    pub fn call(&self, mut ctx: impl AsContextMut, params: P) -> Result<R, Error> {
        let store = ctx.as_context_mut().store;
        store.inner.check(self.func.store)?;
        let ty = store
            .inner
            .funcs
            .get(self.func.idx as usize)
            .map(|f| f.ty.clone())
            .ok_or_else(|| Error::usage("unknown function"))?;
        let n = ty.params.len().max(ty.results.len());
        // Cells: one per value, two per v128 (low half first).
        let nc = cells_len(&ty.params).max(cells_len(&ty.results));
        let mut small_vals = [Val::I32(0); 8];
        let mut small_cells = [0u64; 16];
        let (mut big_vals, mut big_cells);
        let vals: &mut [Val] = if n <= small_vals.len() {
            &mut small_vals[..n]
        } else {
            big_vals = vec![Val::I32(0); n];
            &mut big_vals
        };
        let cells: &mut [u64] = if nc <= small_cells.len() {
            &mut small_cells[..nc]
        } else {
            big_cells = vec![0u64; nc];
            &mut big_cells
        };
        params.write_vals(vals);
        write_vals(&store.inner, &vals[..ty.params.len()], |i, c| {
            if let Some(x) = cells.get_mut(i) {
                *x = c;
            }
        })?;
        invoke(store, self.func.idx, cells)?;
        let id = store.inner.id;
        let mut at = 0;
        for (v, t) in vals.iter_mut().zip(ty.results.iter()) {
            let lo = cells.get(at).copied().unwrap_or(0);
            *v = if *t == ValType::V128 {
                let hi = cells.get(at + 1).copied().unwrap_or(0);
                Val::V128(lo as u128 | (hi as u128) << 64)
            } else {
                cell_to_val(id, *t, lo)
            };
            at += cell_width(*t);
        }
        R::from_vals(&vals[..ty.results.len()]).ok_or_else(|| Error::usage("result type mismatch"))
    }
}
