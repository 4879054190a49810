//! The WebAssembly text format for wvm.
//!
//! * [`parse_wat`]: `.wat` text → binary, via the `wast`/`wat` parser, optionally accepting
//!   the pre-standard spellings (`get_local`, `anyfunc`, ...) through [`legacy`].
//! * [`print_module`]: module IR → valid `.wat` text (the seed's `repr`).
//! * [`listing()`]: a flat per-function instruction listing with byte offsets (the seed's
//!   `lbtext`).

pub mod keywords;
pub mod legacy;
pub mod listing;
pub mod parse;
pub mod print;

pub use listing::listing;
pub use parse::{parse_wat, TextError, TextOptions};
pub use print::print_module;
