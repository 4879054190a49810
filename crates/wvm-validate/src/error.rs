//! The validation error type.

use core::fmt;

/// Why a module is invalid, and where.
///
/// `message` uses the wording of the official spec testsuite ("type mismatch",
/// "unknown local 3", ...), so a test harness can compare it with an `assert_invalid`
/// directive by prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Byte offset of the offending instruction or construct in the binary; 0 when unknown
    /// (for example for modules built in code).
    pub offset: usize,
    /// Index of the function (in the function index space) whose body is invalid, if the
    /// error is inside a function body.
    pub func: Option<u32>,
    pub message: String,
}

impl ValidationError {
    pub fn new(message: impl Into<String>, offset: usize, func: Option<u32>) -> Self {
        ValidationError {
            offset,
            func,
            message: message.into(),
        }
    }

    /// An error outside function bodies.
    pub(crate) fn module(message: impl Into<String>, offset: usize) -> Self {
        ValidationError::new(message, offset, None)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match (self.func, self.offset) {
            (Some(func), 0) => write!(f, " (in function {func})"),
            (Some(func), off) => write!(f, " (in function {func} at byte offset {off:#x})"),
            (None, 0) => Ok(()),
            (None, off) => write!(f, " (at byte offset {off:#x})"),
        }
    }
}

impl std::error::Error for ValidationError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_includes_known_parts_only() {
        let e = ValidationError::new("type mismatch", 0x2a, Some(3));
        assert_eq!(
            e.to_string(),
            "type mismatch (in function 3 at byte offset 0x2a)"
        );
        let e = ValidationError::new("type mismatch", 0, Some(3));
        assert_eq!(e.to_string(), "type mismatch (in function 3)");
        let e = ValidationError::new("start function", 0x10, None);
        assert_eq!(e.to_string(), "start function (at byte offset 0x10)");
        let e = ValidationError::new("multiple memories", 0, None);
        assert_eq!(e.to_string(), "multiple memories");
    }
}
