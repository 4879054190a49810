//! The wvm engine as a [`Backend`](crate::backend::Backend). (Pending: the `wvm` crate's
//! embedding API has not landed yet; until then execution directives are skipped.)

use crate::backend::Backend;
use wvm_binary::Features;

/// Whether this build can execute scripts.
pub const AVAILABLE: bool = false;

/// A fresh backend for one script.
pub fn backend(_features: &Features) -> Result<Box<dyn Backend>, String> {
    Err("engine not available yet".to_string())
}

/// Whether the engine executes SIMD (the `simd` spec files are skipped otherwise).
pub fn supports_simd() -> bool {
    false
}
