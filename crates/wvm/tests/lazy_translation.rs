//! Lazy translation (`CompilationMode::LazyTranslation`, the default): bodies are validated
//! at `Module::new` but translated on their first call; results, errors and traps are the
//! same as with eager translation.

use wvm::*;

fn engine(mode: CompilationMode) -> Engine {
    let mut config = Config::new();
    config.compilation_mode(mode);
    Engine::new(&config)
}

const MODES: [CompilationMode; 2] = [CompilationMode::Eager, CompilationMode::LazyTranslation];

/// Calls, `call_indirect` through a table, recursion and traps deep inside callees.
const PROGRAM: &str = r#"(module
  (type $ii (func (param i32) (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $fib $double $trap_div)
  (memory 1)
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $trap_div (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  (func $unused (param i32) (result i32) (i32.add (local.get 0) (i32.const 7)))
  (func (export "fib") (param i32) (result i32) (call $fib (local.get 0)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $ii) (local.get 1) (local.get 0)))
  (func (export "oob") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "deep_trap") (param i32) (result i32)
    (call_indirect (type $ii) (local.get 0) (i32.const 2))))"#;

fn instantiate(mode: CompilationMode) -> (Module, Store<()>, Instance) {
    let e = engine(mode);
    let module = Module::new(&e, PROGRAM).unwrap();
    let mut store = Store::new(&e, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    (module, store, inst)
}

/// Everything observable about a run: results, or the trap's message and backtrace.
fn outcomes(mode: CompilationMode) -> Vec<String> {
    let (_, mut s, i) = instantiate(mode);
    let fib = i.get_typed_func::<i32, i32>(&s, "fib").unwrap();
    let ind = i.get_typed_func::<(i32, i32), i32>(&s, "indirect").unwrap();
    let oob = i.get_typed_func::<i32, i32>(&s, "oob").unwrap();
    let deep = i.get_typed_func::<i32, i32>(&s, "deep_trap").unwrap();
    let show = |r: Result<i32, Error>| match r {
        Ok(v) => v.to_string(),
        Err(e) => format!("{e:?} / {e}"),
    };
    vec![
        show(fib.call(&mut s, 20)),
        show(ind.call(&mut s, (0, 10))),
        show(ind.call(&mut s, (1, 21))),
        show(ind.call(&mut s, (2, 5))),
        show(ind.call(&mut s, (2, 0))),
        show(ind.call(&mut s, (7, 0))),
        show(oob.call(&mut s, 70_000)),
        show(deep.call(&mut s, 0)),
        show(deep.call(&mut s, 4)),
    ]
}

#[test]
fn results_and_traps_are_the_same_in_both_modes() {
    let eager = outcomes(CompilationMode::Eager);
    let lazy = outcomes(CompilationMode::LazyTranslation);
    assert_eq!(eager, lazy);
    assert_eq!(eager[0], "6765");
    assert_eq!(eager[1], "55");
    assert_eq!(eager[2], "42");
    assert_eq!(eager[3], "20");
    assert!(eager[4].contains("integer divide by zero"), "{}", eager[4]);
    // The trap names the lazily translated function that trapped.
    assert!(eager[4].contains("func 2"), "{}", eager[4]);
    assert!(eager[5].contains("undefined element"), "{}", eager[5]);
    assert!(
        eager[6].contains("out of bounds memory access"),
        "{}",
        eager[6]
    );
    assert!(
        eager[7].contains("func 2") && eager[7].contains("func 7"),
        "{}",
        eager[7]
    );
    assert_eq!(eager[8], "25");
}

#[test]
fn functions_are_translated_on_first_call_only() {
    let (module, mut s, i) = instantiate(CompilationMode::LazyTranslation);
    assert_eq!(module.num_translated(), 0);
    let ind = i.get_typed_func::<(i32, i32), i32>(&s, "indirect").unwrap();
    // `indirect` and `$double`.
    assert_eq!(ind.call(&mut s, (1, 4)).unwrap(), 8);
    assert_eq!(module.num_translated(), 2);
    assert_eq!(ind.call(&mut s, (1, 5)).unwrap(), 10);
    assert_eq!(module.num_translated(), 2);
    let fib = i.get_typed_func::<i32, i32>(&s, "fib").unwrap();
    assert_eq!(fib.call(&mut s, 10).unwrap(), 55);
    assert_eq!(module.num_translated(), 4);
    // A second instance shares the module's translated code.
    let mut s2 = Store::new(module.engine(), ());
    let i2 = Instance::new(&mut s2, &module, &[]).unwrap();
    let fib2 = i2.get_typed_func::<i32, i32>(&s2, "fib").unwrap();
    assert_eq!(fib2.call(&mut s2, 11).unwrap(), 89);
    assert_eq!(module.num_translated(), 4);
    // `compiled_func` translates on demand; `$unused` (defined 3) was never called.
    assert!(module.compiled_func(3).is_some());
    assert_eq!(module.num_translated(), 5);
    assert!(module.compiled_func(99).is_none());

    let (eager, _, _) = instantiate(CompilationMode::Eager);
    assert_eq!(eager.num_translated(), 8);
}

#[test]
fn the_default_mode_is_lazy() {
    assert_eq!(
        Config::new().get_compilation_mode(),
        CompilationMode::LazyTranslation
    );
    let module = Module::new(&Engine::default(), PROGRAM).unwrap();
    assert_eq!(module.num_translated(), 0);
}

#[test]
fn invalid_bodies_are_rejected_at_load_with_the_same_error() {
    let bad = [
        // Type mismatch in a function that is never called.
        r#"(module (func (result i32) i64.const 1) (func (export "ok")))"#,
        // Unknown local.
        r#"(module (func (export "ok")) (func local.get 3 drop))"#,
        // Branch depth out of range in the last function.
        r#"(module (func) (func (block (br 5))))"#,
    ];
    for wat in bad {
        let errs: Vec<String> = MODES
            .iter()
            .map(|m| Module::new(&engine(*m), wat).unwrap_err().to_string())
            .collect();
        assert_eq!(errs[0], errs[1], "{wat}");
        assert!(!errs[0].is_empty());
    }
    // Malformed binary bodies too (an illegal opcode in the only body).
    // (module (type (func)) (func (type 0) <0xff> end))
    let bin: &[u8] = &[
        0, b'a', b's', b'm', 1, 0, 0, 0, // header
        1, 4, 1, 0x60, 0, 0, // type section
        3, 2, 1, 0, // function section
        10, 5, 1, 3, 0, 0xff, 0x0b, // code section
    ];
    let errs: Vec<String> = MODES
        .iter()
        .map(|m| Module::new(&engine(*m), bin).unwrap_err().to_string())
        .collect();
    assert_eq!(errs[0], errs[1]);
    assert!(errs[0].contains("illegal opcode"), "{}", errs[0]);
}

/// The load error of `bin` in both modes, given as a slice and as an owned buffer.
fn load_errors(bin: &[u8]) -> Vec<String> {
    let mut errs: Vec<String> = MODES
        .iter()
        .map(|m| Module::new(&engine(*m), bin).unwrap_err().to_string())
        .collect();
    for m in MODES {
        let owned = Module::from_binary_vec(&engine(m), bin.to_vec());
        let e = owned.unwrap_err().to_string();
        assert_eq!(e, errs[0], "from_binary_vec in {m:?}");
        errs.push(e);
    }
    errs
}

/// A module built from an owned buffer (which a lazy module keeps instead of a copy) runs
/// like one built from a slice: the untranslated bodies are read from the kept buffer.
#[test]
fn a_module_from_an_owned_buffer_runs_the_same() {
    let wasm = wvm_text::parse_wat(PROGRAM, &wvm_text::TextOptions::default()).unwrap();
    for mode in MODES {
        let e = engine(mode);
        let module = Module::from_binary_vec(&e, wasm.clone()).unwrap();
        let mut store = Store::new(&e, ());
        let inst = Instance::new(&mut store, &module, &[]).unwrap();
        let fib = inst.get_typed_func::<i32, i32>(&store, "fib").unwrap();
        assert_eq!(fib.call(&mut store, 20).unwrap(), 6765, "{mode:?}");
        let ind = inst
            .get_typed_func::<(i32, i32), i32>(&store, "indirect")
            .unwrap();
        assert_eq!(ind.call(&mut store, (1, 21)).unwrap(), 42, "{mode:?}");
        let err = ind.call(&mut store, (2, 0)).unwrap_err().to_string();
        assert!(err.contains("divide by zero"), "{mode:?}: {err}");
    }
}

#[test]
fn a_malformed_body_wins_over_an_earlier_invalid_one() {
    // Body 0 is invalid (a value left on the stack), body 1 malformed (illegal opcode).
    let bin: &[u8] = &[
        0, b'a', b's', b'm', 1, 0, 0, 0, // header
        1, 4, 1, 0x60, 0, 0, // type section
        3, 3, 2, 0, 0, // function section
        10, 10, 2, 4, 0, 0x41, 0, 0x0b, 3, 0, 0xff, 0x0b, // code section
    ];
    let errs = load_errors(bin);
    assert_eq!(errs[0], errs[1]);
    assert!(errs[0].contains("illegal opcode"), "{}", errs[0]);
    // With body 1 fixed (nop), the validation error is reported.
    let mut ok1 = bin.to_vec();
    let at = ok1.len() - 2;
    ok1[at] = 0x01;
    let errs = load_errors(&ok1);
    assert_eq!(errs[0], errs[1]);
    assert!(errs[0].contains("type mismatch"), "{}", errs[0]);
}

#[test]
fn data_drop_without_a_data_count_section_is_malformed() {
    // (func data.drop 0) (data "") without a data count section.
    let bin: &[u8] = &[
        0, b'a', b's', b'm', 1, 0, 0, 0, // header
        1, 4, 1, 0x60, 0, 0, // type section
        3, 2, 1, 0, // function section
        5, 3, 1, 0, 1, // memory section: (memory 1)
        10, 7, 1, 5, 0, 0xfc, 0x09, 0x00, 0x0b, // code section
        11, 3, 1, 1, 0, // data section: one passive empty segment
    ];
    let errs = load_errors(bin);
    assert_eq!(errs[0], errs[1]);
    assert!(
        errs[0].contains("data count section required"),
        "{}",
        errs[0]
    );
}

#[test]
fn disassembly_is_the_same_in_both_modes() {
    let lazy = Module::new(&engine(CompilationMode::LazyTranslation), PROGRAM).unwrap();
    let eager = Module::new(&engine(CompilationMode::Eager), PROGRAM).unwrap();
    assert_eq!(
        wvm::debug::disassemble_module(&lazy),
        wvm::debug::disassemble_module(&eager)
    );
    assert_eq!(lazy.num_translated(), 8);
}

#[test]
fn modules_are_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Module>();
    shareable::<Engine>();
}

#[test]
fn concurrent_first_calls_share_one_translation() {
    let module = Module::new(&engine(CompilationMode::LazyTranslation), PROGRAM).unwrap();
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let module = module.clone();
            std::thread::spawn(move || {
                let mut s = Store::new(module.engine(), ());
                let i = Instance::new(&mut s, &module, &[]).unwrap();
                let fib = i.get_typed_func::<i32, i32>(&s, "fib").unwrap();
                let ind = i.get_typed_func::<(i32, i32), i32>(&s, "indirect").unwrap();
                let a = fib.call(&mut s, 15 + t).unwrap();
                let b = ind.call(&mut s, (1, t)).unwrap();
                (a, b)
            })
        })
        .collect();
    let results: Vec<(i32, i32)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(results, vec![(610, 0), (987, 2)]);
    // fib export, $fib, indirect, $double: each translated once.
    assert_eq!(module.num_translated(), 4);
}

#[test]
fn fuel_applies_to_lazily_translated_code() {
    let wat = r#"(module (func (export "spin") (param i32)
        (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))"#;
    let mut used = Vec::new();
    for mode in MODES {
        let mut config = Config::new();
        config.compilation_mode(mode).consume_fuel(true);
        let e = Engine::new(&config);
        let module = Module::new(&e, wat).unwrap();
        let mut s = Store::new(&e, ());
        s.set_fuel(1_000_000).unwrap();
        let i = Instance::new(&mut s, &module, &[]).unwrap();
        let spin = i.get_typed_func::<i32, ()>(&s, "spin").unwrap();
        spin.call(&mut s, 100).unwrap();
        used.push(1_000_000 - s.get_fuel().unwrap());
        s.set_fuel(10).unwrap();
        let e = spin.call(&mut s, 1_000).unwrap_err();
        assert_eq!(e.trap_code(), Some(TrapCode::OutOfFuel));
    }
    assert_eq!(used[0], used[1]);
    assert!(used[0] >= 100, "{used:?}");
}

#[test]
fn a_translation_failure_at_first_call_is_an_error_naming_the_function() {
    // Valid with memory64, but this engine does not translate offsets above 4 GiB.
    let wat = r#"(module (memory i64 1)
        (func (export "ok") (result i32) i32.const 5)
        (func (export "far") (result i32) i64.const 0 i32.load offset=0x100000000)
        (func (export "via") (result i32) call 1))"#;
    let config = |mode| {
        let mut c = Config::new();
        c.wasm_features(Features {
            memory64: true,
            ..Features::wasm2()
        })
        .compilation_mode(mode);
        Engine::new(&c)
    };
    let e = Module::new(&config(CompilationMode::Eager), wat).unwrap_err();
    assert!(e.to_string().contains("4 GiB"), "{e}");

    let engine = config(CompilationMode::LazyTranslation);
    let module = Module::new(&engine, wat).unwrap();
    let mut s = Store::new(&engine, ());
    let i = Instance::new(&mut s, &module, &[]).unwrap();
    let ok = i.get_typed_func::<(), i32>(&s, "ok").unwrap();
    assert_eq!(ok.call(&mut s, ()).unwrap(), 5);
    let far = i.get_typed_func::<(), i32>(&s, "far").unwrap();
    for _ in 0..2 {
        let e = far.call(&mut s, ()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("function 1") && msg.contains("4 GiB"), "{msg}");
        assert!(e.trap_code().is_none());
    }
    // Reached from WebAssembly: the call fails the same way.
    let via = i.get_typed_func::<(), i32>(&s, "via").unwrap();
    let e = via.call(&mut s, ()).unwrap_err();
    assert!(e.to_string().contains("function 1"), "{e}");
    assert!(e.trap_code().is_none());
    assert!(module.compiled_func(1).is_none());
    assert!(module.translate(1).is_err());
    assert_eq!(module.num_translated(), 2);
    // The store stays usable.
    assert_eq!(ok.call(&mut s, ()).unwrap(), 5);
}
