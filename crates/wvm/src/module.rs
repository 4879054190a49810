//! [`Module`]: a decoded, validated and translated WebAssembly module.

use crate::config::Engine;
use crate::engine::translate::{ModuleCtx, Translator};
use crate::engine::CompiledFunc;
use crate::error::{Error, ErrorKind};
use crate::externals::ExternType;
use std::sync::Arc;
use wvm_binary::{ExternKind, FuncType, ImportDesc};

pub(crate) struct ModuleInner {
    pub engine: Engine,
    pub ir: wvm_binary::Module,
    /// Translated code of each defined function.
    pub funcs: Vec<Arc<CompiledFunc>>,
    /// Canonical signature id of each type index.
    pub type_ids: Vec<u32>,
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
        let max = engine.config().max_module_size;
        if bytes.len() > max {
            return Err(Error::usage(format!(
                "module too large: {} bytes exceed the configured maximum of {max}",
                bytes.len()
            )));
        }
        let ir = wvm_binary::decode(bytes, engine.config().features())
            .map_err(|e| Error::decode(e, bytes))?;
        Module::from_ir(engine, ir)
    }

    /// Validates `.wasm` bytes without keeping the result.
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<(), Error> {
        Module::from_binary(engine, bytes).map(|_| ())
    }

    /// Validates and translates a module given as IR (for example built in code).
    pub fn from_ir(engine: &Engine, mut ir: wvm_binary::Module) -> Result<Module, Error> {
        let features = *engine.config().features();
        let max_funcs = engine.config().max_functions;
        let num_funcs = ir.funcs.len() as u64 + ir.num_imported_funcs() as u64;
        if num_funcs > max_funcs as u64 {
            return Err(Error::usage(format!(
                "too many functions: {num_funcs} exceed the configured maximum of {max_funcs}"
            )));
        }
        // The bodies are consumed one by one below: each is dropped as soon as it is
        // translated, so decoded instructions and translated code never all coexist (peak
        // memory), and `Module::ir` keeps no bodies.
        let code = std::mem::take(&mut ir.code);
        let num_bodies = code.len();
        let validator = wvm_validate::ModuleValidator::with_code_len(&ir, &features, num_bodies)?;
        let type_ids: Vec<u32> = ir.types.iter().map(|t| engine.intern(t).0).collect();
        let num_imported_funcs = ir.num_imported_funcs();
        let func_types = ir.func_type_indices();
        let ctx = ModuleCtx {
            module: &ir,
            type_ids: &type_ids,
            func_types: &func_types,
            num_imported_funcs,
        };
        let mut translator = Translator::for_config(engine.config());
        let mut funcs = Vec::with_capacity(num_bodies.min(ir.funcs.len()));
        for (i, body) in code.into_iter().enumerate() {
            let func_index = num_imported_funcs + i as u32;
            let ty = func_types
                .get(func_index as usize)
                .and_then(|t| ir.types.get(*t as usize))
                .ok_or_else(|| Error::usage("function without a type"))?;
            let fv = validator.func_validator_for(i, &body)?;
            funcs.push(Arc::new(
                translator.translate(&ctx, func_index, ty, &body, fv)?,
            ));
        }
        drop(validator);
        Ok(Module {
            inner: Arc::new(ModuleInner {
                engine: engine.clone(),
                ir,
                funcs,
                type_ids,
            }),
        })
    }

    /// The engine the module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The module's IR as decoded, except the function bodies (`ir().code` is empty): they
    /// are dropped one by one as they are translated, to keep peak memory low. Decode the
    /// bytes again (`wvm_binary::decode`) to look at the instructions.
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

    /// The translated code of defined function `defined_index` (imports not counted).
    pub fn compiled_func(&self, defined_index: usize) -> Option<&CompiledFunc> {
        self.inner.funcs.get(defined_index).map(|f| &**f)
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
