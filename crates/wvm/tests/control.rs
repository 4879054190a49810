//! Control flow and multi-value.

use wvm::*;

fn call<P: WasmParams, R: WasmResults>(wat: &str, name: &str, p: P) -> R {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    i.get_typed_func::<P, R>(&store, name)
        .unwrap()
        .call(&mut store, p)
        .unwrap()
}

#[test]
fn br_table_selects_targets_with_values() {
    let wat = r#"(module (func (export "f") (param i32) (result i32)
        (block (result i32)
          (block (result i32)
            (block (result i32)
              (br_table 0 1 2 (i32.const 10) (local.get 0)))
            (i32.add (i32.const 100)))
          (i32.add (i32.const 1000)))))"#;
    assert_eq!(call::<i32, i32>(wat, "f", 0), 1110);
    assert_eq!(call::<i32, i32>(wat, "f", 1), 1010);
    assert_eq!(call::<i32, i32>(wat, "f", 2), 10);
    assert_eq!(call::<i32, i32>(wat, "f", 99), 10);
}

#[test]
fn multi_value_blocks_loops_and_calls() {
    let wat = r#"(module
      (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
      (func (export "f") (param i32 i32) (result i32 i32) (call $swap (local.get 0) (local.get 1)))
      (func (export "sum") (param i32) (result i32)
        (i32.const 0) (local.get 0)
        (loop $l (param i32 i32) (result i32 i32)
          (local.set 0)
          (i32.add (local.get 0))
          (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_if $l (local.get 0)))
        (drop))
      (func (export "blk") (result i32 i64)
        (block (result i32 i64) (i32.const 7) (i64.const 8))))"#;
    assert_eq!(call::<(i32, i32), (i32, i32)>(wat, "f", (3, 4)), (4, 3));
    assert_eq!(call::<i32, i32>(wat, "sum", 10), 55);
    assert_eq!(call::<(), (i32, i64)>(wat, "blk", ()), (7, 8));
}

#[test]
fn if_else_select_and_early_return() {
    let wat = r#"(module
      (func (export "abs") (param i32) (result i32)
        (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))
          (then (i32.sub (i32.const 0) (local.get 0))) (else (local.get 0))))
      (func (export "sel") (param i32 i32 i32) (result i32)
        (select (local.get 0) (local.get 1) (local.get 2)))
      (func (export "early") (param i32) (result i32)
        (block (br_if 0 (local.get 0)) (return (i32.const 1)))
        (i32.const 2)))"#;
    assert_eq!(call::<i32, i32>(wat, "abs", -5), 5);
    assert_eq!(call::<i32, i32>(wat, "abs", 5), 5);
    assert_eq!(call::<(i32, i32, i32), i32>(wat, "sel", (1, 2, 0)), 2);
    assert_eq!(call::<(i32, i32, i32), i32>(wat, "sel", (1, 2, 5)), 1);
    assert_eq!(call::<i32, i32>(wat, "early", 0), 1);
    assert_eq!(call::<i32, i32>(wat, "early", 1), 2);
}

#[test]
fn local_tee_inside_conditional_keeps_old_values() {
    // The old value of local 0 is on the stack when a branch overwrites it.
    let wat = r#"(module (func (export "f") (param i32) (result i32)
        (local.get 0)
        (if (i32.gt_s (local.get 0) (i32.const 5)) (then (local.set 0 (i32.const 100))))
        (local.get 0) (i32.add)))"#;
    assert_eq!(call::<i32, i32>(wat, "f", 1), 2);
    assert_eq!(call::<i32, i32>(wat, "f", 10), 110);
}
