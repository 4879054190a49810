//! [`Instance`] and instantiation as the specification defines it.

use crate::config::Engine;
use crate::error::{Error, TrapCode};
use crate::func::{Func, TypedFunc, WasmParams, WasmResults};
use crate::global::Global;
use crate::memory::Memory;
use crate::module::Module;
use crate::store::{
    AsContext, AsContextMut, FuncKind, GlobalEntity, InstanceEntity, MemoryEntity, Store, StoreId,
    StoreInner, TableEntity,
};
use crate::table::Table;
use crate::Extern;
use wvm_binary::{
    ConstExpr, DataMode, ElemItems, ElemMode, ExternKind, ImportDesc, Instr, Limits, NumOp,
};

/// An instantiated module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instance {
    pub(crate) store: StoreId,
    pub(crate) idx: u32,
}

impl Instance {
    pub(crate) fn from_index(store: StoreId, idx: u32) -> Self {
        Instance { store, idx }
    }

    /// Instantiates `module` with `imports` given in the order of the module's imports.
    pub fn new(
        mut ctx: impl AsContextMut,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance, Error> {
        instantiate(ctx.as_context_mut().store, module, imports)
    }

    fn entity<'a>(&self, inner: &'a StoreInner) -> Option<&'a InstanceEntity> {
        if inner.id != self.store {
            return None;
        }
        inner.instances.get(self.idx as usize)
    }

    /// The export called `name`.
    pub fn get_export(&self, ctx: impl AsContext, name: &str) -> Option<Extern> {
        let c = ctx.as_context();
        let e = self.entity(&c.store.inner)?;
        e.exports.iter().find(|(n, _)| n == name).map(|(_, x)| *x)
    }

    /// The exported function called `name`.
    pub fn get_func(&self, ctx: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(ctx, name)?.into_func()
    }

    /// The exported function called `name`, with its signature checked against `P -> R`.
    pub fn get_typed_func<P: WasmParams, R: WasmResults>(
        &self,
        ctx: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<P, R>, Error> {
        let c = ctx.as_context();
        let f = self
            .get_func(&c, name)
            .ok_or_else(|| Error::usage(format!("no exported function named `{name}`")))?;
        f.typed(&c)
    }

    /// The exported memory called `name`.
    pub fn get_memory(&self, ctx: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(ctx, name)?.into_memory()
    }

    /// The exported global called `name`.
    pub fn get_global(&self, ctx: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(ctx, name)?.into_global()
    }

    /// The exported table called `name`.
    pub fn get_table(&self, ctx: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(ctx, name)?.into_table()
    }

    /// All exports, in the module's order.
    pub fn exports(&self, ctx: impl AsContext) -> Vec<(String, Extern)> {
        let c = ctx.as_context();
        self.entity(&c.store.inner)
            .map(|e| e.exports.clone())
            .unwrap_or_default()
    }

    /// The module this instance was created from.
    pub fn module(&self, ctx: impl AsContext) -> Option<Module> {
        let c = ctx.as_context();
        self.entity(&c.store.inner).map(|e| e.module.clone())
    }
}

fn incompatible(imp: &wvm_binary::Import, why: String) -> Error {
    Error::link(format!(
        "incompatible import type for `{}::{}`: {why}",
        imp.module, imp.name
    ))
}

/// Limits subtyping: the actual object (current size `min`) must fit the expected limits.
fn limits_match(actual: Limits, expected: Limits) -> bool {
    actual.min >= expected.min
        && match expected.max {
            None => true,
            Some(em) => matches!(actual.max, Some(am) if am <= em),
        }
}

/// Evaluates a constant expression to a cell.
fn eval_const(
    inner: &StoreInner,
    e: &ConstExpr,
    globals: &[u32],
    funcs: &[u32],
) -> Result<u64, Error> {
    eval_const_wide(inner, e, globals, funcs).map(|v| v as u64)
}

/// Evaluates a constant expression (`v128` values use all 128 bits).
fn eval_const_wide(
    inner: &StoreInner,
    e: &ConstExpr,
    globals: &[u32],
    funcs: &[u32],
) -> Result<u128, Error> {
    let bad = || Error::usage("unsupported constant expression");
    let mut st: Vec<u128> = Vec::with_capacity(2);
    for i in &e.instrs {
        let v = match i {
            Instr::I32Const(v) => *v as u32 as u128,
            Instr::I64Const(v) => *v as u64 as u128,
            Instr::F32Const(v) => *v as u128,
            Instr::F64Const(v) => *v as u128,
            Instr::V128Const(b) => u128::from_le_bytes(*b),
            Instr::RefNull(_) => 0,
            Instr::RefFunc(f) => *funcs.get(*f as usize).ok_or_else(bad)? as u128 + 1,
            Instr::GlobalGet(g) => {
                let gi = *globals.get(*g as usize).ok_or_else(bad)?;
                let g = inner.globals.get(gi as usize).ok_or_else(bad)?;
                g.value as u128 | (g.hi as u128) << 64
            }
            Instr::Numeric(op) => {
                let b = st.pop().ok_or_else(bad)? as u64;
                let a = st.pop().ok_or_else(bad)? as u64;
                let r = match op {
                    NumOp::I32Add => (a as u32).wrapping_add(b as u32) as u64,
                    NumOp::I32Sub => (a as u32).wrapping_sub(b as u32) as u64,
                    NumOp::I32Mul => (a as u32).wrapping_mul(b as u32) as u64,
                    NumOp::I64Add => a.wrapping_add(b),
                    NumOp::I64Sub => a.wrapping_sub(b),
                    NumOp::I64Mul => a.wrapping_mul(b),
                    _ => return Err(bad()),
                };
                r as u128
            }
            _ => return Err(bad()),
        };
        st.push(v);
    }
    st.pop().ok_or_else(bad)
}

pub(crate) fn instantiate<T>(
    store: &mut Store<T>,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance, Error> {
    if !Engine::same(store.engine(), module.engine()) {
        return Err(Error::usage("module was compiled for a different engine"));
    }
    let ir = &module.inner.ir;
    crate::limits::check_instantiation(store, ir)?;
    if imports.len() != ir.imports.len() {
        return Err(Error::link(format!(
            "expected {} imports, found {}",
            ir.imports.len(),
            imports.len()
        )));
    }
    let inner = &mut store.inner;
    let (mut funcs, mut tables, mut memories, mut globals) = (vec![], vec![], vec![], vec![]);
    for (imp, ext) in ir.imports.iter().zip(imports) {
        match (&imp.desc, ext) {
            (ImportDesc::Func(t), Extern::Func(f)) => {
                inner.check(f.store)?;
                let e = inner
                    .funcs
                    .get(f.idx as usize)
                    .ok_or_else(|| Error::usage("unknown function"))?;
                if Some(&e.type_id) != module.inner.type_ids.get(*t as usize) {
                    let want = ir.types.get(*t as usize).cloned().unwrap_or_default();
                    return Err(incompatible(
                        imp,
                        format!("expected {want}, found {}", e.ty),
                    ));
                }
                funcs.push(f.idx);
            }
            (ImportDesc::Table(tt), Extern::Table(t)) => {
                inner.check(t.store)?;
                let e = inner
                    .tables
                    .get(t.idx as usize)
                    .ok_or_else(|| Error::usage("unknown table"))?;
                if e.ty.elem != tt.elem
                    || e.ty.index != tt.index
                    || !limits_match(e.ty.limits, tt.limits)
                {
                    return Err(incompatible(imp, "table type mismatch".into()));
                }
                tables.push(t.idx);
            }
            (ImportDesc::Memory(mt), Extern::Memory(m)) => {
                inner.check(m.store)?;
                let e = inner
                    .memories
                    .get(m.idx as usize)
                    .ok_or_else(|| Error::usage("unknown memory"))?;
                if e.ty.index != mt.index
                    || e.ty.shared != mt.shared
                    || e.ty.page_size() != mt.page_size()
                    || !limits_match(e.ty.limits, mt.limits)
                {
                    return Err(incompatible(imp, "memory type mismatch".into()));
                }
                memories.push(m.idx);
            }
            (ImportDesc::Global(gt), Extern::Global(g)) => {
                inner.check(g.store)?;
                let e = inner
                    .globals
                    .get(g.idx as usize)
                    .ok_or_else(|| Error::usage("unknown global"))?;
                if e.ty != *gt {
                    return Err(incompatible(imp, "global type mismatch".into()));
                }
                globals.push(g.idx);
            }
            (d, e) => {
                let found = match e {
                    Extern::Func(_) => "func",
                    Extern::Table(_) => "table",
                    Extern::Memory(_) => "memory",
                    Extern::Global(_) => "global",
                };
                return Err(incompatible(
                    imp,
                    format!("expected {}, found {found}", d.kind()),
                ));
            }
        }
    }
    let inst = inner.instances.len() as u32;
    for i in 0..module.inner.funcs.len() {
        // Defined function `i` has its type index in the function section directly.
        let ty = ir
            .funcs
            .get(i)
            .and_then(|t| ir.types.get(*t as usize))
            .ok_or_else(|| Error::usage("function without a type"))?;
        let f = inner.alloc_func(
            ty,
            FuncKind::Wasm {
                instance: inst,
                code: crate::module::FuncRef::new(module, i)
                    .ok_or_else(|| Error::usage("function without code"))?,
            },
        );
        funcs.push(f);
    }
    for t in &ir.tables {
        let init = match &t.init {
            Some(e) => eval_const(inner, e, &globals, &funcs)?,
            None => 0,
        };
        inner.tables.push(TableEntity::new(t.ty, init)?);
        tables.push((inner.tables.len() - 1) as u32);
    }
    for m in &ir.memories {
        inner.memories.push(MemoryEntity::new(*m)?);
        memories.push((inner.memories.len() - 1) as u32);
    }
    for g in &ir.globals {
        let wide = eval_const_wide(inner, &g.init, &globals, &funcs)?;
        inner.globals.push(GlobalEntity {
            ty: g.ty,
            value: wide as u64,
            hi: (wide >> 64) as u64,
        });
        globals.push((inner.globals.len() - 1) as u32);
    }
    let id = inner.id;
    let exports = ir
        .exports
        .iter()
        .filter_map(|e| {
            let i = e.index as usize;
            let x = match e.kind {
                ExternKind::Func => Extern::Func(Func {
                    store: id,
                    idx: *funcs.get(i)?,
                }),
                ExternKind::Table => Extern::Table(Table {
                    store: id,
                    idx: *tables.get(i)?,
                }),
                ExternKind::Memory => Extern::Memory(Memory {
                    store: id,
                    idx: *memories.get(i)?,
                }),
                ExternKind::Global => Extern::Global(Global {
                    store: id,
                    idx: *globals.get(i)?,
                }),
                ExternKind::Tag => return None,
            };
            Some((e.name.clone(), x))
        })
        .collect();
    let mut elems = Vec::with_capacity(ir.elements.len());
    for seg in &ir.elements {
        let cells: Vec<u64> = match &seg.items {
            ElemItems::Funcs(fs) => fs
                .iter()
                .map(|f| {
                    funcs
                        .get(*f as usize)
                        .map(|x| *x as u64 + 1)
                        .ok_or_else(|| Error::usage("unknown function"))
                })
                .collect::<Result<_, _>>()?,
            ElemItems::Exprs(es) => es
                .iter()
                .map(|e| eval_const(inner, e, &globals, &funcs))
                .collect::<Result<_, _>>()?,
        };
        elems.push(cells);
    }
    let data_dropped = vec![false; ir.data.len()];
    inner.instances.push(InstanceEntity {
        module: module.clone(),
        funcs,
        tables,
        memories,
        globals,
        exports,
        elems,
        data_dropped,
    });
    let instance = Instance {
        store: id,
        idx: inst,
    };
    // Active element segments, in order; an out-of-bounds one traps, earlier ones stay.
    for (i, seg) in ir.elements.iter().enumerate() {
        match &seg.mode {
            ElemMode::Active { table, offset } => {
                let ie = &inner.instances[inst as usize];
                let off = eval_const(inner, offset, &ie.globals, &ie.funcs)? as u32 as u64;
                let t = *ie
                    .tables
                    .get(*table as usize)
                    .ok_or_else(|| Error::usage("unknown table"))?;
                let cells = std::mem::take(&mut inner.instances[inst as usize].elems[i]);
                let dst = &mut inner.tables[t as usize].elems;
                if off + cells.len() as u64 > dst.len() as u64 {
                    return Err(Error::trap(TrapCode::TableOutOfBounds));
                }
                dst[off as usize..off as usize + cells.len()].copy_from_slice(&cells);
            }
            ElemMode::Declarative => inner.instances[inst as usize].elems[i].clear(),
            ElemMode::Passive => {}
        }
    }
    for (i, seg) in ir.data.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let ie = &inner.instances[inst as usize];
            let off = eval_const(inner, offset, &ie.globals, &ie.funcs)? as u32 as u64;
            let m = *ie
                .memories
                .get(*memory as usize)
                .ok_or_else(|| Error::usage("unknown memory"))?;
            let dst = &mut inner.memories[m as usize].data;
            if off + seg.init.len() as u64 > dst.len() as u64 {
                return Err(Error::trap(TrapCode::MemoryOutOfBounds));
            }
            dst[off as usize..off as usize + seg.init.len()].copy_from_slice(&seg.init);
            inner.instances[inst as usize].data_dropped[i] = true;
        }
    }
    if let Some(start) = ir.start {
        let f = *inner.instances[inst as usize]
            .funcs
            .get(start as usize)
            .ok_or_else(|| Error::usage("unknown start function"))?;
        Func { store: id, idx: f }.call(&mut *store, &[], &mut [])?;
    }
    Ok(instance)
}
