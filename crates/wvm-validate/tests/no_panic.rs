//! Robustness: random (mostly invalid) modules and instruction streams, with random feature
//! sets, must give `Ok` or a `ValidationError`, never a panic. The queries of the fused API
//! are exercised between visits with random arguments too.

use wvm_binary::simd::{SimdLaneOp, SimdMemLaneOp, SimdMemOp, SimdOp};
use wvm_binary::{
    BlockType, BrTable, ConstExpr, DataMode, DataSegment, ElemItems, ElemMode, ElemSegment, Export,
    ExternKind, Features, FuncBody, FuncType, Global, GlobalType, HeapType, Import, ImportDesc,
    IndexType, Instr, Limits, LoadOp, MemArg, MemoryType, Module, NumOp, RefType, StoreOp, Table,
    TableType, ValType,
};
use wvm_validate::{validate, FuncValidatorAllocations, ModuleValidator};

/// xorshift64*: deterministic, no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// A small index, sometimes far out of range.
    fn idx(&mut self) -> u32 {
        match self.below(20) {
            0 => u32::MAX,
            1 => self.next() as u32,
            _ => self.below(3) as u32,
        }
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

fn heap(r: &mut Rng) -> HeapType {
    let concrete = HeapType::Concrete(r.idx());
    r.pick(&[
        HeapType::Func,
        HeapType::Extern,
        HeapType::Func,
        HeapType::Extern,
        concrete,
        HeapType::Any,
        HeapType::NoFunc,
        HeapType::Exn,
    ])
}

fn ref_type(r: &mut Rng) -> RefType {
    RefType {
        nullable: !r.chance(10),
        heap: heap(r),
    }
}

fn val_type(r: &mut Rng) -> ValType {
    match r.below(8) {
        0 | 1 => ValType::I32,
        2 => ValType::I64,
        3 => ValType::F32,
        4 => ValType::F64,
        5 => ValType::V128,
        _ => ValType::Ref(ref_type(r)),
    }
}

fn block_type(r: &mut Rng) -> BlockType {
    match r.below(3) {
        0 => BlockType::Empty,
        1 => BlockType::Value(val_type(r)),
        _ => BlockType::Func(r.idx()),
    }
}

fn memarg(r: &mut Rng) -> MemArg {
    MemArg {
        align: r.below(6) as u32,
        offset: if r.chance(5) { u64::MAX } else { r.below(100) },
        memory: if r.chance(80) { 0 } else { r.idx() },
    }
}

fn instr(r: &mut Rng) -> Instr {
    use Instr::*;
    match r.below(62) {
        0 => Unreachable,
        1 => Nop,
        2 => Block(block_type(r)),
        3 => Loop(block_type(r)),
        4 => If(block_type(r)),
        5 => Else,
        6 | 7 => End,
        8 => Br(r.idx()),
        9 => BrIf(r.idx()),
        10 => {
            let n = r.below(4);
            BrTable(Box::new(wvm_binary::BrTable {
                targets: (0..n).map(|_| r.idx()).collect(),
                default: r.idx(),
            }))
        }
        11 => Return,
        12 => Call(r.idx()),
        13 => CallIndirect {
            type_idx: r.idx(),
            table: r.idx(),
        },
        14 => ReturnCall(r.idx()),
        15 => ReturnCallIndirect {
            type_idx: r.idx(),
            table: r.idx(),
        },
        16 => Drop,
        17 => Select,
        18 => SelectTyped((0..r.below(3)).map(|_| val_type(r)).collect()),
        19 | 20 => LocalGet(r.idx()),
        21 => LocalSet(r.idx()),
        22 => LocalTee(r.idx()),
        23 => GlobalGet(r.idx()),
        24 => GlobalSet(r.idx()),
        25 => TableGet(r.idx()),
        26 => TableSet(r.idx()),
        27 => TableInit {
            elem: r.idx(),
            table: r.idx(),
        },
        28 => ElemDrop(r.idx()),
        29 => TableCopy {
            dst: r.idx(),
            src: r.idx(),
        },
        30 => TableGrow(r.idx()),
        31 => TableSize(r.idx()),
        32 => TableFill(r.idx()),
        33 => Load(r.pick(LoadOp::ALL), memarg(r)),
        34 => Store(r.pick(StoreOp::ALL), memarg(r)),
        35 => MemorySize(r.idx()),
        36 => MemoryGrow(r.idx()),
        37 => MemoryInit {
            data: r.idx(),
            memory: r.idx(),
        },
        38 => DataDrop(r.idx()),
        39 => MemoryCopy {
            dst: r.idx(),
            src: r.idx(),
        },
        40 => MemoryFill(r.idx()),
        41 | 42 => I32Const(r.next() as i32),
        43 => I64Const(r.next() as i64),
        44 => F32Const(r.next() as u32),
        45 => F64Const(r.next()),
        46..=50 => Numeric(r.pick(NumOp::ALL)),
        51 => RefNull(heap(r)),
        52 => RefIsNull,
        53 => RefFunc(r.idx()),
        54 => V128Const([r.next() as u8; 16]),
        55 => I8x16Shuffle([r.below(40) as u8; 16]),
        56 | 57 => Simd(r.pick(SimdOp::ALL)),
        58 => SimdMem(r.pick(SimdMemOp::ALL), memarg(r)),
        59 => SimdLane(r.pick(SimdLaneOp::ALL), r.below(20) as u8),
        60 => SimdMemLane(r.pick(SimdMemLaneOp::ALL), memarg(r), r.below(20) as u8),
        _ => End,
    }
}

fn const_expr(r: &mut Rng) -> ConstExpr {
    let n = if r.chance(80) { 1 } else { r.below(4) };
    ConstExpr::new((0..n).map(|_| instr(r)).collect())
}

fn limits(r: &mut Rng) -> Limits {
    let big = |r: &mut Rng| {
        if r.chance(10) {
            r.next()
        } else {
            r.below(70_000)
        }
    };
    Limits {
        min: big(r),
        max: if r.chance(50) { Some(big(r)) } else { None },
    }
}

fn index_type(r: &mut Rng) -> IndexType {
    if r.chance(15) {
        IndexType::I64
    } else {
        IndexType::I32
    }
}

fn memory_type(r: &mut Rng) -> MemoryType {
    MemoryType {
        limits: limits(r),
        index: index_type(r),
        shared: r.chance(5),
        page_size_log2: if r.chance(10) {
            Some(r.below(20) as u32)
        } else {
            None
        },
    }
}

fn table_type(r: &mut Rng) -> TableType {
    TableType {
        elem: ref_type(r),
        limits: limits(r),
        index: index_type(r),
    }
}

fn features(r: &mut Rng) -> Features {
    let mut f = if r.chance(20) {
        Features::wasm1()
    } else {
        Features::wasm2()
    };
    f.simd = r.chance(50);
    f.tail_call = r.chance(50);
    f.multi_memory = r.chance(30);
    f.memory64 = r.chance(30);
    f.extended_const = r.chance(30);
    f.function_references = r.chance(20);
    f.gc = r.chance(10);
    f.exceptions = r.chance(10);
    f
}

fn module(r: &mut Rng) -> Module {
    let mut m = Module::new();
    for _ in 0..r.below(4) {
        let params = (0..r.below(3)).map(|_| val_type(r)).collect::<Vec<_>>();
        let results = (0..r.below(3)).map(|_| val_type(r)).collect::<Vec<_>>();
        m.types.push(FuncType::new(params, results));
    }
    for _ in 0..r.below(3) {
        let desc = match r.below(5) {
            0 | 1 => ImportDesc::Func(r.idx()),
            2 => ImportDesc::Table(table_type(r)),
            3 => ImportDesc::Memory(memory_type(r)),
            _ => ImportDesc::Global(GlobalType {
                val: val_type(r),
                mutable: r.chance(30),
            }),
        };
        m.imports.push(Import {
            module: "m".into(),
            name: "n".into(),
            desc,
        });
    }
    let nfuncs = r.below(4);
    for _ in 0..nfuncs {
        m.funcs.push(r.idx());
        let locals = (0..r.below(3))
            .map(|_| (r.below(4) as u32, val_type(r)))
            .collect();
        let n = r.below(40);
        let mut instrs: Vec<Instr> = (0..n).map(|_| instr(r)).collect();
        if r.chance(90) {
            instrs.push(Instr::End);
        }
        m.code.push(FuncBody::new(locals, instrs));
    }
    if r.chance(5) {
        m.code.pop();
    }
    for _ in 0..r.below(3) {
        m.tables.push(Table {
            ty: table_type(r),
            init: if r.chance(10) {
                Some(const_expr(r))
            } else {
                None
            },
        });
    }
    for _ in 0..r.below(3) {
        m.memories.push(memory_type(r));
    }
    for _ in 0..r.below(3) {
        m.globals.push(Global {
            ty: GlobalType {
                val: val_type(r),
                mutable: r.chance(30),
            },
            init: const_expr(r),
        });
    }
    for i in 0..r.below(4) {
        m.exports.push(Export {
            name: format!("e{}", i % 3),
            kind: r.pick(&[
                ExternKind::Func,
                ExternKind::Table,
                ExternKind::Memory,
                ExternKind::Global,
                ExternKind::Tag,
            ]),
            index: r.idx(),
        });
    }
    if r.chance(30) {
        m.start = Some(r.idx());
    }
    for _ in 0..r.below(3) {
        let mode = match r.below(3) {
            0 => ElemMode::Passive,
            1 => ElemMode::Declarative,
            _ => ElemMode::Active {
                table: r.idx(),
                offset: const_expr(r),
            },
        };
        let items = if r.chance(50) {
            ElemItems::Funcs((0..r.below(3)).map(|_| r.idx()).collect())
        } else {
            ElemItems::Exprs((0..r.below(3)).map(|_| const_expr(r)).collect())
        };
        m.elements.push(ElemSegment {
            mode,
            ty: ref_type(r),
            items,
        });
    }
    for _ in 0..r.below(3) {
        let mode = if r.chance(50) {
            DataMode::Passive
        } else {
            DataMode::Active {
                memory: r.idx(),
                offset: const_expr(r),
            }
        };
        m.data.push(DataSegment {
            mode,
            init: vec![1, 2, 3],
        });
    }
    m.data_count = match r.below(3) {
        0 => None,
        1 => Some(m.data.len() as u32),
        _ => Some(r.idx()),
    };
    m
}

/// A valid module scaffold (types, memory, tables, globals, segments) with random bodies,
/// so that the instruction-level checks get exercised.
fn sane_module(r: &mut Rng) -> Module {
    use ValType::*;
    let mut m = Module::new();
    m.types.push(FuncType::new([], []));
    m.types.push(FuncType::new([I32], [I32]));
    m.types.push(FuncType::new([I32, I64], [F32, I32]));
    m.types
        .push(FuncType::new([ValType::FUNCREF], [ValType::EXTERNREF]));
    m.memories.push(MemoryType::new(1, Some(2)));
    m.tables.push(Table {
        ty: TableType::new(RefType::FUNCREF, 1, None),
        init: None,
    });
    m.tables.push(Table {
        ty: TableType::new(RefType::EXTERNREF, 1, None),
        init: None,
    });
    for (val, mutable) in [(I32, true), (I64, false), (ValType::FUNCREF, true)] {
        let init = match val {
            I32 => ConstExpr::i32(0),
            I64 => ConstExpr::new(vec![Instr::I64Const(1)]),
            _ => ConstExpr::new(vec![Instr::RefNull(HeapType::Func)]),
        };
        m.globals.push(Global {
            ty: GlobalType { val, mutable },
            init,
        });
    }
    m.data.push(DataSegment {
        mode: DataMode::Passive,
        init: vec![0; 4],
    });
    m.data_count = Some(1);
    let nfuncs = 1 + r.below(3);
    m.elements.push(ElemSegment {
        mode: ElemMode::Declarative,
        ty: RefType::FUNCREF,
        items: ElemItems::Funcs((0..nfuncs as u32).collect()),
    });
    for _ in 0..nfuncs {
        m.funcs.push(r.below(4) as u32);
        let locals = (0..r.below(3))
            .map(|_| (r.below(3) as u32, r.pick(&[I32, I64, F32, F64])))
            .collect();
        let n = r.below(30);
        let mut instrs: Vec<Instr> = (0..n).map(|_| instr(r)).collect();
        instrs.push(Instr::End);
        m.code.push(FuncBody::new(locals, instrs));
    }
    m
}

#[test]
fn random_modules_never_panic() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut valid = 0usize;
    let mut bodies_checked = 0usize;
    let rounds = 100_000;
    for round in 0..rounds {
        let m = if round % 2 == 0 {
            module(&mut r)
        } else {
            sane_module(&mut r)
        };
        let f = features(&mut r);
        let whole = validate(&m, &f);
        valid += whole.is_ok() as usize;

        // The fused API on the same module, with queries between visits.
        let Ok(mv) = ModuleValidator::new(&m, &f) else {
            assert!(whole.is_err(), "module-level errors agree");
            continue;
        };
        let mut allocs = FuncValidatorAllocations::default();
        let mut fused_ok = true;
        for (i, body) in m.code.iter().enumerate() {
            let mut fv = match mv.func_validator_with(i, allocs) {
                Ok(fv) => fv,
                Err(_) => {
                    fused_ok = false;
                    allocs = FuncValidatorAllocations::default();
                    break;
                }
            };
            bodies_checked += 1;
            let mut body_ok = true;
            for (j, ins) in body.instrs.iter().enumerate() {
                if fv.visit(ins, j).is_err() {
                    body_ok = false;
                    break;
                }
                let d = r.below(6) as u32;
                let _ = fv.label_types(d);
                let _ = fv.frame_kind(d);
                let _ = fv.operand_type(r.below(6) as usize);
                let _ = fv.local_type(r.idx());
                let _ = fv.is_unreachable();
                assert!(fv.operand_depth() < 10_000);
                assert!(fv.control_depth() <= body.instrs.len() + 1);
            }
            let (res, a) = fv.finish_reuse();
            allocs = a;
            if !body_ok || res.is_err() {
                fused_ok = false;
                break;
            }
        }
        assert_eq!(
            fused_ok,
            whole.is_ok(),
            "the fused walk and validate() agree"
        );
    }
    println!("{rounds} random modules: {valid} valid, {bodies_checked} bodies walked");
    // The generator is tuned so that both outcomes occur; otherwise the test proves little.
    assert!(valid > 0, "some random modules are valid");
    assert!(valid < rounds, "some random modules are invalid");
}

/// Nesting depth and operand count are bounded only by the body length; deep bodies must
/// not overflow the (native) stack since the validator never recurses.
#[test]
fn deep_nesting_is_fine() {
    let depth = 100_000;
    let mut instrs = Vec::with_capacity(2 * depth + 1);
    instrs.extend(std::iter::repeat_n(Instr::Block(BlockType::Empty), depth));
    instrs.extend(std::iter::repeat_n(Instr::End, depth + 1));
    let mut m = Module::new();
    m.types.push(FuncType::new([], []));
    m.funcs.push(0);
    m.code.push(FuncBody::new(vec![], instrs));
    assert!(validate(&m, &Features::wasm2()).is_ok());
    // One `br_table` over every label.
    let mut instrs = Vec::new();
    instrs.extend(std::iter::repeat_n(Instr::Block(BlockType::Empty), 1000));
    instrs.push(Instr::I32Const(0));
    instrs.push(Instr::BrTable(Box::new(BrTable {
        targets: (0..1000).collect(),
        default: 1000,
    })));
    instrs.extend(std::iter::repeat_n(Instr::End, 1001));
    m.code[0] = FuncBody::new(vec![], instrs);
    assert!(validate(&m, &Features::wasm2()).is_ok());
}
