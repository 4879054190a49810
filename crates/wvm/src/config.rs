//! [`Config`] and [`Engine`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use wvm_binary::{Features, FuncType};

/// Settings for an [`Engine`].
///
/// ```
/// let mut config = wvm::Config::new();
/// config.max_call_depth(10_000).allow_legacy_version(true);
/// let engine = wvm::Engine::new(&config);
/// assert_eq!(engine.config().get_max_call_depth(), 10_000);
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) features: Features,
    pub(crate) max_call_depth: usize,
    pub(crate) max_value_stack_bytes: usize,
    pub(crate) legacy_text: bool,
    pub(crate) consume_fuel: bool,
    pub(crate) interruptible: bool,
    pub(crate) canonicalize_nans: bool,
    pub(crate) max_module_size: usize,
    pub(crate) max_functions: usize,
    pub(crate) compilation_mode: CompilationMode,
}

/// When [`Module::new`](crate::Module::new) translates function bodies to the engine's ops.
///
/// In both modes every body is decoded and validated when the module is created, so an
/// invalid module is rejected there with the same error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CompilationMode {
    /// Translate every function when the module is created.
    Eager,
    /// Translate each function on its first call (the default): loading is faster and
    /// functions that never run cost no translated code. The module keeps its code bytes
    /// until it is dropped. The only errors translation can still raise after validation
    /// are implementation limits; they surface as an error of the first call.
    #[default]
    LazyTranslation,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            features: Features {
                simd: true,
                ..Features::wasm2()
            },
            max_call_depth: 100_000,
            max_value_stack_bytes: 64 << 20,
            legacy_text: true,
            consume_fuel: false,
            interruptible: false,
            canonicalize_nans: false,
            max_module_size: usize::MAX,
            max_functions: usize::MAX,
            compilation_mode: CompilationMode::default(),
        }
    }
}

impl Config {
    /// The default configuration: Wasm 2.0 features (including SIMD), 100,000 frames deep,
    /// a 64 MiB value stack, legacy WAT spellings accepted.
    pub fn new() -> Self {
        Config::default()
    }

    /// Sets the WebAssembly features modules may use.
    pub fn wasm_features(&mut self, features: Features) -> &mut Self {
        self.features = features;
        self
    }

    /// The WebAssembly features modules may use.
    pub fn features(&self) -> &Features {
        &self.features
    }

    /// Maximum number of nested WebAssembly calls; deeper recursion traps with
    /// "call stack exhausted".
    pub fn max_call_depth(&mut self, depth: usize) -> &mut Self {
        self.max_call_depth = depth.max(1);
        self
    }

    /// The configured maximum call depth.
    pub fn get_max_call_depth(&self) -> usize {
        self.max_call_depth
    }

    /// Size of each store's value stack (locals and temporaries of all active frames).
    /// Exceeding it traps with "call stack exhausted". The memory is reserved lazily.
    pub fn max_value_stack_bytes(&mut self, bytes: usize) -> &mut Self {
        self.max_value_stack_bytes = bytes.max(4096);
        self
    }

    /// Accept binary version 0x0d (a pre-release of the format).
    pub fn allow_legacy_version(&mut self, allow: bool) -> &mut Self {
        self.features.allow_legacy_version = allow;
        self
    }

    /// Accept pre-standard WAT spellings (`get_local`, `i32.trunc_s/f32`, ...). On by default.
    pub fn legacy_text(&mut self, allow: bool) -> &mut Self {
        self.legacy_text = allow;
        self
    }

    /// Fuel metering: every function body is charged per basic block (see `docs/fuel.md`);
    /// set the budget with [`Store::set_fuel`](crate::Store::set_fuel). Running out traps
    /// with "all fuel consumed". Off by default (then no metering code is emitted at all).
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Self {
        self.consume_fuel = enable;
        self
    }

    /// Interruption: running code checks the engine's interrupt flag (see
    /// [`Engine::interrupt_handle`]) at function entry and loop headers. Off by default (then
    /// no check is emitted).
    pub fn interruptible(&mut self, enable: bool) -> &mut Self {
        self.interruptible = enable;
        self
    }

    /// Deterministic NaNs: float arithmetic that produces a NaN produces the canonical NaN
    /// (`0x7fc00000` / `0x7ff8000000000000`). Off by default.
    pub fn canonicalize_nans(&mut self, enable: bool) -> &mut Self {
        self.canonicalize_nans = enable;
        self
    }

    /// Largest module binary (in bytes) [`Module::new`](crate::Module::new) accepts.
    pub fn max_module_size(&mut self, bytes: usize) -> &mut Self {
        self.max_module_size = bytes;
        self
    }

    /// Largest number of functions (imported plus defined) a module may have.
    pub fn max_functions(&mut self, n: usize) -> &mut Self {
        self.max_functions = n;
        self
    }

    /// When function bodies are translated (see [`CompilationMode`]; lazily by default).
    /// Fuel, interruption and NaN settings apply to lazily translated code as to eager code.
    ///
    /// ```
    /// let mut config = wvm::Config::new();
    /// config.compilation_mode(wvm::CompilationMode::Eager);
    /// let engine = wvm::Engine::new(&config);
    /// let module = wvm::Module::new(&engine, "(module (func) (func))")?;
    /// assert_eq!(module.num_translated(), 2);
    /// # Ok::<(), wvm::Error>(())
    /// ```
    pub fn compilation_mode(&mut self, mode: CompilationMode) -> &mut Self {
        self.compilation_mode = mode;
        self
    }

    /// The configured compilation mode.
    pub fn get_compilation_mode(&self) -> CompilationMode {
        self.compilation_mode
    }

    /// Whether fuel metering is on.
    pub fn get_consume_fuel(&self) -> bool {
        self.consume_fuel
    }
}

#[derive(Default)]
struct TypeRegistry {
    ids: HashMap<FuncType, u32>,
    types: Vec<Arc<FuncType>>,
}

struct EngineInner {
    config: Config,
    types: Mutex<TypeRegistry>,
    /// Set by [`InterruptHandle::interrupt`], checked by `CheckInterrupt` ops.
    interrupt: Arc<AtomicBool>,
}

/// Compiles and runs modules with one [`Config`]. Cheap to clone (shared).
///
/// Function signatures are interned engine-wide, so `call_indirect` compares two integers.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(&Config::default())
    }
}

impl core::fmt::Debug for Engine {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Engine {
    /// An engine with the given configuration.
    pub fn new(config: &Config) -> Self {
        Engine {
            inner: Arc::new(EngineInner {
                config: config.clone(),
                types: Mutex::new(TypeRegistry::default()),
                interrupt: Arc::new(AtomicBool::new(false)),
            }),
        }
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Whether two handles refer to the same engine.
    pub fn same(a: &Engine, b: &Engine) -> bool {
        Arc::ptr_eq(&a.inner, &b.inner)
    }

    /// A handle that interrupts code running in any store of this engine (when the engine
    /// is [`Config::interruptible`]).
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle {
            flag: self.inner.interrupt.clone(),
        }
    }

    pub(crate) fn interrupt_flag(&self) -> &AtomicBool {
        &self.inner.interrupt
    }

    /// The canonical id and shared copy of a signature.
    pub(crate) fn intern(&self, ty: &FuncType) -> (u32, Arc<FuncType>) {
        let mut reg = match self.inner.types.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if let Some(&id) = reg.ids.get(ty) {
            return (id, reg.types[id as usize].clone());
        }
        let id = reg.types.len() as u32;
        let arc = Arc::new(ty.clone());
        reg.types.push(arc.clone());
        reg.ids.insert(ty.clone(), id);
        (id, arc)
    }
}

/// Interrupts WebAssembly running in an engine's stores, from any thread.
///
/// The next interrupt check (function entry or loop header) of running code traps with
/// "interrupted" and clears the request; if nothing is running, the next call that reaches a
/// check traps. Only engines with [`Config::interruptible`] emit checks.
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    flag: Arc<AtomicBool>,
}

impl InterruptHandle {
    /// Requests an interrupt.
    pub fn interrupt(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Withdraws a request that no code has seen yet.
    pub fn clear(&self) {
        self.flag.store(false, Ordering::Relaxed);
    }
}
