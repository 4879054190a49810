//! [`Memory`]: a linear memory handle.

use crate::error::Error;
use crate::store::{AsContext, AsContextMut, MemoryEntity, StoreContext, StoreContextMut, StoreId};
use wvm_binary::MemoryType;

/// A linear memory owned by a store.
///
/// ```
/// let mut store = wvm::Store::new(&wvm::Engine::default(), ());
/// let mem = wvm::Memory::new(&mut store, wvm::MemoryType::new(1, Some(2)))?;
/// mem.write(&mut store, 6, &[0xd2, 0x04])?;
/// let mut buf = [0u8; 2];
/// mem.read(&store, 6, &mut buf)?;
/// assert_eq!(buf, [0xd2, 0x04]);
/// assert_eq!(mem.grow(&mut store, 1)?, 1);
/// assert!(mem.grow(&mut store, 1).is_err());
/// # Ok::<(), wvm::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) store: StoreId,
    pub(crate) idx: u32,
}

/// The host-side out-of-bounds error (`ErrorKind::MemoryAccess`), not a wasm trap.
fn oob(offset: usize, len: usize, size: usize) -> Error {
    Error::memory_access(offset, len, size)
}

/// `data[offset..offset + len]`, or the out-of-bounds error naming the numbers.
fn range(data: &[u8], offset: usize, len: usize) -> Result<core::ops::Range<usize>, Error> {
    match offset.checked_add(len) {
        Some(end) if end <= data.len() => Ok(offset..end),
        _ => Err(oob(offset, len, data.len())),
    }
}

impl Memory {
    /// Creates a memory of the given type, zero-filled.
    pub fn new(mut ctx: impl AsContextMut, ty: MemoryType) -> Result<Memory, Error> {
        let inner = &mut ctx.as_context_mut().store.inner;
        inner.memories.push(MemoryEntity::new(ty)?);
        Ok(Memory {
            store: inner.id,
            idx: (inner.memories.len() - 1) as u32,
        })
    }

    fn entity<'a, T>(&self, ctx: &'a StoreContext<'_, T>) -> Option<&'a MemoryEntity> {
        if ctx.store.inner.id != self.store {
            return None;
        }
        ctx.store.inner.memories.get(self.idx as usize)
    }

    fn entity_mut<'a, T>(
        &self,
        store: &'a mut crate::Store<T>,
    ) -> Result<&'a mut MemoryEntity, Error> {
        store.inner.check(self.store)?;
        store
            .inner
            .memories
            .get_mut(self.idx as usize)
            .ok_or_else(|| Error::usage("unknown memory"))
    }

    /// The memory's current type (its minimum is the current size). A memory of another store
    /// reports an empty type.
    pub fn ty(&self, ctx: impl AsContext) -> MemoryType {
        let c = ctx.as_context();
        self.entity(&c)
            .map(|m| m.ty)
            .unwrap_or(MemoryType::new(0, Some(0)))
    }

    /// Current size in pages (0 for a memory of another store).
    pub fn size(&self, ctx: impl AsContext) -> u64 {
        let c = ctx.as_context();
        self.entity(&c).map(|m| m.pages()).unwrap_or(0)
    }

    /// Current size in bytes (0 for a memory of another store).
    pub fn data_size(&self, ctx: impl AsContext) -> usize {
        let c = ctx.as_context();
        self.entity(&c).map(|m| m.data.len()).unwrap_or(0)
    }

    /// The memory's bytes (empty for a memory of another store).
    pub fn data<'a, T: 'a>(&self, ctx: impl Into<StoreContext<'a, T>>) -> &'a [u8] {
        let store = ctx.into().store;
        if store.inner.id != self.store {
            return &[];
        }
        store
            .inner
            .memories
            .get(self.idx as usize)
            .map(|m| m.data.as_slice())
            .unwrap_or(&[])
    }

    /// The memory's bytes, mutably (empty for a memory of another store).
    pub fn data_mut<'a, T: 'a>(&self, ctx: impl Into<StoreContextMut<'a, T>>) -> &'a mut [u8] {
        let store = ctx.into().store;
        match self.entity_mut(store) {
            Ok(m) => m.data.as_mut_slice(),
            Err(_) => &mut [],
        }
    }

    /// Copies `buf.len()` bytes at `offset` into `buf`.
    ///
    /// Out of bounds is an [`ErrorKind::MemoryAccess`](crate::ErrorKind::MemoryAccess) error
    /// giving the offset, length and memory size (not a wasm trap).
    pub fn read(&self, ctx: impl AsContext, offset: usize, buf: &mut [u8]) -> Result<(), Error> {
        let c = ctx.as_context();
        c.store.inner.check(self.store)?;
        let data = self.entity(&c).map(|m| m.data.as_slice()).unwrap_or(&[]);
        let r = range(data, offset, buf.len())?;
        if let Some(src) = data.get(r) {
            buf.copy_from_slice(src);
        }
        Ok(())
    }

    /// Copies `buf` to `offset`; out of bounds is an
    /// [`ErrorKind::MemoryAccess`](crate::ErrorKind::MemoryAccess) error (and nothing is
    /// written).
    pub fn write(
        &self,
        mut ctx: impl AsContextMut,
        offset: usize,
        buf: &[u8],
    ) -> Result<(), Error> {
        let m = self.entity_mut(ctx.as_context_mut().store)?;
        let r = range(&m.data, offset, buf.len())?;
        if let Some(dst) = m.data.get_mut(r) {
            dst.copy_from_slice(buf);
        }
        Ok(())
    }

    /// Grows by `delta` pages; returns the old size in pages, or an error if not possible.
    pub fn grow(&self, mut ctx: impl AsContextMut, delta: u64) -> Result<u64, Error> {
        let store = ctx.as_context_mut().store;
        if store.limiter.is_some() {
            store.inner.check(self.store)?;
            if !crate::limits::memory_may_grow(store, self.idx as usize, delta)? {
                return Err(Error::usage(
                    "failed to grow memory: refused by the resource limiter",
                ));
            }
        }
        let m = self.entity_mut(store)?;
        m.grow(delta)
            .ok_or_else(|| Error::usage("failed to grow memory"))
    }

    /// Reads a NUL-terminated UTF-8 string starting at `addr` (lossy for invalid UTF-8).
    ///
    /// A start past the end, or no NUL before the end, is an
    /// [`ErrorKind::MemoryAccess`](crate::ErrorKind::MemoryAccess) error (its `len` counts the
    /// bytes scanned plus the missing terminator).
    pub fn read_cstr(&self, ctx: impl AsContext, addr: usize) -> Result<String, Error> {
        let c = ctx.as_context();
        c.store.inner.check(self.store)?;
        let data = self.entity(&c).map(|m| m.data.as_slice()).unwrap_or(&[]);
        let tail = data.get(addr..).ok_or_else(|| oob(addr, 1, data.len()))?;
        let len = tail
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| oob(addr, tail.len() + 1, data.len()))?;
        Ok(String::from_utf8_lossy(tail.get(..len).unwrap_or_default()).into_owned())
    }

    /// Reads `len` bytes at `ptr` as a UTF-8 string (lossy for invalid UTF-8); out of bounds
    /// is an [`ErrorKind::MemoryAccess`](crate::ErrorKind::MemoryAccess) error.
    pub fn read_str(&self, ctx: impl AsContext, ptr: usize, len: usize) -> Result<String, Error> {
        let c = ctx.as_context();
        c.store.inner.check(self.store)?;
        let data = self.entity(&c).map(|m| m.data.as_slice()).unwrap_or(&[]);
        let r = range(data, ptr, len)?;
        Ok(String::from_utf8_lossy(data.get(r).unwrap_or_default()).into_owned())
    }
}
