//! What the runner needs from an engine, as a small trait.
//!
//! The runner's logic (which directive expects what) does not depend on the engine's API;
//! [`crate::engine`] adapts the `wvm` embedding API to this trait.

use crate::values::Value;

/// Index of an instance created by a [`Backend`].
pub type InstanceId = usize;

/// Why an engine operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecError {
    /// The engine refused to compile the module.
    Compile(String),
    /// Imports could not be resolved or did not match.
    Link(String),
    /// Execution trapped. `exhausted` is set for call-stack exhaustion.
    Trap { message: String, exhausted: bool },
    /// Anything else (missing export, wrong argument count, host error, ...).
    Other(String),
}

impl ExecError {
    pub fn message(&self) -> &str {
        match self {
            ExecError::Compile(m) | ExecError::Link(m) | ExecError::Other(m) => m,
            ExecError::Trap { message, .. } => message,
        }
    }
}

impl core::fmt::Display for ExecError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ExecError::Compile(m) => write!(f, "compile error: {m}"),
            ExecError::Link(m) => write!(f, "link error: {m}"),
            ExecError::Trap { message, .. } => write!(f, "trap: {message}"),
            ExecError::Other(m) => f.write_str(m),
        }
    }
}

/// An engine able to instantiate modules and call into them. One backend lives for one
/// script; it owns the store, the registered instances and the `spectest` module.
pub trait Backend {
    /// Compiles and instantiates `bytes` (already decoded and validated by the runner),
    /// resolving imports against `spectest` and every registered instance.
    fn instantiate(&mut self, bytes: &[u8]) -> Result<InstanceId, ExecError>;
    /// Makes the exports of `instance` importable under the module name `name`.
    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), ExecError>;
    /// Calls the exported function `func` of `instance`.
    fn invoke(
        &mut self,
        instance: InstanceId,
        func: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, ExecError>;
    /// Reads the exported global `name` of `instance`.
    fn get_global(&mut self, instance: InstanceId, name: &str) -> Result<Value, ExecError>;
}
