//! Building modules in code.
//!
//! The seed's factorial module (a function `i64 -> i64` exported as `factorial`):
//!
//! ```
//! use wvm_binary::{builder::ModuleBuilder, decode, encode, Features};
//! use wvm_binary::{BlockType, Instr::*, NumOp::*, ValType::I64};
//!
//! let mut b = ModuleBuilder::new();
//! let ty = b.func_type([I64], [I64]);
//! let fac = b.next_func_index();
//! let f = b.func(ty, [], vec![
//!     LocalGet(0), I64Const(0), Numeric(I64Eq),
//!     If(BlockType::Value(I64)),
//!         I64Const(1),
//!     Else,
//!         LocalGet(0),
//!         LocalGet(0), I64Const(1), Numeric(I64Sub),
//!         Call(fac),
//!         Numeric(I64Mul),
//!     End,
//!     End,
//! ]);
//! b.export_func("factorial", f);
//! let m = b.finish();
//!
//! let bytes = encode(&m);
//! assert_eq!(decode(&bytes, &Features::default()).unwrap(), m);
//! ```

use crate::decode::encode_names;
use crate::instr::Instr;
use crate::module::{
    ConstExpr, CustomSection, DataMode, DataSegment, ElemItems, ElemMode, ElemSegment, Export,
    FuncBody, Global, Import, ImportDesc, Module, Names, Table,
};
use crate::types::{ExternKind, FuncType, GlobalType, MemoryType, RefType, TableType, ValType};

/// Accumulates a [`Module`]. Index-returning methods give indices in the module's index
/// spaces (imports first), so add imports before definitions.
#[derive(Debug, Default)]
pub struct ModuleBuilder {
    m: Module,
    names: Names,
}

impl ModuleBuilder {
    pub fn new() -> Self {
        ModuleBuilder {
            m: Module::new(),
            names: Names::default(),
        }
    }

    /// Adds (or reuses) a function type and returns its index.
    pub fn func_type(
        &mut self,
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> u32 {
        let ft = FuncType::new(params, results);
        if let Some(i) = self.m.types.iter().position(|t| *t == ft) {
            return i as u32;
        }
        self.m.types.push(ft);
        (self.m.types.len() - 1) as u32
    }

    /// The index the next defined function will get (for recursive calls).
    pub fn next_func_index(&self) -> u32 {
        self.m.num_funcs()
    }

    /// Defines a function with the given extra locals and body (which must end with `End`;
    /// one is appended if missing). Returns its function index.
    pub fn func(
        &mut self,
        ty: u32,
        locals: impl IntoIterator<Item = ValType>,
        mut body: Vec<Instr>,
    ) -> u32 {
        let idx = self.next_func_index();
        let mut runs: Vec<(u32, ValType)> = Vec::new();
        for t in locals {
            match runs.last_mut() {
                Some((n, last)) if *last == t => *n += 1,
                _ => runs.push((1, t)),
            }
        }
        if body.last() != Some(&Instr::End) {
            body.push(Instr::End);
        }
        self.m.funcs.push(ty);
        self.m.code.push(FuncBody::new(runs, body));
        idx
    }

    fn import(&mut self, module: &str, name: &str, desc: ImportDesc) {
        self.m.imports.push(Import {
            module: module.to_owned(),
            name: name.to_owned(),
            desc,
        });
    }

    /// Imports a function of type `ty`; returns its function index.
    pub fn import_func(&mut self, module: &str, name: &str, ty: u32) -> u32 {
        let idx = self.m.num_imported_funcs();
        self.import(module, name, ImportDesc::Func(ty));
        idx
    }

    pub fn import_memory(&mut self, module: &str, name: &str, min: u64, max: Option<u64>) -> u32 {
        let idx = self.m.num_imported_memories();
        self.import(module, name, ImportDesc::Memory(MemoryType::new(min, max)));
        idx
    }

    pub fn import_table(&mut self, module: &str, name: &str, ty: TableType) -> u32 {
        let idx = self.m.num_imported_tables();
        self.import(module, name, ImportDesc::Table(ty));
        idx
    }

    pub fn import_global(&mut self, module: &str, name: &str, ty: GlobalType) -> u32 {
        let idx = self.m.num_imported_globals();
        self.import(module, name, ImportDesc::Global(ty));
        idx
    }

    /// Defines a memory of `min` (and at most `max`) 64 KiB pages.
    pub fn memory(&mut self, min: u64, max: Option<u64>) -> u32 {
        self.m.memories.push(MemoryType::new(min, max));
        self.m.num_memories() - 1
    }

    pub fn table(&mut self, elem: RefType, min: u64, max: Option<u64>) -> u32 {
        self.m.tables.push(Table {
            ty: TableType::new(elem, min, max),
            init: None,
        });
        self.m.num_tables() - 1
    }

    pub fn global(&mut self, val: ValType, mutable: bool, init: Vec<Instr>) -> u32 {
        self.m.globals.push(Global {
            ty: GlobalType { val, mutable },
            init: ConstExpr::new(init),
        });
        self.m.num_globals() - 1
    }

    fn export(&mut self, name: &str, kind: ExternKind, index: u32) {
        self.m.exports.push(Export {
            name: name.to_owned(),
            kind,
            index,
        });
    }

    pub fn export_func(&mut self, name: &str, f: u32) {
        self.export(name, ExternKind::Func, f);
    }
    pub fn export_memory(&mut self, name: &str, mem: u32) {
        self.export(name, ExternKind::Memory, mem);
    }
    pub fn export_table(&mut self, name: &str, t: u32) {
        self.export(name, ExternKind::Table, t);
    }
    pub fn export_global(&mut self, name: &str, g: u32) {
        self.export(name, ExternKind::Global, g);
    }

    /// An active data segment at constant `offset` of memory `memory`.
    pub fn data(&mut self, memory: u32, offset: i32, bytes: impl Into<Vec<u8>>) -> u32 {
        self.m.data.push(DataSegment {
            mode: DataMode::Active {
                memory,
                offset: ConstExpr::i32(offset),
            },
            init: bytes.into(),
        });
        (self.m.data.len() - 1) as u32
    }

    /// A passive data segment (for `memory.init`); also adds the data count section.
    pub fn passive_data(&mut self, bytes: impl Into<Vec<u8>>) -> u32 {
        self.m.data.push(DataSegment {
            mode: DataMode::Passive,
            init: bytes.into(),
        });
        self.m.data_count = Some(self.m.data.len() as u32);
        (self.m.data.len() - 1) as u32
    }

    /// An active element segment putting `funcs` into `table` at constant `offset`.
    pub fn elements(&mut self, table: u32, offset: i32, funcs: impl Into<Vec<u32>>) -> u32 {
        self.m.elements.push(ElemSegment {
            mode: ElemMode::Active {
                table,
                offset: ConstExpr::i32(offset),
            },
            ty: RefType::FUNCREF,
            items: ElemItems::Funcs(funcs.into()),
        });
        (self.m.elements.len() - 1) as u32
    }

    pub fn start(&mut self, f: u32) {
        self.m.start = Some(f);
    }

    pub fn module_name(&mut self, name: &str) {
        self.names.module = Some(name.to_owned());
    }

    pub fn func_name(&mut self, f: u32, name: &str) {
        let pos = self.names.functions.partition_point(|(i, _)| *i < f);
        match self.names.functions.get_mut(pos) {
            Some((i, n)) if *i == f => *n = name.to_owned(),
            _ => self.names.functions.insert(pos, (f, name.to_owned())),
        }
    }

    pub fn local_name(&mut self, f: u32, local: u32, name: &str) {
        let pos = self.names.locals.partition_point(|(i, _)| *i < f);
        if self.names.locals.get(pos).map(|(i, _)| *i) != Some(f) {
            self.names.locals.insert(pos, (f, Vec::new()));
        }
        let map = &mut self.names.locals[pos].1;
        let lpos = map.partition_point(|(i, _)| *i < local);
        match map.get_mut(lpos) {
            Some((i, n)) if *i == local => *n = name.to_owned(),
            _ => map.insert(lpos, (local, name.to_owned())),
        }
    }

    /// Direct access to the module being built, for anything without a convenience method.
    pub fn module_mut(&mut self) -> &mut Module {
        &mut self.m
    }

    /// The finished module. Names, if any were given, are stored both decoded and as a
    /// `name` custom section, exactly as decoding the encoded module yields them.
    pub fn finish(mut self) -> Module {
        let has_names = self.names.module.is_some()
            || !self.names.functions.is_empty()
            || !self.names.locals.is_empty();
        if has_names {
            let last = [11u8, 10, 12, 9, 8, 7, 6, 5, 4, 3, 2, 1]
                .into_iter()
                .find(|id| section_present(&self.m, *id))
                .unwrap_or(0);
            self.m.customs.push(CustomSection {
                name: "name".to_owned(),
                data: encode_names(&self.names),
                after_section: last,
            });
            self.m.names = Some(self.names);
        }
        self.m
    }
}

fn section_present(m: &Module, id: u8) -> bool {
    match id {
        1 => !m.types.is_empty(),
        2 => !m.imports.is_empty(),
        3 => !m.funcs.is_empty(),
        4 => !m.tables.is_empty(),
        5 => !m.memories.is_empty(),
        6 => !m.globals.is_empty(),
        7 => !m.exports.is_empty(),
        8 => m.start.is_some(),
        9 => !m.elements.is_empty(),
        10 => !m.code.is_empty(),
        11 => !m.data.is_empty(),
        12 => m.data_count.is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{decode, encode, Features};

    #[test]
    fn conveniences_roundtrip() {
        let mut b = ModuleBuilder::new();
        let t = b.func_type([ValType::I32], []);
        assert_eq!(b.func_type([ValType::I32], []), t, "types are shared");
        let log = b.import_func("env", "log", t);
        let mem = b.memory(1, Some(2));
        let g = b.global(ValType::I32, true, vec![Instr::I32Const(7)]);
        let tab = b.table(RefType::FUNCREF, 1, None);
        let main_ty = b.func_type([], []);
        let main = b.func(
            main_ty,
            [ValType::I32, ValType::I32, ValType::I64],
            vec![Instr::GlobalGet(g), Instr::Call(log)],
        );
        assert_eq!((log, main), (0, 1));
        b.elements(tab, 0, vec![main]);
        b.data(mem, 16, b"hi".to_vec());
        b.passive_data(b"p".to_vec());
        b.export_memory("mem", mem);
        b.export_func("main", main);
        b.export_global("g", g);
        b.export_table("t", tab);
        b.start(main);
        b.module_name("demo");
        b.func_name(main, "main");
        b.func_name(log, "log");
        b.local_name(main, 0, "a");
        let m = b.finish();
        assert_eq!(m.code[0].locals, vec![(2, ValType::I32), (1, ValType::I64)]);
        assert_eq!(m.code[0].instrs.last(), Some(&Instr::End));
        assert_eq!(m.func_name(1), Some("main"));
        assert_eq!(m.func_name(0), Some("log"));
        let bytes = encode(&m);
        let back = decode(&bytes, &Features::default()).unwrap();
        assert_eq!(back, m);
        assert_eq!(encode(&back), bytes);
    }
}
