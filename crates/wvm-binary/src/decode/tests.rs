//! Whole-module decoding tests with the spec testsuite's messages.

use super::decode;
use crate::features::Features;
use crate::instr::{BlockType, Instr};
use crate::module::{DataMode, ElemMode};
use crate::types::ValType;

const HEADER: &[u8] = b"\0asm\x01\0\0\0";

fn module(sections: &[&[u8]]) -> Vec<u8> {
    let mut b = HEADER.to_vec();
    for s in sections {
        b.extend_from_slice(s);
    }
    b
}

fn err(bytes: &[u8]) -> String {
    decode(bytes, &Features::wasm2()).unwrap_err().message
}

#[test]
fn header() {
    assert_eq!(err(b""), "unexpected end");
    assert_eq!(err(b"\0as"), "unexpected end");
    assert_eq!(err(b"asm\0"), "magic header not detected");
    assert_eq!(err(b"\0asm\x01\0\0"), "unexpected end");
    assert_eq!(err(b"\0asm\x02\0\0\0"), "unknown binary version");
    assert_eq!(err(b"\0asm\x0d\0\0\0"), "unknown binary version");
    let mut f = Features::wasm2();
    f.allow_legacy_version = true;
    assert_eq!(decode(b"\0asm\x0d\0\0\0", &f).unwrap().version, 0x0d);
    let m = decode(HEADER, &Features::wasm2()).unwrap();
    assert_eq!(m.version, 1);
    assert!(m.types.is_empty());
}

#[test]
fn section_ids_and_order() {
    assert_eq!(err(&module(&[b"\x0e\x01\x00"])), "malformed section id");
    assert_eq!(err(&module(&[b"\x80\x01\x00"])), "malformed section id");
    // Two type sections; function after code; data count after code.
    assert_eq!(
        err(&module(&[b"\x01\x01\x00", b"\x01\x01\x00"])),
        "unexpected content after last section"
    );
    assert_eq!(
        err(&module(&[b"\x0a\x01\x00", b"\x03\x01\x00"])),
        "unexpected content after last section"
    );
    assert_eq!(
        err(&module(&[b"\x0a\x01\x00", b"\x0c\x01\x00"])),
        "unexpected content after last section"
    );
    // Data count between element and code is fine.
    let m = decode(
        &module(&[b"\x0c\x01\x00", b"\x0a\x01\x00"]),
        &Features::wasm2(),
    )
    .unwrap();
    assert_eq!(m.data_count, Some(0));
}

#[test]
fn sizes() {
    assert_eq!(err(&module(&[b"\x01\x05\x00"])), "length out of bounds");
    assert_eq!(
        err(&module(&[b"\x01\x02\x00\x00"])),
        "section size mismatch"
    );
    assert_eq!(err(&module(&[b"\x01"])), "unexpected end");
    // Type section declaring two types but holding one.
    let e = err(&module(&[b"\x01\x04\x02\x60\x00\x00"]));
    assert!(e.starts_with("unexpected end"), "{e}");
}

#[test]
fn function_and_code_agreement() {
    let types = b"\x01\x04\x01\x60\x00\x00";
    assert_eq!(
        err(&module(&[types, b"\x03\x02\x01\x00"])),
        "function and code section have inconsistent lengths"
    );
    assert_eq!(
        err(&module(&[b"\x0a\x04\x01\x02\x00\x0b"])),
        "function and code section have inconsistent lengths"
    );
    let m = decode(
        &module(&[types, b"\x03\x02\x01\x00", b"\x0a\x04\x01\x02\x00\x0b"]),
        &Features::wasm2(),
    )
    .unwrap();
    assert_eq!(m.code[0].instrs, vec![Instr::End]);
    assert_eq!(m.code[0].offset, 8 + 6 + 4 + 3);
    assert_eq!(m.code[0].offsets, vec![8 + 6 + 4 + 5]);
    // Body size larger than its contents.
    assert_eq!(
        err(&module(&[
            types,
            b"\x03\x02\x01\x00",
            b"\x0a\x05\x01\x03\x00\x0b\x01"
        ])),
        "section size mismatch"
    );
}

#[test]
fn data_count_rules() {
    let mem = b"\x05\x03\x01\x00\x01";
    assert_eq!(
        err(&module(&[mem, b"\x0c\x01\x01"])),
        "data count and data section have inconsistent lengths"
    );
    assert_eq!(
        err(&module(&[
            mem,
            b"\x0c\x01\x02",
            b"\x0b\x06\x01\x00\x41\x00\x0b\x00"
        ])),
        "data count and data section have inconsistent lengths"
    );
    // memory.init without a data count section.
    let types = b"\x01\x04\x01\x60\x00\x00";
    let code = b"\x0a\x0e\x01\x0c\x00\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b";
    let data = b"\x0b\x03\x01\x01\x00";
    assert_eq!(
        err(&module(&[types, b"\x03\x02\x01\x00", mem, code, data])),
        "data count section required"
    );
    let dc = b"\x0c\x01\x01";
    let m = decode(
        &module(&[types, b"\x03\x02\x01\x00", mem, dc, code, data]),
        &Features::wasm2(),
    )
    .unwrap();
    assert_eq!(m.data[0].mode, DataMode::Passive);
    assert!(m.code[0]
        .instrs
        .contains(&Instr::MemoryInit { data: 0, memory: 0 }));
}

#[test]
fn customs_and_names() {
    // A custom section before everything and one after the type section.
    let names = [
        &b"\x00\x11\x04name"[..],
        b"\x00\x02\x01m",           // module name "m"
        b"\x01\x06\x01\x00\x03fac", // function 0 = "fac"
    ]
    .concat();
    let m = decode(
        &module(&[b"\x00\x04\x03abc", b"\x01\x01\x00", &names]),
        &Features::wasm2(),
    )
    .unwrap();
    assert_eq!(m.customs.len(), 2);
    assert_eq!(
        (m.customs[0].name.as_str(), m.customs[0].after_section),
        ("abc", 0)
    );
    assert_eq!(
        (m.customs[1].name.as_str(), m.customs[1].after_section),
        ("name", 1)
    );
    let n = m.names.as_ref().unwrap();
    assert_eq!(n.module.as_deref(), Some("m"));
    assert_eq!(m.func_name(0), Some("fac"));
    // A malformed name section does not fail the module.
    let m = decode(
        &module(&[b"\x00\x08\x04name\x01\x09\x01"]),
        &Features::wasm2(),
    )
    .unwrap();
    assert_eq!(m.names, None);
    assert_eq!(m.customs.len(), 1);
    // Custom section errors.
    assert_eq!(err(&module(&[b"\x00\x00"])), "unexpected end");
    assert_eq!(
        err(&module(&[b"\x00\x26\x10a custom section"])),
        "length out of bounds"
    );
    assert_eq!(
        err(&module(&[b"\x00\x03\x02\xff\xfe"])),
        "malformed UTF-8 encoding"
    );
}

#[test]
fn globals_elements_and_blocks() {
    let types = b"\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f";
    let funcs = b"\x03\x02\x01\x00";
    let table = b"\x04\x04\x01\x70\x00\x01";
    let global = b"\x06\x06\x01\x7f\x00\x41\x2a\x0b";
    let elem = b"\x09\x07\x01\x00\x41\x00\x0b\x01\x00";
    // block (type 1) i32.const 1 end drop end
    let code = b"\x0a\x0a\x01\x08\x00\x02\x01\x41\x01\x0b\x1a\x0b";
    let m = decode(
        &module(&[types, funcs, table, global, elem, code]),
        &Features::wasm2(),
    )
    .unwrap();
    assert_eq!(m.globals[0].init.instrs, vec![Instr::I32Const(42)]);
    assert!(matches!(
        m.elements[0].mode,
        ElemMode::Active { table: 0, .. }
    ));
    assert_eq!(m.code[0].instrs[0], Instr::Block(BlockType::Func(1)));
    assert_eq!(m.tables[0].ty.elem, crate::types::RefType::FUNCREF);
    // Global initializer without `end` runs into the next section: illegal opcode.
    assert_eq!(
        err(&module(&[
            b"\x06\x05\x01\x7f\x00\x41\x00",
            b"\x0a\x04\x01\x02\x00\x0b"
        ])),
        "illegal opcode"
    );
    assert_eq!(
        err(&module(&[b"\x06\x04\x01\x7f\x02\x0b"])),
        "malformed mutability"
    );
    assert_eq!(
        err(&module(&[b"\x04\x03\x01\x7f\x00"])),
        "malformed reference type"
    );
    let _ = ValType::I32;
}

#[test]
fn hostile_counts_do_not_allocate() {
    // Vector counts of u32::MAX in tiny modules must fail fast.
    for id in [1u8, 2, 3, 4, 5, 6, 7, 9, 10, 11] {
        let b = module(&[&[id, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f]]);
        let e = decode(&b, &Features::wasm2()).unwrap_err();
        assert!(e.offset <= b.len());
    }
    // br_table with a huge target count.
    let b = module(&[
        b"\x01\x04\x01\x60\x00\x00",
        b"\x03\x02\x01\x00",
        b"\x0a\x0a\x01\x08\x00\x0e\xff\xff\xff\xff\x0f\x0b",
    ]);
    assert!(decode(&b, &Features::wasm2()).is_err());
}

#[test]
fn truncations_never_panic() {
    let full = module(&[
        b"\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f",
        b"\x03\x02\x01\x00",
        b"\x04\x04\x01\x70\x00\x01",
        b"\x05\x03\x01\x00\x01",
        b"\x06\x06\x01\x7f\x00\x41\x2a\x0b",
        b"\x07\x05\x01\x01f\x00\x00",
        b"\x09\x07\x01\x00\x41\x00\x0b\x01\x00",
        b"\x0a\x0a\x01\x08\x00\x02\x01\x41\x01\x0b\x1a\x0b",
        b"\x0b\x07\x01\x00\x41\x00\x0b\x01\x61",
    ]);
    assert!(decode(&full, &Features::wasm2()).is_ok());
    let mut rejected = 0;
    for n in 0..full.len() {
        if let Err(e) = decode(&full[..n], &Features::wasm2()) {
            assert!(e.offset <= n, "offset {} beyond input {n}", e.offset);
            rejected += 1;
        }
    }
    // Only cuts at section boundaries (and the empty module after the header) may decode.
    assert!(rejected >= full.len() - 10, "{rejected} of {}", full.len());
    // Flip every byte: decoding must return (Ok or Err) without panicking.
    for i in 8..full.len() {
        for v in [0x00u8, 0x7f, 0x80, 0xff] {
            let mut b = full.clone();
            b[i] = v;
            let _ = decode(&b, &Features::wasm2());
        }
    }
}

/// (type (func)) (func (type 0)) x2: one with a local and a block, one with two nops.
fn two_bodies() -> Vec<u8> {
    module(&[
        &[1, 4, 1, 0x60, 0, 0],
        &[3, 3, 2, 0, 0],
        &[
            10, 14, 2, // code section: 2 bodies
            7, 1, 1, 0x7f, 0x02, 0x40, 0x0b, 0x0b, // (local i32) block end end
            4, 0, 0x01, 0x01, 0x0b, // nop nop end
        ],
    ])
}

/// `decode_deferred` keeps every body's locals and offset but no instructions, reports the
/// same errors as `decode`, and `decode_func_body` gives back exactly the body `decode` gives.
#[test]
fn deferred_bodies_decode_to_the_same_module() {
    use super::{decode_deferred, decode_func_body};
    let f = Features::wasm2();
    let bytes = two_bodies();
    let full = decode(&bytes, &f).unwrap();
    let deferred = decode_deferred(&bytes, &f).unwrap();
    assert_eq!(full.code.len(), 2);
    for (a, b) in full.code.iter().zip(&deferred.code) {
        assert!(b.instrs.is_empty() && b.offsets.is_empty());
        assert_eq!((&a.locals, a.offset), (&b.locals, b.offset));
        // The code section is the last one: the bodies end where the module does.
        assert_eq!(super::code_end(&bytes, &deferred.code), bytes.len());
        // Read one instruction at a time: the same instructions at the same offsets.
        let (locals, mut rd) = super::func_body_reader(&bytes, &f, b).unwrap();
        assert_eq!(locals, a.locals);
        let mut streamed = Vec::new();
        while let Some((i, at)) = rd.next_instr().unwrap() {
            streamed.push((i, at as u32));
        }
        let expected: Vec<_> = a
            .instrs
            .iter()
            .cloned()
            .zip(a.offsets.iter().copied())
            .collect();
        assert_eq!(streamed, expected);
        let (_, mut rd) = super::func_body_reader(&bytes, &f, b).unwrap();
        let mut visited = Vec::new();
        rd.for_each_instr(
            |e| e,
            |i, at| {
                visited.push((i, at as u32));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(visited, expected);
        let again =
            decode_func_body(&bytes[..super::code_end(&bytes, &deferred.code)], &f, b).unwrap();
        assert_eq!(again, *a);
        assert_eq!(again.offsets, a.offsets);
    }
    // A malformed body is reported by the deferred decode too, with the same message.
    let mut bad = bytes.clone();
    let at = bad.len() - 2;
    bad[at] = 0xff; // an illegal opcode in the second body
    assert_eq!(
        decode(&bad, &f).unwrap_err().to_string(),
        decode_deferred(&bad, &f).unwrap_err().to_string()
    );
}

/// `decode_skipping_bodies` keeps only the bodies' offsets, fails only where `decode` fails
/// too, and leaves body contents (and the data count rule) to the reader.
#[test]
fn skipping_bodies_keeps_offsets_and_never_fails_alone() {
    use super::{decode_deferred, decode_skipping_bodies, func_body_reader};
    let f = Features::wasm2();
    let bytes = two_bodies();
    let skipped = decode_skipping_bodies(&bytes, &f).unwrap();
    let deferred = decode_deferred(&bytes, &f).unwrap();
    assert_eq!(skipped.code.len(), 2);
    for (s, d) in skipped.code.iter().zip(&deferred.code) {
        assert_eq!(s.offset, d.offset);
        assert!(s.locals.is_empty() && s.instrs.is_empty());
    }
    // A malformed body: only the skipping decode succeeds; reading the body fails.
    let mut bad = bytes.clone();
    let at = bad.len() - 2;
    bad[at] = 0xff;
    assert!(decode_deferred(&bad, &f).is_err());
    let skipped = decode_skipping_bodies(&bad, &f).unwrap();
    let (_, mut rd) = func_body_reader(&bad, &f, &skipped.code[1]).unwrap();
    let e = rd.for_each_instr(|e| e, |_, _| Ok(())).unwrap_err();
    assert_eq!(e.message, "illegal opcode");
    // A body size running past the section: both fail.
    let mut bad = bytes.clone();
    let at = bad.len() - 5;
    assert_eq!(bad[at], 4);
    bad[at] = 9;
    assert!(decode_deferred(&bad, &f).is_err());
    assert!(decode_skipping_bodies(&bad, &f).is_err());
    // `data.drop 0` without a data count section: the reader reports that it needs one.
    let bytes = module(&[
        &[1, 4, 1, 0x60, 0, 0],
        &[3, 2, 1, 0],
        &[10, 7, 1, 5, 0, 0xfc, 0x09, 0x00, 0x0b],
    ]);
    assert_eq!(
        decode_deferred(&bytes, &f).unwrap_err().message,
        "data count section required"
    );
    let skipped = decode_skipping_bodies(&bytes, &f).unwrap();
    let (_, mut rd) = func_body_reader(&bytes, &f, &skipped.code[0]).unwrap();
    assert!(!rd.uses_data_index());
    rd.for_each_instr(|e| e, |_, _| Ok(())).unwrap();
    assert!(rd.uses_data_index());
}
