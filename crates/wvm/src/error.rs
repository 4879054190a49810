//! Errors and traps.
//!
//! Every failure the embedding API reports is an [`Error`]: a malformed binary, an invalid
//! module, a WAT syntax error, a link error, a [`Trap`] raised by WebAssembly code, or an error
//! returned by a host function.

use core::fmt;
use std::error::Error as StdError;

/// Why WebAssembly execution stopped abnormally.
///
/// `Display` prints the specification testsuite's wording (what `assert_trap` compares).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// `unreachable` was executed.
    Unreachable,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow or a float-to-integer truncation out of range.
    IntegerOverflow,
    /// Truncation of a NaN to an integer.
    InvalidConversionToInteger,
    /// A load, store or bulk memory operation outside the memory.
    MemoryOutOfBounds,
    /// A table access or bulk table operation outside the table.
    TableOutOfBounds,
    /// `call_indirect` with an index outside the table.
    UndefinedElement,
    /// `call_indirect` through a null table entry.
    UninitializedElement,
    /// `call_indirect` whose callee has a different signature.
    IndirectCallTypeMismatch,
    /// The call depth or value stack limit was reached.
    StackOverflow,
    /// A data segment did not fit the memory during instantiation.
    DataSegmentOutOfBounds,
    /// An element segment did not fit the table during instantiation.
    ElemSegmentOutOfBounds,
    /// Fuel metering ran out (reserved).
    OutOfFuel,
    /// Execution was interrupted by the embedder (reserved).
    Interrupted,
}

impl TrapCode {
    /// The specification's wording for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::InvalidConversionToInteger => "invalid conversion to integer",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::DataSegmentOutOfBounds => "out of bounds memory access",
            TrapCode::ElemSegmentOutOfBounds => "out of bounds table access",
            TrapCode::OutOfFuel => "all fuel consumed",
            TrapCode::Interrupted => "interrupted",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// One WebAssembly frame of a trap's backtrace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    /// Index of the function in its module's function index space.
    pub func_index: u32,
    /// The function's name from the module's `name` section, if any.
    pub func_name: Option<String>,
    /// Byte offset of the executing instruction in the module binary, when known.
    pub offset: Option<usize>,
}

impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.func_name {
            Some(n) => write!(f, "func {} ({n})", self.func_index)?,
            None => write!(f, "func {}", self.func_index)?,
        }
        if let Some(o) = self.offset {
            write!(f, " at offset {o:#x}")?;
        }
        Ok(())
    }
}

/// A trap: its code and the WebAssembly frames active when it happened (innermost first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    /// What went wrong.
    pub code: TrapCode,
    /// Active WebAssembly frames, innermost first.
    pub backtrace: Vec<FrameInfo>,
}

impl Trap {
    /// A trap without backtrace.
    pub fn new(code: TrapCode) -> Self {
        Trap {
            code,
            backtrace: Vec::new(),
        }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code)?;
        if !self.backtrace.is_empty() {
            f.write_str("\nwasm backtrace:")?;
            for (i, fr) in self.backtrace.iter().enumerate() {
                write!(f, "\n  {i}: {fr}")?;
            }
        }
        Ok(())
    }
}

impl StdError for Trap {}

/// The category of an [`Error`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The binary is malformed.
    Decode {
        /// Absolute byte offset.
        offset: usize,
        /// The spec testsuite's wording.
        message: String,
    },
    /// The module is invalid.
    Validation {
        /// Absolute byte offset.
        offset: usize,
        /// Function (index space) where the error was found, if in a body.
        func: Option<u32>,
        /// The spec testsuite's wording.
        message: String,
    },
    /// The WAT text could not be parsed.
    Text(String),
    /// Instantiation failed to resolve an import.
    Link(String),
    /// WebAssembly code trapped.
    Trap(Trap),
    /// An error from a host function or the embedder.
    Host(Box<dyn StdError + Send + Sync + 'static>),
    /// A usage error of the embedding API (wrong store, wrong types, unsupported feature).
    Usage(String),
}

/// The error type of every fallible wvm API.
pub struct Error {
    kind: Box<ErrorKind>,
}

#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Message {}

impl Error {
    /// An error of the given kind.
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            kind: Box::new(kind),
        }
    }

    /// Wraps an error returned by host code; get it back with [`Error::downcast_ref`].
    ///
    /// ```
    /// #[derive(Debug)]
    /// struct Exit(i32);
    /// impl std::fmt::Display for Exit {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "exit {}", self.0) }
    /// }
    /// impl std::error::Error for Exit {}
    /// let e = wvm::Error::host(Exit(3));
    /// assert_eq!(e.downcast_ref::<Exit>().map(|e| e.0), Some(3));
    /// ```
    pub fn host(e: impl StdError + Send + Sync + 'static) -> Self {
        Error::new(ErrorKind::Host(Box::new(e)))
    }

    /// A host error carrying just a message.
    pub fn msg(s: impl Into<String>) -> Self {
        Error::host(Message(s.into()))
    }

    pub(crate) fn usage(s: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage(s.into()))
    }

    pub(crate) fn link(s: impl Into<String>) -> Self {
        Error::new(ErrorKind::Link(s.into()))
    }

    pub(crate) fn trap(code: TrapCode) -> Self {
        Error::new(ErrorKind::Trap(Trap::new(code)))
    }

    /// What kind of error this is.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The trap, if WebAssembly code trapped.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.kind {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The trap code, if WebAssembly code trapped.
    pub fn trap_code(&self) -> Option<TrapCode> {
        self.as_trap().map(|t| t.code)
    }

    /// The host error of type `E`, if this error wraps one.
    pub fn downcast_ref<E: StdError + 'static>(&self) -> Option<&E> {
        match &*self.kind {
            ErrorKind::Host(b) => b.downcast_ref::<E>(),
            _ => None,
        }
    }

    /// The bare message without the category prefix (e.g. `"type mismatch"`), as the spec
    /// testsuite words it for decode, validation, link and trap errors.
    pub fn message(&self) -> String {
        match &*self.kind {
            ErrorKind::Decode { message, .. } | ErrorKind::Validation { message, .. } => {
                message.clone()
            }
            ErrorKind::Text(m) | ErrorKind::Link(m) | ErrorKind::Usage(m) => m.clone(),
            ErrorKind::Trap(t) => t.code.message().to_string(),
            ErrorKind::Host(e) => e.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ErrorKind::Decode { offset, message } => {
                write!(f, "decode error: {message} (at byte offset {offset:#x})")
            }
            ErrorKind::Validation {
                offset,
                func,
                message,
            } => {
                write!(f, "validation error: {message} (at byte offset {offset:#x}")?;
                if let Some(i) = func {
                    write!(f, ", in func {i}")?;
                }
                f.write_str(")")
            }
            ErrorKind::Text(m) => write!(f, "text error: {m}"),
            ErrorKind::Link(m) => write!(f, "link error: {m}"),
            ErrorKind::Trap(t) => t.fmt(f),
            ErrorKind::Host(e) => e.fmt(f),
            ErrorKind::Usage(m) => f.write_str(m),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &*self.kind {
            ErrorKind::Trap(t) => Some(t),
            ErrorKind::Host(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error::new(ErrorKind::Trap(t))
    }
}

impl From<TrapCode> for Error {
    fn from(c: TrapCode) -> Self {
        Error::trap(c)
    }
}

impl From<wvm_binary::DecodeError> for Error {
    fn from(e: wvm_binary::DecodeError) -> Self {
        Error::new(ErrorKind::Decode {
            offset: e.offset,
            message: e.message,
        })
    }
}

impl From<wvm_validate::ValidationError> for Error {
    fn from(e: wvm_validate::ValidationError) -> Self {
        Error::new(ErrorKind::Validation {
            offset: e.offset,
            func: e.func,
            message: e.message,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trap_display_has_spec_wording_and_backtrace() {
        let t = Trap {
            code: TrapCode::IntegerDivideByZero,
            backtrace: vec![FrameInfo {
                func_index: 2,
                func_name: Some("div".into()),
                offset: Some(0x2a),
            }],
        };
        let s = t.to_string();
        assert!(s.starts_with("wasm trap: integer divide by zero"), "{s}");
        assert!(s.contains("func 2 (div) at offset 0x2a"), "{s}");
        let e: Error = t.into();
        assert_eq!(e.trap_code(), Some(TrapCode::IntegerDivideByZero));
        assert_eq!(e.message(), "integer divide by zero");
    }

    #[test]
    fn error_is_send_sync_and_small() {
        fn check<T: Send + Sync + 'static>() {}
        check::<Error>();
        assert_eq!(core::mem::size_of::<Error>(), core::mem::size_of::<usize>());
    }
}
