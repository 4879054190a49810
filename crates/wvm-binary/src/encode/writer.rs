//! A byte sink with canonical (shortest) LEB128.

/// Output buffer for the encoder.
#[derive(Default, Debug, Clone)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Writer { buf: Vec::new() }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    #[inline]
    pub fn u64(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(b);
                return;
            }
            self.buf.push(b | 0x80);
        }
    }

    #[inline]
    pub fn u32(&mut self, v: u32) {
        self.u64(u64::from(v));
    }

    #[inline]
    pub fn i64(&mut self, mut v: i64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            let done = (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0);
            if done {
                self.buf.push(b);
                return;
            }
            self.buf.push(b | 0x80);
        }
    }

    #[inline]
    pub fn i32(&mut self, v: i32) {
        self.i64(i64::from(v));
    }

    /// A length-prefixed UTF-8 name.
    pub fn name(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.bytes(s.as_bytes());
    }

    /// `payload` preceded by its length.
    pub fn sized(&mut self, payload: &[u8]) {
        self.u32(payload.len() as u32);
        self.bytes(payload);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::Reader;

    #[test]
    fn canonical_leb_roundtrips() {
        for v in [0u32, 1, 63, 64, 127, 128, 16383, 16384, 624485, u32::MAX] {
            let mut w = Writer::new();
            w.u32(v);
            let b = w.into_bytes();
            assert_eq!(
                b.len(),
                (32 - v.leading_zeros()).max(1).div_ceil(7) as usize
            );
            assert_eq!(Reader::new(&b).u32().unwrap(), v);
        }
        for v in [0i64, -1, 63, -64, 64, -65, i64::MAX, i64::MIN, -123456] {
            let mut w = Writer::new();
            w.i64(v);
            let b = w.into_bytes();
            assert_eq!(Reader::new(&b).i64().unwrap(), v);
        }
        for v in [0i32, -1, i32::MAX, i32::MIN, 1 << 20] {
            let mut w = Writer::new();
            w.i32(v);
            let b = w.into_bytes();
            assert_eq!(Reader::new(&b).i32().unwrap(), v);
        }
        let mut w = Writer::new();
        w.i32(-64);
        assert_eq!(w.into_bytes(), vec![0x40]);
        let mut w = Writer::new();
        w.i32(64);
        assert_eq!(w.into_bytes(), vec![0xc0, 0x00]);
    }
}
