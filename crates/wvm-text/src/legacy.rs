//! Pre-standard ("legacy") instruction and type spellings and their translation.
//!
//! Early WebAssembly toolchains (and the seed documents) wrote `get_local`, `anyfunc`,
//! `i32.trunc_s/f32` and so on; the standard text format renamed them in 2019 and the `wat`
//! crate rejects the old names. [`translate`] rewrites them on the token stream produced by
//! `wast::lexer::Lexer`: only keyword tokens are replaced, every other byte (strings,
//! comments, whitespace, identifiers, annotations) is copied unchanged.
//!
//! The renamed conversion operators are derived from the `wvm-binary` numeric table, so the
//! modern names are never written twice: `i32.trunc_f32_s` was `i32.trunc_s/f32`,
//! `f32x4.convert_i32x4_s` was `f32x4.convert_s/i32x4`,
//! `i32.trunc_sat_f32_s` was `i32.trunc_s:sat/f32`, `i32.wrap_i64` was `i32.wrap/i64`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use wast::lexer::{Lexer, TokenKind};
use wvm_binary::simd::SimdOp;
use wvm_binary::{NumOp, RefType};

use crate::keywords as kw;

/// What a legacy keyword named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameKind {
    /// An instruction (`get_local`, `i32.wrap/i64`, ...).
    Operator,
    /// A type (`anyfunc`).
    Type,
}

/// One renamed keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    pub modern: String,
    pub kind: RenameKind,
}

/// The legacy spelling of a numeric conversion operator, if it had one.
///
/// `t.op_SRC_s` was `t.op_s/SRC`, `t.trunc_sat_SRC_s` was `t.trunc_s:sat/SRC` and
/// `t.op_SRC` was `t.op/SRC`.
fn legacy_conversion_name(modern: &str) -> Option<String> {
    const VAL_TYPES: [&str; 4] = ["i32", "i64", "f32", "f64"];
    let (ty, op) = modern.split_once('.')?;
    let parts: Vec<&str> = op.split('_').collect();
    let is_ty = |s: &&str| VAL_TYPES.contains(s);
    match parts.as_slice() {
        [base @ .., src, sign] if (*sign == "s" || *sign == "u") && is_ty(src) => match base {
            [op, sat] if *sat == "sat" => Some(format!("{ty}.{op}_{sign}:sat/{src}")),
            [op] => Some(format!("{ty}.{op}_{sign}/{src}")),
            _ => None,
        },
        [op, src] if is_ty(src) => Some(format!("{ty}.{op}/{src}")),
        _ => None,
    }
}

/// The legacy spelling of a SIMD conversion: only `convert` was renamed this way
/// (`f32x4.convert_i32x4_s` was `f32x4.convert_s/i32x4`).
fn legacy_simd_name(modern: &str) -> Option<String> {
    let (ty, op) = modern.split_once('.')?;
    let parts: Vec<&str> = op.split('_').collect();
    match parts.as_slice() {
        ["convert", src, sign] if (*sign == "s" || *sign == "u") && src.contains('x') => {
            Some(format!("{ty}.convert_{sign}/{src}"))
        }
        _ => None,
    }
}

/// Every legacy keyword with its modern replacement.
pub fn renames() -> &'static HashMap<String, Rename> {
    static TABLE: OnceLock<HashMap<String, Rename>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let op = |modern: &str| Rename {
            modern: modern.to_string(),
            kind: RenameKind::Operator,
        };
        let mut t: HashMap<String, Rename> = [
            ("get_local", op(kw::LOCAL_GET)),
            ("set_local", op(kw::LOCAL_SET)),
            ("tee_local", op(kw::LOCAL_TEE)),
            ("get_global", op(kw::GLOBAL_GET)),
            ("set_global", op(kw::GLOBAL_SET)),
            ("current_memory", op(kw::MEMORY_SIZE)),
            ("grow_memory", op(kw::MEMORY_GROW)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        t.insert(
            "anyfunc".to_string(),
            Rename {
                modern: RefType::FUNCREF.to_string(),
                kind: RenameKind::Type,
            },
        );
        for n in NumOp::ALL {
            if let Some(legacy) = legacy_conversion_name(n.name()) {
                t.insert(legacy, op(n.name()));
            }
        }
        for n in SimdOp::ALL {
            if let Some(legacy) = legacy_simd_name(n.name()) {
                t.insert(legacy, op(n.name()));
            }
        }
        t
    })
}

/// The modern spelling of `keyword`, if it is a legacy one.
pub fn lookup(keyword: &str) -> Option<&'static Rename> {
    renames().get(keyword)
}

/// One replaced token: where it is in the translated text and where it was in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Edit {
    new_start: usize,
    new_len: usize,
    old_start: usize,
    old_len: usize,
}

/// The result of [`translate`]: the text to parse and a map back to input offsets.
#[derive(Clone, Debug)]
pub struct Translated<'a> {
    pub text: Cow<'a, str>,
    edits: Vec<Edit>,
}

impl Translated<'_> {
    /// Number of keywords that were rewritten.
    pub fn renamed(&self) -> usize {
        self.edits.len()
    }

    /// Maps a byte offset in the translated text back to the input text. An offset inside a
    /// replaced keyword maps to the start of the original keyword.
    pub fn original_offset(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for e in &self.edits {
            if offset < e.new_start {
                break;
            }
            if offset < e.new_start + e.new_len {
                return e.old_start;
            }
            shift += e.old_len as isize - e.new_len as isize;
        }
        offset.saturating_add_signed(shift)
    }
}

/// A legacy keyword found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyToken {
    /// Byte offset in the text.
    pub offset: usize,
    pub legacy: String,
    pub rename: &'static Rename,
}

/// Calls `f` for every keyword token until the end of the text or the first lexing error
/// (the parser reports lexing errors itself).
fn for_each_keyword(text: &str, mut f: impl FnMut(usize, &str)) {
    let lexer = Lexer::new(text);
    for token in lexer.iter(0) {
        let Ok(token) = token else { break };
        if token.kind == TokenKind::Keyword {
            f(token.offset, token.src(text));
        }
    }
}

/// All legacy keywords in `text`, in order.
pub fn find(text: &str) -> Vec<LegacyToken> {
    let mut found = Vec::new();
    for_each_keyword(text, |offset, src| {
        if let Some(rename) = lookup(src) {
            found.push(LegacyToken {
                offset,
                legacy: src.to_string(),
                rename,
            });
        }
    });
    found
}

/// Rewrites every legacy keyword token of `text` to its modern spelling. Everything else is
/// copied byte for byte. Returns the input unchanged (borrowed) when there is nothing to do.
pub fn translate(text: &str) -> Translated<'_> {
    let found = find(text);
    if found.is_empty() {
        return Translated {
            text: Cow::Borrowed(text),
            edits: Vec::new(),
        };
    }
    let mut out = String::with_capacity(text.len() + found.len() * 8);
    let mut edits = Vec::with_capacity(found.len());
    let mut copied = 0;
    for t in &found {
        // Keyword tokens lie on char boundaries and come in increasing order.
        out.push_str(text.get(copied..t.offset).unwrap_or_default());
        edits.push(Edit {
            new_start: out.len(),
            new_len: t.rename.modern.len(),
            old_start: t.offset,
            old_len: t.legacy.len(),
        });
        out.push_str(&t.rename.modern);
        copied = t.offset + t.legacy.len();
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Translated {
        text: Cow::Owned(out),
        edits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_names_are_derived_from_the_table() {
        let conversions: Vec<_> = renames()
            .iter()
            .filter(|(k, _)| k.contains('/') && !k.contains("x4"))
            .collect();
        // wrap, demote, promote, 4 reinterpret, 8 trunc, 2 extend, 8 convert, 8 trunc_sat.
        assert_eq!(conversions.len(), 33, "{conversions:?}");
        for (legacy, want) in [
            ("i32.wrap/i64", "i32.wrap_i64"),
            ("i32.trunc_s/f32", "i32.trunc_f32_s"),
            ("i32.trunc_u/f64", "i32.trunc_f64_u"),
            ("i64.extend_s/i32", "i64.extend_i32_s"),
            ("i64.extend_u/i32", "i64.extend_i32_u"),
            ("f32.convert_s/i32", "f32.convert_i32_s"),
            ("f64.convert_u/i64", "f64.convert_i64_u"),
            ("f32.demote/f64", "f32.demote_f64"),
            ("f64.promote/f32", "f64.promote_f32"),
            ("f32.reinterpret/i32", "f32.reinterpret_i32"),
            ("i32.reinterpret/f32", "i32.reinterpret_f32"),
            ("i64.reinterpret/f64", "i64.reinterpret_f64"),
            ("i32.trunc_s:sat/f32", "i32.trunc_sat_f32_s"),
            ("i64.trunc_u:sat/f64", "i64.trunc_sat_f64_u"),
        ] {
            assert_eq!(lookup(legacy).map(|r| r.modern.as_str()), Some(want));
        }
        assert_eq!(
            lookup("f32x4.convert_u/i32x4").map(|r| r.modern.as_str()),
            Some("f32x4.convert_i32x4_u")
        );
        assert!(lookup("f64x2.convert_low_s/i32x4").is_none());
        // Sign-extension operators never had a legacy spelling.
        assert!(renames().values().all(|r| r.modern != "i32.extend8_s"));
    }

    #[test]
    fn every_legacy_name_translates() {
        for (legacy, rename) in renames() {
            let src = format!("(func {legacy} ;; {legacy}\n)");
            let t = translate(&src);
            assert_eq!(t.renamed(), 1, "{legacy}");
            assert_eq!(
                t.text,
                format!("(func {} ;; {legacy}\n)", rename.modern),
                "{legacy}"
            );
        }
    }

    #[test]
    fn strings_comments_and_ids_are_untouched() {
        let src = "(module (; get_local ;) (data \"get_local anyfunc\")\n\
                   ;; set_local i32.wrap/i64\n\
                   (func $get_local (param $tee_local i32) (@name \"anyfunc\")\n\
                   get_local $tee_local\tdrop))";
        let t = translate(src);
        assert_eq!(t.renamed(), 1);
        assert_eq!(t.text, src.replacen("\nget_local", "\nlocal.get", 1));
        // `get_local` and `local.get` have the same length, so compare byte by byte: only the
        // keyword's bytes differ.
        let diff: Vec<usize> = src
            .bytes()
            .zip(t.text.bytes())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, _)| i)
            .collect();
        let at = src.find("\nget_local").unwrap() + 1;
        assert!(diff.iter().all(|&i| (at..at + 9).contains(&i)), "{diff:?}");
    }

    #[test]
    fn unchanged_text_is_borrowed() {
        let src = "(module (func local.get 0 drop))";
        assert!(matches!(translate(src).text, Cow::Borrowed(_)));
    }

    #[test]
    fn offsets_map_back_to_the_input() {
        let src = "(func i32.trunc_s:sat/f32 nop bogus)";
        let t = translate(src);
        let bogus_new = t.text.find("bogus").unwrap();
        assert_eq!(t.original_offset(bogus_new), src.find("bogus").unwrap());
        let inside = t.text.find("trunc_sat").unwrap();
        assert_eq!(t.original_offset(inside), src.find("i32.trunc").unwrap());
        assert_eq!(t.original_offset(2), 2);
    }

    #[test]
    fn lexing_errors_stop_translation_without_panicking() {
        let src = "(func get_local 0 \"unterminated";
        let t = translate(src);
        assert!(t.text.starts_with("(func local.get 0"));
        assert!(t.text.ends_with("\"unterminated"));
    }
}
