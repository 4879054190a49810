//! Fuel metering: determinism, the out-of-fuel trap, resumable calls, zero cost when off.

use wvm::*;

const FIB_WASM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/wasm/fib.wasm");

fn fuel_engine() -> Engine {
    let mut c = Config::new();
    c.consume_fuel(true);
    Engine::new(&c)
}

fn fib_instance(engine: &Engine) -> (Store<()>, Func) {
    let bytes = std::fs::read(FIB_WASM).expect("bench/wasm/fib.wasm");
    let module = Module::new(engine, bytes).unwrap();
    let mut store = Store::new(engine, ());
    let inst = Linker::new(engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let run = inst.get_func(&store, "run").expect("export run");
    (store, run)
}

fn run_fib(engine: &Engine, fuel: u64) -> (Result<Vec<Val>, Error>, u64) {
    let (mut store, run) = fib_instance(engine);
    store.set_fuel(fuel).unwrap();
    let mut out = vec![Val::I32(0); run.ty(&store).results.len()];
    let r = run
        .call(&mut store, &[Val::I32(20)], &mut out)
        .map(|()| out);
    (r, store.get_fuel().unwrap())
}

#[test]
fn same_fuel_on_every_run() {
    let engine = fuel_engine();
    let budget = 1 << 40;
    let (r1, left1) = run_fib(&engine, budget);
    let (r2, left2) = run_fib(&engine, budget);
    let r1 = r1.unwrap();
    assert_eq!(r1, r2.unwrap());
    assert!(left1 < budget, "fib(20) consumed no fuel");
    assert_eq!(left1, left2, "fuel consumption differs between runs");
    // A fresh engine translates the same way.
    let (_, left3) = run_fib(&fuel_engine(), budget);
    assert_eq!(left1, left3);
    // fib(20) makes 21891 calls; every call is charged at least once.
    assert!(budget - left1 > 21_891, "used {}", budget - left1);
}

#[test]
fn out_of_fuel_traps() {
    let engine = fuel_engine();
    let (r, left) = run_fib(&engine, 1000);
    let e = r.unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::OutOfFuel));
    assert!(e.to_string().contains("all fuel consumed"), "{e}");
    assert!(left <= 1000);
}

#[test]
fn exact_budget_suffices_and_one_less_fails() {
    let engine = fuel_engine();
    let budget = 1 << 40;
    let (full, left) = run_fib(&engine, budget);
    let used = budget - left;
    let (r, left) = run_fib(&engine, used);
    assert_eq!(r.unwrap(), full.unwrap());
    assert_eq!(left, 0);
    let (r, _) = run_fib(&engine, used - 1);
    assert_eq!(r.unwrap_err().trap_code(), Some(TrapCode::OutOfFuel));
}

#[test]
fn fuel_api_errors_when_disabled() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    assert!(store.set_fuel(10).is_err());
    assert!(store.get_fuel().is_err());
    let mut store = Store::new(&fuel_engine(), ());
    store.set_fuel(10).unwrap();
    assert_eq!(store.get_fuel().unwrap(), 10);
}

#[test]
fn resume_gives_the_uninterrupted_result() {
    let engine = fuel_engine();
    let (expected, _) = run_fib(&engine, 1 << 40);
    let expected = expected.unwrap();
    let (mut store, run) = fib_instance(&engine);
    store.set_fuel(5000).unwrap();
    let mut out = vec![Val::I32(0); expected.len()];
    let mut call = run
        .call_resumable(&mut store, &[Val::I32(20)], &mut out)
        .unwrap();
    let mut suspensions = 0;
    loop {
        match call {
            ResumableCall::Finished => break,
            ResumableCall::OutOfFuel(inv) => {
                suspensions += 1;
                assert!(suspensions < 100_000);
                store.set_fuel(5000).unwrap();
                call = inv.resume(&mut store, &mut out).unwrap();
            }
        }
    }
    assert!(suspensions > 10, "only {suspensions} suspensions");
    assert_eq!(out, expected);
}

#[test]
fn resume_survives_other_calls_in_between() {
    let engine = fuel_engine();
    let wat = r#"(module
      (func $sum (export "sum") (param i32) (result i32) (local i32)
        (block (loop
          (br_if 1 (i32.eqz (local.get 0)))
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br 0)))
        (local.get 1)))"#;
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let sum = inst.get_func(&store, "sum").unwrap();
    store.set_fuel(100).unwrap();
    let mut out = [Val::I32(0)];
    let ResumableCall::OutOfFuel(inv) = sum
        .call_resumable(&mut store, &[Val::I32(1000)], &mut out)
        .unwrap()
    else {
        panic!("1000 iterations cannot fit in 100 fuel");
    };
    // Another call reuses the value stack meanwhile.
    store.set_fuel(1_000_000).unwrap();
    let typed = sum.typed::<i32, i32>(&store).unwrap();
    assert_eq!(typed.call(&mut store, 10).unwrap(), 55);
    let mut call = inv.resume(&mut store, &mut out).unwrap();
    while let ResumableCall::OutOfFuel(inv) = call {
        store.set_fuel(100).unwrap();
        call = inv.resume(&mut store, &mut out).unwrap();
    }
    assert_eq!(out, [Val::I32(500_500)]);
}

#[test]
fn plain_call_still_traps_and_other_traps_pass_through() {
    let engine = fuel_engine();
    let module = Module::new(&engine, r#"(module (func (export "f") unreachable))"#).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let f = inst.get_func(&store, "f").unwrap();
    store.set_fuel(100).unwrap();
    let e = f.call_resumable(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::Unreachable));
    store.set_fuel(0).unwrap();
    let e = f.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::OutOfFuel));
}

fn count_op(module: &Module, name: &str) -> usize {
    let mut n = 0;
    let mut i = 0;
    while let Some(f) = module.compiled_func(i) {
        n += f.ops().iter().filter(|op| op.name() == name).count();
        i += 1;
    }
    n
}

#[test]
fn no_fuel_ops_without_fuel() {
    let bytes = std::fs::read(FIB_WASM).unwrap();
    let off = Module::new(&Engine::default(), &bytes).unwrap();
    let on = Module::new(&fuel_engine(), &bytes).unwrap();
    assert_eq!(count_op(&off, "consume_fuel"), 0);
    assert!(!wvm::debug::disassemble_module(&off).contains("consume_fuel"));
    assert!(count_op(&on, "consume_fuel") > 0);
    assert!(wvm::debug::disassemble_module(&on).contains("consume_fuel"));
}

#[test]
fn bulk_memory_pays_per_64_bytes() {
    let engine = fuel_engine();
    let wat = r#"(module (memory 2)
      (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 7) (local.get 0)))
      (func (export "fill_const") (memory.fill (i32.const 0) (i32.const 7) (i32.const 6400))))"#;
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let fill = inst.get_typed_func::<i32, ()>(&store, "fill").unwrap();
    let used = |store: &mut Store<()>, n: i32| {
        store.set_fuel(1_000_000).unwrap();
        fill.call(&mut *store, n).unwrap();
        1_000_000 - store.get_fuel().unwrap()
    };
    let base = used(&mut store, 0);
    assert_eq!(used(&mut store, 64_000), base + 1000);
    assert_eq!(used(&mut store, 63), base);
    let fill_const = inst.get_typed_func::<(), ()>(&store, "fill_const").unwrap();
    store.set_fuel(1_000_000).unwrap();
    fill_const.call(&mut store, ()).unwrap();
    assert_eq!(1_000_000 - store.get_fuel().unwrap(), base + 100);
    // Not enough for the bytes: the call traps before filling.
    store.set_fuel(base + 10).unwrap();
    let e = fill.call(&mut store, 64_000).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::OutOfFuel));
}
