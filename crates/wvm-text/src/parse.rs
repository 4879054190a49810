//! `.wat` text → binary module, via the `wast` parser that the `wat` crate wraps.
//!
//! The `wat` crate's own error type hides the error position, so this module drives the same
//! `wast` parser and encoder that `wat::parse_str` uses and keeps the span for
//! [`TextError`]'s line and column.
//!
//! Policy for legacy spellings (`get_local`, `anyfunc`, `i32.trunc_s/f32`, ...):
//! * `.wat` input: accepted when [`TextOptions::legacy_names`] is on (the CLI and
//!   `wvm::Module::new` turn it on for `.wat` files), by rewriting the keyword tokens first.
//! * `.wast` scripts stay strict: the spec's `obsolete-keywords.wast` requires the old names
//!   to be malformed. With `legacy_names` off, a legacy keyword is reported with its modern
//!   spelling, e.g. ``unknown operator `get_local` (renamed to `local.get`)``.

use core::fmt;

use wast::parser::{self, ParseBuffer};

use crate::legacy::{self, RenameKind};

/// Options for [`parse_wat`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Accept the pre-standard instruction and type spellings.
    pub legacy_names: bool,
}

impl TextOptions {
    /// Options for `.wat` files: legacy spellings accepted.
    pub fn wat_file() -> Self {
        TextOptions { legacy_names: true }
    }
}

/// A text-format error with its 1-based position in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextError {
    pub line: usize,
    pub column: usize,
    /// Byte offset in the input.
    pub offset: usize,
    pub message: String,
}

impl TextError {
    /// An error at byte `offset` of `text`; the column counts characters.
    pub fn at(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        TextError {
            line: before.matches('\n').count() + 1,
            column: before.get(line_start..).unwrap_or("").chars().count() + 1,
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for TextError {}

fn parse_modern(text: &str) -> Result<Vec<u8>, wast::Error> {
    let buf = ParseBuffer::new(text)?;
    let mut wat = parser::parse::<wast::Wat>(&buf)?;
    wat.encode()
}

/// Parses a `.wat` module (or component) to binary.
pub fn parse_wat(text: &str, opts: &TextOptions) -> Result<Vec<u8>, TextError> {
    if opts.legacy_names {
        let translated = legacy::translate(text);
        return parse_modern(&translated.text).map_err(|e| {
            let offset = translated.original_offset(e.span().offset());
            TextError::at(text, offset, e.message())
        });
    }
    parse_modern(text).map_err(|e| {
        let offset = e.span().offset();
        // A legacy keyword at or before the failure is the cause: name the modern spelling.
        if let Some(t) = legacy::find(text).into_iter().next() {
            if t.offset <= offset {
                let what = match t.rename.kind {
                    RenameKind::Operator => "operator",
                    RenameKind::Type => "type",
                };
                let msg = format!(
                    "unknown {what} `{}` (renamed to `{}`)",
                    t.legacy, t.rename.modern
                );
                return TextError::at(text, t.offset, msg);
            }
        }
        TextError::at(text, offset, e.message())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: TextOptions = TextOptions {
        legacy_names: false,
    };
    const LEGACY: TextOptions = TextOptions { legacy_names: true };

    #[test]
    fn modern_text_parses_in_both_modes() {
        let src = "(module (func (param i32) (result i32) local.get 0))";
        let a = parse_wat(src, &STRICT).unwrap();
        let b = parse_wat(src, &LEGACY).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..4], b"\0asm");
    }

    #[test]
    fn legacy_text_equals_modern_text() {
        let old = "(module (table 0 anyfunc) (global $g (mut i32) (i32.const 0))\n\
                   (func (param f32) (result i64)\n\
                   get_local 0 i32.trunc_s/f32 set_global $g\n\
                   get_global $g i64.extend_u/i32\n\
                   current_memory grow_memory drop drop))";
        let new = "(module (table 0 funcref) (global $g (mut i32) (i32.const 0))\n\
                   (func (param f32) (result i64)\n\
                   local.get 0 i32.trunc_f32_s global.set $g\n\
                   global.get $g i64.extend_i32_u\n\
                   memory.size memory.grow drop drop))";
        // (memory.size without a memory is invalid but still encodes; only bytes matter.)
        let modern = parse_wat(new, &STRICT).unwrap();
        assert_eq!(parse_wat(old, &LEGACY).unwrap(), modern);
    }

    #[test]
    fn strict_mode_names_the_modern_spelling() {
        let src = "(module\n  (func (param i32)\n    get_local 0 drop))";
        let e = parse_wat(src, &STRICT).unwrap_err();
        assert_eq!(
            e.message,
            "unknown operator `get_local` (renamed to `local.get`)"
        );
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(
            e.to_string(),
            "line 3, column 5: unknown operator `get_local` (renamed to `local.get`)"
        );
        let e = parse_wat("(module (table 0 anyfunc))", &STRICT).unwrap_err();
        assert_eq!(e.message, "unknown type `anyfunc` (renamed to `funcref`)");
        let e = parse_wat("(module (func f32.demote/f64))", &STRICT).unwrap_err();
        assert!(e.message.contains("`f32.demote_f64`"), "{e}");
    }

    #[test]
    fn errors_after_translation_point_into_the_input() {
        // Most renames keep the length; `current_memory` → `memory.size` shrinks by 3 bytes.
        let src = "(module (memory 1) (func current_memory current_memory\n bogus))";
        let e = parse_wat(src, &LEGACY).unwrap_err();
        assert_eq!((e.line, e.column), (2, 2), "{e}");
        assert_eq!(e.offset, src.find("bogus").unwrap());
    }

    #[test]
    fn other_errors_keep_the_parser_message() {
        let e = parse_wat("(module (func i32.bogus))", &STRICT).unwrap_err();
        assert!(e.message.contains("unknown operator"), "{e}");
        assert_eq!((e.line, e.column), (1, 15));
    }
}
