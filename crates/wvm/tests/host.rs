//! Host functions, Caller access, re-entrancy and host errors.

use wvm::*;

#[derive(Debug)]
struct Exit(i32);
impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}
impl std::error::Error for Exit {}

const WAT: &str = r#"(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (import "env" "exit" (func $exit (param i32)))
  (import "env" "peek" (func $peek (param i32) (result i32)))
  (import "env" "pair" (func $pair (param i64 f64) (result f64 i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\2a")
  (func (export "run") (param i32) (result i32)
    (call $log (local.get 0))
    (call $twice (local.get 0)))
  (func (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $twice (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "quit") (call $exit (i32.const 3)) unreachable)
  (func (export "peek") (result i32) (call $peek (i32.const 16)))
  (func (export "pair") (result f64 i64) (call $pair (i64.const 5) (f64.const 1.5))))"#;

struct Data {
    log: Vec<i32>,
    inst: Option<Instance>,
}

fn setup() -> (Store<Data>, Instance) {
    let engine = Engine::default();
    let mut linker = Linker::<Data>::new(&engine);
    linker
        .func_wrap("env", "log", |mut c: Caller<'_, Data>, x: i32| {
            c.data_mut().log.push(x)
        })
        .unwrap();
    // Re-enters WebAssembly: twice(n) = down(n) * 2 style mutual recursion host <-> wasm.
    linker
        .func_wrap(
            "env",
            "twice",
            |mut c: Caller<'_, Data>, x: i32| -> Result<i32, Error> {
                let inst = c.data().inst.unwrap();
                let down = inst.get_typed_func::<i32, i32>(&c, "down")?;
                down.call(&mut c, x)
            },
        )
        .unwrap();
    linker
        .func_wrap("env", "exit", |code: i32| -> Result<(), Error> {
            Err(Error::host(Exit(code)))
        })
        .unwrap();
    linker
        .func_wrap("env", "peek", |mut c: Caller<'_, Data>, p: i32| {
            let mem = c
                .get_export("memory")
                .and_then(Extern::into_memory)
                .unwrap();
            mem.data(&c)[p as usize] as i32
        })
        .unwrap();
    let ty = FuncType::new([ValType::I64, ValType::F64], [ValType::F64, ValType::I64]);
    linker
        .func_new("env", "pair", ty, |_c, args, results| {
            results[0] = Val::F64((args[1].f64().unwrap() * 2.0).to_bits());
            results[1] = Val::I64(args[0].i64().unwrap() + 1);
            Ok(())
        })
        .unwrap();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(
        &engine,
        Data {
            log: vec![],
            inst: None,
        },
    );
    let inst = linker.instantiate(&mut store, &module).unwrap();
    store.data_mut().inst = Some(inst);
    (store, inst)
}

#[test]
fn host_functions_see_store_data_and_memory() {
    let (mut s, i) = setup();
    let run = i.get_typed_func::<i32, i32>(&s, "run").unwrap();
    assert_eq!(run.call(&mut s, 3).unwrap(), 3);
    assert_eq!(s.data().log, vec![3]);
    assert_eq!(
        i.get_typed_func::<(), i32>(&s, "peek")
            .unwrap()
            .call(&mut s, ())
            .unwrap(),
        42
    );
    let pair = i.get_typed_func::<(), (f64, i64)>(&s, "pair").unwrap();
    assert_eq!(pair.call(&mut s, ()).unwrap(), (3.0, 6));
}

#[test]
fn host_wasm_reentrancy_nests() {
    let (mut s, i) = setup();
    let down = i.get_typed_func::<i32, i32>(&s, "down").unwrap();
    // down(n) calls host twice(n-1), which calls down(n-1) ... 40 nested executors.
    assert_eq!(down.call(&mut s, 40).unwrap(), 40);
    // Unbounded host <-> wasm recursion ends in a clean trap, not a crashed process.
    let e = down.call(&mut s, 1_000_000).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::StackOverflow), "{e}");
    assert_eq!(down.call(&mut s, 5).unwrap(), 5);
}

#[test]
fn host_errors_carry_their_value() {
    let (mut s, i) = setup();
    let quit = i.get_typed_func::<(), ()>(&s, "quit").unwrap();
    let e = quit.call(&mut s, ()).unwrap_err();
    assert_eq!(e.downcast_ref::<Exit>().map(|e| e.0), Some(3));
    assert!(e.trap_code().is_none());
}

#[test]
fn wrap_supports_many_shapes() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, 10i64);
    let unit = Func::wrap(&mut store, || {});
    assert!(unit.ty(&store).params.is_empty());
    let tuple = Func::wrap(&mut store, |a: u32, b: u64| (b as i64, a as i32));
    let t = tuple.typed::<(u32, u64), (i64, i32)>(&store).unwrap();
    assert_eq!(t.call(&mut store, (u32::MAX, 7)).unwrap(), (7, -1));
    let with_caller = Func::wrap(&mut store, |c: Caller<'_, i64>, x: f32| {
        *c.data() as f32 + x
    });
    assert_eq!(
        with_caller
            .typed::<f32, f32>(&store)
            .unwrap()
            .call(&mut store, 0.5)
            .unwrap(),
        10.5
    );
    let refs = Func::wrap(&mut store, |f: Option<Func>| f.is_some() as i32);
    let r = refs.typed::<Option<Func>, i32>(&store).unwrap();
    assert_eq!(r.call(&mut store, Some(unit)).unwrap(), 1);
    assert_eq!(r.call(&mut store, None).unwrap(), 0);
    let failing = Func::wrap(&mut store, || -> Result<i32, Error> {
        Err(Error::msg("nope"))
    });
    let e = failing
        .typed::<(), i32>(&store)
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert_eq!(e.to_string(), "nope");
    let ext = ExternRef::new(&mut store, String::from("hi"));
    let id = Func::wrap(&mut store, |r: Option<ExternRef>| r);
    let out = id
        .typed::<Option<ExternRef>, Option<ExternRef>>(&store)
        .unwrap()
        .call(&mut store, Some(ext))
        .unwrap();
    assert_eq!(
        out.unwrap()
            .data(&store)
            .unwrap()
            .downcast_ref::<String>()
            .unwrap(),
        "hi"
    );
}

#[test]
fn host_returning_wrong_type_is_an_error_not_a_panic() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let bad = Func::new(&mut store, FuncType::new([], [ValType::I32]), |_, _, r| {
        r[0] = Val::I64(1);
        Ok(())
    });
    let module = Module::new(&engine, r#"(module (import "" "f" (func $f (result i32))) (func (export "g") (result i32) (call $f)))"#).unwrap();
    let inst = Instance::new(&mut store, &module, &[bad.into()]).unwrap();
    let g = inst.get_typed_func::<(), i32>(&store, "g").unwrap();
    assert!(g.call(&mut store, ()).is_err());
}

#[test]
fn store_is_send_and_survives_a_panicking_host_function() {
    fn send<S: Send>(_: &S) {}
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    send(&store);
    let boom = Func::wrap(&mut store, |x: i32| -> i32 {
        if x == 1 {
            panic!("host panic");
        }
        x
    });
    let module = Module::new(
        &engine,
        r#"(module (import "" "f" (func $f (param i32) (result i32)))
            (func (export "g") (param i32) (result i32) (call $f (local.get 0))))"#,
    )
    .unwrap();
    let inst = Instance::new(&mut store, &module, &[boom.into()]).unwrap();
    let g = inst.get_typed_func::<i32, i32>(&store, "g").unwrap();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| g.call(&mut store, 1)));
    assert!(r.is_err());
    assert_eq!(g.call(&mut store, 7).unwrap(), 7);
    // The store moves to another thread.
    let h = std::thread::spawn(move || g.call(&mut store, 9).unwrap());
    assert_eq!(h.join().unwrap(), 9);
}
