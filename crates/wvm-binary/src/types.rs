//! Value, reference, function, table, memory and global types.
//!
//! The shapes leave room for Wasm 3.0: reference types carry a nullability bit and a
//! heap type (so typed function references and GC types fit), memories and tables carry
//! an index type (memory64 / table64) and limits are 64-bit.

use core::fmt;

/// A WebAssembly value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    V128,
    Ref(RefType),
}

impl ValType {
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);

    /// True for numeric and vector types (the ones `select` without a type accepts).
    pub fn is_num_or_vec(self) -> bool {
        !matches!(self, ValType::Ref(_))
    }

    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }

    /// Whether a local of this type has a default value (non-nullable references do not).
    pub fn is_defaultable(self) -> bool {
        match self {
            ValType::Ref(r) => r.nullable,
            _ => true,
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValType::I32 => f.write_str("i32"),
            ValType::I64 => f.write_str("i64"),
            ValType::F32 => f.write_str("f32"),
            ValType::F64 => f.write_str("f64"),
            ValType::V128 => f.write_str("v128"),
            ValType::Ref(r) => r.fmt(f),
        }
    }
}

/// The heap type a reference points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// Any function (`func`).
    Func,
    /// Host references (`extern`).
    Extern,
    /// A concrete type from the type section (function references / GC).
    Concrete(u32),
    // Wasm 3.0 abstract heap types, decoded once the GC / exceptions proposals land.
    Any,
    Eq,
    I31,
    Struct,
    Array,
    None,
    NoFunc,
    NoExtern,
    Exn,
    NoExn,
}

impl fmt::Display for HeapType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            HeapType::Func => "func",
            HeapType::Extern => "extern",
            HeapType::Concrete(i) => return write!(f, "{i}"),
            HeapType::Any => "any",
            HeapType::Eq => "eq",
            HeapType::I31 => "i31",
            HeapType::Struct => "struct",
            HeapType::Array => "array",
            HeapType::None => "none",
            HeapType::NoFunc => "nofunc",
            HeapType::NoExtern => "noextern",
            HeapType::Exn => "exn",
            HeapType::NoExn => "noexn",
        };
        f.write_str(s)
    }
}

/// A reference type: nullability plus heap type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RefType {
    pub nullable: bool,
    pub heap: HeapType,
}

impl RefType {
    pub const FUNCREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Func,
    };
    pub const EXTERNREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Extern,
    };
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.nullable, self.heap) {
            (true, HeapType::Func) => f.write_str("funcref"),
            (true, HeapType::Extern) => f.write_str("externref"),
            (true, h) => write!(f, "(ref null {h})"),
            (false, h) => write!(f, "(ref {h})"),
        }
    }
}

/// A function signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    pub params: Box<[ValType]>,
    pub results: Box<[ValType]>,
}

impl FuncType {
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        FuncType {
            params: params.into_iter().collect(),
            results: results.into_iter().collect(),
        }
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        if !self.params.is_empty() {
            f.write_str(" (param")?;
            for p in self.params.iter() {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        if !self.results.is_empty() {
            f.write_str(" (result")?;
            for r in self.results.iter() {
                write!(f, " {r}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// Size limits of a table or memory. 64-bit so memory64 / table64 fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    pub min: u64,
    pub max: Option<u64>,
}

/// The index type of a memory or table (memory64 / table64).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum IndexType {
    #[default]
    I32,
    I64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemoryType {
    pub limits: Limits,
    pub index: IndexType,
    pub shared: bool,
    /// log2 of the page size (custom-page-sizes proposal); `None` means 64 KiB pages.
    pub page_size_log2: Option<u32>,
}

impl MemoryType {
    pub const PAGE_SIZE: u64 = 65536;

    pub fn new(min: u64, max: Option<u64>) -> Self {
        MemoryType {
            limits: Limits { min, max },
            index: IndexType::I32,
            shared: false,
            page_size_log2: None,
        }
    }

    pub fn page_size(&self) -> u64 {
        match self.page_size_log2 {
            Some(l) => 1u64 << l,
            None => Self::PAGE_SIZE,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TableType {
    pub elem: RefType,
    pub limits: Limits,
    pub index: IndexType,
}

impl TableType {
    pub fn new(elem: RefType, min: u64, max: Option<u64>) -> Self {
        TableType {
            elem,
            limits: Limits { min, max },
            index: IndexType::I32,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalType {
    pub val: ValType,
    pub mutable: bool,
}

/// WAT-like limits: `1`, `1 2`, preceded by `i64` for a 64-bit index type.
fn fmt_limits(f: &mut fmt::Formatter<'_>, index: IndexType, limits: &Limits) -> fmt::Result {
    if index == IndexType::I64 {
        f.write_str(" i64")?;
    }
    write!(f, " {}", limits.min)?;
    if let Some(max) = limits.max {
        write!(f, " {max}")?;
    }
    Ok(())
}

/// `(memory 1 2)`, `(memory i64 1)`, `(memory 1 1 shared)`, `(memory 0 (pagesize 1))`.
impl fmt::Display for MemoryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(memory")?;
        fmt_limits(f, self.index, &self.limits)?;
        if self.shared {
            f.write_str(" shared")?;
        }
        if self.page_size_log2.is_some() {
            write!(f, " (pagesize {})", self.page_size())?;
        }
        f.write_str(")")
    }
}

/// `(table 0 funcref)`, `(table i64 1 10 externref)`.
impl fmt::Display for TableType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(table")?;
        fmt_limits(f, self.index, &self.limits)?;
        write!(f, " {})", self.elem)
    }
}

/// `(global i64)`, `(global (mut i32))`.
impl fmt::Display for GlobalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mutable {
            write!(f, "(global (mut {}))", self.val)
        } else {
            write!(f, "(global {})", self.val)
        }
    }
}

/// The kind of an import or export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExternKind {
    Func,
    Table,
    Memory,
    Global,
    Tag,
}

impl fmt::Display for ExternKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExternKind::Func => "func",
            ExternKind::Table => "table",
            ExternKind::Memory => "memory",
            ExternKind::Global => "global",
            ExternKind::Tag => "tag",
        })
    }
}
