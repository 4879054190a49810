//! Unit tests of the stack logic, on modules built directly in the IR.

use wvm_binary::{
    BlockType, Export, ExternKind, Features, FuncBody, FuncType, Global, GlobalType, Instr, LoadOp,
    MemArg, MemoryType, Module, NumOp, ValType,
};

use crate::{validate, FrameKind, ModuleValidator, ValidationError};

use ValType::{F32, I32, I64};

/// A module with one function of type `params -> results` and the given body.
fn module_with(
    params: &[ValType],
    results: &[ValType],
    locals: &[ValType],
    body: Vec<Instr>,
) -> Module {
    let mut m = Module::new();
    m.types.push(FuncType::new(
        params.iter().copied(),
        results.iter().copied(),
    ));
    m.funcs.push(0);
    m.code.push(FuncBody::new(
        locals.iter().map(|t| (1, *t)).collect(),
        body,
    ));
    m
}

fn check(params: &[ValType], results: &[ValType], body: Vec<Instr>) -> Result<(), ValidationError> {
    validate(&module_with(params, results, &[], body), &Features::wasm2())
}

fn msg(r: Result<(), ValidationError>) -> String {
    match r {
        Ok(()) => "ok".to_string(),
        Err(e) => e.message,
    }
}

#[test]
fn simple_arith_validates() {
    use Instr::*;
    let body = vec![LocalGet(0), LocalGet(1), Numeric(NumOp::I32Add), End];
    assert_eq!(msg(check(&[I32, I32], &[I32], body)), "ok");
}

#[test]
fn wrong_operand_type_is_type_mismatch() {
    use Instr::*;
    let body = vec![I32Const(1), I64Const(2), Numeric(NumOp::I32Add), End];
    assert_eq!(msg(check(&[], &[I32], body)), "type mismatch");
}

#[test]
fn empty_stack_is_type_mismatch_and_leftovers_too() {
    use Instr::*;
    assert_eq!(msg(check(&[], &[I32], vec![End])), "type mismatch");
    assert_eq!(
        msg(check(&[], &[], vec![I32Const(1), End])),
        "type mismatch"
    );
}

#[test]
fn unreachable_makes_stack_polymorphic() {
    use Instr::*;
    // After `unreachable` any pops succeed, but known operands still have to match.
    let ok = vec![Unreachable, Numeric(NumOp::I32Add), End];
    assert_eq!(msg(check(&[], &[I32], ok)), "ok");
    let bad = vec![Unreachable, I64Const(0), Numeric(NumOp::I32Add), End];
    assert_eq!(msg(check(&[], &[I32], bad)), "type mismatch");
    // Unreachability ends with the block.
    let after_block = vec![Block(BlockType::Empty), Unreachable, End, Drop, End];
    assert_eq!(msg(check(&[], &[], after_block)), "type mismatch");
}

#[test]
fn select_rules() {
    use Instr::*;
    let ok = vec![I32Const(1), I32Const(2), I32Const(0), Select, End];
    assert_eq!(msg(check(&[], &[I32], ok)), "ok");
    let bad = vec![I32Const(1), I64Const(2), I32Const(0), Select, End];
    assert_eq!(msg(check(&[], &[I32], bad)), "type mismatch");
    // Unknown operands take the other operand's type.
    let poly = vec![Unreachable, F32Const(0), I32Const(0), Select, End];
    assert_eq!(msg(check(&[], &[F32], poly)), "ok");
    // Reference operands need the typed form.
    let refs = vec![
        RefNull(wvm_binary::HeapType::Func),
        RefNull(wvm_binary::HeapType::Func),
        I32Const(0),
        Select,
        Drop,
        End,
    ];
    assert_eq!(msg(check(&[], &[], refs)), "type mismatch");
    let typed = vec![
        RefNull(wvm_binary::HeapType::Func),
        RefNull(wvm_binary::HeapType::Func),
        I32Const(0),
        SelectTyped(Box::new([ValType::FUNCREF])),
        Drop,
        End,
    ];
    assert_eq!(msg(check(&[], &[], typed)), "ok");
    let arity = vec![
        I32Const(0),
        I32Const(0),
        I32Const(0),
        SelectTyped(Box::new([I32, I32])),
        End,
    ];
    assert_eq!(msg(check(&[], &[], arity)), "invalid result arity");
}

#[test]
fn branches_and_labels() {
    use Instr::*;
    let ok = vec![
        Block(BlockType::Value(I32)),
        I32Const(1),
        LocalGet(0),
        BrIf(0),
        Drop,
        I32Const(2),
        End,
        End,
    ];
    assert_eq!(msg(check(&[I32], &[I32], ok)), "ok");
    let unknown = vec![Br(1), End];
    assert_eq!(msg(check(&[], &[], unknown)), "unknown label 1");
    // A loop label carries the loop's parameters, not its results.
    let mut m = module_with(&[], &[I32], &[], vec![]);
    m.types.push(FuncType::new([I32], [I32]));
    m.code[0].instrs = vec![I32Const(0), Loop(BlockType::Func(1)), Br(0), End, End];
    assert_eq!(msg(validate(&m, &Features::wasm2())), "ok");
}

#[test]
fn br_table_arity_and_types() {
    use Instr::*;
    let table = |targets: Vec<u32>, default| {
        BrTable(Box::new(wvm_binary::BrTable {
            targets: targets.into_boxed_slice(),
            default,
        }))
    };
    let ok = vec![
        Block(BlockType::Value(I32)),
        Block(BlockType::Value(I32)),
        I32Const(1),
        I32Const(0),
        table(vec![0, 1], 1),
        End,
        End,
        End,
    ];
    assert_eq!(msg(check(&[], &[I32], ok)), "ok");
    let arity = vec![
        Block(BlockType::Empty),
        Block(BlockType::Value(I32)),
        I32Const(1),
        I32Const(0),
        table(vec![1], 0),
        End,
        Drop,
        End,
        End,
    ];
    assert_eq!(msg(check(&[], &[], arity)), "type mismatch");
    // In unreachable code targets of equal arity but different types are fine.
    let poly = vec![
        Block(BlockType::Value(F32)),
        Block(BlockType::Value(I32)),
        Unreachable,
        table(vec![0], 1),
        End,
        Drop,
        Unreachable,
        End,
        Drop,
        End,
    ];
    assert_eq!(msg(check(&[], &[], poly)), "ok");
}

#[test]
fn if_without_else_needs_matching_types() {
    use Instr::*;
    let bad = vec![
        I32Const(0),
        If(BlockType::Value(I32)),
        I32Const(1),
        End,
        End,
    ];
    assert_eq!(msg(check(&[], &[I32], bad)), "type mismatch");
    let ok = vec![
        I32Const(0),
        If(BlockType::Value(I32)),
        I32Const(1),
        Else,
        I32Const(2),
        End,
        End,
    ];
    assert_eq!(msg(check(&[], &[I32], ok)), "ok");
}

#[test]
fn locals_and_globals() {
    use Instr::*;
    let m = module_with(&[I32], &[I64], &[F32, I64], vec![LocalGet(2), End]);
    assert_eq!(msg(validate(&m, &Features::wasm2())), "ok");
    let m = module_with(&[I32], &[], &[F32], vec![LocalGet(2), Drop, End]);
    assert_eq!(msg(validate(&m, &Features::wasm2())), "unknown local 2");
    let mut m = module_with(&[], &[], &[], vec![I32Const(1), GlobalSet(0), End]);
    m.globals.push(Global {
        ty: GlobalType {
            val: I32,
            mutable: false,
        },
        init: wvm_binary::ConstExpr::i32(0),
    });
    assert_eq!(msg(validate(&m, &Features::wasm2())), "global is immutable");
}

#[test]
fn memory_alignment_and_presence() {
    use Instr::*;
    let load = |align| {
        Load(
            LoadOp::I32Load,
            MemArg {
                align,
                offset: 0,
                memory: 0,
            },
        )
    };
    let m = module_with(&[], &[I32], &[], vec![I32Const(0), load(2), End]);
    assert_eq!(msg(validate(&m, &Features::wasm2())), "unknown memory 0");
    let mut m = module_with(&[], &[I32], &[], vec![I32Const(0), load(2), End]);
    m.memories.push(MemoryType::new(1, None));
    assert_eq!(msg(validate(&m, &Features::wasm2())), "ok");
    m.code[0].instrs[1] = load(3);
    assert_eq!(
        msg(validate(&m, &Features::wasm2())),
        "alignment must not be larger than natural"
    );
}

#[test]
fn ref_func_must_be_declared() {
    use Instr::*;
    let mut m = module_with(&[], &[], &[], vec![RefFunc(0), Drop, End]);
    assert_eq!(
        msg(validate(&m, &Features::wasm2())),
        "undeclared function reference"
    );
    m.exports.push(Export {
        name: "f".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    assert_eq!(msg(validate(&m, &Features::wasm2())), "ok");
}

#[test]
fn simd_and_tail_calls_are_gated() {
    use Instr::*;
    assert_eq!(
        msg(check(&[], &[], vec![V128Const([0; 16]), Drop, End])),
        "SIMD is not supported yet"
    );
    let m = module_with(&[], &[], &[], vec![ReturnCall(0), End]);
    assert!(msg(validate(&m, &Features::wasm2())).contains("tail call"));
    let mut f = Features::wasm2();
    f.tail_call = true;
    assert_eq!(msg(validate(&m, &f)), "ok");
    let mut f = Features::wasm2();
    f.simd = true;
    let m = module_with(&[], &[], &[], vec![V128Const([0; 16]), Drop, End]);
    assert_eq!(msg(validate(&m, &f)), "ok");
}

#[test]
fn queries_between_visits() {
    use Instr::*;
    let m = module_with(&[I32], &[I32], &[I64, I64, F32], vec![]);
    let mv = ModuleValidator::new(&m, &Features::wasm2()).expect("module is valid");
    let mut fv = mv.func_validator(0).expect("locals are valid");
    assert_eq!(fv.local_type(0), Some(I32));
    assert_eq!(fv.local_type(2), Some(I64));
    assert_eq!(fv.local_type(3), Some(F32));
    assert_eq!(fv.local_type(4), None);
    assert_eq!(fv.control_depth(), 1);
    assert_eq!(fv.label_types(0), &[I32]);
    fv.visit(&Block(BlockType::Value(F32)), 1).unwrap();
    assert_eq!(fv.frame_kind(0), Some(FrameKind::Block));
    assert_eq!(fv.label_types(0), &[F32]);
    assert_eq!(fv.label_types(1), &[I32]);
    fv.visit(&LocalGet(1), 2).unwrap();
    assert_eq!(fv.operand_depth(), 1);
    assert_eq!(fv.operand_type(0), Some(I64));
    fv.visit(&Unreachable, 3).unwrap();
    assert!(fv.is_unreachable());
    assert_eq!(fv.operand_depth(), 0);
    fv.visit(&End, 4).unwrap();
    assert!(!fv.is_unreachable());
    assert_eq!(fv.operand_type(0), Some(F32));
    fv.visit(&Drop, 5).unwrap();
    fv.visit(&LocalGet(0), 6).unwrap();
    fv.visit(&End, 7).unwrap();
    assert_eq!(fv.control_depth(), 0);
    let err = fv.visit(&Nop, 8).unwrap_err();
    assert_eq!(err.offset, 8);
    assert_eq!(err.func, Some(0));
    fv.finish().unwrap();
}

#[test]
fn errors_carry_offset_and_function() {
    use Instr::*;
    let mut m = module_with(&[], &[], &[], vec![Nop, LocalGet(7), End]);
    m.code[0].offsets = vec![0x20, 0x21, 0x23];
    let e = validate(&m, &Features::wasm2()).unwrap_err();
    assert_eq!(e.offset, 0x21);
    assert_eq!(e.func, Some(0));
    assert_eq!(
        e.to_string(),
        "unknown local 7 (in function 0 at byte offset 0x21)"
    );
}

#[test]
fn missing_end_is_reported_by_finish() {
    use Instr::*;
    let m = module_with(&[], &[], &[], vec![Nop]);
    assert_eq!(msg(validate(&m, &Features::wasm2())), "END opcode expected");
}

#[test]
fn allocations_are_reused() {
    use Instr::*;
    let mut m = module_with(
        &[],
        &[],
        &[],
        vec![I32Const(1), I32Const(2), Drop, Drop, End],
    );
    m.funcs.push(0);
    m.code.push(FuncBody::new(vec![], vec![Nop, End]));
    let mv = ModuleValidator::new(&m, &Features::wasm2()).unwrap();
    let mut fv = mv.func_validator(0).unwrap();
    for i in &m.code[0].instrs {
        fv.visit(i, 0).unwrap();
    }
    let (r, allocs) = fv.finish_reuse();
    r.unwrap();
    let fv = mv.func_validator_with(1, allocs).unwrap();
    assert_eq!(fv.operand_depth(), 0);
    assert_eq!(fv.control_depth(), 1);
    assert!(
        fv.operands.capacity() >= 2,
        "the operand buffer was handed over"
    );
}

#[test]
fn local_types_beyond_the_flat_table() {
    // 300 parameters and 71,005 declared locals with a two-instruction body: the flat table
    // covers only a prefix, the rest is found by searching. Compare with a naive expansion.
    let params: Vec<ValType> = (0..300)
        .map(|i| if i % 2 == 0 { I32 } else { ValType::F64 })
        .collect();
    let groups = [(1000u32, I64), (5, F32), (70_000, I32)];
    let mut m = Module::new();
    m.types.push(FuncType::new(params.iter().copied(), []));
    m.funcs.push(0);
    m.code
        .push(FuncBody::new(groups.to_vec(), vec![Instr::Nop, Instr::End]));
    let mut naive = params.clone();
    for (n, t) in groups {
        naive.extend(std::iter::repeat_n(t, n as usize));
    }
    let mv = ModuleValidator::new(&m, &Features::wasm2()).unwrap();
    let fv = mv.func_validator(0).unwrap();
    assert_eq!(fv.num_locals() as usize, naive.len());
    for idx in (0..naive.len())
        .step_by(37)
        .chain([0, 271, 272, 299, 300, 1299, 1300, 1304, 1305])
    {
        assert_eq!(fv.local_type(idx as u32), Some(naive[idx]), "local {idx}");
    }
    assert_eq!(fv.local_type(naive.len() as u32), None);
    assert_eq!(fv.local_type(u32::MAX), None);
}
