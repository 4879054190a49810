//! [`Store`]: owns every runtime object (functions, memories, tables, globals, instances,
//! host references) in arenas; the public types are handles (store id + index).

use crate::config::Engine;
use crate::engine::execute::Frame;
use crate::error::Error;
use crate::func::{Caller, HostFn};
use crate::module::{FuncRef, Module};
use crate::Extern;
use std::any::Any;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use wvm_binary::{FuncType, GlobalType, MemoryType, TableType};

/// Identifies a store; handles carry it so that use with another store is detected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct StoreId(u64);

static NEXT_STORE_ID: AtomicU64 = AtomicU64::new(1);

pub(crate) enum FuncKind {
    Wasm { instance: u32, code: FuncRef },
    Host(u32),
}

pub(crate) struct FuncEntity {
    pub ty: Arc<FuncType>,
    /// Engine-wide canonical signature id.
    pub type_id: u32,
    pub kind: FuncKind,
}

pub(crate) struct MemoryEntity {
    pub ty: MemoryType,
    pub data: Vec<u8>,
}

/// Largest number of 64 KiB pages a 32-bit memory can have.
pub(crate) const MAX_PAGES: u64 = 65536;

impl MemoryEntity {
    pub fn new(ty: MemoryType) -> Result<Self, Error> {
        let bytes = ty.limits.min.saturating_mul(ty.page_size());
        if ty.limits.min > MAX_PAGES || bytes > isize::MAX as u64 {
            return Err(Error::usage("memory minimum size too large"));
        }
        let data = zeroed_bytes(bytes as usize)
            .ok_or_else(|| Error::usage("out of memory allocating a linear memory"))?;
        Ok(MemoryEntity { ty, data })
    }

    pub fn pages(&self) -> u64 {
        self.data.len() as u64 / self.ty.page_size()
    }

    /// Grows by `delta` pages; returns the old size in pages, or `None` if not possible.
    pub fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        let max = self.ty.limits.max.unwrap_or(MAX_PAGES).min(MAX_PAGES);
        if new > max {
            return None;
        }
        let bytes = usize::try_from(new.checked_mul(self.ty.page_size())?).ok()?;
        if delta > 0 {
            self.data.try_reserve_exact(bytes - self.data.len()).ok()?;
            self.data.resize(bytes, 0);
        }
        self.ty.limits.min = new;
        Some(old)
    }
}

/// `n` zero bytes from the allocator's zeroed allocation (the OS provides the pages lazily,
/// so untouched memory costs nothing), or `None` if the allocation fails (no abort).
fn zeroed_bytes(n: usize) -> Option<Vec<u8>> {
    if n == 0 {
        return Some(Vec::new());
    }
    let layout = std::alloc::Layout::array::<u8>(n).ok()?;
    // SAFETY: `layout` has a non-zero size.
    let p = unsafe { std::alloc::alloc_zeroed(layout) };
    if p.is_null() {
        return None;
    }
    // SAFETY: `p` comes from the global allocator with the layout of `[u8; n]` (align 1, size
    // n, which is what `Vec<u8>` with capacity n uses), and all n bytes are initialized.
    Some(unsafe { Vec::from_raw_parts(p, n, n) })
}

pub(crate) struct TableEntity {
    pub ty: TableType,
    pub elems: Vec<u64>,
}

/// Largest table size this engine allocates.
pub(crate) const MAX_TABLE: u64 = 10_000_000;

impl TableEntity {
    pub fn new(ty: TableType, init: u64) -> Result<Self, Error> {
        if ty.limits.min > MAX_TABLE {
            return Err(Error::usage("table minimum size too large"));
        }
        Ok(TableEntity {
            ty,
            elems: vec![init; ty.limits.min as usize],
        })
    }

    /// Grows by `delta` elements set to `init`; returns the old size or `None`.
    pub fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta)?;
        let max = self.ty.limits.max.unwrap_or(u32::MAX as u64);
        if new > max || new > MAX_TABLE {
            return None;
        }
        self.elems.try_reserve_exact(delta as usize).ok()?;
        self.elems.resize(new as usize, init);
        self.ty.limits.min = new;
        Some(old)
    }
}

pub(crate) struct GlobalEntity {
    pub ty: GlobalType,
    pub value: u64,
    /// High 64 bits of a `v128` global (zero for other types).
    pub hi: u64,
}

pub(crate) struct InstanceEntity {
    pub module: Module,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    pub exports: Vec<(String, Extern)>,
    /// Element segments as cells; emptied by `elem.drop`.
    pub elems: Vec<Vec<u64>>,
    pub data_dropped: Vec<bool>,
}

/// The value stack: one allocation of 8-byte cells that never moves while the store lives,
/// accessed only through raw pointers by the executor.
pub(crate) struct ValueStack {
    ptr: NonNull<u64>,
    len: usize,
}

impl ValueStack {
    /// A zeroed stack of `len` cells (pages come lazily from the OS); `None` if out of memory.
    fn new(len: usize) -> Option<Self> {
        let len = len.max(1);
        let layout = std::alloc::Layout::array::<u64>(len).ok()?;
        // SAFETY: `layout` has a non-zero size.
        let p = unsafe { std::alloc::alloc_zeroed(layout) } as *mut u64;
        Some(ValueStack {
            ptr: NonNull::new(p)?,
            len,
        })
    }
}

impl Drop for ValueStack {
    fn drop(&mut self) {
        if let Ok(layout) = std::alloc::Layout::array::<u64>(self.len) {
            // SAFETY: `ptr` was allocated in `new` by the global allocator with exactly this
            // layout, and this is the only place that frees it.
            unsafe { std::alloc::dealloc(self.ptr.as_ptr() as *mut u8, layout) };
        }
    }
}

// SAFETY: the stack is exclusively owned by its store; the pointer is only dereferenced by
// code holding `&mut Store`.
unsafe impl Send for ValueStack {}
// SAFETY: `&ValueStack` gives no access to the cells.
unsafe impl Sync for ValueStack {}

/// The non-generic part of a store.
pub(crate) struct StoreInner {
    pub id: StoreId,
    pub engine: Engine,
    pub funcs: Vec<FuncEntity>,
    pub tables: Vec<TableEntity>,
    pub memories: Vec<MemoryEntity>,
    pub globals: Vec<GlobalEntity>,
    pub instances: Vec<InstanceEntity>,
    pub externrefs: Vec<Arc<dyn Any + Send + Sync>>,
    pub stack: Option<ValueStack>,
    /// First free value-stack cell (above the frames of active invocations).
    pub stack_top: usize,
    pub frames: Vec<Frame>,
    /// Nested executor invocations (host → wasm re-entry).
    pub depth: u32,
    /// Native stack address of the outermost active invocation.
    pub native_stack_base: usize,
    /// Fuel left (see `fuel.rs`).
    pub fuel: u64,
    /// The outermost call in progress is resumable: running out of fuel suspends it.
    pub resumable: bool,
    /// Registers of the call that ran out of fuel, for its `ResumableInvocation`.
    pub suspended: Option<crate::engine::execute::metering::Suspended>,
    /// Registers to continue from in the next `run` (set by `ResumableInvocation::resume`).
    pub resume_from: Option<crate::engine::execute::metering::Suspended>,
}

impl StoreInner {
    /// Errors unless a handle of store `id` belongs to this store.
    pub fn check(&self, id: StoreId) -> Result<(), Error> {
        if id == self.id {
            Ok(())
        } else {
            Err(Error::usage("object used with a different store"))
        }
    }

    /// The value stack's base pointer and length in cells (allocated on first use).
    pub fn stack_mut(&mut self) -> Result<(*mut u64, usize), Error> {
        if self.stack.is_none() {
            let cells = self.engine.config().max_value_stack_bytes / 8;
            self.stack = Some(
                ValueStack::new(cells)
                    .ok_or_else(|| Error::usage("out of memory allocating the value stack"))?,
            );
        }
        match &self.stack {
            Some(s) => Ok((s.ptr.as_ptr(), s.len)),
            None => Err(Error::usage("no value stack")),
        }
    }

    pub fn alloc_func(&mut self, ty: &FuncType, kind: FuncKind) -> u32 {
        let (type_id, ty) = self.engine.intern(ty);
        self.funcs.push(FuncEntity { ty, type_id, kind });
        (self.funcs.len() - 1) as u32
    }
}

/// Owns all runtime objects plus the embedder's data `T`.
///
/// ```
/// let engine = wvm::Engine::default();
/// let mut store = wvm::Store::new(&engine, 5u32);
/// *store.data_mut() += 1;
/// assert_eq!(*store.data(), 6);
/// ```
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) hosts: Vec<HostFn<T>>,
    /// Resource limiter accessor (see `limits.rs`).
    pub(crate) limiter: Option<crate::limits::LimiterFn<T>>,
    data: T,
}

impl<T> Store<T> {
    /// A new, empty store.
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            inner: StoreInner {
                id: StoreId(NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed)),
                engine: engine.clone(),
                funcs: Vec::new(),
                tables: Vec::new(),
                memories: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                externrefs: Vec::new(),
                stack: None,
                stack_top: 0,
                frames: Vec::new(),
                depth: 0,
                native_stack_base: 0,
                fuel: 0,
                resumable: false,
                suspended: None,
                resume_from: None,
            },
            hosts: Vec::new(),
            limiter: None,
            data,
        }
    }

    /// The embedder's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Consumes the store, returning the embedder's data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The engine this store uses.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
}

/// A shared borrow of a store.
pub struct StoreContext<'a, T> {
    pub(crate) store: &'a Store<T>,
}

/// An exclusive borrow of a store.
pub struct StoreContextMut<'a, T> {
    pub(crate) store: &'a mut Store<T>,
}

impl<T> StoreContext<'_, T> {
    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.store.data()
    }
    /// The engine.
    pub fn engine(&self) -> &Engine {
        self.store.engine()
    }
}

impl<T> StoreContextMut<'_, T> {
    /// The embedder's data.
    pub fn data(&self) -> &T {
        self.store.data()
    }
    /// The embedder's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }
    /// The engine.
    pub fn engine(&self) -> &Engine {
        self.store.engine()
    }
}

/// Anything that gives shared access to a store: `&Store<T>`, `&mut Store<T>`, `Caller`...
pub trait AsContext {
    /// The store's data type.
    type Data;
    /// Borrows the store.
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

/// Anything that gives exclusive access to a store.
pub trait AsContextMut: AsContext {
    /// Borrows the store exclusively.
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext { store: self }
    }
}
impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut { store: self }
    }
}
impl<C: AsContext + ?Sized> AsContext for &C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}
impl<C: AsContext + ?Sized> AsContext for &mut C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}
impl<C: AsContextMut + ?Sized> AsContextMut for &mut C {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, C::Data> {
        (**self).as_context_mut()
    }
}
impl<T> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext { store: self.store }
    }
}
impl<T> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext { store: self.store }
    }
}
impl<T> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut { store: self.store }
    }
}
impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext { store: self.store }
    }
}
impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut { store: self.store }
    }
}

impl<'a, T> From<&'a Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a Store<T>) -> Self {
        StoreContext { store }
    }
}
impl<'a, T> From<&'a mut Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContext { store }
    }
}
impl<'a, T> From<&'a Caller<'_, T>> for StoreContext<'a, T> {
    fn from(c: &'a Caller<'_, T>) -> Self {
        StoreContext { store: c.store }
    }
}
impl<'a, T> From<&'a mut Caller<'_, T>> for StoreContext<'a, T> {
    fn from(c: &'a mut Caller<'_, T>) -> Self {
        StoreContext { store: c.store }
    }
}
impl<'a, T> From<StoreContextMut<'a, T>> for StoreContext<'a, T> {
    fn from(c: StoreContextMut<'a, T>) -> Self {
        StoreContext { store: c.store }
    }
}
impl<'a, T> From<&'a StoreContextMut<'_, T>> for StoreContext<'a, T> {
    fn from(c: &'a StoreContextMut<'_, T>) -> Self {
        StoreContext { store: c.store }
    }
}
impl<'a, T> From<&'a mut Store<T>> for StoreContextMut<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContextMut { store }
    }
}
impl<'a, T> From<&'a mut Caller<'_, T>> for StoreContextMut<'a, T> {
    fn from(c: &'a mut Caller<'_, T>) -> Self {
        StoreContextMut { store: c.store }
    }
}
impl<'a, T> From<&'a mut StoreContextMut<'_, T>> for StoreContextMut<'a, T> {
    fn from(c: &'a mut StoreContextMut<'_, T>) -> Self {
        StoreContextMut { store: c.store }
    }
}
