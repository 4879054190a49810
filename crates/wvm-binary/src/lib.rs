//! The WebAssembly binary format for wvm.
//!
//! * [`types`], [`instr`], [`simd`] and [`module`]: the module IR (the seed's wasm-util `ast`).
//! * [`decode()`]: bytes → [`Module`], with spec-worded errors carrying byte offsets.
//! * [`encode()`]: [`Module`] → bytes (the seed's `emit`).
//! * [`builder`]: build modules in code.
//!
//! This crate has no dependencies and can be used (and fuzzed) on its own.

pub mod builder;
pub mod decode;
pub mod encode;
pub mod error;
pub mod features;
pub mod instr;
pub mod module;
pub mod reader;
pub mod simd;
pub mod types;

pub use builder::ModuleBuilder;
pub use decode::{
    code_end, decode, decode_deferred, decode_func_body, decode_skipping_bodies, func_body_reader,
};
pub use encode::encode;
pub use error::DecodeError;
pub use features::Features;
pub use instr::{BlockType, BrTable, Instr, LoadOp, MemArg, NumOp, StoreOp};
pub use module::*;
pub use types::*;
