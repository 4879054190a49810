//! The JS example of seed 004: a module with the pre-release binary version 0x0d.

use wvm_binary::{decode, DataMode, ExternKind, Features, Instr, ValType};

/// The bytes exactly as printed in the seed's `WebAssembly.compile` example.
const HEX: &str = "00 61 73 6d 0d 00 00 00 01 09 02 60 00 00 60 01
7f 01 7f 03 03 02 00 01 05 04 01 00 80 01 07 07
01 03 66 6f 6f 00 01 08 01 00 0a 3a 02 02 00 0b
35 01 01 7f 20 00 41 04 6c 21 01 03 40 01 01 01
0b 03 7f 41 01 0b 20 01 41 e4 00 6c 41 cd 02 20
01 1b 21 01 41 00 20 01 36 02 00 41 00 21 01 41
00 28 02 00 0f 0b 0b 0e 01 00 41 00 0b 08 00 00
00 00 2c 00 00 00";

fn bytes() -> Vec<u8> {
    HEX.split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).expect("hex byte"))
        .collect()
}

#[test]
fn rejected_by_default() {
    let e = decode(&bytes(), &Features::default()).unwrap_err();
    assert_eq!(e.message, "unknown binary version");
    assert_eq!(e.offset, 4);
}

#[test]
fn decoded_with_legacy_version() {
    let f = Features {
        allow_legacy_version: true,
        ..Features::default()
    };
    let m = decode(&bytes(), &f).unwrap();
    assert_eq!(m.version, 0x0d);
    // type section: () -> () and (i32) -> i32
    assert_eq!(m.types.len(), 2);
    assert_eq!(&*m.types[1].params, &[ValType::I32]);
    assert_eq!(&*m.types[1].results, &[ValType::I32]);
    // function section: two functions
    assert_eq!(m.funcs, vec![0, 1]);
    // memory section: 128 pages
    assert_eq!(m.memories[0].limits.min, 128);
    // export "foo" = function 1, start = function 0
    assert_eq!(m.exports[0].name, "foo");
    assert_eq!(
        (m.exports[0].kind, m.exports[0].index),
        (ExternKind::Func, 1)
    );
    assert_eq!(m.start, Some(0));
    // code: function 0 is empty; function 1 has one i32 local and ends with return/end
    assert_eq!(m.code[0].instrs, vec![Instr::End]);
    assert_eq!(m.code[1].locals, vec![(1, ValType::I32)]);
    assert!(m.code[1].instrs.contains(&Instr::Select));
    assert_eq!(m.code[1].instrs.last(), Some(&Instr::End));
    assert_eq!(m.code[1].instrs.len(), m.code[1].offsets.len());
    // data: 8 bytes at offset 0, little-endian 300 then 0
    assert!(matches!(m.data[0].mode, DataMode::Active { memory: 0, .. }));
    assert_eq!(m.data[0].init, vec![0, 0, 0, 0, 0x2c, 0, 0, 0]);
    // encoding reproduces the original bytes
    assert_eq!(wvm_binary::encode(&m), bytes());
}
