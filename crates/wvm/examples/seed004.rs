//! Seed 004 ("WebAssembly简介"), every program in it, run on wvm:
//!
//! * (a) the anatomy example: three signatures, the `dumb-math` imports, and `half`
//!   (`i64 -> i64` by `i64.div_u`) exported to the host;
//! * (b) `factorial` built in code (the seed's `wasm-util/ast`), encoded to bytes (`emit`),
//!   run, and printed as text (`repr`) and as a flat listing (`lbtext`);
//! * (c) `print_str`, the seed's loop that hands "Lolcat" to an imported `putc` byte by byte;
//! * (d) the memory-addressing walk-through: alignment and offset immediates, little-endian
//!   stores, reinterpreting bytes versus converting values;
//! * (e) the JavaScript-API example: the seed's raw module bytes (pre-release version 0x0d),
//!   `foo(1..3)`.
//!
//! Run: `cargo run -p wvm --example seed004`

use std::io::Write;
use wvm::{Config, Engine, Error, ExternType, Global, Instance, Linker, Module, Store, Val};
use wvm_binary::builder::ModuleBuilder;
use wvm_binary::{BlockType, GlobalType, Instr::*, NumOp::*, ValType::I64};

type Res = Result<(), Box<dyn std::error::Error>>;

/// Module (a), laid out as the seed describes it: type #0 `(i32 i32) -> i32`, #1 `i64 -> i64`,
/// #2 `() -> ()`; func #0 is the import `dumb-math.quadruple`; funcs #1, #2, #3 are defined;
/// `half` is func #1; a data segment puts `2a 00 00 00` at byte 4.
pub const ANATOMY_WAT: &str = r#"
(module
  (type (func (param i32 i32) (result i32)))  ;; func_type #0
  (type (func (param i64) (result i64)))      ;; func_type #1
  (type (func))                               ;; func_type #2
  (import "dumb-math" "quadruple" (func $quadruple (type 1)))  ;; func #0
  (import "dumb-math" "pi" (global $pi i64))
  (memory (export "memory") 1)
  (func $half (type 1)                        ;; func #1
    local.get 0   ;; push parameter #0 (the dividend)
    i64.const 2   ;; push the i64 constant 2 (the divisor)
    i64.div_u)    ;; unsigned division; the result is left on the stack
  (func (type 1)                              ;; func #2: quadruple(x) + pi, via the imports
    (i64.add (call $quadruple (local.get 0)) (global.get $pi)))
  (func (type 0)                              ;; func #3
    (i32.add (local.get 0) (local.get 1)))
  (export "half" (func 1))
  (export "quadruple_plus_pi" (func 2))
  (data (i32.const 4) "\2a\00\00\00"))
"#;

/// Module (c): `print_str` exactly as the seed writes it (old spellings `get_local`,
/// `tee_local`, `set_local`, which wvm accepts by default), "Lolcat\0" at address 4.
pub const PRINT_STR_WAT: &str = r#"
(module
  (import "env" "putc" (func (param i32)))              ;; func #0
  (memory (export "memory") 1)
  (data (i32.const 4) "\4c\6f\6c\63\61\74\00")          ;; "Lolcat", NUL
  (func $print_str (export "print_str") (param i32) (local i32)
    block                 ;; a label at its end
      loop                ;; a label right here
        get_local 0       ;; byte = i32.load8_u(addr)
        i32.load8_u
        tee_local 1
        i32.eqz           ;; if (byte == 0) break
        br_if 1
        get_local 1       ;; putc(byte)
        call 0
        get_local 0       ;; addr = addr + 1
        i32.const 1
        i32.add
        set_local 0
        br 0              ;; continue
      end
    end)
  (func (export "main")
    i32.const 4           ;; the string's address as the argument
    call $print_str))
"#;

/// Module (d): one function per step of the seed's memory walk-through. The seed writes the
/// immediates as `log2(alignment) offset`; text format writes `offset=N align=BYTES`.
pub const MEMORY_WAT: &str = r#"
(module
  (memory (export "memory") 1)
  (func (export "store_i32")            ;; i32.store 2 0: bytes [4..8) = 123
    i32.const 4
    i32.const 123
    i32.store offset=0 align=4)
  (func (export "load_i32") (result i32) ;; i32.load 2 0
    i32.const 4
    i32.load offset=0 align=4)
  (func (export "store16")              ;; i64.store16 1 3: address 3 + 3 = 6
    i32.const 3
    i64.const 1234
    i64.store16 offset=3 align=2)
  (func (export "store32_unaligned")    ;; i64.store32 2 3: address 6, not 4-aligned
    i32.const 3
    i64.const 1234
    i64.store32 offset=3 align=4)
  (func (export "store32_aligned")      ;; i64.store32 2 5: address 8, 4-aligned
    i32.const 3
    i64.const 1234
    i64.store32 offset=5 align=4)
  (func (export "load_f32") (result f32) ;; f32.load 2 4: the bytes at 8 read as an f32
    i32.const 4
    f32.load offset=4 align=4)
  (func (export "load_convert") (result f32) ;; i32.load 2 4, then f32.convert_u/i32
    i32.const 4
    i32.load offset=4 align=4
    f32.convert_i32_u)
  (func (export "load_at") (param i32) (result i32)
    local.get 0
    i32.load))
"#;

/// The seed's JavaScript-API module, byte for byte (binary version 0x0d).
pub const JS_API_WASM: &[u8] = include_bytes!("../../../examples/seed004.wasm");

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn extern_type(ty: &ExternType) -> String {
    match ty {
        ExternType::Func(f) => f.to_string(),
        ExternType::Global(GlobalType { val, mutable }) => {
            if *mutable {
                format!("(global (mut {val}))")
            } else {
                format!("(global {val})")
            }
        }
        ExternType::Memory(m) => format!("(memory {})", m.limits.min),
        ExternType::Table(t) => format!("(table {} {})", t.limits.min, t.elem),
    }
}

/// (a) The anatomy of a module and `half`.
fn anatomy(out: &mut impl Write) -> Res {
    writeln!(out, "(a) module anatomy and half")?;
    let engine = Engine::default();
    let module = Module::new(&engine, ANATOMY_WAT)?;
    for (i, t) in module.ir().types.iter().enumerate() {
        writeln!(out, "  func_type #{i}: {t}")?;
    }
    for imp in module.imports() {
        let ty = extern_type(&imp.ty());
        writeln!(out, "  import {:?} {:?}: {ty}", imp.module(), imp.name())?;
    }
    for exp in module.exports() {
        writeln!(out, "  export {:?}: {}", exp.name(), extern_type(&exp.ty()))?;
    }

    // The host resolves the imports: quadruple in Rust, pi as an immutable i64 global.
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.func_wrap("dumb-math", "quadruple", |x: i64| x.wrapping_mul(4))?;
    let pi_ty = GlobalType {
        val: I64,
        mutable: false,
    };
    let pi = Global::new(&mut store, pi_ty, Val::I64(3))?;
    linker.define(&store, "dumb-math", "pi", pi)?;
    let instance = linker.instantiate(&mut store, &module)?;

    let half = instance.get_typed_func::<i64, i64>(&store, "half")?;
    for x in [84, 7, -2] {
        writeln!(out, "  half({x}) = {}", half.call(&mut store, x)?)?;
    }
    let qp = instance.get_typed_func::<i64, i64>(&store, "quadruple_plus_pi")?;
    writeln!(
        out,
        "  quadruple_plus_pi(10) = {}",
        qp.call(&mut store, 10)?
    )?;

    let memory = instance.get_memory(&store, "memory").ok_or("no memory")?;
    let word = memory.data(&store).get(4..8).ok_or("memory too small")?;
    writeln!(out, "  data segment: memory[4..8] = {}", hex(word))?;
    Ok(())
}

/// The seed's factorial module, built in code.
pub fn factorial_module() -> wvm_binary::Module {
    let mut b = ModuleBuilder::new();
    let ty = b.func_type([I64], [I64]); // type index 0
    let fac = b.next_func_index(); // function index 0, for the recursive call
    let f = b.func(
        ty,
        [], // no additional locals
        vec![
            LocalGet(0),
            I64Const(0),
            Numeric(I64Eq),
            If(BlockType::Value(I64)),
            I64Const(1),
            Else,
            LocalGet(0),
            LocalGet(0),
            I64Const(1),
            Numeric(I64Sub),
            Call(fac),
            Numeric(I64Mul),
            End,
            End,
        ],
    );
    b.export_func("factorial", f);
    b.finish()
}

/// (b) factorial: build, encode, run, print.
fn factorial(out: &mut impl Write) -> Res {
    writeln!(out, "(b) factorial built with wvm_binary::builder")?;
    let ir = factorial_module();
    let bytes = wvm_binary::encode(&ir);
    writeln!(out, "  encoded: {} bytes", bytes.len())?;
    writeln!(out, "  {}", hex(&bytes))?;

    let engine = Engine::default();
    let module = Module::new(&engine, &bytes)?;
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[])?;
    let fac = instance.get_typed_func::<i64, i64>(&store, "factorial")?;
    for n in [0, 1, 5, 10, 20] {
        writeln!(out, "  factorial({n}) = {}", fac.call(&mut store, n)?)?;
    }

    writeln!(out, "  as text (wvm_text::print_module):")?;
    for line in wvm_text::print_module(&ir).lines() {
        writeln!(out, "    {line}")?;
    }
    // The listing's byte offsets come from the encoding, so list the module decoded from
    // the bytes (`Module::ir` keeps no function bodies once they are translated).
    writeln!(out, "  as a listing (wvm_text::listing):")?;
    let decoded = wvm_binary::decode(&bytes, engine.config().features())?;
    for line in wvm_text::listing(&decoded).lines() {
        writeln!(out, "    {line}")?;
    }
    Ok(())
}

/// (c) print_str with an imported putc.
fn print_str(out: &mut impl Write) -> Res {
    writeln!(out, "(c) print_str(4) with an imported putc")?;
    let engine = Engine::default();
    let module = Module::new(&engine, PRINT_STR_WAT)?;
    let mut linker = Linker::new(&engine);
    // putc collects the bytes in the store's data (a program would write them to stdout).
    linker.func_wrap(
        "env",
        "putc",
        |mut caller: wvm::Caller<'_, Vec<u8>>, byte: i32| {
            caller.data_mut().push(byte as u8);
        },
    )?;
    let mut store = Store::new(&engine, Vec::new());
    let instance = linker.instantiate(&mut store, &module)?;
    instance
        .get_typed_func::<(), ()>(&store, "main")?
        .call(&mut store, ())?;
    let printed = store.data();
    writeln!(
        out,
        "  putc called {} times: {}",
        printed.len(),
        hex(printed)
    )?;
    writeln!(out, "  printed: {}", String::from_utf8_lossy(printed))?;
    Ok(())
}

/// Checks `memory[at..at + want.len()]`, so the example stops if the engine got it wrong.
fn expect_bytes(mem: &[u8], at: usize, want: &[u8]) -> Res {
    let got = mem.get(at..at + want.len()).ok_or("memory too small")?;
    if got != want {
        return Err(format!("memory[{at}..]: expected {}, got {}", hex(want), hex(got)).into());
    }
    Ok(())
}

/// Prints the first 16 bytes of memory, as the seed's pictures show them.
fn dump(out: &mut impl Write, mem: &[u8]) -> Res {
    let row = mem.get(..16).ok_or("memory too small")?;
    writeln!(out, "    memory[0..16] = {}", hex(row))?;
    Ok(())
}

/// Calls the exported `() -> ()` function `name`.
fn call(instance: &Instance, store: &mut Store<()>, name: &str) -> Result<(), Error> {
    instance
        .get_typed_func::<(), ()>(&*store, name)?
        .call(store, ())
}

/// (d) memory addressing.
fn memory(out: &mut impl Write) -> Res {
    writeln!(
        out,
        "(d) memory: alignment, offsets, reinterpreting, converting"
    )?;
    let engine = Engine::default();
    let module = Module::new(&engine, MEMORY_WAT)?;
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[])?;
    let memory = instance.get_memory(&store, "memory").ok_or("no memory")?;

    call(&instance, &mut store, "store_i32")?;
    let load = instance.get_typed_func::<(), i32>(&store, "load_i32")?;
    writeln!(
        out,
        "  i32.store 123 at 4, i32.load 4 = {}",
        load.call(&mut store, ())?
    )?;
    expect_bytes(memory.data(&store), 4, &[0x7b, 0, 0, 0])?;
    dump(out, memory.data(&store))?;

    call(&instance, &mut store, "store16")?;
    // 1234 is 0x04d2, little-endian `d2 04`. (The seed's text says `0xd4 0x04`, a slip.)
    expect_bytes(memory.data(&store), 6, &[0xd2, 0x04])?;
    writeln!(
        out,
        "  i64.store16 1234, address 3 + offset 3 = 6 (0x04d2, little-endian d2 04)"
    )?;
    dump(out, memory.data(&store))?;

    call(&instance, &mut store, "store32_unaligned")?;
    expect_bytes(memory.data(&store), 6, &[0xd2, 0x04, 0, 0])?;
    writeln!(
        out,
        "  i64.store32 1234, address 3 + offset 3 = 6 (not 4-aligned)"
    )?;
    dump(out, memory.data(&store))?;

    call(&instance, &mut store, "store32_aligned")?;
    expect_bytes(memory.data(&store), 8, &[0xd2, 0x04, 0, 0])?;
    writeln!(
        out,
        "  i64.store32 1234, address 3 + offset 5 = 8 (4-aligned)"
    )?;
    dump(out, memory.data(&store))?;

    let f = instance
        .get_typed_func::<(), f32>(&store, "load_f32")?
        .call(&mut store, ())?;
    writeln!(
        out,
        "  f32.load at 4 + 4 = {f:.4e} (bits {:#010x}: the bytes reinterpreted)",
        f.to_bits()
    )?;
    let c = instance
        .get_typed_func::<(), f32>(&store, "load_convert")?
        .call(&mut store, ())?;
    writeln!(out, "  i32.load at 4 + 4, f32.convert_i32_u = {c:?}")?;

    // The sandbox: an access past the end of the 64 KiB memory traps instead of escaping.
    let load_at = instance.get_typed_func::<i32, i32>(&store, "load_at")?;
    match load_at.call(&mut store, 65534) {
        Ok(v) => return Err(format!("load at 65534 returned {v} instead of trapping").into()),
        Err(e) => writeln!(out, "  i32.load at 65534: trap: {}", e.message())?,
    }
    Ok(())
}

/// (e) the JavaScript-API example's module bytes.
fn js_api(out: &mut impl Write) -> Res {
    writeln!(out, "(e) the JS-API module bytes (version 0x0d)")?;
    writeln!(
        out,
        "  {} bytes: {} ...",
        JS_API_WASM.len(),
        hex(&JS_API_WASM[..8])
    )?;

    // Version 0x0d predates the standard; a default engine refuses it.
    match Module::new(&Engine::default(), JS_API_WASM) {
        Ok(_) => return Err("version 0x0d accepted without allow_legacy_version".into()),
        Err(e) => writeln!(out, "  default engine: {e}")?,
    }

    let mut config = Config::new();
    config.allow_legacy_version(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, JS_API_WASM)?;
    let mut store = Store::new(&engine, ());
    // Instantiating also runs the start function (func #0, empty here).
    let instance = Instance::new(&mut store, &module, &[])?;
    let export_foo = instance.get_typed_func::<i32, i32>(&store, "foo")?;
    for x in 1..=3 {
        writeln!(out, "  foo({x}) => {}", export_foo.call(&mut store, x)?)?;
    }
    Ok(())
}

/// Runs the example, writing what it does to `out`.
pub fn run(out: &mut impl Write) -> Res {
    anatomy(out)?;
    factorial(out)?;
    print_str(out)?;
    memory(out)?;
    js_api(out)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(&mut std::io::stdout().lock())
}
