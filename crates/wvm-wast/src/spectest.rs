//! The standard `spectest` host module that spec scripts import from.
//!
//! `print*` functions, globals `global_i32` = 666, `global_i64` = 666, `global_f32` = 666.6,
//! `global_f64` = 666.6, a table of 10..20 funcrefs and a memory of 1..2 pages.

use wvm::{
    Error, Extern, Global, GlobalType, Linker, Memory, MemoryType, RefType, Store, Table,
    TableType, Val, ValType,
};

/// What the `print*` functions do with their arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrintTo {
    /// Ignore them (spec scripts call them for their side effect-free signatures).
    Nowhere,
    /// Print them to stdout, one call per line (for `wvm run`).
    Stdout,
}

/// Name of the module.
pub const MODULE: &str = "spectest";

/// Defines every `spectest` export in `linker`, creating the table, memory and globals in
/// `store`.
pub fn define<T: 'static>(
    linker: &mut Linker<T>,
    store: &mut Store<T>,
    print: PrintTo,
) -> Result<(), Error> {
    let out = print == PrintTo::Stdout;
    linker.func_wrap(MODULE, "print", move || {
        if out {
            println!();
        }
    })?;
    linker.func_wrap(MODULE, "print_i32", move |x: i32| {
        if out {
            println!("{x} : i32");
        }
    })?;
    linker.func_wrap(MODULE, "print_i64", move |x: i64| {
        if out {
            println!("{x} : i64");
        }
    })?;
    linker.func_wrap(MODULE, "print_f32", move |x: f32| {
        if out {
            println!("{x} : f32");
        }
    })?;
    linker.func_wrap(MODULE, "print_f64", move |x: f64| {
        if out {
            println!("{x} : f64");
        }
    })?;
    linker.func_wrap(MODULE, "print_i32_f32", move |x: i32, y: f32| {
        if out {
            println!("{x} : i32");
            println!("{y} : f32");
        }
    })?;
    linker.func_wrap(MODULE, "print_f64_f64", move |x: f64, y: f64| {
        if out {
            println!("{x} : f64");
            println!("{y} : f64");
        }
    })?;

    let globals = [
        ("global_i32", ValType::I32, Val::I32(666)),
        ("global_i64", ValType::I64, Val::I64(666)),
        ("global_f32", ValType::F32, Val::F32(666.6f32.to_bits())),
        ("global_f64", ValType::F64, Val::F64(666.6f64.to_bits())),
    ];
    for (name, val, init) in globals {
        let g = Global::new(
            &mut *store,
            GlobalType {
                val,
                mutable: false,
            },
            init,
        )?;
        linker.define(&mut *store, MODULE, name, Extern::Global(g))?;
    }
    let table = Table::new(
        &mut *store,
        TableType::new(RefType::FUNCREF, 10, Some(20)),
        Val::FuncRef(None),
    )?;
    linker.define(&mut *store, MODULE, "table", Extern::Table(table))?;
    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
    linker.define(&mut *store, MODULE, "memory", Extern::Memory(memory))?;
    Ok(())
}
