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

/// Innermost frames a backtrace keeps when the stack is deeper than
/// [`BACKTRACE_INNER_FRAMES`] + [`BACKTRACE_OUTER_FRAMES`].
pub const BACKTRACE_INNER_FRAMES: usize = 64;
/// Outermost frames a backtrace keeps when the stack is deeper than
/// [`BACKTRACE_INNER_FRAMES`] + [`BACKTRACE_OUTER_FRAMES`].
pub const BACKTRACE_OUTER_FRAMES: usize = 16;

/// The WebAssembly frames active when an error happened, innermost first, bounded.
///
/// A deep stack (e.g. runaway recursion) keeps only its innermost
/// [`BACKTRACE_INNER_FRAMES`] and outermost [`BACKTRACE_OUTER_FRAMES`] frames;
/// `frames_omitted` counts the ones in between, which lie between
/// `frames[..BACKTRACE_INNER_FRAMES]` and the rest.
///
/// `Display` prints `wasm backtrace:` and one line per frame, numbered by the frame's depth
/// (0 = innermost), with runs of identical frames collapsed into one line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WasmBacktrace {
    /// The kept frames, innermost first.
    pub frames: Vec<FrameInfo>,
    /// How many frames were left out (between the inner and the outer kept frames).
    pub frames_omitted: usize,
}

impl WasmBacktrace {
    /// Number of active frames, including the omitted ones.
    pub fn depth(&self) -> usize {
        self.frames.len() + self.frames_omitted
    }
}

impl fmt::Display for WasmBacktrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_backtrace(f, &self.frames, self.frames_omitted)
    }
}

/// Writes `wasm backtrace:` and the frames (each line preceded by a newline except the
/// first), collapsing runs of identical frames; runs never span the omitted gap.
fn fmt_backtrace(f: &mut fmt::Formatter<'_>, frames: &[FrameInfo], omitted: usize) -> fmt::Result {
    f.write_str("wasm backtrace:")?;
    let gap = if omitted > 0 {
        BACKTRACE_INNER_FRAMES.min(frames.len())
    } else {
        frames.len()
    };
    let mut i = 0;
    while let Some(fr) = frames.get(i) {
        if i == gap {
            write!(f, "\n  ... {omitted} frames omitted")?;
        }
        let run_end = if i < gap { gap } else { frames.len() };
        let run = frames[i..run_end].iter().take_while(|g| *g == fr).count();
        let depth = if i < gap { i } else { i + omitted };
        write!(f, "\n  {depth}: {fr}")?;
        if run > 1 {
            write!(f, "\n  ... repeated {} more times", run - 1)?;
        }
        i += run.max(1);
    }
    Ok(())
}

/// A trap: its code and the WebAssembly frames active when it happened (innermost first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    /// What went wrong.
    pub code: TrapCode,
    /// Active WebAssembly frames, innermost first; bounded as described at [`WasmBacktrace`]
    /// (the first [`BACKTRACE_INNER_FRAMES`] entries, then `frames_omitted` left-out frames,
    /// then the outermost ones).
    pub backtrace: Vec<FrameInfo>,
    /// How many frames of a deep stack were left out of `backtrace`.
    pub frames_omitted: usize,
}

impl Trap {
    /// A trap without backtrace.
    pub fn new(code: TrapCode) -> Self {
        Trap {
            code,
            backtrace: Vec::new(),
            frames_omitted: 0,
        }
    }

    /// Number of frames that were active, including the omitted ones.
    pub fn depth(&self) -> usize {
        self.backtrace.len() + self.frames_omitted
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code)?;
        if !self.backtrace.is_empty() {
            f.write_str("\n")?;
            fmt_backtrace(f, &self.backtrace, self.frames_omitted)?;
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
    /// A host-side access to a linear memory ([`Memory::read`](crate::Memory::read),
    /// [`Memory::write`](crate::Memory::write), ...) outside the memory. Not a wasm trap.
    MemoryAccess {
        /// First byte accessed.
        offset: usize,
        /// Number of bytes accessed.
        len: usize,
        /// The memory's size in bytes.
        size: usize,
    },
}

/// The error type of every fallible wvm API.
///
/// An error that a host function returned (or that a host-side API call made inside one)
/// carries the backtrace of the WebAssembly frames active at that call as context: see
/// [`Error::wasm_backtrace`]. `Display` prints the error, then that backtrace.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    backtrace: Option<WasmBacktrace>,
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
            inner: Box::new(Inner {
                kind,
                backtrace: None,
            }),
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

    /// A host-side memory access out of bounds.
    pub(crate) fn memory_access(offset: usize, len: usize, size: usize) -> Self {
        Error::new(ErrorKind::MemoryAccess { offset, len, size })
    }

    /// A decode error of `bytes`, with a hint when the binary is the known pre-release
    /// version 0x0d that [`Config::allow_legacy_version`](crate::Config::allow_legacy_version)
    /// accepts. The spec wording stays first.
    pub(crate) fn decode(e: wvm_binary::DecodeError, bytes: &[u8]) -> Self {
        let mut err = Error::from(e);
        if let ErrorKind::Decode { message, .. } = &mut err.inner.kind {
            if message == "unknown binary version" && bytes.get(4..8) == Some(&[0x0d, 0, 0, 0]) {
                message.push_str(
                    " (version 0x0d is a pre-release of the format; enable \
                     Config::allow_legacy_version / --allow-legacy-version to accept it)",
                );
            }
        }
        err
    }

    /// Attaches `bt` as the error's wasm backtrace unless the error is a trap (which has its
    /// own) or already has one (from a more deeply nested activation).
    pub(crate) fn with_wasm_backtrace(mut self, bt: impl FnOnce() -> WasmBacktrace) -> Self {
        if self.inner.backtrace.is_none() && !matches!(self.inner.kind, ErrorKind::Trap(_)) {
            self.inner.backtrace = Some(bt());
        }
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The WebAssembly frames that were active when a host function returned this error
    /// (`None` for traps, whose frames are in [`Trap::backtrace`], and for errors raised
    /// outside WebAssembly execution).
    pub fn wasm_backtrace(&self) -> Option<&WasmBacktrace> {
        self.inner.backtrace.as_ref()
    }

    /// The trap, if WebAssembly code trapped.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &self.inner.kind {
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
        match &self.inner.kind {
            ErrorKind::Host(b) => b.downcast_ref::<E>(),
            _ => None,
        }
    }

    /// The bare message without the category prefix (e.g. `"type mismatch"`), as the spec
    /// testsuite words it for decode, validation, link and trap errors.
    pub fn message(&self) -> String {
        match &self.inner.kind {
            ErrorKind::Decode { message, .. } | ErrorKind::Validation { message, .. } => {
                message.clone()
            }
            ErrorKind::Text(m) | ErrorKind::Link(m) | ErrorKind::Usage(m) => m.clone(),
            ErrorKind::Trap(t) => t.code.message().to_string(),
            ErrorKind::Host(e) => e.to_string(),
            ErrorKind::MemoryAccess { offset, len, size } => {
                format!("memory access out of bounds: offset {offset} + {len} bytes > size {size}")
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_kind(f)?;
        if let Some(bt) = &self.inner.backtrace {
            write!(f, "\n{bt}")?;
        }
        Ok(())
    }
}

impl Error {
    fn fmt_kind(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.kind {
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
            ErrorKind::Trap(t) => fmt::Display::fmt(t, f),
            ErrorKind::Host(e) => fmt::Display::fmt(e, f),
            ErrorKind::Usage(m) => f.write_str(m),
            ErrorKind::MemoryAccess { .. } => f.write_str(&self.message()),
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
        match &self.inner.kind {
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
            frames_omitted: 0,
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
