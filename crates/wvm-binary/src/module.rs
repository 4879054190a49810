//! The module IR: an owned, plain-data picture of a WebAssembly module.
//!
//! Index spaces follow the specification: imported functions, tables, memories and globals come
//! first, then the ones the module defines. The helpers at the bottom resolve an index in either
//! part.

use crate::instr::Instr;
use crate::types::{ExternKind, FuncType, GlobalType, MemoryType, RefType, TableType, ValType};

/// A decoded (or built) WebAssembly module.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Module {
    /// The binary version field (1 for every released format; 0x0d for the pre-release).
    pub version: u32,
    pub types: Vec<FuncType>,
    pub imports: Vec<Import>,
    /// Type index of each function the module defines (function section).
    pub funcs: Vec<u32>,
    pub tables: Vec<Table>,
    pub memories: Vec<MemoryType>,
    pub globals: Vec<Global>,
    pub exports: Vec<Export>,
    pub start: Option<u32>,
    pub elements: Vec<ElemSegment>,
    /// The data count section, when present.
    pub data_count: Option<u32>,
    /// One body per defined function, in the order of `funcs`.
    pub code: Vec<FuncBody>,
    pub data: Vec<DataSegment>,
    /// Every custom section as found (including `name`), so encoding reproduces them.
    pub customs: Vec<CustomSection>,
    /// The decoded `name` section, if any.
    pub names: Option<Names>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub desc: ImportDesc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ImportDesc {
    /// A function of the given type index.
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// An exception tag of the given type index (Wasm 3.0).
    Tag(u32),
}

impl ImportDesc {
    pub fn kind(&self) -> ExternKind {
        match self {
            ImportDesc::Func(_) => ExternKind::Func,
            ImportDesc::Table(_) => ExternKind::Table,
            ImportDesc::Memory(_) => ExternKind::Memory,
            ImportDesc::Global(_) => ExternKind::Global,
            ImportDesc::Tag(_) => ExternKind::Tag,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    pub name: String,
    pub kind: ExternKind,
    pub index: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub ty: TableType,
    /// Initial element expression (function-references proposal); `None` means null.
    pub init: Option<ConstExpr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Global {
    pub ty: GlobalType,
    pub init: ConstExpr,
}

/// A constant expression: its instructions without the terminating `end`.
#[derive(Clone, Debug, Default)]
pub struct ConstExpr {
    pub instrs: Vec<Instr>,
    /// Byte offset of the expression in the binary it came from (0 when built in code).
    pub offset: usize,
}

impl PartialEq for ConstExpr {
    /// Expressions are equal when their instructions are; byte offsets do not count
    /// (as for [`FuncBody`]), so a decoded module equals the module it was encoded from.
    fn eq(&self, other: &Self) -> bool {
        self.instrs == other.instrs
    }
}

impl ConstExpr {
    pub fn new(instrs: Vec<Instr>) -> Self {
        ConstExpr { instrs, offset: 0 }
    }
    pub fn i32(v: i32) -> Self {
        ConstExpr::new(vec![Instr::I32Const(v)])
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ElemMode {
    Passive,
    Active { table: u32, offset: ConstExpr },
    Declarative,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ElemItems {
    /// Function indices (the `elemkind 0x00` encodings).
    Funcs(Vec<u32>),
    /// Reference-typed constant expressions.
    Exprs(Vec<ConstExpr>),
}

impl ElemItems {
    pub fn len(&self) -> usize {
        match self {
            ElemItems::Funcs(v) => v.len(),
            ElemItems::Exprs(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ElemSegment {
    pub mode: ElemMode,
    pub ty: RefType,
    pub items: ElemItems,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DataMode {
    Passive,
    Active { memory: u32, offset: ConstExpr },
}

#[derive(Clone, Debug, PartialEq)]
pub struct DataSegment {
    pub mode: DataMode,
    pub init: Vec<u8>,
}

/// A function body: local declarations (run-length, as encoded) and instructions.
/// The instruction list ends with the function's final `End`.
#[derive(Clone, Debug, Default)]
pub struct FuncBody {
    pub locals: Vec<(u32, ValType)>,
    pub instrs: Vec<Instr>,
    /// Absolute byte offset of each instruction in the binary it was decoded from; empty for
    /// bodies built in code. Used for error messages, trap backtraces and listings.
    pub offsets: Vec<u32>,
    /// Absolute byte offset of the body (its size field) in the binary; 0 when built.
    pub offset: usize,
}

impl PartialEq for FuncBody {
    /// Bodies are equal when their locals and instructions are; byte offsets do not count.
    fn eq(&self, other: &Self) -> bool {
        self.locals == other.locals && self.instrs == other.instrs
    }
}

impl FuncBody {
    pub fn new(locals: Vec<(u32, ValType)>, instrs: Vec<Instr>) -> Self {
        FuncBody {
            locals,
            instrs,
            offsets: Vec::new(),
            offset: 0,
        }
    }

    /// Total number of declared locals (parameters not included), saturating.
    pub fn num_locals(&self) -> u64 {
        self.locals.iter().map(|(n, _)| *n as u64).sum()
    }
}

/// Where a custom section stood: after the last standard section with this id
/// (0 = before all standard sections).
#[derive(Clone, Debug, PartialEq)]
pub struct CustomSection {
    pub name: String,
    pub data: Vec<u8>,
    pub after_section: u8,
}

/// The decoded `name` custom section.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Names {
    pub module: Option<String>,
    /// (function index, name), ascending by index.
    pub functions: Vec<(u32, String)>,
    /// (function index, [(local index, name)]).
    pub locals: Vec<(u32, Vec<(u32, String)>)>,
}

impl Names {
    pub fn function(&self, idx: u32) -> Option<&str> {
        self.functions
            .binary_search_by_key(&idx, |(i, _)| *i)
            .ok()
            .map(|i| self.functions[i].1.as_str())
    }
}

impl Module {
    pub fn new() -> Self {
        Module {
            version: 1,
            ..Default::default()
        }
    }

    fn imports_of(&self, kind: ExternKind) -> impl Iterator<Item = &ImportDesc> {
        self.imports
            .iter()
            .map(|i| &i.desc)
            .filter(move |d| d.kind() == kind)
    }

    pub fn num_imported_funcs(&self) -> u32 {
        self.imports_of(ExternKind::Func).count() as u32
    }
    pub fn num_imported_tables(&self) -> u32 {
        self.imports_of(ExternKind::Table).count() as u32
    }
    pub fn num_imported_memories(&self) -> u32 {
        self.imports_of(ExternKind::Memory).count() as u32
    }
    pub fn num_imported_globals(&self) -> u32 {
        self.imports_of(ExternKind::Global).count() as u32
    }

    /// Total sizes of the index spaces (imports plus definitions).
    pub fn num_funcs(&self) -> u32 {
        self.num_imported_funcs() + self.funcs.len() as u32
    }
    pub fn num_tables(&self) -> u32 {
        self.num_imported_tables() + self.tables.len() as u32
    }
    pub fn num_memories(&self) -> u32 {
        self.num_imported_memories() + self.memories.len() as u32
    }
    pub fn num_globals(&self) -> u32 {
        self.num_imported_globals() + self.globals.len() as u32
    }

    /// Type index of every function in the function index space (imports first), built in
    /// one pass: use it instead of [`Module::func_type_idx`] when looking up many functions.
    pub fn func_type_indices(&self) -> Vec<u32> {
        self.imports
            .iter()
            .filter_map(|i| match i.desc {
                ImportDesc::Func(t) => Some(t),
                _ => None,
            })
            .chain(self.funcs.iter().copied())
            .collect()
    }

    /// Type index of function `idx` in the function index space.
    pub fn func_type_idx(&self, idx: u32) -> Option<u32> {
        let mut imported = 0u32;
        for d in self.imports_of(ExternKind::Func) {
            if imported == idx {
                if let ImportDesc::Func(t) = d {
                    return Some(*t);
                }
            }
            imported += 1;
        }
        self.funcs.get((idx - imported) as usize).copied()
    }

    /// Signature of function `idx` in the function index space.
    pub fn func_type(&self, idx: u32) -> Option<&FuncType> {
        self.func_type_idx(idx)
            .and_then(|t| self.types.get(t as usize))
    }

    /// Type of table `idx` in the table index space.
    pub fn table_type(&self, idx: u32) -> Option<TableType> {
        let mut imported = 0u32;
        for d in self.imports_of(ExternKind::Table) {
            if let ImportDesc::Table(t) = d {
                if imported == idx {
                    return Some(*t);
                }
            }
            imported += 1;
        }
        self.tables.get((idx - imported) as usize).map(|t| t.ty)
    }

    /// Type of memory `idx` in the memory index space.
    pub fn memory_type(&self, idx: u32) -> Option<MemoryType> {
        let mut imported = 0u32;
        for d in self.imports_of(ExternKind::Memory) {
            if let ImportDesc::Memory(t) = d {
                if imported == idx {
                    return Some(*t);
                }
            }
            imported += 1;
        }
        self.memories.get((idx - imported) as usize).copied()
    }

    /// Type of global `idx` in the global index space.
    pub fn global_type(&self, idx: u32) -> Option<GlobalType> {
        let mut imported = 0u32;
        for d in self.imports_of(ExternKind::Global) {
            if let ImportDesc::Global(t) = d {
                if imported == idx {
                    return Some(*t);
                }
            }
            imported += 1;
        }
        self.globals.get((idx - imported) as usize).map(|g| g.ty)
    }

    /// The name of function `idx` from the name section, if any.
    pub fn func_name(&self, idx: u32) -> Option<&str> {
        self.names.as_ref().and_then(|n| n.function(idx))
    }
}
