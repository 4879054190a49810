//! Resource limits: a [`ResourceLimiter`] the store consults when instances, memories and
//! tables are created and whenever a memory or table grows.

use crate::error::Error;
use crate::store::Store;
use wvm_binary::Module as Ir;

/// Decides whether memories and tables may grow and how many objects a store may hold.
///
/// Installed with [`Store::limiter`]. A refused `memory.grow`/`table.grow` executed by
/// WebAssembly returns -1 to the guest; an error returned here traps the running code.
pub trait ResourceLimiter {
    /// A memory wants to grow from `current` to `desired` bytes (`maximum` from its type).
    /// Also called with `current == 0` when a memory is created.
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, Error>;

    /// A table wants to grow from `current` to `desired` elements.
    /// Also called with `current == 0` when a table is created.
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, Error>;

    /// Largest number of instances in the store.
    fn instances(&self) -> usize {
        DEFAULT_COUNT
    }

    /// Largest number of tables in the store.
    fn tables(&self) -> usize {
        DEFAULT_COUNT
    }

    /// Largest number of memories in the store.
    fn memories(&self) -> usize {
        DEFAULT_COUNT
    }
}

/// Default object count limit.
pub const DEFAULT_COUNT: usize = 10_000;

/// The accessor installed by [`Store::limiter`].
pub(crate) type LimiterFn<T> =
    Box<dyn FnMut(&mut T) -> &mut (dyn ResourceLimiter) + Send + Sync + 'static>;

/// A ready-made [`ResourceLimiter`] with fixed limits; build it with [`StoreLimitsBuilder`].
#[derive(Clone, Debug)]
pub struct StoreLimits {
    memory_size: Option<usize>,
    table_elements: Option<usize>,
    instances: usize,
    tables: usize,
    memories: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            memory_size: None,
            table_elements: None,
            instances: DEFAULT_COUNT,
            tables: DEFAULT_COUNT,
            memories: DEFAULT_COUNT,
        }
    }
}

impl ResourceLimiter for StoreLimits {
    fn memory_growing(
        &mut self,
        _: usize,
        desired: usize,
        _: Option<usize>,
    ) -> Result<bool, Error> {
        Ok(self.memory_size.is_none_or(|m| desired <= m))
    }
    fn table_growing(&mut self, _: usize, desired: usize, _: Option<usize>) -> Result<bool, Error> {
        Ok(self.table_elements.is_none_or(|m| desired <= m))
    }
    fn instances(&self) -> usize {
        self.instances
    }
    fn tables(&self) -> usize {
        self.tables
    }
    fn memories(&self) -> usize {
        self.memories
    }
}

/// Builds [`StoreLimits`].
///
/// ```
/// let limits = wvm::StoreLimitsBuilder::new().memory_size(1 << 20).instances(2).build();
/// let mut store = wvm::Store::new(&wvm::Engine::default(), limits);
/// store.limiter(|l| l);
/// ```
#[derive(Clone, Debug, Default)]
pub struct StoreLimitsBuilder(StoreLimits);

impl StoreLimitsBuilder {
    /// No limits beyond the default object counts (10,000 each).
    pub fn new() -> Self {
        Self::default()
    }
    /// Largest size of each linear memory, in bytes.
    pub fn memory_size(mut self, bytes: usize) -> Self {
        self.0.memory_size = Some(bytes);
        self
    }
    /// Largest number of elements of each table.
    pub fn table_elements(mut self, n: usize) -> Self {
        self.0.table_elements = Some(n);
        self
    }
    /// Largest number of instances.
    pub fn instances(mut self, n: usize) -> Self {
        self.0.instances = n;
        self
    }
    /// Largest number of tables.
    pub fn tables(mut self, n: usize) -> Self {
        self.0.tables = n;
        self
    }
    /// Largest number of memories.
    pub fn memories(mut self, n: usize) -> Self {
        self.0.memories = n;
        self
    }
    /// The limits.
    pub fn build(self) -> StoreLimits {
        self.0
    }
}

impl<T> Store<T> {
    /// Installs a resource limiter: `f` returns it from the store's data. Consulted on
    /// instantiation and on every memory or table growth.
    pub fn limiter(
        &mut self,
        f: impl FnMut(&mut T) -> &mut (dyn ResourceLimiter) + Send + Sync + 'static,
    ) {
        self.limiter = Some(Box::new(f));
    }

    /// Runs `g` with the installed limiter, if any.
    fn with_limiter<R>(&mut self, g: impl FnOnce(&mut dyn ResourceLimiter) -> R) -> Option<R> {
        let mut f = self.limiter.take()?;
        let r = g(f(self.data_mut()));
        self.limiter = Some(f);
        Some(r)
    }
}

/// Asks the limiter whether store memory `m` may grow by `delta` pages.
pub(crate) fn memory_may_grow<T>(
    store: &mut Store<T>,
    m: usize,
    delta: u64,
) -> Result<bool, Error> {
    let Some(mem) = store.inner.memories.get(m) else {
        return Ok(true);
    };
    let page = mem.ty.page_size();
    let current = mem.data.len();
    let Some(desired) = delta
        .checked_mul(page)
        .and_then(|d| d.checked_add(current as u64))
        .and_then(|d| usize::try_from(d).ok())
    else {
        return Ok(true); // the grow itself fails
    };
    let maximum = mem
        .ty
        .limits
        .max
        .and_then(|p| p.checked_mul(page))
        .and_then(|b| usize::try_from(b).ok());
    store
        .with_limiter(|l| l.memory_growing(current, desired, maximum))
        .unwrap_or(Ok(true))
}

/// Asks the limiter whether store table `t` may grow by `delta` elements.
pub(crate) fn table_may_grow<T>(store: &mut Store<T>, t: usize, delta: u64) -> Result<bool, Error> {
    let Some(table) = store.inner.tables.get(t) else {
        return Ok(true);
    };
    let current = table.elems.len();
    let Some(desired) = (current as u64)
        .checked_add(delta)
        .and_then(|d| usize::try_from(d).ok())
    else {
        return Ok(true);
    };
    let maximum = table.ty.limits.max.and_then(|m| usize::try_from(m).ok());
    store
        .with_limiter(|l| l.table_growing(current, desired, maximum))
        .unwrap_or(Ok(true))
}

/// Checks a new instance of `ir` against the limiter: object counts and the initial sizes of
/// the module's own memories and tables.
pub(crate) fn check_instantiation<T>(store: &mut Store<T>, ir: &Ir) -> Result<(), Error> {
    if store.limiter.is_none() {
        return Ok(());
    }
    let (instances, tables, memories) = (
        store.inner.instances.len(),
        store.inner.tables.len(),
        store.inner.memories.len(),
    );
    let r = store.with_limiter(|l| {
        if instances + 1 > l.instances() {
            return Err(Error::usage(format!(
                "resource limit exceeded: instance count too high at {}",
                instances + 1
            )));
        }
        if tables + ir.tables.len() > l.tables() {
            return Err(Error::usage(format!(
                "resource limit exceeded: table count too high at {}",
                tables + ir.tables.len()
            )));
        }
        if memories + ir.memories.len() > l.memories() {
            return Err(Error::usage(format!(
                "resource limit exceeded: memory count too high at {}",
                memories + ir.memories.len()
            )));
        }
        for m in &ir.memories {
            let page = m.page_size();
            let bytes = |p: u64| usize::try_from(p.saturating_mul(page)).unwrap_or(usize::MAX);
            if !l.memory_growing(0, bytes(m.limits.min), m.limits.max.map(bytes))? {
                return Err(Error::usage(format!(
                    "resource limit exceeded: memory minimum size of {} pages too large",
                    m.limits.min
                )));
            }
        }
        for t in &ir.tables {
            let n = |e: u64| usize::try_from(e).unwrap_or(usize::MAX);
            if !l.table_growing(0, n(t.ty.limits.min), t.ty.limits.max.map(n))? {
                return Err(Error::usage(format!(
                    "resource limit exceeded: table minimum size of {} elements too large",
                    t.ty.limits.min
                )));
            }
        }
        Ok(())
    });
    r.unwrap_or(Ok(()))
}
