//! Seed 000, `char *hello()`: a module whose data segment puts "hello world!" at offset 16 and
//! whose `hello` returns that address. The host reads the NUL-terminated string out of the
//! exported memory.
//!
//! The module text is exactly the one printed in the seed (old spellings such as `anyfunc`,
//! which wvm accepts by default): `examples/seed000_hello.wat` at the repository root.
//!
//! Run: `cargo run -p wvm --example hello`

use std::io::Write;
use wvm::{Engine, Instance, Module, Store};

/// The seed's module, as printed there.
pub const WAT: &str = include_str!("../../../examples/seed000_hello.wat");

/// Runs the example, writing what it does to `out`.
pub fn run(out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::default();
    let module = Module::new(&engine, WAT)?;
    let mut store = Store::new(&engine, ());
    // The module has no imports.
    let instance = Instance::new(&mut store, &module, &[])?;

    let hello = instance.get_typed_func::<(), i32>(&store, "hello")?;
    let memory = instance
        .get_memory(&store, "memory")
        .ok_or("the module exports no memory called \"memory\"")?;

    let addr = hello.call(&mut store, ())?;
    writeln!(out, "hello() = {addr}")?;

    // The string ends at the first NUL byte after `addr`. Read it by hand from the memory's
    // bytes, as any embedder can...
    let bytes = memory.data(&store);
    let start = usize::try_from(addr)?;
    let tail = bytes.get(start..).ok_or("address out of bounds")?;
    let len = tail
        .iter()
        .position(|&b| b == 0)
        .ok_or("no NUL terminator")?;
    let text = std::str::from_utf8(&tail[..len])?;
    writeln!(out, "memory[{start}..{}] = {text:?}", start + len)?;

    // ...or with the helper that does the same.
    let same = memory.read_cstr(&store, start)?;
    writeln!(out, "read_cstr({start}) = {same:?}")?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    run(&mut std::io::stdout().lock())
}
