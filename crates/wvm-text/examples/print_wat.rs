//! Prints a `.wat` or `.wasm` file back as text and as an offset listing:
//! `cargo run -p wvm-text --example print_wat -- FILE`.

use wvm_binary::{decode, Features};
use wvm_text::{listing, parse_wat, print_module, TextOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: print_wat FILE")?;
    let raw = std::fs::read(&path)?;
    let bytes = if raw.starts_with(b"\0asm") {
        raw
    } else {
        parse_wat(std::str::from_utf8(&raw)?, &TextOptions::wat_file())?
    };
    let features = Features {
        simd: true,
        ..Features::default()
    };
    let m = decode(&bytes, &features)?;
    println!("{}", print_module(&m));
    println!("{}", listing(&m));
    Ok(())
}
