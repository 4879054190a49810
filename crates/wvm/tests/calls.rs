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

/// Instance `a`'s `g` calls through its table into instance `b`'s `f`, which calls `a`'s `g`
/// as an import: every call and return switches instance (the calls' out-of-line path). Each
/// level adds a byte of its own instance's memory after the call returns, so a memory cache
/// not switched back on return gives a different sum.
#[test]
fn deep_recursion_across_instances_switches_memory_both_ways() {
    let engine = Engine::default();
    let a = Module::new(
        &engine,
        r#"(module
          (memory (export "mem") 1)
          (data (i32.const 0) "\07")
          (table (export "t") 1 funcref)
          (func (export "g") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add
                (call_indirect (param i32) (result i32)
                  (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))
                (i32.load8_u (i32.const 0)))))))"#,
    )
    .unwrap();
    let b = Module::new(
        &engine,
        r#"(module
          (import "a" "g" (func $g (param i32) (result i32)))
          (import "a" "t" (table 1 funcref))
          (memory 1)
          (data (i32.const 0) "\03")
          (elem (i32.const 0) $f)
          (func $f (export "f") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add
                (call $g (i32.sub (local.get 0) (i32.const 1)))
                (i32.load8_u (i32.const 0)))))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let ia = linker.instantiate(&mut store, &a).unwrap();
    linker.instance(&mut store, "a", ia).unwrap();
    let ib = linker.instantiate(&mut store, &b).unwrap();
    let f = ib.get_typed_func::<i32, i32>(&store, "f").unwrap();
    let g = ia.get_typed_func::<i32, i32>(&store, "g").unwrap();
    // f(2k) = k * (3 + 7); g(2k) likewise; f(2k + 1) = 3 + g(2k).
    assert_eq!(f.call(&mut store, 10).unwrap(), 50);
    assert_eq!(f.call(&mut store, 40_000).unwrap(), 200_000);
    assert_eq!(g.call(&mut store, 40_001).unwrap(), 7 + 200_000);
    // Past the default depth limit (100,000) it traps cleanly, and the store still works.
    let e = f.call(&mut store, 1_000_000).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::StackOverflow));
    assert_eq!(f.call(&mut store, 11).unwrap(), 53);
}

/// Functions with more declared locals and constants than the calls' fast path initialises
/// with fixed-size writes (those go through `memset`/`memcpy`), with an odd number below that
/// limit (every part of the fast path's split: 8 + 4 + 1) and with few: every entry must see
/// zeroed locals and its constants, also when the cells were dirtied by the previous call at
/// the same place.
#[test]
fn frames_of_every_size_start_with_zero_locals_and_their_constants() {
    // A function with `n` declared i64 locals: traps unless they all read 0 on entry, then
    // sets local `i` to `x + c_i`, with `c_i` a constant too large for an immediate (so it
    // lives in the frame's constant area), and returns their sum.
    let func = |name: &str, n: i64| {
        let locals: String = (0..n).map(|_| "(local i64)").collect();
        let sum: String = (1..=n)
            .map(|i| format!("(local.get {i}) i64.add "))
            .collect();
        let set: String = (1..=n)
            .map(|i| {
                format!(
                    "(local.set {i} (i64.add (local.get 0) (i64.const {})))",
                    cst(i)
                )
            })
            .collect();
        format!(
            "(func ${name} (param i64) (result i64) {locals}
               (i64.const 0) {sum}
               (if (i64.ne (i64.const 0)) (then unreachable))
               {set}
               (i64.const 0) {sum})"
        )
    };
    fn cst(i: i64) -> i64 {
        i * 0x1_0000_0001 + 7
    }
    let sizes = [("big", 40), ("mid", 13), ("small", 2)];
    let funcs: String = sizes.iter().map(|&(n, k)| func(n, k)).collect();
    // Each function is called twice from the same operand-stack height, so the second call's
    // frame is exactly where the first one left its locals set.
    let calls: String = sizes
        .iter()
        .flat_map(|(n, _)| [n, n])
        .map(|n| format!("(local.set 1 (i64.add (local.get 1) (call ${n} (local.get 0))))"))
        .collect();
    let wat = format!(
        r#"(module {funcs}
          (func (export "run") (param i64) (result i64) (local i64)
            {calls}
            (local.get 1)))"#
    );
    let engine = Engine::default();
    let module = Module::new(&engine, &wat).unwrap();
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    let run = i.get_typed_func::<i64, i64>(&store, "run").unwrap();
    for x in [0i64, 5, -77] {
        let expect: i64 = sizes
            .iter()
            .map(|&(_, n)| 2 * (1..=n).map(|i| x.wrapping_add(cst(i))).sum::<i64>())
            .sum();
        assert_eq!(run.call(&mut store, x).unwrap(), expect);
    }
}
