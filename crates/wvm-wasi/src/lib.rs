//! WASI preview 1 (`wasi_snapshot_preview1`) for wvm.
//!
//! Two layers:
//! * a host-side implementation over plain Rust values: [`WasiCtx`] (built with
//!   [`WasiCtxBuilder`]) has one method per WASI call, taking a [`GuestMemory`] (the guest's
//!   linear memory, bounds-checked) and the call's integer arguments, returning
//!   `Result<_, Errno>`. It is usable and testable without the engine.
//! * [`add_to_linker`] (feature `preview1`, on by default) registers every
//!   `wasi_snapshot_preview1` function in a `wvm::Linker`.
//!
//! Sandbox: the guest sees only the directories given with
//! [`WasiCtxBuilder::preopen_dir`]. Every path is resolved through cap-std relative to such a
//! directory, so `..`, absolute paths and symbolic links never reach outside it.
//!
//! See [`add_to_linker`] for a complete example.

#![deny(missing_docs)]

mod clock;
mod ctx;
mod errno;
mod fd;
mod filestat;
mod mem;
mod path;
mod poll;
#[cfg(feature = "preview1")]
mod preview1;
mod stdio;
pub mod types;

pub use ctx::{WasiCtx, WasiCtxBuilder};
pub use errno::{Errno, WasiResult};
pub use mem::{GuestMemory, IoVec};
#[cfg(feature = "preview1")]
pub use preview1::{add_to_linker, MODULE};
pub use stdio::OutputBuffer;

/// The guest called `proc_exit(code)`. [`add_to_linker`]'s `proc_exit` returns a `wvm::Error`
/// carrying this value; embedders find it with `downcast_ref::<I32Exit>()` and end the process
/// with the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct I32Exit(pub i32);

impl std::fmt::Display for I32Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "guest exited with status {}", self.0)
    }
}

impl std::error::Error for I32Exit {}
