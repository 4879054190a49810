//! Bounds-checked access to a guest's linear memory.
//!
//! Every WASI call receives guest pointers; a pointer or length that does not fit in the
//! memory gives `Errno::Fault` (EFAULT), never a host panic.

use crate::errno::{Errno, WasiResult};

/// A guest linear memory borrowed for the duration of one WASI call.
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// One `iovec`/`ciovec`: a guest buffer pointer and length (8 bytes in guest memory).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoVec {
    /// Guest address of the buffer.
    pub buf: u32,
    /// Length of the buffer in bytes.
    pub len: u32,
}

/// Size of an `iovec` in guest memory.
pub const IOVEC_SIZE: u32 = 8;

impl<'a> GuestMemory<'a> {
    /// Wraps the bytes of a linear memory.
    pub fn new(bytes: &'a mut [u8]) -> Self {
        GuestMemory { bytes }
    }

    /// Memory size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the memory has no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn range(&self, ptr: u32, len: u32) -> WasiResult<std::ops::Range<usize>> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        if end > self.bytes.len() {
            return Err(Errno::Fault);
        }
        Ok(start..end)
    }

    /// The guest bytes `[ptr, ptr+len)`.
    pub fn slice(&self, ptr: u32, len: u32) -> WasiResult<&[u8]> {
        let r = self.range(ptr, len)?;
        self.bytes.get(r).ok_or(Errno::Fault)
    }

    /// The guest bytes `[ptr, ptr+len)`, writable.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> WasiResult<&mut [u8]> {
        let r = self.range(ptr, len)?;
        self.bytes.get_mut(r).ok_or(Errno::Fault)
    }

    fn array<const N: usize>(&self, ptr: u32) -> WasiResult<[u8; N]> {
        let s = self.slice(ptr, N as u32)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Reads a byte.
    pub fn read_u8(&self, ptr: u32) -> WasiResult<u8> {
        Ok(self.array::<1>(ptr)?[0])
    }

    /// Reads a little-endian u16.
    pub fn read_u16(&self, ptr: u32) -> WasiResult<u16> {
        Ok(u16::from_le_bytes(self.array(ptr)?))
    }

    /// Reads a little-endian u32.
    pub fn read_u32(&self, ptr: u32) -> WasiResult<u32> {
        Ok(u32::from_le_bytes(self.array(ptr)?))
    }

    /// Reads a little-endian u64.
    pub fn read_u64(&self, ptr: u32) -> WasiResult<u64> {
        Ok(u64::from_le_bytes(self.array(ptr)?))
    }

    /// Writes bytes at `ptr`.
    pub fn write_bytes(&mut self, ptr: u32, data: &[u8]) -> WasiResult<()> {
        let len = u32::try_from(data.len()).map_err(|_| Errno::Fault)?;
        self.slice_mut(ptr, len)?.copy_from_slice(data);
        Ok(())
    }

    /// Writes a byte.
    pub fn write_u8(&mut self, ptr: u32, v: u8) -> WasiResult<()> {
        self.write_bytes(ptr, &[v])
    }

    /// Writes a little-endian u16.
    pub fn write_u16(&mut self, ptr: u32, v: u16) -> WasiResult<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    /// Writes a little-endian u32.
    pub fn write_u32(&mut self, ptr: u32, v: u32) -> WasiResult<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    /// Writes a little-endian u64.
    pub fn write_u64(&mut self, ptr: u32, v: u64) -> WasiResult<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    /// Reads an array of `count` iovecs at `ptr`. The whole array is bounds-checked before
    /// anything is allocated, so the allocation is bounded by the memory size.
    pub fn iovecs(&self, ptr: u32, count: u32) -> WasiResult<Vec<IoVec>> {
        let total = count.checked_mul(IOVEC_SIZE).ok_or(Errno::Fault)?;
        let raw = self.slice(ptr, total)?;
        Ok(raw
            .chunks_exact(IOVEC_SIZE as usize)
            .map(|c| IoVec {
                buf: u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                len: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
            })
            .collect())
    }

    /// Checks that every iovec lies inside memory and returns the total length (saturating at
    /// `u32::MAX`, which no single call can transfer anyway).
    pub fn check_iovecs(&self, iovs: &[IoVec]) -> WasiResult<u64> {
        let mut total = 0u64;
        for v in iovs {
            self.range(v.buf, v.len)?;
            total += u64::from(v.len);
        }
        Ok(total)
    }

    /// Copies a guest string (path, argument) out of memory. WASI strings are not
    /// NUL-terminated; they must be valid UTF-8.
    pub fn read_string(&self, ptr: u32, len: u32) -> WasiResult<String> {
        let bytes = self.slice(ptr, len)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| Errno::Ilseq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_round_trips_are_little_endian() {
        let mut buf = vec![0u8; 32];
        let mut m = GuestMemory::new(&mut buf);
        m.write_u16(0, 0x1234).unwrap();
        m.write_u32(4, 0xdead_beef).unwrap();
        m.write_u64(8, 0x0102_0304_0506_0708).unwrap();
        m.write_u8(16, 0xaa).unwrap();
        assert_eq!(m.read_u16(0), Ok(0x1234));
        assert_eq!(m.read_u32(4), Ok(0xdead_beef));
        assert_eq!(m.read_u64(8), Ok(0x0102_0304_0506_0708));
        assert_eq!(m.read_u8(16), Ok(0xaa));
        assert_eq!(&buf[0..2], &[0x34, 0x12]);
        assert_eq!(buf[8], 0x08);
    }

    #[test]
    fn out_of_bounds_is_efault() {
        let mut buf = vec![0u8; 16];
        let mut m = GuestMemory::new(&mut buf);
        assert_eq!(m.read_u32(13), Err(Errno::Fault));
        assert_eq!(m.read_u32(12), Ok(0));
        assert_eq!(m.read_u64(u32::MAX), Err(Errno::Fault));
        assert_eq!(m.write_u64(9, 1), Err(Errno::Fault));
        assert_eq!(m.write_u8(16, 1), Err(Errno::Fault));
        assert_eq!(m.slice(0, 17).map(|s| s.len()), Err(Errno::Fault));
        assert_eq!(m.slice(16, 0).map(|s| s.len()), Ok(0));
        assert_eq!(m.slice(17, 0).map(|s| s.len()), Err(Errno::Fault));
        assert_eq!(
            m.slice(u32::MAX, u32::MAX).map(|s| s.len()),
            Err(Errno::Fault)
        );
        // Nothing was written by the failed writes.
        assert!(buf.iter().all(|&b| b == 0));
    }

    #[test]
    fn iovec_arrays_are_checked_before_allocation() {
        let mut buf = vec![0u8; 64];
        let mut m = GuestMemory::new(&mut buf);
        m.write_u32(0, 40).unwrap();
        m.write_u32(4, 8).unwrap();
        m.write_u32(8, 60).unwrap();
        m.write_u32(12, 8).unwrap();
        let v = m.iovecs(0, 2).unwrap();
        assert_eq!(
            v,
            vec![IoVec { buf: 40, len: 8 }, IoVec { buf: 60, len: 8 }]
        );
        assert_eq!(m.check_iovecs(&v[..1]), Ok(8));
        assert_eq!(m.check_iovecs(&v), Err(Errno::Fault));
        assert_eq!(m.iovecs(0, u32::MAX).map(|v| v.len()), Err(Errno::Fault));
        assert_eq!(m.iovecs(0, 9).map(|v| v.len()), Err(Errno::Fault));
        assert_eq!(m.iovecs(0, 8).map(|v| v.len()), Ok(8));
    }

    #[test]
    fn strings_must_be_utf8() {
        let mut buf = b"hello\xff".to_vec();
        let m = GuestMemory::new(&mut buf);
        assert_eq!(m.read_string(0, 5).as_deref(), Ok("hello"));
        assert_eq!(m.read_string(0, 6), Err(Errno::Ilseq));
        assert_eq!(m.read_string(2, 5), Err(Errno::Fault));
    }
}
