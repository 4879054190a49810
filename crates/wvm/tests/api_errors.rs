//! Error reporting of the embedding API (docs/api-gaps.md): bounded trap backtraces, host-side
//! memory access errors, wasm backtraces on host errors, `Display` of extern types, and the
//! legacy-version hint.

use wvm::*;

fn instance(engine: &Engine, linker: &Linker<()>, wat: &str) -> (Store<()>, Instance) {
    let module = Module::new(engine, wat).unwrap();
    let mut store = Store::new(engine, ());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    (store, inst)
}

// ---- 1. bounded backtraces ---------------------------------------------------------------

const RECURSE: &str = r#"(module
    (func $r (export "r") (param i32) (result i32) (call $r (local.get 0))))"#;

#[test]
fn stack_overflow_backtrace_is_bounded_and_counts_the_rest() {
    let engine = Engine::default();
    let (mut store, inst) = instance(&engine, &Linker::new(&engine), RECURSE);
    let e = inst
        .get_typed_func::<i32, i32>(&store, "r")
        .unwrap()
        .call(&mut store, 1)
        .unwrap_err();
    let t = e.as_trap().expect("a trap");
    assert_eq!(t.code, TrapCode::StackOverflow);
    assert_eq!(
        t.backtrace.len(),
        BACKTRACE_INNER_FRAMES + BACKTRACE_OUTER_FRAMES
    );
    assert!(t.frames_omitted > 90_000, "{}", t.frames_omitted);
    // Every active frame is accounted for: kept + omitted is the call depth reached.
    let max = engine.config().get_max_call_depth();
    assert!(t.depth() <= max && t.depth() > max - 10, "{}", t.depth());
    assert!(t.backtrace.iter().all(|f| f.func_index == 0));

    let s = e.to_string();
    assert!(s.starts_with("wasm trap: call stack exhausted\n"), "{s}");
    assert!(s.lines().count() <= 8, "{} lines:\n{s}", s.lines().count());
    assert!(
        s.contains(&format!("... {} frames omitted", t.frames_omitted)),
        "{s}"
    );
    assert!(s.contains("  0: func 0 (r) at offset"), "{s}");
    assert!(
        s.contains(&format!(
            "... repeated {} more times",
            BACKTRACE_INNER_FRAMES - 1
        )),
        "{s}"
    );
    // The outer frames are numbered by their real depth.
    let first_outer = BACKTRACE_INNER_FRAMES + t.frames_omitted;
    assert!(s.contains(&format!("  {first_outer}: func 0 (r)")), "{s}");
}

#[test]
fn shallow_backtrace_keeps_every_frame_and_distinct_frames_are_not_collapsed() {
    let engine = Engine::default();
    let (mut store, inst) = instance(
        &engine,
        &Linker::new(&engine),
        r#"(module
            (func $a (unreachable))
            (func $b (call $a))
            (func (export "c") (call $b)))"#,
    );
    let e = inst
        .get_typed_func::<(), ()>(&store, "c")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    let t = e.as_trap().unwrap();
    assert_eq!(t.frames_omitted, 0);
    let idx: Vec<u32> = t.backtrace.iter().map(|f| f.func_index).collect();
    assert_eq!(idx, [0, 1, 2]);
    let s = e.to_string();
    assert!(!s.contains("omitted") && !s.contains("repeated"), "{s}");
    assert!(s.contains("  2: func 2"), "{s}");
}

#[test]
fn backtrace_display_collapses_runs_but_not_across_the_gap() {
    let fr = |i: u32| FrameInfo {
        func_index: i,
        func_name: None,
        offset: Some(0x10),
    };
    let mut frames = vec![fr(1); BACKTRACE_INNER_FRAMES];
    frames.extend((0..BACKTRACE_OUTER_FRAMES).map(|i| fr(if i == 0 { 1 } else { 2 })));
    let bt = WasmBacktrace {
        frames,
        frames_omitted: 5,
    };
    assert_eq!(
        bt.depth(),
        BACKTRACE_INNER_FRAMES + BACKTRACE_OUTER_FRAMES + 5
    );
    let s = bt.to_string();
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(
        lines,
        [
            "wasm backtrace:".to_string(),
            "  0: func 1 at offset 0x10".into(),
            format!("  ... repeated {} more times", BACKTRACE_INNER_FRAMES - 1),
            "  ... 5 frames omitted".into(),
            format!("  {}: func 1 at offset 0x10", BACKTRACE_INNER_FRAMES + 5),
            format!("  {}: func 2 at offset 0x10", BACKTRACE_INNER_FRAMES + 6),
            format!("  ... repeated {} more times", BACKTRACE_OUTER_FRAMES - 2),
        ]
    );
}

// ---- 2. host-side memory access ----------------------------------------------------------

#[test]
fn host_memory_write_out_of_bounds_names_the_numbers_and_is_no_trap() {
    let mut store = Store::new(&Engine::default(), ());
    let mem = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    let e = mem.write(&mut store, 65535, b"abc").unwrap_err();
    assert!(e.as_trap().is_none());
    assert!(matches!(
        e.kind(),
        ErrorKind::MemoryAccess {
            offset: 65535,
            len: 3,
            size: 65536
        }
    ));
    assert_eq!(
        e.to_string(),
        "memory access out of bounds: offset 65535 + 3 bytes > size 65536"
    );
    assert!(!e.to_string().contains("wasm trap"));
    // Nothing was written; an in-bounds write at the end still works.
    assert_eq!(mem.data(&store)[65535], 0);
    mem.write(&mut store, 65533, b"abc").unwrap();

    let mut buf = [0u8; 8];
    let e = mem.read(&store, usize::MAX, &mut buf).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::MemoryAccess {
            offset: usize::MAX,
            len: 8,
            size: 65536
        }
    ));
    let e = mem.read_str(&store, 65530, 7).unwrap_err();
    assert_eq!(
        e.message(),
        "memory access out of bounds: offset 65530 + 7 bytes > size 65536"
    );
}

#[test]
fn host_read_cstr_without_terminator_is_a_memory_access_error() {
    let mut store = Store::new(&Engine::default(), ());
    let mem = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    mem.data_mut(&mut store).fill(b'x');
    let e = mem.read_cstr(&store, 65530).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::MemoryAccess {
                offset: 65530,
                len: 7,
                size: 65536
            }
        ),
        "{e}"
    );
    let e = mem.read_cstr(&store, 70000).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::MemoryAccess { offset: 70000, .. }),
        "{e}"
    );
    mem.write(&mut store, 65535, &[0]).unwrap();
    assert_eq!(mem.read_cstr(&store, 65533).unwrap(), "xx");
}

// ---- 3. host errors carry the wasm backtrace ---------------------------------------------

#[derive(Debug)]
struct Boom(u32);
impl std::fmt::Display for Boom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "boom {}", self.0)
    }
}
impl std::error::Error for Boom {}

const HOST_CALLER: &str = r#"(module
    (import "env" "f" (func $f))
    (func $g (call $f))
    (func (export "h") (call $g)))"#;

#[test]
fn host_error_gets_wasm_backtrace_and_stays_downcastable() {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("env", "f", || -> Result<(), Error> {
            Err(Error::host(Boom(7)))
        })
        .unwrap();
    let (mut store, inst) = instance(&engine, &linker, HOST_CALLER);
    let e = inst
        .get_typed_func::<(), ()>(&store, "h")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert_eq!(e.downcast_ref::<Boom>().map(|b| b.0), Some(7));
    assert!(matches!(e.kind(), ErrorKind::Host(_)));
    assert_eq!(e.message(), "boom 7");
    let bt = e.wasm_backtrace().expect("backtrace attached");
    let idx: Vec<u32> = bt.frames.iter().map(|f| f.func_index).collect();
    assert_eq!(idx, [1, 2]);
    let s = e.to_string();
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.first().copied(), Some("boom 7"), "{s}");
    assert_eq!(lines.get(1).copied(), Some("wasm backtrace:"), "{s}");
    assert!(
        lines.get(2).is_some_and(|l| l.starts_with("  0: func 1")),
        "{s}"
    );
    assert!(
        lines.get(3).is_some_and(|l| l.starts_with("  1: func 2")),
        "{s}"
    );
}

#[test]
fn host_memory_error_inside_a_call_has_numbers_and_backtrace() {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "env",
            "f",
            |mut caller: Caller<'_, ()>| -> Result<(), Error> {
                let mem = caller
                    .get_export("memory")
                    .and_then(|e| e.into_memory())
                    .ok_or_else(|| Error::msg("no memory"))?;
                mem.write(&mut caller, 65535, b"abc")
            },
        )
        .unwrap();
    let (mut store, inst) = instance(
        &engine,
        &linker,
        r#"(module
            (import "env" "f" (func $f))
            (memory (export "memory") 1)
            (func (export "h") (call $f)))"#,
    );
    let e = inst
        .get_typed_func::<(), ()>(&store, "h")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert!(e.as_trap().is_none());
    assert!(matches!(e.kind(), ErrorKind::MemoryAccess { len: 3, .. }));
    let s = e.to_string();
    assert!(
        s.starts_with("memory access out of bounds: offset 65535 + 3 bytes > size 65536\nwasm backtrace:\n  0: func 1"),
        "{s}"
    );
}

#[test]
fn errors_outside_wasm_and_traps_get_no_extra_backtrace() {
    let e = Error::host(Boom(1));
    assert!(e.wasm_backtrace().is_none());
    assert_eq!(e.to_string(), "boom 1");

    let engine = Engine::default();
    let (mut store, inst) = instance(
        &engine,
        &Linker::new(&engine),
        r#"(module (func (export "u") unreachable))"#,
    );
    let e = inst
        .get_typed_func::<(), ()>(&store, "u")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert!(e.wasm_backtrace().is_none());
    assert_eq!(e.to_string().matches("wasm backtrace:").count(), 1, "{e}");
}

// ---- 4. Display of extern types ----------------------------------------------------------

#[test]
fn extern_types_display_in_wat_form() {
    let g = |val, mutable| GlobalType { val, mutable };
    assert_eq!(g(ValType::I64, false).to_string(), "(global i64)");
    assert_eq!(g(ValType::I32, true).to_string(), "(global (mut i32))");
    assert_eq!(MemoryType::new(1, Some(2)).to_string(), "(memory 1 2)");
    assert_eq!(MemoryType::new(0, None).to_string(), "(memory 0)");
    let mut m64 = MemoryType::new(1, None);
    m64.index = wvm_binary::IndexType::I64;
    assert_eq!(m64.to_string(), "(memory i64 1)");
    assert_eq!(
        TableType::new(RefType::FUNCREF, 0, None).to_string(),
        "(table 0 funcref)"
    );
    assert_eq!(
        TableType::new(RefType::EXTERNREF, 1, Some(10)).to_string(),
        "(table 1 10 externref)"
    );

    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
            (import "env" "f" (func (param i64) (result i64)))
            (import "env" "g" (global (mut i32)))
            (memory (export "mem") 1 2)
            (table (export "tab") 0 funcref)
            (global (export "c") i64 (i64.const 0)))"#,
    )
    .unwrap();
    let imports: Vec<String> = module.imports().map(|i| i.ty().to_string()).collect();
    assert_eq!(
        imports,
        ["(func (param i64) (result i64))", "(global (mut i32))"]
    );
    let exports: Vec<String> = module
        .exports()
        .map(|e| format!("{} {}", e.name(), e.ty()))
        .collect();
    assert_eq!(
        exports,
        [
            "mem (memory 1 2)",
            "tab (table 0 funcref)",
            "c (global i64)"
        ]
    );
}

// ---- 5. legacy version hint ----------------------------------------------------------------

#[test]
fn legacy_version_error_names_the_setting_and_keeps_spec_wording() {
    let wasm = b"\0asm\x0d\0\0\0";
    let e = Module::new(&Engine::default(), wasm).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Decode { offset: 4, .. }));
    assert!(
        e.message()
            .starts_with("unknown binary version (version 0x0d"),
        "{e}"
    );
    assert!(
        e.to_string().contains("Config::allow_legacy_version"),
        "{e}"
    );

    // Other versions get the plain wording.
    let e = Module::new(&Engine::default(), b"\0asm\x02\0\0\0").unwrap_err();
    assert_eq!(e.message(), "unknown binary version");

    // And the setting does accept it.
    let mut config = Config::new();
    config.allow_legacy_version(true);
    Module::new(&Engine::new(&config), wasm).unwrap();
}
