//! Seed 000, `char *hello(char *name) { return concat("hello ", name); }`: strings cross the
//! host/guest boundary as addresses in the guest's linear memory.
//!
//! The module imports `env.concat(a, b) -> ptr`; here it is a Rust closure given to
//! [`Linker::func_wrap`]. It reaches the guest's memory through its [`Caller`], reads both
//! NUL-terminated strings, writes the concatenation into guest memory and returns its address.
//!
//! The seed leaves open how the host puts "Alice" into guest memory. Two ways are shown:
//!
//! * (a) the seed's module unchanged (`examples/seed000_hello_name.wat`): the host picks free
//!   offsets itself (past the module's data) for the argument and for `concat`'s result;
//! * (b) a variant of the module that exports a bump allocator `alloc(size) -> ptr`, the usual
//!   arrangement with C or Rust guests: the host asks the guest for memory for "Alice", and
//!   `concat` asks it for memory for the result (a call back into the guest from the host
//!   function).
//!
//! Run: `cargo run -p wvm --example hello_name`

use std::io::Write;
use wvm::{Caller, Engine, Error, Linker, Memory, Module, Store};

/// The seed's module, as printed there.
pub const SEED_WAT: &str = include_str!("../../../examples/seed000_hello_name.wat");

/// The same module with a bump allocator, in today's text format. The heap starts at 1024,
/// above the data segment; `alloc` rounds sizes up to 8 and traps when memory runs out.
pub const ALLOC_WAT: &str = r#"
(module
  (import "env" "concat" (func $concat (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello \00")
  (global $heap (mut i32) (i32.const 1024))

  (func (export "alloc") (param $size i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $heap))
    (global.set $heap
      (i32.and (i32.add (i32.add (local.get $ptr) (local.get $size)) (i32.const 7))
               (i32.const -8)))
    (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
      (then unreachable))
    (local.get $ptr))

  (func (export "hello") (param $name i32) (result i32)
    (call $concat (i32.const 16) (local.get $name))))
"#;

/// The host's choice of free memory for way (a): everything from here up belongs to the host.
pub const HOST_AREA: u32 = 1024;

/// The exported memory of the calling instance.
fn caller_memory<T>(caller: &mut Caller<'_, T>) -> Result<Memory, Error> {
    caller
        .get_export("memory")
        .and_then(|e| e.into_memory())
        .ok_or_else(|| Error::msg("concat: the calling module exports no memory"))
}

/// Reads the NUL-terminated strings at `a` and `b` and returns their concatenation, NUL
/// included, ready to be written back.
fn concat_bytes(mem: &[u8], a: i32, b: i32) -> Result<Vec<u8>, Error> {
    let cstr = |addr: i32| -> Result<&[u8], Error> {
        let tail = usize::try_from(addr)
            .ok()
            .and_then(|a| mem.get(a..))
            .ok_or_else(|| Error::msg(format!("concat: address {addr} out of bounds")))?;
        let len = tail
            .iter()
            .position(|&c| c == 0)
            .ok_or_else(|| Error::msg(format!("concat: string at {addr} is not terminated")))?;
        Ok(&tail[..len])
    };
    let mut joined = cstr(a)?.to_vec();
    joined.extend_from_slice(cstr(b)?);
    joined.push(0);
    Ok(joined)
}

/// Store data for way (a): the next free byte of the host's area.
pub struct HostArea {
    pub next: u32,
}

impl HostArea {
    /// Reserves `len` bytes (rounded up to 8) and returns their address.
    fn take(&mut self, len: usize) -> Result<u32, Error> {
        let len = u32::try_from(len).map_err(|_| Error::msg("string too long"))?;
        let addr = self.next;
        self.next = len
            .checked_add(7)
            .map(|l| l & !7)
            .and_then(|l| addr.checked_add(l))
            .ok_or_else(|| Error::msg("host area exhausted"))?;
        Ok(addr)
    }
}

/// Way (a): the seed's module; the host manages free memory itself.
fn host_chooses(out: &mut impl Write, engine: &Engine) -> Result<(), Box<dyn std::error::Error>> {
    writeln!(out, "(a) seed module, host-chosen offsets from {HOST_AREA}")?;
    let module = Module::new(engine, SEED_WAT)?;
    let mut linker = Linker::new(engine);
    linker.func_wrap(
        "env",
        "concat",
        |mut caller: Caller<'_, HostArea>, a: i32, b: i32| -> Result<i32, Error> {
            let memory = caller_memory(&mut caller)?;
            let joined = concat_bytes(memory.data(&caller), a, b)?;
            let dest = caller.data_mut().take(joined.len())?;
            memory.write(&mut caller, dest as usize, &joined)?;
            Ok(dest as i32)
        },
    )?;

    let mut store = Store::new(engine, HostArea { next: HOST_AREA });
    let instance = linker.instantiate(&mut store, &module)?;
    let memory = instance
        .get_memory(&store, "memory")
        .ok_or("no exported memory")?;
    let hello = instance.get_typed_func::<i32, i32>(&store, "hello")?;

    let name = b"Alice\0";
    let name_addr = store.data_mut().take(name.len())?;
    memory.write(&mut store, name_addr as usize, name)?;
    writeln!(out, "  wrote \"Alice\" at {name_addr}")?;

    let result = hello.call(&mut store, name_addr as i32)?;
    let text = memory.read_cstr(&store, result as usize)?;
    writeln!(out, "  hello({name_addr}) = {result} -> {text:?}")?;
    Ok(())
}

/// Way (b): the module exports `alloc`; host and `concat` both allocate through it.
fn guest_allocates(
    out: &mut impl Write,
    engine: &Engine,
) -> Result<(), Box<dyn std::error::Error>> {
    writeln!(out, "(b) module exporting alloc(size) -> ptr")?;
    let module = Module::new(engine, ALLOC_WAT)?;
    let mut linker = Linker::new(engine);
    linker.func_wrap(
        "env",
        "concat",
        |mut caller: Caller<'_, ()>, a: i32, b: i32| -> Result<i32, Error> {
            let memory = caller_memory(&mut caller)?;
            let joined = concat_bytes(memory.data(&caller), a, b)?;
            let alloc = caller
                .get_export("alloc")
                .and_then(|e| e.into_func())
                .ok_or_else(|| Error::msg("concat: the calling module exports no alloc"))?
                .typed::<i32, i32>(&caller)?;
            let len = i32::try_from(joined.len()).map_err(|_| Error::msg("string too long"))?;
            let dest = alloc.call(&mut caller, len)?;
            memory.write(&mut caller, dest as usize, &joined)?;
            Ok(dest)
        },
    )?;

    let mut store = Store::new(engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    let memory = instance
        .get_memory(&store, "memory")
        .ok_or("no exported memory")?;
    let alloc = instance.get_typed_func::<i32, i32>(&store, "alloc")?;
    let hello = instance.get_typed_func::<i32, i32>(&store, "hello")?;

    let name = b"Alice\0";
    let name_addr = alloc.call(&mut store, name.len() as i32)?;
    memory.write(&mut store, name_addr as usize, name)?;
    writeln!(
        out,
        "  alloc({}) = {name_addr}, wrote \"Alice\" there",
        name.len()
    )?;

    let result = hello.call(&mut store, name_addr)?;
    let text = memory.read_cstr(&store, result as usize)?;
    writeln!(out, "  hello({name_addr}) = {result} -> {text:?}")?;

    // The allocator keeps going: a second call gets fresh memory.
    let next = alloc.call(&mut store, 1)?;
    writeln!(out, "  next alloc(1) = {next}")?;
    Ok(())
}

/// Runs the example, writing what it does to `out`.
pub fn run(out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::default();
    host_chooses(out, &engine)?;
    guest_allocates(out, &engine)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(&mut std::io::stdout().lock())
}
