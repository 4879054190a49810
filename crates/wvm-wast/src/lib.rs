//! A runner for WebAssembly spec-test scripts (`.wast`), shared by `cargo test` (the
//! official testsuite in `tests/spec.rs`) and the `wvm wast` command.
//!
//! Scripts are parsed with the `wast` crate; modules given as text are turned into binaries
//! by `wast`'s own encoder, then decoded and validated by wvm. Directives that execute code
//! run on the wvm engine through a small [`backend::Backend`] adapter, with the standard
//! `spectest` host module available for imports.
//!
//! Nothing a script does makes the runner panic: every directive yields an
//! [`report::Outcome`] and a failure in one file never stops the others.

pub mod backend;
pub mod engine;
pub mod report;
pub mod runner;
pub mod spectest;
pub mod values;

pub use report::{FileReport, Note, Outcome, Totals};
pub use runner::{check_module, message_matches, WastRunner};
pub use values::Value;
