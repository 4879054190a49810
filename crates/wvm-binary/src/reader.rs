//! A byte cursor over a module binary with the specification's LEB128 rules.
//!
//! Every read is bounds-checked; errors carry the absolute byte offset and the spec
//! testsuite's wording.

use crate::error::DecodeError;

/// Message for reading past the end of the input.
pub const UNEXPECTED_END: &str = "unexpected end of section or function";

/// A cursor over `data`; positions are absolute offsets into `data`.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Message used when the input runs out.
    eof_msg: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            eof_msg: UNEXPECTED_END,
        }
    }

    /// A cursor over `data` that reports `msg` when it runs out.
    pub fn with_eof_message(data: &'a [u8], msg: &'static str) -> Self {
        Reader {
            data,
            pos: 0,
            eof_msg: msg,
        }
    }

    pub fn set_eof_message(&mut self, msg: &'static str) {
        self.eof_msg = msg;
    }

    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    #[inline]
    pub fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The whole input.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    pub fn error(&self, offset: usize, msg: impl Into<String>) -> DecodeError {
        DecodeError::new(offset, msg)
    }

    #[cold]
    fn eof(&self) -> DecodeError {
        DecodeError::new(self.data.len(), self.eof_msg)
    }

    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    #[inline]
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof()),
        }
    }

    /// `n` raw bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.eof());
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let s = self.bytes(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Moves the cursor to `pos` (at most the end of the input).
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.data.len());
    }

    /// Unsigned LEB128 of at most `bits` bits (`bits` ≤ 64).
    #[inline]
    fn unsigned(&mut self, bits: u32) -> Result<u64, DecodeError> {
        let max_bytes = bits.div_ceil(7);
        let mut result: u64 = 0;
        let mut shift = 0u32;
        let mut i = 0u32;
        loop {
            let at = self.pos;
            let b = self.u8()?;
            i += 1;
            if i == max_bytes {
                if b & 0x80 != 0 {
                    return Err(DecodeError::new(at, "integer representation too long"));
                }
                let used = bits - shift; // value bits carried by the last byte
                if used < 7 && (b >> used) != 0 {
                    return Err(DecodeError::new(at, "integer too large"));
                }
                result |= (b as u64) << shift;
                return Ok(result);
            }
            result |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(result);
            }
            shift += 7;
        }
    }

    /// Signed LEB128 of at most `bits` bits (`bits` ≤ 64), sign-extended to i64.
    #[inline]
    fn signed(&mut self, bits: u32) -> Result<i64, DecodeError> {
        let max_bytes = bits.div_ceil(7);
        let mut result: i64 = 0;
        let mut shift = 0u32;
        let mut i = 0u32;
        loop {
            let at = self.pos;
            let b = self.u8()?;
            i += 1;
            if i == max_bytes {
                if b & 0x80 != 0 {
                    return Err(DecodeError::new(at, "integer representation too long"));
                }
                let used = bits - shift; // value bits (including the sign) in the last byte
                if used < 7 {
                    // The unused high bits must all equal the sign bit.
                    let sign_and_rest = (b & 0x7f) >> (used - 1);
                    let all_ones = 0x7f >> (used - 1);
                    if sign_and_rest != 0 && sign_and_rest != all_ones {
                        return Err(DecodeError::new(at, "integer too large"));
                    }
                }
                result |= ((b & 0x7f) as i64) << shift;
                shift += 7;
                if shift < 64 {
                    result = (result << (64 - shift)) >> (64 - shift);
                }
                return Ok(result);
            }
            result |= ((b & 0x7f) as i64) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 {
                    result = (result << (64 - shift)) >> (64 - shift);
                }
                return Ok(result);
            }
        }
    }

    #[inline]
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        // Fast path: one byte.
        if let Some(&b) = self.data.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(b as u32);
            }
        }
        self.unsigned(32).map(|v| v as u32)
    }

    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        self.unsigned(64)
    }

    #[inline]
    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        // Fast path: one byte (-64..=63).
        if let Some(&b) = self.data.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(((b << 1) as i8 >> 1) as i32);
            }
        }
        self.signed(32).map(|v| v as i32)
    }

    pub fn i64(&mut self) -> Result<i64, DecodeError> {
        self.signed(64)
    }

    /// The signed 33-bit integer of a block type index.
    pub fn i33(&mut self) -> Result<i64, DecodeError> {
        self.signed(33)
    }

    pub fn f32_bits(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn f64_bits(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A length (vector count or byte size) that must fit in the remaining input:
    /// otherwise "length out of bounds".
    pub fn len32(&mut self) -> Result<u32, DecodeError> {
        let at = self.pos;
        let n = self.u32()?;
        if n as usize > self.remaining() {
            return Err(DecodeError::new(at, "length out of bounds"));
        }
        Ok(n)
    }

    /// A vector count (u32). Not checked against the input; callers cap pre-allocation
    /// with [`Reader::cap`].
    pub fn count(&mut self) -> Result<u32, DecodeError> {
        self.u32()
    }

    /// A safe pre-allocation size for `n` elements of at least `min_bytes` bytes each.
    pub fn cap(&self, n: u32, min_bytes: usize) -> usize {
        (n as usize).min(self.remaining() / min_bytes.max(1))
    }

    /// A UTF-8 name.
    pub fn name(&mut self) -> Result<String, DecodeError> {
        let n = self.len32()? as usize;
        let at = self.pos;
        let bytes = self.bytes(n)?;
        match core::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => Err(DecodeError::new(at, "malformed UTF-8 encoding")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_of(b: &[u8]) -> Result<u32, String> {
        let mut r = Reader::new(b);
        let v = r.u32().map_err(|e| e.message)?;
        assert_eq!(r.pos(), b.len(), "must consume exactly the encoding");
        Ok(v)
    }
    fn i32_of(b: &[u8]) -> Result<i32, String> {
        let mut r = Reader::new(b);
        let v = r.i32().map_err(|e| e.message)?;
        assert_eq!(r.pos(), b.len());
        Ok(v)
    }
    fn u64_of(b: &[u8]) -> Result<u64, String> {
        let mut r = Reader::new(b);
        let v = r.u64().map_err(|e| e.message)?;
        assert_eq!(r.pos(), b.len());
        Ok(v)
    }
    fn i64_of(b: &[u8]) -> Result<i64, String> {
        let mut r = Reader::new(b);
        let v = r.i64().map_err(|e| e.message)?;
        assert_eq!(r.pos(), b.len());
        Ok(v)
    }
    fn i33_of(b: &[u8]) -> Result<i64, String> {
        let mut r = Reader::new(b);
        let v = r.i33().map_err(|e| e.message)?;
        assert_eq!(r.pos(), b.len());
        Ok(v)
    }
    const LONG: &str = "integer representation too long";
    const LARGE: &str = "integer too large";

    #[test]
    fn u32_values() {
        assert_eq!(u32_of(&[0]), Ok(0));
        assert_eq!(u32_of(&[0x7f]), Ok(127));
        assert_eq!(u32_of(&[0x80, 0x01]), Ok(128));
        assert_eq!(u32_of(&[0xe5, 0x8e, 0x26]), Ok(624485));
        assert_eq!(u32_of(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Ok(u32::MAX));
        // Non-canonical but within 5 bytes: allowed.
        assert_eq!(u32_of(&[0x80, 0x80, 0x80, 0x80, 0x00]), Ok(0));
        assert_eq!(u32_of(&[0x81, 0x80, 0x00]), Ok(1));
    }

    #[test]
    fn u32_errors() {
        assert_eq!(
            u32_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
            Err(LONG.into())
        );
        assert_eq!(u32_of(&[0xff, 0xff, 0xff, 0xff, 0x1f]), Err(LARGE.into()));
        assert_eq!(u32_of(&[0x80, 0x80, 0x80, 0x80, 0x10]), Err(LARGE.into()));
        assert_eq!(u32_of(&[0x80, 0x80, 0x80, 0x80, 0x40]), Err(LARGE.into()));
        assert_eq!(u32_of(&[0x80]), Err(UNEXPECTED_END.into()));
        assert_eq!(u32_of(&[]), Err(UNEXPECTED_END.into()));
        let mut r = Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x10]);
        assert_eq!(
            r.u32().unwrap_err().offset,
            4,
            "error points at the offending byte"
        );
    }

    #[test]
    fn i32_values() {
        assert_eq!(i32_of(&[0]), Ok(0));
        assert_eq!(i32_of(&[0x7f]), Ok(-1));
        assert_eq!(i32_of(&[0x3f]), Ok(63));
        assert_eq!(i32_of(&[0x40]), Ok(-64));
        assert_eq!(i32_of(&[0xc0, 0x00]), Ok(64));
        assert_eq!(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x07]), Ok(i32::MAX));
        assert_eq!(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x78]), Ok(i32::MIN));
        assert_eq!(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x7f]), Ok(-1));
        assert_eq!(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x00]), Ok(0));
    }

    #[test]
    fn i32_errors() {
        assert_eq!(
            i32_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
            Err(LONG.into())
        );
        assert_eq!(
            i32_of(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
            Err(LONG.into())
        );
        assert_eq!(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x08]), Err(LARGE.into()));
        assert_eq!(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Err(LARGE.into()));
        assert_eq!(i32_of(&[0x80, 0x80, 0x80, 0x80, 0x70]), Err(LARGE.into()));
        assert_eq!(i32_of(&[0xff, 0xff, 0xff, 0xff, 0x4f]), Err(LARGE.into()));
        assert_eq!(i32_of(&[0xff]), Err(UNEXPECTED_END.into()));
    }

    #[test]
    fn u64_values_and_errors() {
        assert_eq!(u64_of(&[0]), Ok(0));
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(u64_of(&max), Ok(u64::MAX));
        let zero10 = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(u64_of(&zero10), Ok(0));
        let mut long = zero10.to_vec();
        long[9] = 0x80;
        long.push(0);
        assert_eq!(u64_of(&long), Err(LONG.into()));
        let mut large = max;
        large[9] = 0x02;
        assert_eq!(u64_of(&large), Err(LARGE.into()));
        large[9] = 0x7f;
        assert_eq!(u64_of(&large), Err(LARGE.into()));
    }

    #[test]
    fn i64_values_and_errors() {
        assert_eq!(i64_of(&[0x7f]), Ok(-1));
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
        assert_eq!(i64_of(&max), Ok(i64::MAX));
        let min = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
        assert_eq!(i64_of(&min), Ok(i64::MIN));
        let mut bad = max;
        bad[9] = 0x01;
        assert_eq!(i64_of(&bad), Err(LARGE.into()));
        bad[9] = 0x7e;
        assert_eq!(i64_of(&bad), Err(LARGE.into()));
        bad[9] = 0x41;
        assert_eq!(i64_of(&bad), Err(LARGE.into()));
        let mut long = max.to_vec();
        long[9] = 0xff;
        long.push(0x7f);
        assert_eq!(i64_of(&long), Err(LONG.into()));
        assert_eq!(i64_of(&[0xc0, 0xbb, 0x78]), Ok(-123456));
    }

    #[test]
    fn i33_values_and_errors() {
        assert_eq!(i33_of(&[0x40]), Ok(-64));
        assert_eq!(i33_of(&[0x05]), Ok(5));
        assert_eq!(i33_of(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Ok(u32::MAX as i64));
        assert_eq!(i33_of(&[0x80, 0x80, 0x80, 0x80, 0x70]), Ok(-(1i64 << 32)));
        assert_eq!(i33_of(&[0x80, 0x80, 0x80, 0x80, 0x10]), Err(LARGE.into()));
        assert_eq!(i33_of(&[0x80, 0x80, 0x80, 0x80, 0x60]), Err(LARGE.into()));
        assert_eq!(
            i33_of(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
            Err(LONG.into())
        );
    }

    #[test]
    fn floats_names_and_lengths() {
        let mut r = Reader::new(&[0x00, 0x00, 0xc0, 0x7f, 1, 2, 3]);
        assert_eq!(r.f32_bits().unwrap(), 0x7fc0_0000);
        assert_eq!(r.f32_bits().unwrap_err().message, UNEXPECTED_END);
        let mut r = Reader::new(&[2, b'h', b'i', 2, 0xff, 0xfe]);
        assert_eq!(r.name().unwrap(), "hi");
        let e = r.name().unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.offset),
            ("malformed UTF-8 encoding", 4)
        );
        let mut r = Reader::new(&[5, b'a']);
        assert_eq!(r.name().unwrap_err().message, "length out of bounds");
        let r = Reader::new(&[0; 10]);
        assert_eq!(r.cap(u32::MAX, 1), 10);
        assert_eq!(r.cap(3, 2), 3);
        let mut r = Reader::with_eof_message(&[], "unexpected end");
        assert_eq!(r.u8().unwrap_err().message, "unexpected end");
    }
}
