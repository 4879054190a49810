//! Interrupting running WebAssembly from another thread; NaN canonicalization.

use std::time::{Duration, Instant};
use wvm::*;

const LOOP: &str = r#"(module
  (func (export "spin") (loop (br 0)))
  (func $rec (export "rec") (call $rec))
  (func (export "one") (result i32) (i32.const 1)))"#;

fn interruptible() -> Engine {
    let mut c = Config::new();
    c.interruptible(true);
    Engine::new(&c)
}

#[test]
fn interrupt_an_infinite_loop_from_another_thread() {
    let engine = interruptible();
    let module = Module::new(&engine, LOOP).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let spin = inst.get_typed_func::<(), ()>(&store, "spin").unwrap();
    let handle = engine.interrupt_handle();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        handle.interrupt();
    });
    let start = Instant::now();
    let e = spin.call(&mut store, ()).unwrap_err();
    t.join().unwrap();
    assert_eq!(e.trap_code(), Some(TrapCode::Interrupted));
    assert!(e.to_string().contains("interrupted"), "{e}");
    assert!(start.elapsed() >= Duration::from_millis(40));
    // The request was consumed: the store keeps working.
    let one = inst.get_typed_func::<(), i32>(&store, "one").unwrap();
    assert_eq!(one.call(&mut store, ()).unwrap(), 1);
}

#[test]
fn interrupt_is_seen_at_function_entry() {
    let engine = interruptible();
    let module = Module::new(&engine, LOOP).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let one = inst.get_typed_func::<(), i32>(&store, "one").unwrap();
    let h = engine.interrupt_handle();
    h.interrupt();
    assert_eq!(
        one.call(&mut store, ()).unwrap_err().trap_code(),
        Some(TrapCode::Interrupted)
    );
    assert_eq!(one.call(&mut store, ()).unwrap(), 1);
    h.interrupt();
    h.clear();
    assert_eq!(one.call(&mut store, ()).unwrap(), 1);
}

#[test]
fn no_checks_without_interruptible() {
    let engine = Engine::default();
    let module = Module::new(&engine, LOOP).unwrap();
    assert!(!wvm::debug::disassemble_module(&module).contains("check_interrupt"));
    let module = Module::new(&interruptible(), LOOP).unwrap();
    let text = wvm::debug::disassemble_module(&module);
    // Three function entries and one loop header.
    assert_eq!(text.matches("check_interrupt").count(), 4, "{text}");
    // Without checks an interrupt request has no effect.
    let mut store = Store::new(&engine, ());
    let module = Module::new(&engine, LOOP).unwrap();
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    engine.interrupt_handle().interrupt();
    let one = inst.get_typed_func::<(), i32>(&store, "one").unwrap();
    assert_eq!(one.call(&mut store, ()).unwrap(), 1);
}

const NANS: &str = r#"(module
  (func (export "f32") (param f32 f32) (result i32) (i32.reinterpret_f32 (f32.add (local.get 0) (local.get 1))))
  (func (export "f64") (param f64 f64) (result i64) (i64.reinterpret_f64 (f64.div (local.get 0) (local.get 1))))
  (func (export "neg") (param f32) (result i32) (i32.reinterpret_f32 (f32.neg (local.get 0))))
  (func (export "sqrt") (param f64) (result i64) (local f64)
    (local.set 1 (f64.sqrt (local.get 0))) (i64.reinterpret_f64 (local.get 1))))"#;

#[test]
fn nan_canonicalization() {
    let payload32 = f32::from_bits(0x7fa0_0001);
    let payload64 = f64::from_bits(0xfff4_0000_0000_0001);
    let run = |canon: bool| {
        let mut c = Config::new();
        c.canonicalize_nans(canon);
        let engine = Engine::new(&c);
        let module = Module::new(&engine, NANS).unwrap();
        let mut store = Store::new(&engine, ());
        let inst = Instance::new(&mut store, &module, &[]).unwrap();
        let f32f = inst
            .get_typed_func::<(f32, f32), i32>(&store, "f32")
            .unwrap();
        let f64f = inst
            .get_typed_func::<(f64, f64), i64>(&store, "f64")
            .unwrap();
        let neg = inst.get_typed_func::<f32, i32>(&store, "neg").unwrap();
        let sqrt = inst.get_typed_func::<f64, i64>(&store, "sqrt").unwrap();
        (
            f32f.call(&mut store, (payload32, 1.0)).unwrap() as u32,
            f64f.call(&mut store, (payload64, 2.0)).unwrap() as u64,
            f64f.call(&mut store, (0.0, 0.0)).unwrap() as u64,
            f32f.call(&mut store, (1.5, 2.0)).unwrap() as u32,
            neg.call(&mut store, payload32).unwrap() as u32,
            sqrt.call(&mut store, -1.0).unwrap() as u64,
            wvm::debug::disassemble_module(&module),
        )
    };
    let (a, b, c, d, e, f, text) = run(true);
    assert_eq!(a, 0x7fc0_0000);
    assert_eq!(b, 0x7ff8_0000_0000_0000);
    assert_eq!(c, 0x7ff8_0000_0000_0000);
    assert_eq!(d, 3.5f32.to_bits());
    assert_eq!(e, 0xffa0_0001, "neg is a bit operation, not canonicalized");
    assert_eq!(f, 0x7ff8_0000_0000_0000);
    assert!(text.contains("canon_f32") && text.contains("canon_f64"));
    let (a, _, _, d, _, _, text) = run(false);
    // What x86 and ARM hardware do; Rust does not promise it, and Miri returns another
    // arithmetic NaN (also conformant), so only real hardware is checked.
    #[cfg(not(miri))]
    assert_eq!(
        a & 0x7fff_ffff,
        0x7fe0_0001,
        "hardware keeps (quiets) the payload"
    );
    assert!(f32::from_bits(a).is_nan());
    assert_eq!(d, 3.5f32.to_bits());
    assert!(!text.contains("canon_"));
}
