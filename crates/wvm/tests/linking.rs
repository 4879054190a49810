//! Linker resolution, link errors, registered instances, cross-store misuse.

use wvm::*;

#[test]
fn unknown_import_names_module_and_field() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (import "env" "concat" (func (param i32))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let e = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Link(_)));
    assert!(
        e.to_string()
            .contains(r#"unknown import: module "env" has no func "concat""#),
        "{e}"
    );
}

#[test]
fn incompatible_import_types_are_rejected() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "f", |x: i64| x).unwrap();
    let mem = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    linker.define(&store, "env", "mem", mem).unwrap();
    let g = Global::new(
        &mut store,
        GlobalType {
            val: ValType::I32,
            mutable: false,
        },
        Val::I32(1),
    )
    .unwrap();
    linker.define(&store, "env", "g", g).unwrap();
    for wat in [
        r#"(module (import "env" "f" (func (param i32) (result i64))))"#,
        r#"(module (import "env" "mem" (memory 2)))"#,
        r#"(module (import "env" "mem" (memory 1 5)))"#,
        r#"(module (import "env" "g" (global (mut i32))))"#,
        r#"(module (import "env" "g" (global i64)))"#,
        r#"(module (import "env" "mem" (func)))"#,
    ] {
        let module = Module::new(&engine, wat).unwrap();
        let e = linker.instantiate(&mut store, &module).unwrap_err();
        assert!(
            e.to_string().contains("incompatible import type"),
            "{wat}: {e}"
        );
    }
    let ok = Module::new(&engine, r#"(module (import "env" "f" (func (param i64) (result i64))) (import "env" "mem" (memory 1)))"#).unwrap();
    linker.instantiate(&mut store, &ok).unwrap();
}

#[test]
fn registered_instances_export_to_later_modules() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let a = Module::new(
        &engine,
        r#"(module (global (export "g") (mut i32) (i32.const 5))
        (func (export "get") (result i32) (global.get 0))
        (table (export "t") 2 funcref) (elem (i32.const 1) 0))"#,
    )
    .unwrap();
    let ia = linker.instantiate(&mut store, &a).unwrap();
    linker.instance(&store, "a", ia).unwrap();
    let b = Module::new(
        &engine,
        r#"(module (import "a" "g" (global $g (mut i32)))
        (import "a" "t" (table 2 funcref))
        (type $r (func (result i32)))
        (func (export "bump") (result i32)
          (global.set $g (i32.add (global.get $g) (i32.const 1)))
          (call_indirect (type $r) (i32.const 1))))"#,
    )
    .unwrap();
    let ib = linker.instantiate(&mut store, &b).unwrap();
    let bump = ib.get_typed_func::<(), i32>(&store, "bump").unwrap();
    assert_eq!(bump.call(&mut store, ()).unwrap(), 6);
    assert_eq!(ia.get_global(&store, "g").unwrap().get(&store), Val::I32(6));
    assert!(linker.get(&mut store, "a", "get").is_some());
    assert!(
        linker.func_wrap("a", "get", || {}).is_err(),
        "shadowing is off by default"
    );
    linker.allow_shadowing(true);
    assert!(linker.func_wrap("a", "get", || {}).is_ok());
}

#[test]
fn handles_from_another_store_give_errors() {
    let engine = Engine::default();
    let mut s1 = Store::new(&engine, ());
    let mut s2 = Store::new(&engine, ());
    let f = Func::wrap(&mut s1, |x: i32| x);
    let mem = Memory::new(&mut s1, MemoryType::new(1, None)).unwrap();
    let g = Global::new(
        &mut s1,
        GlobalType {
            val: ValType::I32,
            mutable: true,
        },
        Val::I32(0),
    )
    .unwrap();
    let t = Table::new(
        &mut s1,
        TableType::new(RefType::FUNCREF, 1, None),
        Val::FuncRef(None),
    )
    .unwrap();
    let mut out = [Val::I32(0)];
    assert!(f.call(&mut s2, &[Val::I32(1)], &mut out).is_err());
    assert!(f.typed::<i32, i32>(&s2).is_err());
    assert!(mem.write(&mut s2, 0, &[1]).is_err());
    assert!(mem.grow(&mut s2, 1).is_err());
    assert!(mem.data(&s2).is_empty());
    assert!(g.set(&mut s2, Val::I32(1)).is_err());
    assert!(t.set(&mut s2, 0, Val::FuncRef(Some(f))).is_err());
    // A funcref of store 1 cannot be put into a table of store 2.
    let t2 = Table::new(
        &mut s2,
        TableType::new(RefType::FUNCREF, 1, None),
        Val::FuncRef(None),
    )
    .unwrap();
    assert!(t2.set(&mut s2, 0, Val::FuncRef(Some(f))).is_err());
    let module = Module::new(
        &engine,
        r#"(module (import "" "f" (func (param i32) (result i32))))"#,
    )
    .unwrap();
    assert!(Instance::new(&mut s2, &module, &[f.into()]).is_err());
    let mut linker = Linker::new(&engine);
    assert!(linker.define(&s2, "", "f", f).is_err());
    // A module compiled by another engine is refused.
    let other = Engine::default();
    let m2 = Module::new(&other, "(module)").unwrap();
    assert!(Instance::new(&mut s1, &m2, &[]).is_err());
}

#[test]
fn globals_and_tables_check_types() {
    let engine = Engine::default();
    let mut s = Store::new(&engine, ());
    let g = Global::new(
        &mut s,
        GlobalType {
            val: ValType::F64,
            mutable: false,
        },
        Val::F64(1),
    )
    .unwrap();
    assert!(g.set(&mut s, Val::F64(2)).is_err(), "immutable");
    assert!(Global::new(
        &mut s,
        GlobalType {
            val: ValType::I32,
            mutable: true
        },
        Val::I64(1)
    )
    .is_err());
    let t = Table::new(
        &mut s,
        TableType::new(RefType::EXTERNREF, 1, Some(2)),
        Val::ExternRef(None),
    )
    .unwrap();
    assert!(t.set(&mut s, 0, Val::FuncRef(None)).is_err());
    assert!(t.set(&mut s, 5, Val::ExternRef(None)).is_err());
    assert!(t.grow(&mut s, 5, Val::ExternRef(None)).is_err());
    assert_eq!(t.grow(&mut s, 1, Val::ExternRef(None)).unwrap(), 1);
    assert_eq!(t.size(&s), 2);
}
