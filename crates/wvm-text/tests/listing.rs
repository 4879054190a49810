//! The instruction listing: byte offsets point at the instructions' opcodes.

use wvm_binary::{decode, Features, FuncBody, FuncType, Instr, Module, ValType};
use wvm_text::{listing, parse_wat, TextOptions};

/// `(offset, text)` of every instruction line.
fn lines(listing: &str) -> Vec<(usize, String)> {
    listing
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("  0x")?;
            let (hex, text) = rest.split_once(": ")?;
            Some((
                usize::from_str_radix(hex, 16).ok()?,
                text.trim().to_string(),
            ))
        })
        .collect()
}

#[test]
fn decoded_offsets_point_at_opcodes() {
    let path = format!(
        "{}/../../examples/seed000_hello_name.wat",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let bytes = parse_wat(&text, &TextOptions { legacy_names: true }).unwrap();
    let m = decode(&bytes, &Features::default()).unwrap();
    let out = listing(&m);
    assert!(
        out.starts_with("func 1 $hello (type 2) (func (param i32) (result i32))\n"),
        "{out}"
    );
    let got = lines(&out);
    let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        ["i32.const 16", "local.get 0", "call 0", "end"],
        "{out}"
    );
    let opcodes = [0x41, 0x20, 0x10, 0x0b];
    for ((off, t), op) in got.iter().zip(opcodes) {
        assert_eq!(bytes.get(*off), Some(&op), "{t} at {off:#x}\n{out}");
    }
    // Body instructions are indented one level past the offset column.
    assert!(
        out.contains(&format!("  {:#06x}:   local.get 0\n", got[1].0)),
        "{out}"
    );
}

#[test]
fn built_modules_get_offsets_by_encoding() {
    let mut m = Module::new();
    m.types.push(FuncType::new([ValType::I32], [ValType::I32]));
    m.funcs.push(0);
    m.code.push(FuncBody::new(
        vec![(1, ValType::I64)],
        vec![
            Instr::LocalGet(0),
            Instr::If(wvm_binary::BlockType::Value(ValType::I32)),
            Instr::I32Const(1),
            Instr::Else,
            Instr::I32Const(2),
            Instr::End,
            Instr::End,
        ],
    ));
    let out = listing(&m);
    assert!(!out.contains("??????"), "{out}");
    // The same listing as for the decoded encoding of the module.
    let bytes = wvm_binary::encode(&m);
    let decoded = decode(&bytes, &Features::default()).unwrap();
    assert_eq!(out, listing(&decoded));
    let got = lines(&out);
    let opcodes = [0x20, 0x04, 0x41, 0x05, 0x41, 0x0b, 0x0b];
    for ((off, t), op) in got.iter().zip(opcodes) {
        assert_eq!(bytes.get(*off), Some(&op), "{t} at {off:#x}\n{out}");
    }
    // Nesting: the then/else arms are indented one level deeper than `if`.
    assert!(out.contains(":     i32.const 1\n"), "{out}");
    assert!(out.contains(":   else\n"), "{out}");
}
