//! Literals of the text format: floats (exact, as hex floats), strings and identifiers.

/// Text of a float from its bit pattern, exact in both directions: NaN payloads as
/// `nan:0x..` (`nan` for the canonical one), `inf`, and finite values as hex floats.
fn float_text(bits: u64, exp_bits: u32, mant_bits: u32) -> String {
    let sign = if (bits >> (exp_bits + mant_bits)) & 1 == 1 {
        "-"
    } else {
        ""
    };
    let exp_max = (1u64 << exp_bits) - 1;
    let exp = (bits >> mant_bits) & exp_max;
    let mant = bits & ((1u64 << mant_bits) - 1);
    if exp == exp_max {
        return if mant == 0 {
            format!("{sign}inf")
        } else if mant == 1u64 << (mant_bits - 1) {
            format!("{sign}nan")
        } else {
            format!("{sign}nan:{mant:#x}")
        };
    }
    if exp == 0 && mant == 0 {
        return format!("{sign}0x0p+0");
    }
    let bias = (1i64 << (exp_bits - 1)) - 1;
    let (lead, e) = if exp == 0 {
        (0, 1 - bias)
    } else {
        (1, exp as i64 - bias)
    };
    // Left-align the fraction on a hex digit boundary and drop trailing zero digits.
    let pad = (4 - mant_bits % 4) % 4;
    let digits = ((mant_bits + pad) / 4) as usize;
    let frac = format!("{:0digits$x}", mant << pad);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}0x{lead}p{e:+}")
    } else {
        format!("{sign}0x{lead}.{frac}p{e:+}")
    }
}

/// `f32.const` operand for the bit pattern `bits`.
pub fn f32_text(bits: u32) -> String {
    float_text(bits as u64, 8, 23)
}

/// `f64.const` operand for the bit pattern `bits`.
pub fn f64_text(bits: u64) -> String {
    float_text(bits, 11, 52)
}

/// Appends `bytes` as a quoted string: printable ASCII as is, everything else as `\hh`.
pub fn write_bytes(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                out.push('\\');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
    out.push('"');
}

/// A string literal for a name (UTF-8 bytes of non-ASCII characters are escaped, so no
/// "confusing" Unicode reaches the parser).
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_bytes(&mut out, s.as_bytes());
    out
}

/// A name quoted for use inside a block comment: like [`string`], with `(`, `)` and `;`
/// escaped too so the name cannot open or close a comment.
pub fn comment_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '(' | ')' | ';' => out.push_str(&format!("\\{:02x}", c as u32)),
            _ => {
                let mut buf = [0u8; 4];
                let quoted = string(c.encode_utf8(&mut buf));
                let inner = quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"'));
                out.push_str(inner.unwrap_or_default());
            }
        }
    }
    out.push('"');
    out
}

/// Whether `$name` is a valid plain identifier of the text format.
pub fn is_id(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'/'
                        | b':'
                        | b'<'
                        | b'='
                        | b'>'
                        | b'?'
                        | b'@'
                        | b'\\'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats() {
        assert_eq!(f32_text(1.0f32.to_bits()), "0x1p+0");
        assert_eq!(f32_text((-1.5f32).to_bits()), "-0x1.8p+0");
        assert_eq!(f32_text(0.0f32.to_bits()), "0x0p+0");
        assert_eq!(f32_text((-0.0f32).to_bits()), "-0x0p+0");
        assert_eq!(f32_text(f32::INFINITY.to_bits()), "inf");
        assert_eq!(f32_text(f32::NEG_INFINITY.to_bits()), "-inf");
        assert_eq!(f32_text(0x7fc0_0000), "nan");
        assert_eq!(f32_text(0xffc0_0000), "-nan");
        assert_eq!(f32_text(0x7f80_0001), "nan:0x1");
        assert_eq!(f32_text(0xffa0_0000), "-nan:0x200000");
        assert_eq!(f32_text(1), "0x0.000002p-126");
        assert_eq!(f32_text(f32::MAX.to_bits()), "0x1.fffffep+127");
        assert_eq!(f64_text(0.1f64.to_bits()), "0x1.999999999999ap-4");
        assert_eq!(f64_text(1), "0x0.0000000000001p-1022");
        assert_eq!(f64_text(0x7ff8_0000_0000_0000), "nan");
        assert_eq!(f64_text(0x7ff0_0000_0000_0001), "nan:0x1");
    }

    #[test]
    fn floats_parse_back_to_the_same_bits() {
        let f32s = [
            1u32,
            0x0080_0000,
            0x3eaa_aaab,
            0x7f7f_ffff,
            0x8000_0001,
            0x7fa0_0001,
        ];
        let f64s = [
            1u64,
            0x3fd5_5555_5555_5555,
            0x7fef_ffff_ffff_ffff,
            0xfff0_0000_0000_0001,
        ];
        let mut src = String::from("(module (func");
        for b in f32s {
            src += &format!(" f32.const {} drop", f32_text(b));
        }
        for b in f64s {
            src += &format!(" f64.const {} drop", f64_text(b));
        }
        src += "))";
        let bin = wat::parse_str(&src).unwrap();
        // Every constant's little-endian bits appear in the code in order.
        let mut want = Vec::new();
        for b in f32s {
            want.push(0x43);
            want.extend_from_slice(&b.to_le_bytes());
            want.push(0x1a);
        }
        for b in f64s {
            want.push(0x44);
            want.extend_from_slice(&b.to_le_bytes());
            want.push(0x1a);
        }
        assert!(bin.windows(want.len()).any(|w| w == want.as_slice()));
    }

    #[test]
    fn strings_and_ids() {
        let mut s = String::new();
        write_bytes(&mut s, b"hi \"x\"\\\0\xff\n");
        assert_eq!(s, r#""hi \"x\"\\\00\ff\0a""#);
        assert_eq!(string("é"), r#""\c3\a9""#);
        assert_eq!(comment_string("a;)b(;\""), r#""a\3b\29b\28\3b\"""#);
        assert!(is_id("hello_world.1"));
        assert!(!is_id("has space"));
        assert!(!is_id(""));
        assert!(!is_id("quote\""));
    }
}
