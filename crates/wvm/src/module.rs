//! [`Module`]: a decoded, validated and translated WebAssembly module.

use crate::config::{CompilationMode, Engine};
use crate::engine::translate::{ModuleCtx, Translator};
use crate::engine::CompiledFunc;
use crate::error::{Error, ErrorKind};
use crate::externals::ExternType;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use wvm_binary::{ExternKind, FuncType, ImportDesc};
use wvm_validate::ModuleValidator;

pub(crate) struct ModuleInner {
    pub engine: Engine,
    pub ir: Arc<wvm_binary::Module>,
    /// Translated code of each defined function (filled on first use when lazy). Never
    /// resized after creation: the executor and [`FuncRef`]s point into it.
    pub funcs: Box<[FuncCode]>,
    /// Canonical signature id of each type index.
    pub type_ids: Vec<u32>,
    /// What translating a function later needs (`None` once everything is translated).
    lazy: Option<LazyCtx>,
    /// Number of defined functions translated so far.
    translated: AtomicUsize,
}

/// The translated code of one defined function, set once (at load or on first call) and
/// never moved or replaced afterwards.
#[derive(Default)]
pub(crate) struct FuncCode {
    code: OnceLock<Arc<CompiledFunc>>,
}

impl FuncCode {
    /// The translated code, if the function was translated.
    #[inline(always)]
    pub(crate) fn get(&self) -> Option<&Arc<CompiledFunc>> {
        self.code.get()
    }
}

/// A defined function of a module as the store refers to it: a direct pointer to its
/// [`FuncCode`] (the executor's fast path) and the module that owns it (kept alive).
pub(crate) struct FuncRef {
    code: NonNull<FuncCode>,
    module: Module,
    def: u32,
}

// SAFETY: `code` points into `module.inner.funcs`, which this value keeps alive and nobody
// mutates except through `FuncCode`'s `OnceLock` (itself `Send + Sync`); the pointer is only
// read through a shared reference.
unsafe impl Send for FuncRef {}
// SAFETY: as above; `&FuncRef` only gives `&FuncCode`, which is `Sync`.
unsafe impl Sync for FuncRef {}

impl FuncRef {
    /// Defined function `def` of `module`, if it has one.
    pub(crate) fn new(module: &Module, def: usize) -> Option<FuncRef> {
        let code = NonNull::from(module.inner.funcs.get(def)?);
        Some(FuncRef {
            code,
            module: module.clone(),
            def: def as u32,
        })
    }

    /// The function's slot in its module.
    #[inline(always)]
    pub(crate) fn slot(&self) -> &FuncCode {
        // SAFETY: `code` points into `self.module.inner.funcs` (see `new`), a boxed slice that
        // `self.module` keeps alive and that is never resized or moved.
        unsafe { self.code.as_ref() }
    }

    /// The translated code, translating it now if needed.
    #[inline]
    pub(crate) fn compiled(&self) -> Result<&Arc<CompiledFunc>, Error> {
        match self.slot().get() {
            Some(c) => Ok(c),
            None => self.module.inner.translate_now(self.def as usize),
        }
    }
}

/// The module's state for translating functions after load. The validator borrows the IR
/// this context holds; see [`LazyCtx::new`].
struct LazyCtx {
    /// Declared before `ir` so that it is dropped first (it borrows `*ir`).
    validator: ModuleValidator<'static>,
    ir: Arc<wvm_binary::Module>,
    /// The module's bytes up to the end of its last function body (set once all bodies
    /// are validated).
    bytes: Box<[u8]>,
    /// Byte offset of each defined function's body (its size field) in `bytes`.
    body_offsets: Box<[usize]>,
    /// Type index of each function in the function index space.
    func_types: Vec<u32>,
    /// A translator whose buffers the next translation reuses.
    spare: Mutex<Option<Translator>>,
}

/// A module binary as given to [`Module::from_binary`] or [`Module::from_binary_vec`].
enum Source<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Source<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Borrowed(b) => b,
            Source::Owned(v) => v,
        }
    }

    /// The first `end` bytes, to keep: the owned buffer itself (shrunk), or a copy.
    fn keep(&mut self, end: usize) -> Box<[u8]> {
        match std::mem::replace(self, Source::Borrowed(&[])) {
            Source::Owned(mut v) => {
                v.truncate(end);
                v.into_boxed_slice()
            }
            Source::Borrowed(b) => b.get(..end).unwrap_or(b).into(),
        }
    }
}

impl LazyCtx {
    fn new(
        ir: &Arc<wvm_binary::Module>,
        features: &wvm_binary::Features,
        num_bodies: usize,
        body_offsets: Box<[usize]>,
    ) -> Result<LazyCtx, Error> {
        // SAFETY: the reference points into the `Arc` allocation, which the `ir` field of the
        // returned context keeps alive for as long as the validator lives (`validator` is
        // declared first, so it is dropped first), and which is never mutated (the module
        // is shared read-only from here on). The `'static` lifetime never escapes this
        // context: only `func_validator_for`, whose result borrows the context, is used.
        let module: &'static wvm_binary::Module = unsafe { &*Arc::as_ptr(ir) };
        let validator = ModuleValidator::with_code_len(module, features, num_bodies)?;
        Ok(LazyCtx {
            validator,
            ir: ir.clone(),
            bytes: Box::default(),
            body_offsets,
            func_types: ir.func_type_indices(),
            spare: Mutex::new(None),
        })
    }
}

impl ModuleInner {
    /// Translates defined function `def` (unless another thread did first) and returns its
    /// code. Errors name the function.
    #[cold]
    #[inline(never)]
    pub(crate) fn translate_now(&self, def: usize) -> Result<&Arc<CompiledFunc>, Error> {
        let slot = self
            .funcs
            .get(def)
            .ok_or_else(|| Error::usage(format!("unknown defined function {def}")))?;
        if let Some(c) = slot.get() {
            return Ok(c);
        }
        let lazy = self
            .lazy
            .as_ref()
            .ok_or_else(|| Error::usage(format!("internal error: function {def} has no code")))?;
        let num_imported = self.ir.num_imported_funcs();
        let func_index = num_imported + def as u32;
        let fail =
            |e: Error| Error::usage(format!("translating function {func_index} failed: {e}"));
        let compiled = self.translate_one(lazy, def, func_index).map_err(fail)?;
        if slot.code.set(Arc::new(compiled)).is_ok() {
            self.translated.fetch_add(1, Ordering::Relaxed);
        }
        slot.get()
            .ok_or_else(|| Error::usage(format!("internal error: function {def} has no code")))
    }

    fn translate_one(
        &self,
        lazy: &LazyCtx,
        def: usize,
        func_index: u32,
    ) -> Result<CompiledFunc, Error> {
        let features = self.engine.config().features();
        let offset = *lazy
            .body_offsets
            .get(def)
            .ok_or_else(|| Error::usage("function without a body"))?;
        let stub = wvm_binary::FuncBody {
            offset,
            ..Default::default()
        };
        let body = wvm_binary::decode_func_body(&lazy.bytes, features, &stub)
            .map_err(|e| Error::decode(e, &lazy.bytes))?;
        let ty = lazy
            .func_types
            .get(func_index as usize)
            .and_then(|t| lazy.ir.types.get(*t as usize))
            .ok_or_else(|| Error::usage("function without a type"))?;
        let ctx = ModuleCtx {
            module: &lazy.ir,
            type_ids: &self.type_ids,
            func_types: &lazy.func_types,
            num_imported_funcs: self.ir.num_imported_funcs(),
        };
        let fv = lazy.validator.func_validator_for(def, &body)?;
        let spare = lazy.spare.lock().ok().and_then(|mut s| s.take());
        let mut translator = spare.unwrap_or_else(|| Translator::for_config(self.engine.config()));
        let r = translator.translate(&ctx, func_index, ty, &body, fv);
        if let Ok(mut s) = lazy.spare.lock() {
            *s = Some(translator);
        }
        r
    }
}

/// A compiled module, ready to be instantiated any number of times. Cheap to clone.
///
/// ```
/// let engine = wvm::Engine::default();
/// let module = wvm::Module::new(&engine, r#"(module (func (export "answer") (result i32) i32.const 42))"#)?;
/// let mut store = wvm::Store::new(&engine, ());
/// let instance = wvm::Instance::new(&mut store, &module, &[])?;
/// let answer = instance.get_typed_func::<(), i32>(&mut store, "answer")?;
/// assert_eq!(answer.call(&mut store, ())?, 42);
/// # Ok::<(), wvm::Error>(())
/// ```
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl core::fmt::Debug for Module {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Module")
            .field("funcs", &self.inner.funcs.len())
            .finish()
    }
}

/// An import of a module: `module`, `name` and expected type.
#[derive(Clone, Debug)]
pub struct ImportType<'a> {
    module: &'a str,
    name: &'a str,
    ty: ExternType,
}

impl<'a> ImportType<'a> {
    /// The module name of the import.
    pub fn module(&self) -> &'a str {
        self.module
    }
    /// The field name of the import.
    pub fn name(&self) -> &'a str {
        self.name
    }
    /// The expected type.
    pub fn ty(&self) -> ExternType {
        self.ty.clone()
    }
}

/// An export of a module: name and type.
#[derive(Clone, Debug)]
pub struct ExportType<'a> {
    name: &'a str,
    ty: ExternType,
}

impl<'a> ExportType<'a> {
    /// The export's name.
    pub fn name(&self) -> &'a str {
        self.name
    }
    /// The exported item's type.
    pub fn ty(&self) -> ExternType {
        self.ty.clone()
    }
}

/// Hands every instruction of a body the section decode skipped to `visit`, then checks
/// the one rule the instructions impose on the module (the data count section). An error
/// here may hide a malformed module: see `Module::from_binary`.
fn read_instrs(
    reader: &mut wvm_binary::decode::BodyReader<'_>,
    bytes: &[u8],
    ir: &wvm_binary::Module,
    visit: impl FnMut(wvm_binary::Instr, usize) -> Result<(), Error>,
) -> Result<(), Error> {
    reader.for_each_instr(|e| Error::decode(e, bytes), visit)?;
    if reader.uses_data_index() && ir.data_count.is_none() {
        return Err(Error::usage("data count section required"));
    }
    Ok(())
}

fn text_error(e: impl core::fmt::Display) -> Error {
    Error::new(ErrorKind::Text(e.to_string()))
}

impl Module {
    /// Compiles a module from `.wasm` bytes or WAT text (told apart by the `\0asm` magic).
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module, Error> {
        let bytes = bytes.as_ref();
        if bytes.starts_with(b"\0asm") {
            return Module::from_binary(engine, bytes);
        }
        let text = std::str::from_utf8(bytes).map_err(text_error)?;
        let opts = wvm_text::TextOptions {
            legacy_names: engine.config().legacy_text,
        };
        let wasm = wvm_text::parse_wat(text, &opts).map_err(text_error)?;
        Module::from_binary(engine, &wasm)
    }

    /// Compiles a module from `.wasm` bytes.
    pub fn from_binary(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        Module::from_source(engine, &mut Source::Borrowed(bytes))
    }

    /// Compiles a module from `.wasm` bytes the caller hands over. Unlike
    /// [`Module::from_binary`], a lazily translating module (the default
    /// [`CompilationMode`]) then keeps this buffer for its untranslated function bodies
    /// instead of a copy of it, which saves the module's size in peak memory.
    pub fn from_binary_vec(engine: &Engine, bytes: Vec<u8>) -> Result<Module, Error> {
        Module::from_source(engine, &mut Source::Owned(bytes))
    }

    fn from_source(engine: &Engine, src: &mut Source<'_>) -> Result<Module, Error> {
        let bytes = src.bytes();
        let max = engine.config().max_module_size;
        if bytes.len() > max {
            return Err(Error::usage(format!(
                "module too large: {} bytes exceed the configured maximum of {max}",
                bytes.len()
            )));
        }
        let features = engine.config().features();
        // Fast path: the sections are decoded but the bodies skipped, then each body is read
        // once, while validating it (and translating it, when eager), so the decoded
        // instructions of all functions never exist at once (peak memory).
        if let Ok(ir) = wvm_binary::decode_skipping_bodies(bytes, features) {
            match Module::build(engine, ir, Some(&mut *src)) {
                Ok(m) => return Ok(m),
                Err(e) => {
                    // A malformed module is reported as malformed even when a validation
                    // error comes first in the bytes: the careful decode below finds out.
                    let bytes = src.bytes();
                    wvm_binary::decode_deferred(bytes, features)
                        .map_err(|d| Error::decode(d, bytes))?;
                    return Err(e);
                }
            }
        }
        // Careful path: every body is checked first (without building its instructions),
        // then decoded again one at a time as above.
        let ir =
            wvm_binary::decode_deferred(bytes, features).map_err(|e| Error::decode(e, bytes))?;
        Module::build(engine, ir, Some(src))
    }

    /// Validates `.wasm` bytes without keeping the result.
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<(), Error> {
        Module::from_binary(engine, bytes).map(|_| ())
    }

    /// Validates and translates a module given as IR (for example built in code).
    pub fn from_ir(engine: &Engine, ir: wvm_binary::Module) -> Result<Module, Error> {
        Module::build(engine, ir, None)
    }

    /// Validates and translates `ir`; with `bytes`, its bodies were left undecoded by
    /// `wvm_binary::decode_deferred` or `decode_skipping_bodies` of those bytes (then a
    /// malformed body may be met here: any error must be followed by the careful decode, see
    /// `from_binary`) and are decoded one at a time here (and,
    /// in [`CompilationMode::LazyTranslation`], once more when first called). Modules given
    /// as IR are always translated eagerly.
    fn build(
        engine: &Engine,
        mut ir: wvm_binary::Module,
        src: Option<&mut Source<'_>>,
    ) -> Result<Module, Error> {
        let bytes = src.as_deref().map(Source::bytes);
        let features = *engine.config().features();
        let max_funcs = engine.config().max_functions;
        let num_funcs = ir.funcs.len() as u64 + ir.num_imported_funcs() as u64;
        if num_funcs > max_funcs as u64 {
            return Err(Error::usage(format!(
                "too many functions: {num_funcs} exceed the configured maximum of {max_funcs}"
            )));
        }
        // The bodies are consumed one by one below: each is dropped as soon as it is
        // translated (or validated), so decoded instructions and translated code never all
        // coexist (peak memory), and `Module::ir` keeps no bodies.
        let code = std::mem::take(&mut ir.code);
        let num_bodies = code.len();
        let ir = Arc::new(ir);
        let type_ids: Vec<u32> = ir.types.iter().map(|t| engine.intern(t).0).collect();
        let lazy_bytes = match (bytes, engine.config().compilation_mode) {
            (Some(b), CompilationMode::LazyTranslation) => Some(b),
            _ => None,
        };
        let mut funcs: Vec<FuncCode> = Vec::with_capacity(num_bodies.min(ir.funcs.len()));
        let mut lazy = None;
        if let Some(bytes) = lazy_bytes {
            let end = wvm_binary::code_end(bytes, &code);
            let offsets: Box<[usize]> = code.iter().map(|b| b.offset).collect();
            let mut ctx = LazyCtx::new(&ir, &features, num_bodies, offsets)?;
            // Validate every body now: invalid modules fail here, as in eager mode.
            // The instructions are read one at a time (no per-body instruction list); the
            // deferred decode already checked that they decode.
            for (i, stub) in code.into_iter().enumerate() {
                let (locals, mut reader) = wvm_binary::func_body_reader(bytes, &features, &stub)
                    .map_err(|e| Error::decode(e, bytes))?;
                let body = wvm_binary::FuncBody { locals, ..stub };
                let mut fv = ctx.validator.func_validator_for(i, &body)?;
                read_instrs(&mut reader, bytes, &ir, |instr, at| {
                    fv.visit(&instr, at).map_err(Error::from)
                })?;
                fv.finish()?;
                funcs.push(FuncCode::default());
            }
            // The module is valid: keep its bytes up to the last body (the last use of
            // `bytes`; nothing fails after this, so `from_source` never needs them again).
            if let Some(src) = src {
                ctx.bytes = src.keep(end);
            }
            lazy = Some(ctx);
        } else {
            let validator = ModuleValidator::with_code_len(&ir, &features, num_bodies)?;
            let num_imported_funcs = ir.num_imported_funcs();
            let func_types = ir.func_type_indices();
            let ctx = ModuleCtx {
                module: &ir,
                type_ids: &type_ids,
                func_types: &func_types,
                num_imported_funcs,
            };
            let mut translator = Translator::for_config(engine.config());
            let mut buffers = (Vec::new(), Vec::new());
            for (i, body) in code.into_iter().enumerate() {
                let func_index = num_imported_funcs + i as u32;
                let ty = func_types
                    .get(func_index as usize)
                    .and_then(|t| ir.types.get(*t as usize))
                    .ok_or_else(|| Error::usage("function without a type"))?;
                let body = match bytes {
                    Some(bytes) => {
                        // Decoded into buffers reused from function to function.
                        let (locals, mut reader) =
                            wvm_binary::func_body_reader(bytes, &features, &body)
                                .map_err(|e| Error::decode(e, bytes))?;
                        let (mut instrs, mut offsets) = std::mem::take(&mut buffers);
                        instrs.clear();
                        offsets.clear();
                        read_instrs(&mut reader, bytes, &ir, |instr, at| {
                            instrs.push(instr);
                            offsets.push(at as u32);
                            Ok(())
                        })?;
                        wvm_binary::FuncBody {
                            locals,
                            instrs,
                            offsets,
                            offset: body.offset,
                        }
                    }
                    None => body,
                };
                let fv = validator.func_validator_for(i, &body)?;
                let compiled = translator.translate(&ctx, func_index, ty, &body, fv)?;
                buffers = (body.instrs, body.offsets);
                let slot = FuncCode::default();
                let _ = slot.code.set(Arc::new(compiled));
                funcs.push(slot);
            }
        }
        let translated = if lazy.is_some() { 0 } else { funcs.len() };
        Ok(Module {
            inner: Arc::new(ModuleInner {
                engine: engine.clone(),
                ir,
                funcs: funcs.into_boxed_slice(),
                type_ids,
                lazy,
                translated: AtomicUsize::new(translated),
            }),
        })
    }

    /// The engine the module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The module's IR as decoded, except the function bodies (`ir().code` is empty): they
    /// are dropped one by one as they are validated or translated, to keep peak memory low.
    /// Decode the bytes again (`wvm_binary::decode`) to look at the instructions.
    pub fn ir(&self) -> &wvm_binary::Module {
        &self.inner.ir
    }

    /// The module name from the `name` section.
    pub fn name(&self) -> Option<&str> {
        self.inner
            .ir
            .names
            .as_ref()
            .and_then(|n| n.module.as_deref())
    }

    /// The translated code of defined function `defined_index` (imports not counted),
    /// translating it now if it was not yet; `None` if there is no such function or its
    /// translation fails (see [`Module::translate`] for the error).
    pub fn compiled_func(&self, defined_index: usize) -> Option<&CompiledFunc> {
        self.translate(defined_index).ok()
    }

    /// Translates defined function `defined_index` (imports not counted) if it was not yet,
    /// and returns its code.
    pub fn translate(&self, defined_index: usize) -> Result<&CompiledFunc, Error> {
        match self.inner.funcs.get(defined_index).and_then(FuncCode::get) {
            Some(c) => Ok(c),
            None => self.inner.translate_now(defined_index).map(|c| &**c),
        }
    }

    /// How many defined functions have been translated so far: all of them after load in
    /// [`CompilationMode::Eager`], those called at least once with lazy translation.
    pub fn num_translated(&self) -> usize {
        self.inner.translated.load(Ordering::Relaxed)
    }

    fn func_type(&self, idx: u32) -> FuncType {
        self.inner.ir.func_type(idx).cloned().unwrap_or_default()
    }

    /// The module's imports, in order.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = ImportType<'_>> + '_ {
        self.inner.ir.imports.iter().map(move |i| ImportType {
            module: &i.module,
            name: &i.name,
            ty: match &i.desc {
                ImportDesc::Func(t) => ExternType::Func(
                    self.inner
                        .ir
                        .types
                        .get(*t as usize)
                        .cloned()
                        .unwrap_or_default(),
                ),
                ImportDesc::Table(t) => ExternType::Table(*t),
                ImportDesc::Memory(m) => ExternType::Memory(*m),
                ImportDesc::Global(g) => ExternType::Global(*g),
                ImportDesc::Tag(_) => ExternType::Func(FuncType::default()),
            },
        })
    }

    /// The module's exports, in order.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = ExportType<'_>> + '_ {
        let ir = &self.inner.ir;
        ir.exports.iter().map(move |e| ExportType {
            name: &e.name,
            ty: match e.kind {
                ExternKind::Func => ExternType::Func(self.func_type(e.index)),
                ExternKind::Table => ExternType::Table(ir.table_type(e.index).unwrap_or(
                    wvm_binary::TableType::new(wvm_binary::RefType::FUNCREF, 0, None),
                )),
                ExternKind::Memory => ExternType::Memory(
                    ir.memory_type(e.index)
                        .unwrap_or(wvm_binary::MemoryType::new(0, None)),
                ),
                ExternKind::Global => {
                    ExternType::Global(ir.global_type(e.index).unwrap_or(wvm_binary::GlobalType {
                        val: wvm_binary::ValType::I32,
                        mutable: false,
                    }))
                }
                ExternKind::Tag => ExternType::Func(FuncType::default()),
            },
        })
    }
}
