//! The decoder's error type.

use core::fmt;

/// A malformed binary: what is wrong (in the spec testsuite's wording) and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Absolute byte offset in the module binary.
    pub offset: usize,
    pub message: String,
}

impl DecodeError {
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        DecodeError {
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte offset {:#x})", self.message, self.offset)
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_includes_message_and_hex_offset() {
        let e = DecodeError::new(0x1f, "unexpected end");
        assert_eq!(e.to_string(), "unexpected end (at byte offset 0x1f)");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.to_string().starts_with("unexpected end"));
    }
}
