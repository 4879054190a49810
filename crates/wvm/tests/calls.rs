//! Calls, deep recursion and stack exhaustion, call_indirect.

use wvm::*;

const WAT: &str = r#"(module
  (type $ii (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $count $inf $other)
  (func $count (export "count") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $count (i32.sub (local.get 0) (i32.const 1)))))))
  (func $inf (export "inf") (param i32) (result i32) (call $inf (local.get 0)))
  (func $other (param i64) (result i64) (local.get 0))
  (func (export "inf_indirect") (param i32) (result i32)
    (call_indirect (type $ii) (local.get 0) (i32.const 1)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $ii) (local.get 0) (local.get 1))))"#;

fn setup(config: &Config) -> (Store<()>, Instance) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    (store, i)
}

#[test]
fn recursion_50000_deep_works() {
    let (mut s, i) = setup(&Config::new());
    let f = i.get_typed_func::<i32, i32>(&s, "count").unwrap();
    assert_eq!(f.call(&mut s, 50_000).unwrap(), 50_000);
    assert_eq!(f.call(&mut s, 90_000).unwrap(), 90_000);
}

#[test]
fn infinite_recursion_traps_call_stack_exhausted() {
    let (mut s, i) = setup(&Config::new());
    let f = i.get_typed_func::<i32, i32>(&s, "inf").unwrap();
    let e = f.call(&mut s, 1).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::StackOverflow));
    assert_eq!(e.message(), "call stack exhausted");
    let g = i.get_typed_func::<i32, i32>(&s, "inf_indirect").unwrap();
    assert_eq!(
        g.call(&mut s, 1).unwrap_err().trap_code(),
        Some(TrapCode::StackOverflow)
    );
    // Still usable afterwards.
    let c = i.get_typed_func::<i32, i32>(&s, "count").unwrap();
    assert_eq!(c.call(&mut s, 10).unwrap(), 10);
}

#[test]
fn call_depth_and_value_stack_limits_are_configurable() {
    let mut config = Config::new();
    config.max_call_depth(100);
    let (mut s, i) = setup(&config);
    let c = i.get_typed_func::<i32, i32>(&s, "count").unwrap();
    assert_eq!(c.call(&mut s, 50).unwrap(), 50);
    assert_eq!(
        c.call(&mut s, 200).unwrap_err().trap_code(),
        Some(TrapCode::StackOverflow)
    );
    let mut config = Config::new();
    config.max_value_stack_bytes(64 * 1024);
    let (mut s, i) = setup(&config);
    let c = i.get_typed_func::<i32, i32>(&s, "count").unwrap();
    assert_eq!(
        c.call(&mut s, 100_000).unwrap_err().trap_code(),
        Some(TrapCode::StackOverflow)
    );
}

#[test]
fn call_indirect_checks() {
    let (mut s, i) = setup(&Config::new());
    let f = i.get_typed_func::<(i32, i32), i32>(&s, "indirect").unwrap();
    assert_eq!(f.call(&mut s, (7, 0)).unwrap(), 7);
    let code = |s: &mut Store<()>, idx| f.call(s, (1, idx)).unwrap_err().trap_code();
    assert_eq!(code(&mut s, 2), Some(TrapCode::IndirectCallTypeMismatch));
    assert_eq!(code(&mut s, 3), Some(TrapCode::UninitializedElement));
    assert_eq!(code(&mut s, 4), Some(TrapCode::UndefinedElement));
    assert_eq!(TrapCode::UndefinedElement.to_string(), "undefined element");
    assert_eq!(
        TrapCode::UninitializedElement.to_string(),
        "uninitialized element"
    );
    assert_eq!(
        TrapCode::IndirectCallTypeMismatch.to_string(),
        "indirect call type mismatch"
    );
}

#[test]
fn untyped_call_checks_arity_and_types() {
    let (mut s, i) = setup(&Config::new());
    let f = i.get_func(&s, "count").unwrap();
    let mut out = [Val::I32(0)];
    assert!(f.call(&mut s, &[], &mut out).is_err());
    assert!(f.call(&mut s, &[Val::I64(1)], &mut out).is_err());
    assert!(f.call(&mut s, &[Val::I32(1)], &mut []).is_err());
    assert!(f.typed::<i64, i32>(&s).is_err());
    f.call(&mut s, &[Val::I32(3)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(3));
}
