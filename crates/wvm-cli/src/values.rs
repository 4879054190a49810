//! Command-line spellings of WebAssembly values: parsing `--invoke` arguments by parameter
//! type and printing results.

use wvm::{Val, ValType};

fn parse_int(s: &str) -> Option<i128> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let digits = digits.replace('_', "");
    let v = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => i128::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<i128>().ok()?,
    };
    Some(if neg { -v } else { v })
}

/// Parses a command-line argument as a value of type `t`. Integers may be signed or
/// unsigned (`-1` and `4294967295` are the same i32), decimal or `0x` hex.
pub fn parse_arg(s: &str, t: ValType) -> Result<Val, String> {
    match t {
        ValType::I32 => match parse_int(s) {
            Some(v) if (i128::from(i32::MIN)..=i128::from(u32::MAX)).contains(&v) => {
                Ok(Val::I32(v as u32 as i32))
            }
            _ => Err(format!("{s:?} is not an i32")),
        },
        ValType::I64 => match parse_int(s) {
            Some(v) if (i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&v) => {
                Ok(Val::I64(v as u64 as i64))
            }
            _ => Err(format!("{s:?} is not an i64")),
        },
        ValType::F32 => s
            .parse::<f32>()
            .map(|f| Val::F32(f.to_bits()))
            .map_err(|_| format!("{s:?} is not an f32")),
        ValType::F64 => s
            .parse::<f64>()
            .map(|f| Val::F64(f.to_bits()))
            .map_err(|_| format!("{s:?} is not an f64")),
        other => Err(format!(
            "parameters of type {other} cannot be given on the command line"
        )),
    }
}

/// Formats a result for printing.
pub fn format_val(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => f32::from_bits(*b).to_string(),
        Val::F64(b) => f64::from_bits(*b).to_string(),
        Val::V128(x) => format!("0x{x:032x}"),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "funcref".to_string(),
        Val::ExternRef(Some(_)) => "externref".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_signed_unsigned_hex_and_underscores() {
        assert!(matches!(parse_arg("-1", ValType::I32), Ok(Val::I32(-1))));
        assert!(matches!(
            parse_arg("4294967295", ValType::I32),
            Ok(Val::I32(-1))
        ));
        assert!(matches!(parse_arg("0x1_0", ValType::I64), Ok(Val::I64(16))));
        assert!(parse_arg("4294967296", ValType::I32).is_err());
        assert!(parse_arg("", ValType::I32).is_err());
        assert!(parse_arg("1.5", ValType::I64).is_err());
    }

    #[test]
    fn floats_round_trip_through_format() {
        let v = parse_arg("0.1", ValType::F64).map(|v| format_val(&v));
        assert_eq!(v.as_deref(), Ok("0.1"));
        let v = parse_arg("-inf", ValType::F32).map(|v| format_val(&v));
        assert_eq!(v.as_deref(), Ok("-inf"));
        assert!(parse_arg("x", ValType::F32).is_err());
    }
}
