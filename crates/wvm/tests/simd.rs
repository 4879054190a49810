//! `v128` values through the whole engine: SIMD ops, locals, params and results, host
//! functions, globals, `select`, block results across branches, memory bounds.

use wvm::*;

/// Builds a `v128` from four i32 lanes (lane 0 lowest).
fn i32x4(l: [u32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0u128, |acc, (i, &x)| acc | (x as u128) << (32 * i))
}

fn call(store: &mut Store<()>, inst: &Instance, name: &str, args: &[Val], n: usize) -> Vec<Val> {
    let f = inst.get_func(&*store, name).unwrap();
    let mut out = vec![Val::I32(0); n];
    f.call(&mut *store, args, &mut out).unwrap();
    out
}

const WAT: &str = r#"(module
  (import "env" "twice" (func $twice (param i32 v128 i64) (result v128 i32)))
  (memory 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (func $add (export "add") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  ;; scalar and v128 params interleaved; a v128 local starts zeroed
  (func (export "mixed") (param i32 v128 i64) (result i64 v128 i32)
    (local $z v128)
    (local.get 2)
    (call $add (local.get 1) (local.get $z))
    (i32x4.extract_lane 3 (local.get 1)))
  (func (export "via_host") (param v128) (result v128 i32)
    (call $twice (i32.const 7) (local.get 0) (i64.const 9)))
  (func (export "swap_global") (param v128) (result v128)
    (global.get $g)
    (global.set $g (local.get 0)))
  (func (export "pick") (param v128 v128 i32) (result v128)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "pick_typed") (param v128 v128 i32) (result v128)
    (select (result v128) (local.get 0) (local.get 1) (local.get 2)))
  ;; a v128 block result reaching the end label by a branch and by falling through
  (func (export "branchy") (param v128 i32) (result v128)
    (block (result v128)
      (br_if 0 (i32x4.splat (i32.const 5)) (local.get 1))
      (drop)
      (local.get 0)))
  (func (export "tee_drop") (param v128) (result v128)
    (local $t v128)
    (drop (local.tee $t (i32x4.mul (local.get 0) (local.get 0))))
    (local.get $t))
  (func (export "store_load") (param i32 v128) (result v128)
    (v128.store offset=1 (local.get 0) (local.get 1))
    (v128.load offset=1 (local.get 0)))
  (func (export "bitselect") (param v128 v128 v128) (result v128)
    (v128.bitselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "shuffle") (param v128 v128) (result v128)
    (i8x16.shuffle 16 17 18 19 0 1 2 3 20 21 22 23 4 5 6 7 (local.get 0) (local.get 1)))
)"#;

fn setup() -> (Store<()>, Instance) {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    let ty = FuncType::new(
        [ValType::I32, ValType::V128, ValType::I64],
        [ValType::V128, ValType::I32],
    );
    linker
        .func_new("env", "twice", ty, |_c, args, results| {
            let v = args[1].v128().unwrap();
            let a = args[0].i32().unwrap() as u32;
            let b = args[2].i64().unwrap() as u32;
            let l: [u32; 4] = core::array::from_fn(|i| ((v >> (32 * i)) as u32).wrapping_mul(2));
            results[0] = Val::V128(i32x4(l));
            results[1] = Val::I32((a * 100 + b) as i32);
            Ok(())
        })
        .unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    (store, inst)
}

#[test]
fn v128_params_results_and_zeroed_locals() {
    let (mut s, i) = setup();
    let a = i32x4([1, 2, 3, u32::MAX]);
    let b = i32x4([10, 20, 30, 1]);
    let r = call(&mut s, &i, "add", &[Val::V128(a), Val::V128(b)], 1);
    assert_eq!(r, vec![Val::V128(i32x4([11, 22, 33, 0]))]);
    let r = call(
        &mut s,
        &i,
        "mixed",
        &[Val::I32(-1), Val::V128(a), Val::I64(-5)],
        3,
    );
    assert_eq!(r, vec![Val::I64(-5), Val::V128(a), Val::I32(-1)]);
}

#[test]
fn v128_crosses_host_calls() {
    let (mut s, i) = setup();
    let v = i32x4([1, 2, 3, 0x8000_0001]);
    let r = call(&mut s, &i, "via_host", &[Val::V128(v)], 2);
    assert_eq!(r, vec![Val::V128(i32x4([2, 4, 6, 2])), Val::I32(709)]);
}

#[test]
fn v128_globals_get_and_set() {
    let (mut s, i) = setup();
    let v = i32x4([9, 8, 7, 6]);
    let r = call(&mut s, &i, "swap_global", &[Val::V128(v)], 1);
    assert_eq!(r, vec![Val::V128(i32x4([1, 2, 3, 4]))]);
    let g = i.get_global(&s, "g").unwrap();
    assert_eq!(g.get(&s), Val::V128(v));
    let w = i32x4([u32::MAX, 0, 0, 0x8000_0000]);
    g.set(&mut s, Val::V128(w)).unwrap();
    let r = call(&mut s, &i, "swap_global", &[Val::V128(0)], 1);
    assert_eq!(r, vec![Val::V128(w)]);
    assert_eq!(g.get(&s), Val::V128(0));
}

#[test]
fn select_branches_and_tee_carry_both_halves() {
    let (mut s, i) = setup();
    let a = i32x4([1, 2, 3, 4]);
    let b = i32x4([5, 6, 7, 8]);
    for name in ["pick", "pick_typed"] {
        let r = call(
            &mut s,
            &i,
            name,
            &[Val::V128(a), Val::V128(b), Val::I32(1)],
            1,
        );
        assert_eq!(r, vec![Val::V128(a)], "{name}");
        let r = call(
            &mut s,
            &i,
            name,
            &[Val::V128(a), Val::V128(b), Val::I32(0)],
            1,
        );
        assert_eq!(r, vec![Val::V128(b)], "{name}");
    }
    let r = call(&mut s, &i, "branchy", &[Val::V128(a), Val::I32(1)], 1);
    assert_eq!(r, vec![Val::V128(i32x4([5; 4]))]);
    let r = call(&mut s, &i, "branchy", &[Val::V128(a), Val::I32(0)], 1);
    assert_eq!(r, vec![Val::V128(a)]);
    let r = call(&mut s, &i, "tee_drop", &[Val::V128(a)], 1);
    assert_eq!(r, vec![Val::V128(i32x4([1, 4, 9, 16]))]);
}

#[test]
fn memory_ops_and_bounds() {
    let (mut s, i) = setup();
    let v = i32x4([0xdead_beef, 1, 2, 3]);
    let r = call(&mut s, &i, "store_load", &[Val::I32(100), Val::V128(v)], 1);
    assert_eq!(r, vec![Val::V128(v)]);
    // The last 16 bytes of the page are in bounds (ea = 65519 + 1), one more byte is not.
    let r = call(
        &mut s,
        &i,
        "store_load",
        &[Val::I32(65519), Val::V128(v)],
        1,
    );
    assert_eq!(r, vec![Val::V128(v)]);
    let f = i.get_func(&s, "store_load").unwrap();
    let mut out = [Val::V128(0)];
    let e = f
        .call(&mut s, &[Val::I32(65520), Val::V128(v)], &mut out)
        .unwrap_err();
    assert!(e.to_string().contains("out of bounds memory access"), "{e}");
}

#[test]
fn ternary_and_shuffle() {
    let (mut s, i) = setup();
    let a = i32x4([0x1111_1111; 4]);
    let b = i32x4([0x2222_2222; 4]);
    let mask = i32x4([0xffff_0000, 0, u32::MAX, 0x00ff_00ff]);
    let r = call(
        &mut s,
        &i,
        "bitselect",
        &[Val::V128(a), Val::V128(b), Val::V128(mask)],
        1,
    );
    assert_eq!(
        r,
        vec![Val::V128(i32x4([
            0x1111_2222,
            0x2222_2222,
            0x1111_1111,
            0x2211_2211
        ]))]
    );
    let x = i32x4([1, 2, 3, 4]);
    let y = i32x4([5, 6, 7, 8]);
    let r = call(&mut s, &i, "shuffle", &[Val::V128(x), Val::V128(y)], 1);
    assert_eq!(r, vec![Val::V128(i32x4([5, 1, 6, 2]))]);
}
