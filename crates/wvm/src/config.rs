//! [`Config`] and [`Engine`].

use std::collections::HashMap;
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

    /// Reserved for fuel metering; currently has no effect.
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Self {
        self.consume_fuel = enable;
        self
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
