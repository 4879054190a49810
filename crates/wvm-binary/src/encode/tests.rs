//! Encoder tests: canonical bytes and decode ∘ encode.

use super::encode;
use crate::decode::decode;
use crate::features::Features;
use crate::instr::{Instr, MemArg};
use crate::module::*;
use crate::types::*;

fn roundtrip(m: &Module) -> Vec<u8> {
    let bytes = encode(m);
    let back = decode(&bytes, &Features::wasm2()).unwrap();
    assert_eq!(&back, m);
    assert_eq!(encode(&back), bytes, "encoding is stable");
    bytes
}

#[test]
fn empty_module() {
    assert_eq!(roundtrip(&Module::new()), b"\0asm\x01\0\0\0".to_vec());
}

#[test]
fn element_and_data_encodings() {
    let off = || ConstExpr::i32(0);
    let mut m = Module::new();
    m.types.push(FuncType::new([], []));
    m.funcs.push(0);
    m.code.push(FuncBody::new(vec![], vec![Instr::End]));
    m.tables.push(Table {
        ty: TableType::new(RefType::FUNCREF, 1, None),
        init: None,
    });
    m.tables.push(Table {
        ty: TableType::new(RefType::EXTERNREF, 1, Some(3)),
        init: None,
    });
    let seg = |mode, ty, items| ElemSegment { mode, ty, items };
    m.elements = vec![
        seg(
            ElemMode::Active {
                table: 0,
                offset: off(),
            },
            RefType::FUNCREF,
            ElemItems::Funcs(vec![0]),
        ),
        seg(
            ElemMode::Passive,
            RefType::FUNCREF,
            ElemItems::Funcs(vec![0]),
        ),
        seg(
            ElemMode::Active {
                table: 1,
                offset: off(),
            },
            RefType::FUNCREF,
            ElemItems::Funcs(vec![0]),
        ),
        seg(
            ElemMode::Declarative,
            RefType::FUNCREF,
            ElemItems::Funcs(vec![0]),
        ),
        seg(
            ElemMode::Active {
                table: 0,
                offset: off(),
            },
            RefType::FUNCREF,
            ElemItems::Exprs(vec![ConstExpr::new(vec![Instr::RefFunc(0)])]),
        ),
        seg(
            ElemMode::Passive,
            RefType::EXTERNREF,
            ElemItems::Exprs(vec![ConstExpr::new(vec![Instr::RefNull(HeapType::Extern)])]),
        ),
        seg(
            ElemMode::Active {
                table: 1,
                offset: off(),
            },
            RefType::EXTERNREF,
            ElemItems::Exprs(vec![]),
        ),
        seg(
            ElemMode::Declarative,
            RefType::FUNCREF,
            ElemItems::Exprs(vec![ConstExpr::new(vec![Instr::RefFunc(0)])]),
        ),
    ];
    m.memories.push(MemoryType::new(1, None));
    m.data = vec![
        DataSegment {
            mode: DataMode::Active {
                memory: 0,
                offset: off(),
            },
            init: vec![1, 2],
        },
        DataSegment {
            mode: DataMode::Passive,
            init: vec![],
        },
    ];
    m.data_count = Some(2);
    // ConstExpr offsets differ after decoding; compare after clearing them.
    let bytes = encode(&m);
    let mut back = decode(&bytes, &Features::wasm2()).unwrap();
    clear_offsets(&mut back);
    assert_eq!(back, m);
    assert_eq!(encode(&back), bytes);
    // Flags 0..=7 appear in order.
    let flags: Vec<u8> = m
        .elements
        .iter()
        .enumerate()
        .map(|(i, _)| i as u8)
        .collect();
    assert_eq!(flags, (0..8).collect::<Vec<u8>>());
}

fn clear_offsets(m: &mut Module) {
    let clear = |e: &mut ConstExpr| e.offset = 0;
    for g in &mut m.globals {
        clear(&mut g.init);
    }
    for e in &mut m.elements {
        if let ElemMode::Active { offset, .. } = &mut e.mode {
            clear(offset);
        }
        if let ElemItems::Exprs(es) = &mut e.items {
            es.iter_mut().for_each(clear);
        }
    }
    for d in &mut m.data {
        if let DataMode::Active { offset, .. } = &mut d.mode {
            clear(offset);
        }
    }
}

#[test]
fn funcs_with_non_funcref_type_become_expressions() {
    let mut m = Module::new();
    m.elements.push(ElemSegment {
        mode: ElemMode::Passive,
        ty: RefType {
            nullable: false,
            heap: HeapType::Func,
        },
        items: ElemItems::Funcs(vec![3]),
    });
    let bytes = encode(&m);
    // flags 5, (ref func) = 0x64 0x70, one expression: ref.func 3 end
    assert!(bytes.ends_with(&[0x05, 0x64, 0x70, 0x01, 0xd2, 0x03, 0x0b]));
}

#[test]
fn multi_memory_memarg_and_names() {
    let mut m = Module::new();
    m.types.push(FuncType::new([], []));
    m.funcs.push(0);
    let ma = MemArg {
        align: 2,
        offset: 4,
        memory: 1,
    };
    m.code.push(FuncBody::new(
        vec![(1, ValType::I32)],
        vec![
            Instr::I32Const(0),
            Instr::Load(crate::instr::LoadOp::I32Load, ma),
            Instr::Drop,
            Instr::End,
        ],
    ));
    let bytes = encode(&m);
    let mut f = Features::wasm2();
    f.multi_memory = true;
    assert_eq!(decode(&bytes, &f).unwrap(), m);
    assert_eq!(
        decode(&bytes, &Features::wasm2()).unwrap_err().message,
        "malformed memop flags"
    );
    // Names without a raw custom section are emitted as one.
    m.names = Some(Names {
        module: Some("x".into()),
        ..Names::default()
    });
    let back = decode(&encode(&m), &f).unwrap();
    assert_eq!(back.names, m.names);
    assert_eq!(back.customs.len(), 1);
}

#[test]
fn customs_keep_their_place() {
    let mut m = Module::new();
    m.types.push(FuncType::new([], []));
    m.customs = vec![
        CustomSection {
            name: "a".into(),
            data: vec![1],
            after_section: 0,
        },
        CustomSection {
            name: "b".into(),
            data: vec![],
            after_section: 1,
        },
        CustomSection {
            name: "c".into(),
            data: vec![2, 3],
            after_section: 3,
        },
    ];
    let bytes = roundtrip(&m);
    assert_eq!(&bytes[8..13], &[0, 3, 1, b'a', 1]);
}
