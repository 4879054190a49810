//! Script values: converting `invoke` arguments and matching `assert_return` expectations.
//!
//! [`Value`] is the runner's own picture of a WebAssembly value, independent of the engine,
//! so the matching rules (exact bits, NaN classes per lane, reference kinds) are pure logic.

use core::fmt;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// What a null reference is a null of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Func,
    Extern,
    Other,
}

/// A WebAssembly value as the runner sees it. Floats are kept as raw bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    /// A null reference.
    Null(RefKind),
    /// A non-null function reference.
    Func,
    /// A non-null external reference; the number is the host value when it is a `u32`
    /// (as `ref.extern N` creates), `None` for other host data.
    Extern(Option<u32>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::I32(v) => write!(f, "i32:{v}"),
            Value::I64(v) => write!(f, "i64:{v}"),
            Value::F32(b) => write!(f, "f32:{} (0x{b:08x})", f32::from_bits(*b)),
            Value::F64(b) => write!(f, "f64:{} (0x{b:016x})", f64::from_bits(*b)),
            Value::V128(v) => write!(f, "v128:0x{v:032x}"),
            Value::Null(k) => write!(f, "ref.null {k:?}"),
            Value::Func => f.write_str("ref.func"),
            Value::Extern(Some(n)) => write!(f, "ref.extern {n}"),
            Value::Extern(None) => f.write_str("ref.extern ?"),
        }
    }
}

fn heap_kind(h: &HeapType<'_>) -> RefKind {
    match h {
        HeapType::Abstract {
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
            ..
        } => RefKind::Func,
        HeapType::Abstract {
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
            ..
        } => RefKind::Extern,
        _ => RefKind::Other,
    }
}

/// Converts an `invoke` argument.
pub fn arg_value(arg: &WastArg<'_>) -> Result<Value, String> {
    let WastArg::Core(core) = arg else {
        return Err("component-model arguments are not supported".into());
    };
    Ok(match core {
        WastArgCore::I32(v) => Value::I32(*v),
        WastArgCore::I64(v) => Value::I64(*v),
        WastArgCore::F32(v) => Value::F32(v.bits),
        WastArgCore::F64(v) => Value::F64(v.bits),
        WastArgCore::V128(v) => Value::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(h) => Value::Null(heap_kind(h)),
        WastArgCore::RefExtern(n) => Value::Extern(Some(*n)),
        WastArgCore::RefHost(_) => return Err("ref.host arguments are not supported".into()),
    })
}

fn f32_matches(p: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(p: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(p: &V128Pattern, v: u128) -> bool {
    let b = v.to_le_bytes();
    let lane = |i: usize, n: usize| -> u64 {
        let mut x = 0u64;
        for k in 0..n {
            x |= u64::from(b.get(i * n + k).copied().unwrap_or(0)) << (8 * k);
        }
        x
    };
    match p {
        V128Pattern::I8x16(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 1) == u64::from(*e as u8)),
        V128Pattern::I16x8(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 2) == u64::from(*e as u16)),
        V128Pattern::I32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 4) == u64::from(*e as u32)),
        V128Pattern::I64x2(l) => l.iter().enumerate().all(|(i, e)| lane(i, 8) == *e as u64),
        V128Pattern::F32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| f32_matches(e, lane(i, 4) as u32)),
        V128Pattern::F64x2(l) => l
            .iter()
            .enumerate()
            .all(|(i, e)| f64_matches(e, lane(i, 8))),
    }
}

fn core_matches(expected: &WastRetCore<'_>, actual: &Value) -> Result<bool, String> {
    Ok(match (expected, actual) {
        (WastRetCore::I32(e), Value::I32(a)) => e == a,
        (WastRetCore::I64(e), Value::I64(a)) => e == a,
        (WastRetCore::F32(p), Value::F32(a)) => f32_matches(p, *a),
        (WastRetCore::F64(p), Value::F64(a)) => f64_matches(p, *a),
        (WastRetCore::V128(p), Value::V128(a)) => v128_matches(p, *a),
        (WastRetCore::RefNull(None), Value::Null(_)) => true,
        (WastRetCore::RefNull(Some(h)), Value::Null(k)) => {
            let want = heap_kind(h);
            want == RefKind::Other || *k == RefKind::Other || want == *k
        }
        (WastRetCore::RefExtern(None), Value::Extern(_)) => true,
        (WastRetCore::RefExtern(Some(e)), Value::Extern(a)) => Some(*e) == *a,
        (WastRetCore::RefFunc(_), Value::Func) => true,
        (WastRetCore::Either(cases), a) => {
            for c in cases {
                if core_matches(c, a)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::RefHost(_)
            | WastRetCore::RefAny
            | WastRetCore::RefEq
            | WastRetCore::RefArray
            | WastRetCore::RefStruct
            | WastRetCore::RefI31
            | WastRetCore::RefI31Shared,
            _,
        ) => return Err(format!("unsupported expected value {expected:?}")),
        _ => false,
    })
}

/// Whether `actual` matches the expected result (NaN patterns per value and per lane).
pub fn matches(expected: &WastRet<'_>, actual: &Value) -> Result<bool, String> {
    match expected {
        WastRet::Core(c) => core_matches(c, actual),
        #[allow(unreachable_patterns)]
        _ => Err("component-model results are not supported".into()),
    }
}

/// Checks a whole result list; `Err` describes the first mismatch.
pub fn check_results(expected: &[WastRet<'_>], actual: &[Value]) -> Result<(), String> {
    if expected.len() != actual.len() {
        return Err(format!(
            "expected {} results, got {}: [{}]",
            expected.len(),
            actual.len(),
            list(actual)
        ));
    }
    for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
        if !matches(e, a)? {
            return Err(format!(
                "result {i}: expected {}, got {a} (all results: [{}])",
                describe(e),
                list(actual)
            ));
        }
    }
    Ok(())
}

fn list(vals: &[Value]) -> String {
    vals.iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(e: &WastRet<'_>) -> String {
    match e {
        WastRet::Core(WastRetCore::I32(v)) => format!("i32:{v}"),
        WastRet::Core(WastRetCore::I64(v)) => format!("i64:{v}"),
        WastRet::Core(WastRetCore::F32(NanPattern::Value(v))) => Value::F32(v.bits).to_string(),
        WastRet::Core(WastRetCore::F64(NanPattern::Value(v))) => Value::F64(v.bits).to_string(),
        WastRet::Core(WastRetCore::RefNull(_)) => "ref.null".to_string(),
        WastRet::Core(WastRetCore::RefExtern(Some(n))) => format!("ref.extern {n}"),
        WastRet::Core(WastRetCore::RefExtern(None)) => "ref.extern".to_string(),
        WastRet::Core(WastRetCore::RefFunc(_)) => "ref.func".to_string(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wast::parser::{self, ParseBuffer};

    /// Parses `(assert_return (invoke "f") RESULTS...)` and checks `actual` against it.
    fn check(results: &str, actual: &[Value]) -> Result<(), String> {
        let text = format!("(assert_return (invoke \"f\") {results})");
        let buf = ParseBuffer::new(&text).map_err(|e| e.to_string())?;
        let wast = parser::parse::<wast::Wast>(&buf).map_err(|e| e.to_string())?;
        match wast.directives.first() {
            Some(wast::WastDirective::AssertReturn { results, .. }) => {
                check_results(results, actual)
            }
            _ => Err("not an assert_return".into()),
        }
    }

    #[test]
    fn integers_and_exact_floats() {
        assert!(check("(i32.const -1)", &[Value::I32(-1)]).is_ok());
        assert!(check("(i32.const -1)", &[Value::I32(1)]).is_err());
        assert!(check("(i64.const 5)", &[Value::I32(5)]).is_err());
        assert!(check("(f32.const 1.5)", &[Value::F32(1.5f32.to_bits())]).is_ok());
        // -0 and +0 differ bitwise.
        assert!(check("(f64.const -0)", &[Value::F64(0)]).is_err());
        assert!(check("(i32.const 1) (i32.const 2)", &[Value::I32(1)]).is_err());
    }

    #[test]
    fn nan_classes() {
        assert!(check("(f32.const nan:canonical)", &[Value::F32(0xffc0_0000)]).is_ok());
        assert!(check("(f32.const nan:canonical)", &[Value::F32(0x7fc0_0001)]).is_err());
        assert!(check("(f32.const nan:arithmetic)", &[Value::F32(0x7fc0_0001)]).is_ok());
        assert!(check("(f32.const nan:arithmetic)", &[Value::F32(0x7f80_0001)]).is_err());
        assert!(check(
            "(f64.const nan:canonical)",
            &[Value::F64(0x7ff8_0000_0000_0000)]
        )
        .is_ok());
        assert!(check(
            "(f64.const nan:arithmetic)",
            &[Value::F64(0x7ff0_0000_0000_0001)]
        )
        .is_err());
        // A specific NaN payload must match exactly.
        assert!(check("(f32.const nan:0x200000)", &[Value::F32(0x7fa0_0000)]).is_ok());
        assert!(check("(f32.const nan:0x200000)", &[Value::F32(0x7fc0_0000)]).is_err());
    }

    #[test]
    fn v128_lanes() {
        let v = u128::from_le_bytes({
            let mut b = [0u8; 16];
            b[..4].copy_from_slice(&1i32.to_le_bytes());
            b[4..8].copy_from_slice(&(-2i32).to_le_bytes());
            b[8..12].copy_from_slice(&0x7fc0_0000u32.to_le_bytes());
            b[12..].copy_from_slice(&2.0f32.to_bits().to_le_bytes());
            b
        });
        assert!(check(
            "(v128.const i32x4 1 -2 0x7fc00000 0x40000000)",
            &[Value::V128(v)]
        )
        .is_ok());
        assert!(check("(v128.const i32x4 1 -2 0 0x40000000)", &[Value::V128(v)]).is_err());
        assert!(check(
            "(v128.const f32x4 1.4e-45 nan:canonical nan:canonical 2.0)",
            &[Value::V128(v)]
        )
        .is_err());
        // -2 as f32 bits (0xfffffffe) is an arithmetic NaN, not a canonical one.
        assert!(check(
            "(v128.const f32x4 1.4e-45 nan:arithmetic nan:canonical 2.0)",
            &[Value::V128(v)]
        )
        .is_ok());
        let canon_lanes = v & !0xffff_ffff_ffff_ffffu128 | 0x7fc0_0000_7fc0_0000;
        assert!(check(
            "(v128.const f32x4 nan:canonical nan:arithmetic nan:canonical 2.0)",
            &[Value::V128(canon_lanes)]
        )
        .is_ok());
    }

    #[test]
    fn references() {
        assert!(check("(ref.null func)", &[Value::Null(RefKind::Func)]).is_ok());
        assert!(check("(ref.null extern)", &[Value::Null(RefKind::Func)]).is_err());
        assert!(check("(ref.null func)", &[Value::Func]).is_err());
        assert!(check("(ref.extern 3)", &[Value::Extern(Some(3))]).is_ok());
        assert!(check("(ref.extern 3)", &[Value::Extern(Some(4))]).is_err());
        assert!(check("(ref.extern)", &[Value::Extern(None)]).is_ok());
        assert!(check("(ref.func)", &[Value::Func]).is_ok());
        assert!(check("(ref.func)", &[Value::Null(RefKind::Func)]).is_err());
    }
}
