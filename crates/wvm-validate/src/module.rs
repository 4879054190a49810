//! Module-level validation: everything except function bodies.
//!
//! [`ModuleValidator::new`] checks types, imports, function declarations, tables,
//! memories, globals, exports, the start function, element and data segments and their
//! constant expressions, and keeps the context that function bodies are validated in.

use std::collections::HashSet;

use wvm_binary::{
    ConstExpr, DataMode, ElemItems, ElemMode, ExternKind, Features, FuncType, GlobalType, HeapType,
    ImportDesc, IndexType, Instr, Limits, MemoryType, Module, NumOp, RefType, TableType, ValType,
};

use crate::error::ValidationError;
use crate::func::{FuncValidator, FuncValidatorAllocations};

/// Implementation limits on signatures (the same as the JS embedding's): every `call`,
/// `block` or `return` costs time proportional to its type's length, so an unbounded
/// signature would let a few bytes of code cost unbounded validation time.
pub const MAX_FUNC_PARAMS: usize = 1000;
pub const MAX_FUNC_RESULTS: usize = 1000;

/// The message for any use of SIMD while the feature is off.
pub(crate) const SIMD_DISABLED: &str = "SIMD is not supported yet";

/// The validated module context: index spaces and their types.
///
/// Created by [`ModuleValidator::new`], which validates everything but function bodies.
/// Function bodies are then validated one at a time with [`ModuleValidator::func_validator`].
#[derive(Debug)]
pub struct ModuleValidator<'a> {
    pub(crate) module: &'a Module,
    /// Number of function bodies (`module.code.len()` unless they were taken out).
    pub(crate) code_len: usize,
    pub(crate) features: Features,
    /// Type index of every function in the function index space (imports first).
    pub(crate) func_types: Vec<u32>,
    pub(crate) num_imported_funcs: u32,
    pub(crate) tables: Vec<TableType>,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) globals: Vec<GlobalType>,
    pub(crate) num_imported_globals: u32,
    /// Bit set over the function index space: functions that `ref.func` may name.
    pub(crate) declared_funcs: Vec<u64>,
    /// Every operator of [`NumOp`] is enabled (no per-instruction feature check needed).
    pub(crate) all_numeric_ops: bool,
}

/// Checks a value type against the enabled features; returns the error message if invalid.
pub(crate) fn val_type_error(features: &Features, num_types: usize, t: ValType) -> Option<String> {
    match t {
        ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64 => None,
        ValType::V128 if features.simd => None,
        ValType::V128 => Some(SIMD_DISABLED.to_string()),
        ValType::Ref(r) => {
            if r.heap == HeapType::Extern && r.nullable && !features.reference_types {
                return Some("reference types support is not enabled".to_string());
            }
            ref_type_error(features, num_types, r)
        }
    }
}

/// Checks a reference type against the enabled features.
pub(crate) fn ref_type_error(features: &Features, num_types: usize, r: RefType) -> Option<String> {
    heap_type_error(features, num_types, r.heap).or_else(|| {
        if !(r.nullable || features.function_references || features.gc) {
            Some("non-nullable references require the function references proposal".to_string())
        } else {
            None
        }
    })
}

pub(crate) fn heap_type_error(
    features: &Features,
    num_types: usize,
    h: HeapType,
) -> Option<String> {
    match h {
        HeapType::Func | HeapType::Extern => None,
        HeapType::Concrete(i) => {
            if !(features.function_references || features.gc) {
                Some("typed function references are not enabled".to_string())
            } else if (i as usize) >= num_types {
                Some(format!("unknown type {i}"))
            } else {
                None
            }
        }
        HeapType::Exn | HeapType::NoExn => {
            if features.exceptions {
                None
            } else {
                Some("exception handling is not enabled".to_string())
            }
        }
        HeapType::Any
        | HeapType::Eq
        | HeapType::I31
        | HeapType::Struct
        | HeapType::Array
        | HeapType::None
        | HeapType::NoFunc
        | HeapType::NoExtern => {
            if features.gc {
                None
            } else {
                Some("garbage collection types are not enabled".to_string())
            }
        }
    }
}

/// The value type that addresses a memory or table with this index type.
pub(crate) fn index_val_type(i: IndexType) -> ValType {
    match i {
        IndexType::I32 => ValType::I32,
        IndexType::I64 => ValType::I64,
    }
}

fn set_bit(bits: &mut [u64], idx: u32) {
    if let Some(w) = bits.get_mut((idx / 64) as usize) {
        *w |= 1u64 << (idx % 64);
    }
}

fn declare_in_expr(bits: &mut [u64], expr: &ConstExpr) {
    for i in &expr.instrs {
        if let Instr::RefFunc(f) = i {
            set_bit(bits, *f);
        }
    }
}

impl<'a> ModuleValidator<'a> {
    /// Validates everything in `module` except function bodies.
    pub fn new(
        module: &'a Module,
        features: &Features,
    ) -> Result<ModuleValidator<'a>, ValidationError> {
        Self::with_code_len(module, features, module.code.len())
    }

    /// Like [`ModuleValidator::new`] for a module whose function bodies were taken out of
    /// `module.code` (there were `code_len` of them), so that a caller can translate and drop
    /// them one at a time; validate each with [`ModuleValidator::func_validator_for`].
    pub fn with_code_len(
        module: &'a Module,
        features: &Features,
        code_len: usize,
    ) -> Result<ModuleValidator<'a>, ValidationError> {
        let mut v = ModuleValidator {
            code_len,
            module,
            features: *features,
            func_types: Vec::with_capacity(module.imports.len() + module.funcs.len()),
            num_imported_funcs: 0,
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::with_capacity(module.globals.len()),
            num_imported_globals: 0,
            declared_funcs: Vec::new(),
            all_numeric_ops: features.saturating_float_to_int && features.sign_extension,
        };
        v.check_types()?;
        v.check_imports()?;
        v.check_funcs()?;
        v.compute_declared_funcs();
        v.check_tables()?;
        v.check_memories()?;
        v.check_globals()?;
        v.check_elems()?;
        v.check_datas()?;
        v.check_start()?;
        v.check_exports()?;
        Ok(v)
    }

    pub fn module(&self) -> &'a Module {
        self.module
    }

    pub fn features(&self) -> &Features {
        &self.features
    }

    /// Number of functions in the function index space (imported and defined).
    pub fn num_funcs(&self) -> u32 {
        self.func_types.len() as u32
    }

    pub fn num_imported_funcs(&self) -> u32 {
        self.num_imported_funcs
    }

    /// Type index of function `idx` (function index space).
    pub fn func_type_idx(&self, idx: u32) -> Option<u32> {
        self.func_types.get(idx as usize).copied()
    }

    /// Signature of function `idx` (function index space).
    pub fn func_type(&self, idx: u32) -> Option<&'a FuncType> {
        let t = self.func_type_idx(idx)?;
        self.module.types.get(t as usize)
    }

    pub fn table_type(&self, idx: u32) -> Option<TableType> {
        self.tables.get(idx as usize).copied()
    }

    pub fn memory_type(&self, idx: u32) -> Option<MemoryType> {
        self.memories.get(idx as usize).copied()
    }

    pub fn global_type(&self, idx: u32) -> Option<GlobalType> {
        self.globals.get(idx as usize).copied()
    }

    /// Whether `ref.func idx` is allowed in function bodies (the function is declared in an
    /// element segment, an export or a global initializer).
    pub fn is_declared_func(&self, idx: u32) -> bool {
        self.declared_funcs
            .get((idx / 64) as usize)
            .is_some_and(|w| w & (1u64 << (idx % 64)) != 0)
    }

    /// A validator for the body of defined function `defined_index` (0 is the first function
    /// of the function section). Checks the local declarations.
    pub fn func_validator(
        &self,
        defined_index: usize,
    ) -> Result<FuncValidator<'_>, ValidationError> {
        self.func_validator_with(defined_index, FuncValidatorAllocations::default())
    }

    /// Like [`ModuleValidator::func_validator`], reusing buffers from an earlier validator
    /// (see [`FuncValidator::into_allocations`]).
    pub fn func_validator_with(
        &self,
        defined_index: usize,
        allocs: FuncValidatorAllocations,
    ) -> Result<FuncValidator<'_>, ValidationError> {
        let body = self.module.code.get(defined_index);
        FuncValidator::new(self, defined_index, body, allocs)
    }

    /// A validator for defined function `defined_index` whose body is `body` (for a module
    /// whose bodies were taken out, see [`ModuleValidator::with_code_len`]). The body must
    /// be the one that was at `module.code[defined_index]`.
    pub fn func_validator_for(
        &self,
        defined_index: usize,
        body: &wvm_binary::FuncBody,
    ) -> Result<FuncValidator<'_>, ValidationError> {
        FuncValidator::new(
            self,
            defined_index,
            Some(body),
            FuncValidatorAllocations::default(),
        )
    }

    fn val_type_ok(&self, t: ValType, offset: usize) -> Result<(), ValidationError> {
        match val_type_error(&self.features, self.module.types.len(), t) {
            None => Ok(()),
            Some(m) => Err(ValidationError::module(m, offset)),
        }
    }

    fn check_types(&self) -> Result<(), ValidationError> {
        for ty in &self.module.types {
            for t in ty.params.iter().chain(ty.results.iter()) {
                self.val_type_ok(*t, 0)?;
            }
            if ty.results.len() > 1 && !self.features.multi_value {
                return Err(ValidationError::module("invalid result arity", 0));
            }
            if ty.params.len() > MAX_FUNC_PARAMS {
                return Err(ValidationError::module(
                    format!("function type has too many parameters (limit {MAX_FUNC_PARAMS})"),
                    0,
                ));
            }
            if ty.results.len() > MAX_FUNC_RESULTS {
                return Err(ValidationError::module(
                    format!("function type has too many results (limit {MAX_FUNC_RESULTS})"),
                    0,
                ));
            }
        }
        Ok(())
    }

    fn type_idx_ok(&self, idx: u32) -> Result<(), ValidationError> {
        if (idx as usize) < self.module.types.len() {
            Ok(())
        } else {
            Err(ValidationError::module(format!("unknown type {idx}"), 0))
        }
    }

    fn check_limits(&self, l: Limits, range: u64, msg: &str) -> Result<(), ValidationError> {
        if l.min > range {
            return Err(ValidationError::module(msg, 0));
        }
        if let Some(max) = l.max {
            if max > range {
                return Err(ValidationError::module(msg, 0));
            }
            if l.min > max {
                return Err(ValidationError::module(
                    "size minimum must not be greater than maximum",
                    0,
                ));
            }
        }
        Ok(())
    }

    fn check_table_type(&self, t: &TableType) -> Result<(), ValidationError> {
        if let Some(m) = ref_type_error(&self.features, self.module.types.len(), t.elem) {
            return Err(ValidationError::module(m, 0));
        }
        if t.elem.heap == HeapType::Extern && !self.features.reference_types {
            return Err(ValidationError::module(
                "reference types support is not enabled",
                0,
            ));
        }
        let range = match t.index {
            IndexType::I32 => u32::MAX as u64,
            IndexType::I64 => {
                if !self.features.memory64 {
                    return Err(ValidationError::module("table64 is not enabled", 0));
                }
                u64::MAX
            }
        };
        self.check_limits(t.limits, range, "table size must be at most 2^32-1")
    }

    fn check_memory_type(&self, m: &MemoryType) -> Result<(), ValidationError> {
        if m.shared {
            return Err(ValidationError::module(
                "shared memories are not supported",
                0,
            ));
        }
        let log2 = match m.page_size_log2 {
            None => 16,
            Some(l @ (0 | 16)) => l,
            Some(_) => return Err(ValidationError::module("invalid custom page size", 0)),
        };
        match m.index {
            IndexType::I32 => {
                let (range, msg) = if log2 == 16 {
                    (
                        1u64 << 16,
                        "memory size must be at most 65536 pages (4GiB)".to_string(),
                    )
                } else {
                    (
                        1u64 << (32 - log2),
                        "memory size must be at most 4GiB".to_string(),
                    )
                };
                self.check_limits(m.limits, range, &msg)
            }
            IndexType::I64 => {
                if !self.features.memory64 {
                    return Err(ValidationError::module("memory64 is not enabled", 0));
                }
                // 2^64 bytes in pages; with 1-byte pages every u64 count fits.
                let range = 1u64.checked_shl(64 - log2).unwrap_or(u64::MAX);
                let msg = if log2 == 16 {
                    "memory size must be at most 2^48 pages (256TiB)"
                } else {
                    "memory size must be at most 2^64 bytes"
                };
                self.check_limits(m.limits, range, msg)
            }
        }
    }

    fn check_global_type(&self, g: &GlobalType) -> Result<(), ValidationError> {
        self.val_type_ok(g.val, 0)
    }

    fn check_imports(&mut self) -> Result<(), ValidationError> {
        let module = self.module;
        for import in &module.imports {
            match &import.desc {
                ImportDesc::Func(t) => {
                    self.type_idx_ok(*t)?;
                    self.func_types.push(*t);
                    self.num_imported_funcs += 1;
                }
                ImportDesc::Table(t) => {
                    self.check_table_type(t)?;
                    self.tables.push(*t);
                }
                ImportDesc::Memory(m) => {
                    self.check_memory_type(m)?;
                    self.memories.push(*m);
                }
                ImportDesc::Global(g) => {
                    self.check_global_type(g)?;
                    if g.mutable && !self.features.mutable_global {
                        return Err(ValidationError::module(
                            "mutable global imports are not enabled",
                            0,
                        ));
                    }
                    self.globals.push(*g);
                    self.num_imported_globals += 1;
                }
                ImportDesc::Tag(t) => {
                    if !self.features.exceptions {
                        return Err(ValidationError::module(
                            "exception handling is not enabled",
                            0,
                        ));
                    }
                    self.type_idx_ok(*t)?;
                }
            }
        }
        Ok(())
    }

    fn check_funcs(&mut self) -> Result<(), ValidationError> {
        let module = self.module;
        for t in &module.funcs {
            self.type_idx_ok(*t)?;
            self.func_types.push(*t);
        }
        if module.funcs.len() != self.code_len {
            return Err(ValidationError::module(
                "function and code section have inconsistent lengths",
                0,
            ));
        }
        Ok(())
    }

    /// C.refs: the functions named anywhere outside function bodies (and the start
    /// function): element segments, exports, global and table initializers.
    fn compute_declared_funcs(&mut self) {
        let module = self.module;
        let n = self.func_types.len();
        let mut bits = vec![0u64; n.div_ceil(64)];
        for e in &module.elements {
            match &e.items {
                ElemItems::Funcs(fs) => fs.iter().for_each(|f| set_bit(&mut bits, *f)),
                ElemItems::Exprs(es) => es.iter().for_each(|x| declare_in_expr(&mut bits, x)),
            }
        }
        for x in &module.exports {
            if x.kind == ExternKind::Func {
                set_bit(&mut bits, x.index);
            }
        }
        for g in &module.globals {
            declare_in_expr(&mut bits, &g.init);
        }
        for t in &module.tables {
            if let Some(init) = &t.init {
                declare_in_expr(&mut bits, init);
            }
        }
        self.declared_funcs = bits;
    }

    fn check_tables(&mut self) -> Result<(), ValidationError> {
        let module = self.module;
        for t in &module.tables {
            self.check_table_type(&t.ty)?;
            if let Some(init) = &t.init {
                self.check_const_expr(init, ValType::Ref(t.ty.elem), self.num_imported_globals)?;
            } else if !t.ty.elem.nullable {
                return Err(ValidationError::module("type mismatch", 0));
            }
            self.tables.push(t.ty);
        }
        if self.tables.len() > 1 && !self.features.reference_types {
            return Err(ValidationError::module("multiple tables", 0));
        }
        Ok(())
    }

    fn check_memories(&mut self) -> Result<(), ValidationError> {
        let module = self.module;
        for m in &module.memories {
            self.check_memory_type(m)?;
            self.memories.push(*m);
        }
        if self.memories.len() > 1 && !self.features.multi_memory {
            return Err(ValidationError::module("multiple memories", 0));
        }
        Ok(())
    }

    /// The number of leading globals a constant expression may read: only imported ones
    /// in Wasm 2.0; later proposals also allow earlier defined globals.
    fn const_visible_globals(&self, defined_before: u32) -> u32 {
        if self.features.gc || self.features.function_references || self.features.extended_const {
            self.num_imported_globals.saturating_add(defined_before)
        } else {
            self.num_imported_globals
        }
    }

    fn check_globals(&mut self) -> Result<(), ValidationError> {
        let module = self.module;
        for (i, g) in module.globals.iter().enumerate() {
            self.check_global_type(&g.ty)?;
            let visible = self.const_visible_globals(i as u32);
            self.check_const_expr(&g.init, g.ty.val, visible)?;
            self.globals.push(g.ty);
        }
        Ok(())
    }

    fn check_elems(&self) -> Result<(), ValidationError> {
        let visible = self.const_visible_globals(self.module.globals.len() as u32);
        for seg in &self.module.elements {
            if let Some(m) = ref_type_error(&self.features, self.module.types.len(), seg.ty) {
                return Err(ValidationError::module(m, 0));
            }
            match &seg.mode {
                ElemMode::Active { table, offset } => {
                    let Some(tt) = self.tables.get(*table as usize) else {
                        return Err(ValidationError::module(
                            format!("unknown table {table}"),
                            offset.offset,
                        ));
                    };
                    self.check_const_expr(offset, index_val_type(tt.index), visible)?;
                    if !self.ref_matches(seg.ty, tt.elem) {
                        return Err(ValidationError::module("type mismatch", offset.offset));
                    }
                }
                ElemMode::Passive | ElemMode::Declarative => {
                    if !self.features.bulk_memory && !self.features.reference_types {
                        return Err(ValidationError::module(
                            "passive and declarative element segments need bulk memory",
                            0,
                        ));
                    }
                }
            }
            match &seg.items {
                ElemItems::Funcs(fs) => {
                    if !self.ref_matches(RefType::FUNCREF, seg.ty)
                        && !(seg.ty.heap == HeapType::Func
                            && (self.features.function_references || self.features.gc))
                    {
                        return Err(ValidationError::module("type mismatch", 0));
                    }
                    for f in fs {
                        if *f as usize >= self.func_types.len() {
                            return Err(ValidationError::module(
                                format!("unknown function {f}"),
                                0,
                            ));
                        }
                    }
                }
                ElemItems::Exprs(es) => {
                    for e in es {
                        self.check_const_expr(e, ValType::Ref(seg.ty), visible)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn check_datas(&self) -> Result<(), ValidationError> {
        let module = self.module;
        let visible = self.const_visible_globals(module.globals.len() as u32);
        for seg in &module.data {
            match &seg.mode {
                DataMode::Active { memory, offset } => {
                    let Some(mt) = self.memories.get(*memory as usize) else {
                        return Err(ValidationError::module(
                            format!("unknown memory {memory}"),
                            offset.offset,
                        ));
                    };
                    self.check_const_expr(offset, index_val_type(mt.index), visible)?;
                }
                DataMode::Passive => {
                    if !self.features.bulk_memory {
                        return Err(ValidationError::module(
                            "passive data segments need bulk memory",
                            0,
                        ));
                    }
                }
            }
        }
        if let Some(n) = module.data_count {
            if n as usize != module.data.len() {
                return Err(ValidationError::module(
                    "data count and data section have inconsistent lengths",
                    0,
                ));
            }
        }
        Ok(())
    }

    fn check_start(&self) -> Result<(), ValidationError> {
        if let Some(s) = self.module.start {
            let Some(ty) = self.func_type(s) else {
                return Err(ValidationError::module(format!("unknown function {s}"), 0));
            };
            if !ty.params.is_empty() || !ty.results.is_empty() {
                return Err(ValidationError::module("start function", 0));
            }
        }
        Ok(())
    }

    fn check_exports(&self) -> Result<(), ValidationError> {
        let module = self.module;
        let mut names: HashSet<&str> = HashSet::with_capacity(module.exports.len());
        for x in &module.exports {
            let i = x.index;
            let known = match x.kind {
                ExternKind::Func => (i as usize) < self.func_types.len(),
                ExternKind::Table => (i as usize) < self.tables.len(),
                ExternKind::Memory => (i as usize) < self.memories.len(),
                ExternKind::Global => match self.globals.get(i as usize) {
                    Some(g) => {
                        if g.mutable && !self.features.mutable_global {
                            return Err(ValidationError::module(
                                "mutable global exports are not enabled",
                                0,
                            ));
                        }
                        true
                    }
                    None => false,
                },
                ExternKind::Tag => {
                    return Err(ValidationError::module(
                        "exception handling is not enabled",
                        0,
                    ))
                }
            };
            if !known {
                let what = match x.kind {
                    ExternKind::Func => "function",
                    ExternKind::Table => "table",
                    ExternKind::Memory => "memory",
                    ExternKind::Global => "global",
                    ExternKind::Tag => "tag",
                };
                return Err(ValidationError::module(format!("unknown {what} {i}"), 0));
            }
            if !names.insert(x.name.as_str()) {
                return Err(ValidationError::module("duplicate export name", 0));
            }
        }
        Ok(())
    }

    /// Reference subtyping. Wasm 2.0 has none beyond equality; the function-references
    /// proposal adds nullability and `(ref $t) <: (ref func)`.
    pub(crate) fn ref_matches(&self, actual: RefType, expected: RefType) -> bool {
        if actual == expected {
            return true;
        }
        if !(self.features.function_references || self.features.gc) {
            return false;
        }
        if actual.nullable && !expected.nullable {
            return false;
        }
        match (actual.heap, expected.heap) {
            (a, b) if a == b => true,
            (HeapType::Concrete(_), HeapType::Func) => true,
            (HeapType::NoFunc, HeapType::Func | HeapType::Concrete(_)) => true,
            (HeapType::NoExtern, HeapType::Extern) => true,
            _ => false,
        }
    }

    /// Value subtyping (see [`ModuleValidator::ref_matches`]).
    pub(crate) fn val_matches(&self, actual: ValType, expected: ValType) -> bool {
        match (actual, expected) {
            (ValType::Ref(a), ValType::Ref(b)) => self.ref_matches(a, b),
            (a, b) => a == b,
        }
    }

    /// Validates a constant expression producing exactly one value of type `expected`.
    /// `visible_globals` is how many leading globals `global.get` may read.
    fn check_const_expr(
        &self,
        expr: &ConstExpr,
        expected: ValType,
        visible_globals: u32,
    ) -> Result<(), ValidationError> {
        let at = expr.offset;
        let err = |m: String| Err(ValidationError::module(m, at));
        // `Vec::new` does not allocate; the one push of a plain constant does, once per
        // expression (module-level, not per instruction of a body).
        let mut stack: Vec<ValType> = Vec::new();
        for instr in &expr.instrs {
            let t = match instr {
                Instr::I32Const(_) => ValType::I32,
                Instr::I64Const(_) => ValType::I64,
                Instr::F32Const(_) => ValType::F32,
                Instr::F64Const(_) => ValType::F64,
                Instr::V128Const(_) => {
                    if !self.features.simd {
                        return err(SIMD_DISABLED.to_string());
                    }
                    ValType::V128
                }
                Instr::RefNull(h) => {
                    if let Some(m) = heap_type_error(&self.features, self.module.types.len(), *h) {
                        return err(m);
                    }
                    ValType::Ref(RefType {
                        nullable: true,
                        heap: *h,
                    })
                }
                Instr::RefFunc(f) => {
                    let Some(ti) = self.func_type_idx(*f) else {
                        return err(format!("unknown function {f}"));
                    };
                    if self.features.function_references || self.features.gc {
                        ValType::Ref(RefType {
                            nullable: false,
                            heap: HeapType::Concrete(ti),
                        })
                    } else {
                        ValType::FUNCREF
                    }
                }
                Instr::GlobalGet(g) => {
                    let Some(gt) = self
                        .globals
                        .get(*g as usize)
                        .filter(|_| *g < visible_globals)
                    else {
                        return err(format!("unknown global {g}"));
                    };
                    if gt.mutable {
                        return err("constant expression required".to_string());
                    }
                    gt.val
                }
                Instr::Numeric(
                    op @ (NumOp::I32Add
                    | NumOp::I32Sub
                    | NumOp::I32Mul
                    | NumOp::I64Add
                    | NumOp::I64Sub
                    | NumOp::I64Mul),
                ) if self.features.extended_const => {
                    let r = op.result();
                    for _ in 0..2 {
                        if stack.pop() != Some(r) {
                            return err("type mismatch".to_string());
                        }
                    }
                    r
                }
                _ => return err("constant expression required".to_string()),
            };
            stack.push(t);
        }
        match stack.as_slice() {
            [t] if self.val_matches(*t, expected) => Ok(()),
            _ => err("type mismatch".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wvm_binary::{DataSegment, ElemSegment, Export, Global, Import, Instr, Table, TableType};

    fn check(m: &Module) -> String {
        check_with(m, &Features::wasm2())
    }

    fn check_with(m: &Module, f: &Features) -> String {
        match ModuleValidator::new(m, f) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.message,
        }
    }

    fn global(val: ValType, mutable: bool, init: Vec<Instr>) -> Global {
        Global {
            ty: GlobalType { val, mutable },
            init: ConstExpr::new(init),
        }
    }

    fn import_global(m: &mut Module, mutable: bool) {
        m.imports.push(Import {
            module: "m".into(),
            name: "g".into(),
            desc: ImportDesc::Global(GlobalType {
                val: ValType::I32,
                mutable,
            }),
        });
    }

    #[test]
    fn const_exprs_read_only_imported_immutable_globals_in_wasm2() {
        let mut m = Module::new();
        m.globals
            .push(global(ValType::I32, false, vec![Instr::I32Const(1)]));
        m.globals
            .push(global(ValType::I32, false, vec![Instr::GlobalGet(0)]));
        assert_eq!(check(&m), "unknown global 0");
        // Extended constants (Wasm 3.0) may read earlier defined globals.
        let ext = Features {
            extended_const: true,
            ..Features::wasm2()
        };
        assert_eq!(check_with(&m, &ext), "ok");

        let mut m = Module::new();
        import_global(&mut m, false);
        m.globals
            .push(global(ValType::I32, false, vec![Instr::GlobalGet(0)]));
        assert_eq!(check(&m), "ok");
        let mut m = Module::new();
        import_global(&mut m, true);
        m.globals
            .push(global(ValType::I32, false, vec![Instr::GlobalGet(0)]));
        assert_eq!(check(&m), "constant expression required");
    }

    #[test]
    fn const_expr_shape_and_type() {
        let mut m = Module::new();
        m.globals
            .push(global(ValType::I32, false, vec![Instr::I64Const(1)]));
        assert_eq!(check(&m), "type mismatch");
        m.globals[0] = global(ValType::I32, false, vec![]);
        assert_eq!(check(&m), "type mismatch");
        m.globals[0] = global(
            ValType::I32,
            false,
            vec![Instr::I32Const(1), Instr::I32Const(2)],
        );
        assert_eq!(check(&m), "type mismatch");
        m.globals[0] = global(
            ValType::I32,
            false,
            vec![
                Instr::I32Const(1),
                Instr::I32Const(2),
                Instr::Numeric(NumOp::I32Add),
            ],
        );
        assert_eq!(check(&m), "constant expression required");
        let ext = Features {
            extended_const: true,
            ..Features::wasm2()
        };
        assert_eq!(check_with(&m, &ext), "ok");
        m.globals[0] = global(ValType::I32, false, vec![Instr::Nop]);
        assert_eq!(check(&m), "constant expression required");
    }

    #[test]
    fn limits() {
        let mut m = Module::new();
        m.memories.push(MemoryType::new(65537, None));
        assert_eq!(check(&m), "memory size must be at most 65536 pages (4GiB)");
        m.memories[0] = MemoryType::new(2, Some(1));
        assert_eq!(check(&m), "size minimum must not be greater than maximum");
        m.memories[0] = MemoryType::new(0, Some(65536));
        assert_eq!(check(&m), "ok");
        m.memories.push(MemoryType::new(0, None));
        assert_eq!(check(&m), "multiple memories");
        let mm = Features {
            multi_memory: true,
            ..Features::wasm2()
        };
        assert_eq!(check_with(&m, &mm), "ok");

        let mut m = Module::new();
        m.tables.push(Table {
            ty: TableType::new(RefType::FUNCREF, 3, Some(2)),
            init: None,
        });
        assert_eq!(check(&m), "size minimum must not be greater than maximum");
    }

    #[test]
    fn exports_and_start() {
        let mut m = Module::new();
        m.types.push(FuncType::new([ValType::I32], []));
        m.funcs.push(0);
        m.code
            .push(wvm_binary::FuncBody::new(vec![], vec![Instr::End]));
        let export = |name: &str, kind, index| Export {
            name: name.into(),
            kind,
            index,
        };
        m.exports.push(export("a", ExternKind::Func, 0));
        m.exports.push(export("b", ExternKind::Func, 0));
        assert_eq!(check(&m), "ok");
        m.exports.push(export("a", ExternKind::Func, 0));
        assert_eq!(check(&m), "duplicate export name");
        m.exports.pop();
        m.exports.push(export("c", ExternKind::Memory, 0));
        assert_eq!(check(&m), "unknown memory 0");
        m.exports.pop();
        m.start = Some(1);
        assert_eq!(check(&m), "unknown function 1");
        m.start = Some(0);
        assert_eq!(check(&m), "start function");
    }

    #[test]
    fn segments() {
        let mut m = Module::new();
        m.types.push(FuncType::new([], []));
        m.funcs.push(0);
        m.code
            .push(wvm_binary::FuncBody::new(vec![], vec![Instr::End]));
        m.data.push(DataSegment {
            mode: DataMode::Active {
                memory: 0,
                offset: ConstExpr::i32(0),
            },
            init: vec![],
        });
        assert_eq!(check(&m), "unknown memory 0");
        m.memories.push(MemoryType::new(1, None));
        assert_eq!(check(&m), "ok");
        m.data_count = Some(2);
        assert_eq!(
            check(&m),
            "data count and data section have inconsistent lengths"
        );
        m.data_count = None;

        let active = |table| ElemMode::Active {
            table,
            offset: ConstExpr::i32(0),
        };
        m.elements.push(ElemSegment {
            mode: active(0),
            ty: RefType::FUNCREF,
            items: ElemItems::Funcs(vec![0]),
        });
        assert_eq!(check(&m), "unknown table 0");
        m.tables.push(Table {
            ty: TableType::new(RefType::EXTERNREF, 1, None),
            init: None,
        });
        assert_eq!(check(&m), "type mismatch");
        m.tables[0].ty.elem = RefType::FUNCREF;
        assert_eq!(check(&m), "ok");
        m.elements[0].items = ElemItems::Funcs(vec![5]);
        assert_eq!(check(&m), "unknown function 5");
    }

    #[test]
    fn declared_function_references() {
        let mut m = Module::new();
        m.types.push(FuncType::new([], []));
        for _ in 0..130 {
            m.funcs.push(0);
            m.code
                .push(wvm_binary::FuncBody::new(vec![], vec![Instr::End]));
        }
        m.globals
            .push(global(ValType::FUNCREF, false, vec![Instr::RefFunc(129)]));
        m.exports.push(Export {
            name: "f".into(),
            kind: ExternKind::Func,
            index: 64,
        });
        m.elements.push(ElemSegment {
            mode: ElemMode::Declarative,
            ty: RefType::FUNCREF,
            items: ElemItems::Exprs(vec![ConstExpr::new(vec![Instr::RefFunc(3)])]),
        });
        let mv = ModuleValidator::new(&m, &Features::wasm2()).expect("valid");
        let declared: Vec<u32> = (0..140).filter(|i| mv.is_declared_func(*i)).collect();
        assert_eq!(declared, vec![3, 64, 129]);
    }

    #[test]
    fn signature_limits() {
        let mut m = Module::new();
        m.types.push(FuncType::new(
            vec![ValType::I32; MAX_FUNC_PARAMS],
            [ValType::I32],
        ));
        assert_eq!(check(&m), "ok");
        m.types
            .push(FuncType::new(vec![ValType::I32; MAX_FUNC_PARAMS + 1], []));
        assert!(check(&m).contains("too many parameters"));
        m.types.pop();
        m.types
            .push(FuncType::new([], vec![ValType::I32; MAX_FUNC_RESULTS + 1]));
        assert!(check(&m).contains("too many results"));
    }

    #[test]
    fn simd_types_need_the_feature() {
        let mut m = Module::new();
        m.types.push(FuncType::new([ValType::V128], []));
        assert_eq!(check(&m), SIMD_DISABLED);
        let simd = Features {
            simd: true,
            ..Features::wasm2()
        };
        assert_eq!(check_with(&m, &simd), "ok");
    }
}
