//! wvm: a fast, safe, embeddable WebAssembly virtual machine.
//!
//! The embedding API mirrors wasmtime's: an [`Engine`] compiles [`Module`]s, a [`Store`] owns
//! runtime objects, [`Instance`]s come from [`Instance::new`] or a [`Linker`], and
//! [`Func`]/[`TypedFunc`] call into WebAssembly.
//!
//! ```
//! use wvm::{Engine, Linker, Module, Store};
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"
//!     (module (func (export "fac") (param i64) (result i64)
//!         (if (result i64) (i64.eqz (local.get 0))
//!             (then (i64.const 1))
//!             (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1))))))))
//! "#)?;
//! let mut store = Store::new(&engine, ());
//! let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
//! let fac = instance.get_typed_func::<i64, i64>(&store, "fac")?;
//! assert_eq!(fac.call(&mut store, 20)?, 2432902008176640000);
//! # Ok::<(), wvm::Error>(())
//! ```
//!
//! Internals: [`engine`] holds the op set, the translator and the executor; see
//! `docs/engine.md`.

#![warn(missing_docs)]

mod config;
pub mod debug;
pub mod engine;
mod error;
mod externals;
mod fuel;
mod func;
mod global;
mod instance;
mod limits;
mod linker;
mod memory;
mod module;
mod store;
mod table;
mod values;

pub use config::{CompilationMode, Config, Engine, InterruptHandle};
pub use error::{
    Error, ErrorKind, FrameInfo, Trap, TrapCode, WasmBacktrace, BACKTRACE_INNER_FRAMES,
    BACKTRACE_OUTER_FRAMES,
};
pub use externals::{Extern, ExternType};
pub use fuel::{ResumableCall, ResumableInvocation};
pub use func::{Caller, Func, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};
pub use global::Global;
pub use instance::Instance;
pub use limits::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
pub use linker::Linker;
pub use memory::Memory;
pub use module::{ExportType, ImportType, Module};
pub use store::{AsContext, AsContextMut, Store, StoreContext, StoreContextMut};
pub use table::Table;
pub use values::{ExternRef, Val};
pub use wvm_binary::{
    Features, FuncType, GlobalType, HeapType, Limits, MemoryType, RefType, TableType, ValType,
};
