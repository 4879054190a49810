//! The two modules of seed document 000, exactly as printed there (old spellings and
//! `(; N ;)` comments), parse with legacy names on and equal their modern spelling.

use wvm_text::{parse_wat, TextOptions};

fn example(name: &str) -> String {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const LEGACY: TextOptions = TextOptions { legacy_names: true };
const STRICT: TextOptions = TextOptions {
    legacy_names: false,
};

#[test]
fn seed000_hello() {
    let text = example("seed000_hello.wat");
    assert!(text.contains("anyfunc") && text.contains("(; 0 ;)"));
    let bytes = parse_wat(&text, &LEGACY).unwrap();
    let modern = r#"(module
      (table 0 funcref)
      (memory $0 1)
      (data (i32.const 16) "hello world!\00")
      (export "memory" (memory $0))
      (export "hello" (func $hello))
      (func $hello (result i32) (i32.const 16)))"#;
    assert_eq!(bytes, parse_wat(modern, &STRICT).unwrap());
    let e = parse_wat(&text, &STRICT).unwrap_err();
    assert_eq!(e.message, "unknown type `anyfunc` (renamed to `funcref`)");
    assert_eq!((e.line, e.column), (2, 11));
}

#[test]
fn seed000_hello_name() {
    let text = example("seed000_hello_name.wat");
    assert!(text.contains("get_local $0") && text.contains("(; 1 ;)"));
    let bytes = parse_wat(&text, &LEGACY).unwrap();
    let modern = r#"(module
      (type $FUNCSIG$i (func (result i32)))
      (type $FUNCSIG$iii (func (param i32 i32) (result i32)))
      (import "env" "concat" (func $concat (param i32 i32) (result i32)))
      (table 0 funcref)
      (memory $0 1)
      (data (i32.const 16) "hello \00")
      (export "memory" (memory $0))
      (export "hello" (func $hello))
      (func $hello (param $0 i32) (result i32)
        (call $concat (i32.const 16) (local.get $0))))"#;
    assert_eq!(bytes, parse_wat(modern, &STRICT).unwrap());
    let e = parse_wat(&text, &STRICT).unwrap_err();
    // The first legacy keyword in the file is `anyfunc` on line 5.
    assert_eq!(
        e.to_string(),
        "line 5, column 11: unknown type `anyfunc` (renamed to `funcref`)"
    );
}

#[test]
fn seed000_hello_decodes_and_prints_back() {
    use wvm_binary::{decode, DataMode, ExternKind, Features, Instr};
    let bytes = parse_wat(&example("seed000_hello.wat"), &LEGACY).unwrap();
    let m = decode(&bytes, &Features::default()).unwrap();
    assert_eq!(m.tables.len(), 1);
    assert_eq!(m.tables[0].ty.elem, wvm_binary::RefType::FUNCREF);
    assert_eq!(m.memories[0].limits.min, 1);
    assert_eq!(m.data[0].init, b"hello world!\0");
    assert!(matches!(&m.data[0].mode, DataMode::Active { offset, .. }
        if offset.instrs == [Instr::I32Const(16)]));
    assert!(m
        .exports
        .iter()
        .any(|e| e.name == "hello" && e.kind == ExternKind::Func && e.index == 0));
    assert_eq!(m.func_name(0), Some("hello"));
    let text = wvm_text::print_module(&m);
    assert!(
        text.contains("(func $hello (;0;) (type 0) (result i32)"),
        "{text}"
    );
    let again = decode(&parse_wat(&text, &STRICT).unwrap(), &Features::default()).unwrap();
    assert_eq!(again.code, m.code);
    assert_eq!(again.customs, m.customs);
    assert_eq!(again.data[0].init, m.data[0].init);
}
