//! `v128` through the typed API: `u128` as a [`WasmTy`] in `TypedFunc` parameters and results
//! (alone, mixed with scalars, more than eight cells) and in host functions made from closures.

use wvm::*;

/// Builds a `v128` from four i32 lanes (lane 0 lowest).
fn i32x4(l: [u32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0u128, |acc, (i, &x)| acc | (x as u128) << (32 * i))
}

fn lanes(v: u128) -> [u32; 4] {
    core::array::from_fn(|i| (v >> (32 * i)) as u32)
}

const WAT: &str = r#"(module
  (import "env" "rev" (func $rev (param v128) (result v128)))
  (import "env" "mix" (func $mix (param i32 v128 f64) (result i64 v128)))
  (func (export "add") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  (func (export "lane") (param v128 i32) (result i32)
    (i32x4.extract_lane 2 (local.get 0)))
  (func (export "splat") (param i32) (result v128)
    (i32x4.splat (local.get 0)))
  ;; scalars around a v128 in both directions
  (func (export "around") (param i64 v128 f32) (result f32 v128 i64)
    (local.get 2) (local.get 1) (local.get 0))
  ;; five v128 params: 10 cells, more than the 8 values, and results the same
  (func (export "five") (param v128 v128 v128 v128 v128) (result v128 v128 v128 v128 v128)
    (local.get 4) (local.get 3) (local.get 2) (local.get 1) (local.get 0))
  ;; eight v128s (the most a tuple takes): 16 cells
  (func (export "eight") (param v128 v128 v128 v128 v128 v128 v128 v128) (result v128)
    (i32x4.add (local.get 0)
      (i32x4.add (local.get 1)
        (i32x4.add (local.get 2)
          (i32x4.add (local.get 3)
            (i32x4.add (local.get 4)
              (i32x4.add (local.get 5)
                (i32x4.add (local.get 6) (local.get 7)))))))))
  (func (export "via_rev") (param v128) (result v128)
    (call $rev (local.get 0)))
  (func (export "via_mix") (param i32 v128) (result i64 v128)
    (call $mix (local.get 0) (local.get 1) (f64.const 2.5)))
)"#;

fn setup() -> (Store<()>, Instance) {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("env", "rev", |v: u128| {
            let l = lanes(v);
            i32x4([l[3], l[2], l[1], l[0]])
        })
        .unwrap();
    linker
        .func_wrap("env", "mix", |a: i32, v: u128, f: f64| {
            (a as i64 * 1000 + f as i64, v.rotate_left(32))
        })
        .unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    (store, inst)
}

#[test]
fn u128_is_the_v128_type() {
    assert_eq!(<u128 as WasmTy>::valtype(), ValType::V128);
    let v = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210u128;
    assert_eq!(v.into_val(), Val::V128(v));
    assert_eq!(<u128 as WasmTy>::from_val(Val::V128(v)), Some(v));
    assert_eq!(<u128 as WasmTy>::from_val(Val::I64(5)), None);
}

#[test]
fn typed_v128_params_and_results() {
    let (mut s, i) = setup();
    let add = i.get_typed_func::<(u128, u128), u128>(&s, "add").unwrap();
    let r = add
        .call(&mut s, (i32x4([1, 2, 3, u32::MAX]), i32x4([10, 20, 30, 2])))
        .unwrap();
    assert_eq!(lanes(r), [11, 22, 33, 1]);

    let lane = i.get_typed_func::<(u128, i32), i32>(&s, "lane").unwrap();
    assert_eq!(lane.call(&mut s, (i32x4([5, 6, 7, 8]), 0)).unwrap(), 7);

    let splat = i.get_typed_func::<i32, u128>(&s, "splat").unwrap();
    assert_eq!(lanes(splat.call(&mut s, -2).unwrap()), [u32::MAX - 1; 4]);
}

#[test]
fn typed_v128_mixed_with_scalars() {
    let (mut s, i) = setup();
    let around = i
        .get_typed_func::<(i64, u128, f32), (f32, u128, i64)>(&s, "around")
        .unwrap();
    let v = u128::MAX - 12345;
    let (f, w, x) = around.call(&mut s, (-7, v, 1.25)).unwrap();
    assert_eq!((f, w, x), (1.25, v, -7));
}

#[test]
fn typed_v128_many_cells() {
    let (mut s, i) = setup();
    let five = i
        .get_typed_func::<(u128, u128, u128, u128, u128), (u128, u128, u128, u128, u128)>(
            &s, "five",
        )
        .unwrap();
    let vs: [u128; 5] = core::array::from_fn(|k| (k as u128 + 1) << 100 | (k as u128 * 3 + 1));
    let r = five
        .call(&mut s, (vs[0], vs[1], vs[2], vs[3], vs[4]))
        .unwrap();
    assert_eq!(r, (vs[4], vs[3], vs[2], vs[1], vs[0]));

    type Eight = (u128, u128, u128, u128, u128, u128, u128, u128);
    let eight = i.get_typed_func::<Eight, u128>(&s, "eight").unwrap();
    let a: [u128; 8] = core::array::from_fn(|k| i32x4([k as u32, 1, 100 * k as u32, 1 << k]));
    let r = eight
        .call(&mut s, (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]))
        .unwrap();
    assert_eq!(lanes(r), [28, 8, 2800, 255]);
}

#[test]
fn typed_v128_wrong_signature_is_rejected() {
    let (s, i) = setup();
    assert!(i.get_typed_func::<(u64, u128), u128>(&s, "add").is_err());
    assert!(i.get_typed_func::<(u128, u128), u64>(&s, "add").is_err());
}

#[test]
fn host_closures_take_and_return_u128() {
    let (mut s, i) = setup();
    let via = i.get_typed_func::<u128, u128>(&s, "via_rev").unwrap();
    assert_eq!(
        lanes(via.call(&mut s, i32x4([1, 2, 3, 4])).unwrap()),
        [4, 3, 2, 1]
    );
    let mix = i
        .get_typed_func::<(i32, u128), (i64, u128)>(&s, "via_mix")
        .unwrap();
    let v = i32x4([9, 8, 7, 6]);
    let (a, w) = mix.call(&mut s, (4, v)).unwrap();
    assert_eq!(a, 4002);
    assert_eq!(lanes(w), [6, 9, 8, 7]);
    // A closure-made host function called directly through the typed API.
    let f = Func::wrap(&mut s, |v: u128| !v);
    let t = f.typed::<u128, u128>(&s).unwrap();
    assert_eq!(t.call(&mut s, 0xff).unwrap(), !0xffu128);
}
