//! Printer tests over hand-built IR: the printed text must parse with `wat` to the same bytes
//! as an equivalent hand-written module.

use super::*;
use wvm_binary::{
    BlockType, BrTable, CustomSection, DataSegment, ElemSegment, Export, ExternKind, FuncBody,
    Global, HeapType, Import, LoadOp, MemArg, Names, NumOp, RefType, StoreOp, Table,
};

fn same_binary(printed: &str, reference: &str) {
    let a = wat::parse_str(printed).unwrap_or_else(|e| panic!("{e}\n--- printed:\n{printed}"));
    let b = wat::parse_str(reference).unwrap();
    assert_eq!(a, b, "printed:\n{printed}");
}

fn module_with(types: Vec<FuncType>, funcs: Vec<(u32, FuncBody)>) -> Module {
    let mut m = Module::new();
    m.types = types;
    for (t, b) in funcs {
        m.funcs.push(t);
        m.code.push(b);
    }
    m
}

#[test]
fn seed_hello_module() {
    let mut m = module_with(
        vec![FuncType::new([], [ValType::I32])],
        vec![(
            0,
            FuncBody::new(vec![], vec![Instr::I32Const(16), Instr::End]),
        )],
    );
    m.tables.push(Table {
        ty: TableType::new(RefType::FUNCREF, 0, None),
        init: None,
    });
    m.memories.push(MemoryType::new(1, None));
    m.data.push(DataSegment {
        mode: DataMode::Active {
            memory: 0,
            offset: ConstExpr::i32(16),
        },
        init: b"hello world!\0".to_vec(),
    });
    m.exports.push(Export {
        name: "memory".into(),
        kind: ExternKind::Memory,
        index: 0,
    });
    m.exports.push(Export {
        name: "hello".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    let text = print_module(&m);
    assert!(text.contains("\"hello world!\\00\""), "{text}");
    same_binary(
        &text,
        r#"(module
             (type (func (result i32)))
             (func (type 0) i32.const 16)
             (table 0 funcref)
             (memory 1)
             (export "memory" (memory 0))
             (export "hello" (func 0))
             (data (i32.const 16) "hello world!\00"))"#,
    );
}

#[test]
fn names_become_ids_only_when_valid_and_unique() {
    let mut m = module_with(
        vec![FuncType::new([ValType::I32, ValType::I64], [])],
        vec![
            (
                0,
                FuncBody::new(
                    vec![(2, ValType::F32)],
                    vec![Instr::LocalGet(3), Instr::Drop, Instr::Call(1), Instr::End],
                ),
            ),
            (0, FuncBody::new(vec![], vec![Instr::End])),
            (0, FuncBody::new(vec![], vec![Instr::End])),
        ],
    );
    m.names = Some(Names {
        module: Some("mod".into()),
        functions: vec![
            (0, "first".into()),
            (1, "bad name".into()),
            (2, "first".into()),
        ],
        locals: vec![(0, vec![(0, "a".into()), (3, "x".into())])],
    });
    let text = print_module(&m);
    assert!(text.starts_with("(module $mod\n"), "{text}");
    // Duplicate and invalid names stay indices.
    assert!(!text.contains("$first"), "{text}");
    assert!(!text.contains("$bad"), "{text}");
    assert!(text.contains("(param $a i32) (param i64)"), "{text}");
    assert!(text.contains("(local f32) (local $x f32)"), "{text}");
    assert!(text.contains("local.get $x"), "{text}");
    // With valid ids the binary still matches a plain version (apart from the names).
    m.names = None;
    let plain = print_module(&m);
    assert!(
        plain.contains("local.get 3") && plain.contains("call 1"),
        "{plain}"
    );
}

#[test]
fn every_control_and_memory_form() {
    let ma = |align, offset, memory| MemArg {
        align,
        offset,
        memory,
    };
    let body = vec![
        Instr::Block(BlockType::Value(ValType::I32)),
        Instr::Loop(BlockType::Func(0)),
        Instr::I32Const(-1),
        Instr::If(BlockType::Empty),
        Instr::Br(1),
        Instr::Else,
        Instr::BrTable(Box::new(BrTable {
            targets: vec![0, 1].into(),
            default: 2,
        })),
        Instr::End,
        Instr::End,
        Instr::I32Const(0),
        Instr::Load(LoadOp::I32Load, ma(2, 0, 0)),
        Instr::Load(LoadOp::I64Load16U, ma(0, 8, 1)),
        Instr::Drop,
        Instr::I32Const(0),
        Instr::I64Const(i64::MIN),
        Instr::Store(StoreOp::I64Store, ma(3, u32::MAX as u64, 0)),
        Instr::MemorySize(1),
        Instr::MemoryGrow(0),
        Instr::Drop,
        Instr::I32Const(0),
        Instr::I32Const(0),
        Instr::I32Const(0),
        Instr::MemoryInit { data: 0, memory: 1 },
        Instr::DataDrop(0),
        Instr::I32Const(0),
        Instr::I32Const(0),
        Instr::I32Const(0),
        Instr::MemoryCopy { dst: 1, src: 0 },
        Instr::F32Const(0x7fa0_0001),
        Instr::F64Const((-0.0f64).to_bits()),
        Instr::Numeric(NumOp::F64PromoteF32),
        Instr::Numeric(NumOp::F64Add),
        Instr::Numeric(NumOp::I64TruncSatF64S),
        Instr::SelectTyped(vec![ValType::I64].into()),
        Instr::RefNull(HeapType::Func),
        Instr::RefIsNull,
        Instr::Drop,
        Instr::RefFunc(0),
        Instr::Drop,
        Instr::I32Const(0),
        Instr::CallIndirect {
            type_idx: 0,
            table: 1,
        },
        Instr::End,
        Instr::End,
    ];
    let mut m = module_with(
        vec![FuncType::new([], [ValType::I32])],
        vec![(0, FuncBody::new(vec![], body))],
    );
    m.memories = vec![MemoryType::new(1, None), MemoryType::new(1, Some(2))];
    m.tables = vec![
        Table {
            ty: TableType::new(RefType::FUNCREF, 1, None),
            init: None,
        },
        Table {
            ty: TableType::new(RefType::FUNCREF, 1, None),
            init: Some(ConstExpr::new(vec![Instr::RefFunc(0)])),
        },
    ];
    m.data.push(DataSegment {
        mode: DataMode::Passive,
        init: vec![1, 2, 3],
    });
    m.elements.push(ElemSegment {
        mode: ElemMode::Declarative,
        ty: RefType::FUNCREF,
        items: ElemItems::Funcs(vec![0]),
    });
    let text = print_module(&m);
    same_binary(
        &text,
        r#"(module
             (type (func (result i32)))
             (func (type 0)
               block (result i32)
                 loop (type 0)
                   i32.const -1
                   if
                     br 1
                   else
                     br_table 0 1 2
                   end
                 end
                 i32.const 0
                 i32.load
                 i64.load16_u 1 offset=8 align=1
                 drop
                 i32.const 0
                 i64.const -9223372036854775808
                 i64.store offset=4294967295
                 memory.size 1
                 memory.grow 0
                 drop
                 i32.const 0 i32.const 0 i32.const 0
                 memory.init 1 0
                 data.drop 0
                 i32.const 0 i32.const 0 i32.const 0
                 memory.copy 1 0
                 f32.const nan:0x200001
                 f64.const -0x0p+0
                 f64.promote_f32 f64.add i64.trunc_sat_f64_s
                 select (result i64)
                 ref.null func ref.is_null drop
                 ref.func 0 drop
                 i32.const 0
                 call_indirect 1 (type 0)
               end)
             (table 1 funcref)
             (table 1 funcref ref.func 0)
             (memory 1)
             (memory 1 2)
             (elem declare func 0)
             (data "\01\02\03"))"#,
    );
}

#[test]
fn imports_globals_segments_and_customs() {
    let mut m = module_with(
        vec![FuncType::new([ValType::I32], [])],
        vec![(0, FuncBody::new(vec![], vec![Instr::End]))],
    );
    m.imports = vec![
        Import {
            module: "env".into(),
            name: "f\"n".into(),
            desc: ImportDesc::Func(0),
        },
        Import {
            module: "env".into(),
            name: "t".into(),
            desc: ImportDesc::Table(TableType {
                elem: RefType::EXTERNREF,
                limits: wvm_binary::Limits {
                    min: 1,
                    max: Some(5),
                },
                index: IndexType::I64,
            }),
        },
        Import {
            module: "env".into(),
            name: "m".into(),
            desc: ImportDesc::Memory(MemoryType {
                limits: wvm_binary::Limits {
                    min: 1,
                    max: Some(2),
                },
                index: IndexType::I64,
                shared: true,
                page_size_log2: None,
            }),
        },
        Import {
            module: "env".into(),
            name: "g".into(),
            desc: ImportDesc::Global(GlobalType {
                val: ValType::F64,
                mutable: true,
            }),
        },
    ];
    m.globals.push(Global {
        ty: GlobalType {
            val: ValType::I32,
            mutable: false,
        },
        init: ConstExpr::new(vec![
            Instr::I32Const(1),
            Instr::I32Const(2),
            Instr::Numeric(NumOp::I32Add),
        ]),
    });
    m.tables.push(Table {
        ty: TableType::new(RefType::FUNCREF, 2, None),
        init: None,
    });
    m.start = Some(1);
    m.exports.push(Export {
        name: "g".into(),
        kind: ExternKind::Global,
        index: 1,
    });
    m.elements = vec![
        ElemSegment {
            mode: ElemMode::Active {
                table: 1,
                offset: ConstExpr::i32(0),
            },
            ty: RefType::FUNCREF,
            items: ElemItems::Funcs(vec![1, 0]),
        },
        ElemSegment {
            mode: ElemMode::Passive,
            ty: RefType::FUNCREF,
            items: ElemItems::Exprs(vec![
                ConstExpr::new(vec![Instr::RefFunc(1)]),
                ConstExpr::new(vec![Instr::RefNull(HeapType::Func)]),
            ]),
        },
    ];
    m.data.push(DataSegment {
        mode: DataMode::Active {
            memory: 0,
            offset: ConstExpr::new(vec![Instr::I64Const(8)]),
        },
        init: (0u8..=80).collect(),
    });
    m.customs.push(CustomSection {
        name: "hi".into(),
        data: vec![0, 1, 0xff],
        after_section: 1,
    });
    let text = print_module(&m);
    same_binary(
        &text,
        r##"(module
             (type (func (param i32)))
             (import "env" "f\"n" (func (type 0)))
             (import "env" "t" (table i64 1 5 externref))
             (import "env" "m" (memory i64 1 2 shared))
             (import "env" "g" (global (mut f64)))
             (func (type 0))
             (table 2 funcref)
             (global i32 (i32.add (i32.const 1) (i32.const 2)))
             (export "g" (global 1))
             (start 1)
             (elem (table 1) (i32.const 0) func 1 0)
             (elem funcref (ref.func 1) (ref.null func))
             (data (i64.const 8) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f"
               "\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOP")
             (@custom "hi" (after type) "\00\01\ff"))"##,
    );
}

fn decode_all(bytes: &[u8]) -> Module {
    wvm_binary::decode(bytes, &wvm_binary::Features::default()).unwrap()
}

#[test]
fn name_section_is_regenerated_from_ids_when_possible() {
    let src = "(module $m (func $a (param $x i32) (local $y i64)) (func $b call $a))";
    let m = decode_all(&wat::parse_str(src).unwrap());
    assert_eq!(m.customs.len(), 1);
    let text = print_module(&m);
    assert!(!text.contains("@custom"), "{text}");
    assert!(
        text.contains("call $a") && text.contains("(local $y i64)"),
        "{text}"
    );
    let again = decode_all(&wat::parse_str(&text).unwrap());
    assert_eq!(again.customs, m.customs);
    assert_eq!(again.names, m.names);

    // A name that is not a valid identifier cannot be regenerated: the raw section is kept.
    let src = r#"(module (func (@name "not an id") (param i32)))"#;
    let m = decode_all(&wat::parse_str(src).unwrap());
    let text = print_module(&m);
    assert!(text.contains("(@custom \"name\""), "{text}");
    let again = decode_all(&wat::parse_str(&text).unwrap());
    assert_eq!(again.names, m.names);
    assert_eq!(m.func_name(0), Some("not an id"));
}

#[test]
fn odd_ir_prints_without_panicking() {
    let body = vec![
        Instr::Else,
        Instr::End,
        Instr::End,
        Instr::Load(
            LoadOp::I32Load,
            MemArg {
                align: 70,
                offset: u64::MAX,
                memory: 0,
            },
        ),
    ];
    let mut m = module_with(
        vec![],
        vec![(9, FuncBody::new(vec![(u32::MAX, ValType::I32)], body))],
    );
    m.version = 0x0d;
    m.memories.push(MemoryType {
        limits: wvm_binary::Limits { min: 0, max: None },
        index: IndexType::I32,
        shared: false,
        page_size_log2: Some(40),
    });
    m.funcs.push(3); // a function without a body
    m.names = Some(Names {
        module: Some("not an id".into()),
        functions: vec![(100, "out_of_range".into())],
        locals: vec![(0, vec![(u32::MAX, "l".into())])],
    });
    let text = print_module(&m);
    assert!(text.starts_with(";; binary version 0xd"), "{text}");
    assert!(
        text.contains("(; 4294967295 locals of type i32 not printed ;)"),
        "{text}"
    );
    assert!(
        text.contains("align=2**70") && text.contains("(pagesize 2**40)"),
        "{text}"
    );
    assert!(text.contains("(func (;1;) (type 3))"), "{text}");
    assert!(!text.contains("$out_of_range"), "{text}");
    assert!(text.len() < 4096, "{}", text.len());
}

#[test]
fn names_that_are_not_ids_become_safe_comments() {
    let src = r#"(module (func (@name "odd;) name") (param i32)))"#;
    let m = wvm_binary::decode(&wat::parse_str(src).unwrap(), &Default::default()).unwrap();
    let text = print_module(&m);
    assert!(
        text.contains(r#"(func (;0;) (; name "odd\3b\29 name" ;) (type 0)"#),
        "{text}"
    );
    let again = wvm_binary::decode(&wat::parse_str(&text).unwrap(), &Default::default()).unwrap();
    assert_eq!(again.names, m.names);
}
