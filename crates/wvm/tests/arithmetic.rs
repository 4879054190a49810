//! Numeric semantics and traps, through the public API.

use wvm::*;

fn instance(wat: &str) -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    (store, i)
}

const WAT: &str = r#"(module
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
  (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
  (func (export "rotl64") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
  (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "trunc_sat") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
  (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "neg") (param f64) (result f64) (f64.neg (local.get 0)))
  (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
  (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  (func (export "wrap_ext") (param i64) (result i64) (i64.extend_i32_u (i32.wrap_i64 (local.get 0))))
  (func (export "reinterp") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "nested_trap") (param i32) (result i32) (call $inner (local.get 0)))
)"#;

#[test]
fn integer_ops_wrap_and_trap() {
    let (mut s, i) = instance(WAT);
    let div = i.get_typed_func::<(i32, i32), i32>(&s, "div_s").unwrap();
    assert_eq!(div.call(&mut s, (-7, 2)).unwrap(), -3);
    let e = div.call(&mut s, (1, 0)).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::IntegerDivideByZero));
    assert_eq!(
        e.to_string().lines().next(),
        Some("wasm trap: integer divide by zero")
    );
    let e = div.call(&mut s, (i32::MIN, -1)).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::IntegerOverflow));
    let rem = i.get_typed_func::<(i32, i32), i32>(&s, "rem_s").unwrap();
    assert_eq!(rem.call(&mut s, (i32::MIN, -1)).unwrap(), 0);
    let du = i.get_typed_func::<(i64, i64), i64>(&s, "div_u64").unwrap();
    assert_eq!(du.call(&mut s, (-1, 2)).unwrap(), i64::MAX);
    let shl = i.get_typed_func::<(i32, i32), i32>(&s, "shl").unwrap();
    assert_eq!(shl.call(&mut s, (1, 33)).unwrap(), 2);
    let rotl = i.get_typed_func::<(i64, i64), i64>(&s, "rotl64").unwrap();
    assert_eq!(rotl.call(&mut s, (1 << 62, 65)).unwrap(), i64::MIN);
    let ext = i.get_typed_func::<i32, i32>(&s, "ext8").unwrap();
    assert_eq!(ext.call(&mut s, 0x80).unwrap(), -128);
    let we = i.get_typed_func::<i64, i64>(&s, "wrap_ext").unwrap();
    assert_eq!(we.call(&mut s, -1).unwrap(), 0xffff_ffff);
}

#[test]
fn float_conversions_and_bit_exact_ops() {
    let (mut s, i) = instance(WAT);
    let t = i.get_typed_func::<f32, i32>(&s, "trunc").unwrap();
    assert_eq!(t.call(&mut s, -3.9).unwrap(), -3);
    assert_eq!(
        t.call(&mut s, f32::NAN).unwrap_err().trap_code(),
        Some(TrapCode::InvalidConversionToInteger)
    );
    assert_eq!(
        t.call(&mut s, 3e9).unwrap_err().trap_code(),
        Some(TrapCode::IntegerOverflow)
    );
    let sat = i.get_typed_func::<f64, i32>(&s, "trunc_sat").unwrap();
    assert_eq!(sat.call(&mut s, 1e20).unwrap(), -1);
    assert_eq!(sat.call(&mut s, -5.0).unwrap(), 0);
    let min = i.get_typed_func::<(f32, f32), f32>(&s, "min").unwrap();
    assert_eq!(
        min.call(&mut s, (0.0, -0.0)).unwrap().to_bits(),
        (-0.0f32).to_bits()
    );
    assert!(min.call(&mut s, (f32::NAN, 1.0)).unwrap().is_nan());
    let near = i.get_typed_func::<f64, f64>(&s, "nearest").unwrap();
    assert_eq!(near.call(&mut s, 2.5).unwrap(), 2.0);
    // neg flips only the sign bit, NaN payload included (checked through untyped Vals).
    let neg = i.get_func(&s, "neg").unwrap();
    let mut out = [Val::F64(0)];
    neg.call(&mut s, &[Val::F64(0x7ff0_0000_0000_0001)], &mut out)
        .unwrap();
    assert_eq!(out[0], Val::F64(0xfff0_0000_0000_0001));
    let re = i.get_func(&s, "reinterp").unwrap();
    let mut out = [Val::I32(0)];
    re.call(&mut s, &[Val::F32(0x7fa0_0001)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(0x7fa0_0001));
}

#[test]
fn trap_backtrace_names_functions_and_offsets() {
    let (mut s, i) = instance(WAT);
    let f = i.get_typed_func::<i32, i32>(&s, "nested_trap").unwrap();
    let e = f.call(&mut s, 0).unwrap_err();
    let trap = e.as_trap().unwrap();
    assert_eq!(trap.code, TrapCode::IntegerDivideByZero);
    assert_eq!(trap.backtrace.len(), 2);
    assert_eq!(trap.backtrace[0].func_name.as_deref(), Some("inner"));
    assert!(trap.backtrace[0].offset.is_some());
    assert!(trap.backtrace[1].offset.unwrap() > trap.backtrace[0].offset.unwrap());
    // The store is still usable after a trap.
    assert_eq!(f.call(&mut s, 1).unwrap(), 1);
}

#[test]
fn unreachable_traps_with_spec_message() {
    let (mut s, i) = instance(r#"(module (func (export "u") unreachable))"#);
    let e = i
        .get_typed_func::<(), ()>(&s, "u")
        .unwrap()
        .call(&mut s, ())
        .unwrap_err();
    assert_eq!(e.message(), "unreachable");
}
