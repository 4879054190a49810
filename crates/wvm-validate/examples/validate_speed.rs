//! Measures validation speed on a synthetic module shaped like compiled C (locals, loads,
//! stores, arithmetic, nested blocks, loops, branches and calls), next to decoding it.
//!
//! `cargo run --release -p wvm-validate --example validate_speed [functions] [mode]`
//!
//! `mode` is `both` (default), `validate` (validation only, for `perf stat`) or `build`
//! (only build the module: the baseline to subtract).

use std::time::Instant;

use wvm_binary::{
    BlockType, Features, FuncBody, FuncType, Instr, LoadOp, MemArg, MemoryType, Module, NumOp,
    StoreOp, ValType,
};

fn body(callee: u32) -> FuncBody {
    use Instr::*;
    let mem = |align| MemArg {
        align,
        offset: 8,
        memory: 0,
    };
    let mut code = vec![Block(BlockType::Empty), Loop(BlockType::Empty)];
    for k in 0..40 {
        code.extend([
            LocalGet(0),
            Load(LoadOp::I32Load, mem(2)),
            LocalGet(1),
            Numeric(NumOp::I32Add),
            LocalTee(2),
            I32Const(k),
            Numeric(NumOp::I32Mul),
            LocalSet(3),
            LocalGet(0),
            LocalGet(3),
            Store(StoreOp::I32Store, mem(2)),
            LocalGet(5),
            I64Const(3),
            Numeric(NumOp::I64Shl),
            LocalSet(5),
            Block(BlockType::Value(ValType::I32)),
            LocalGet(2),
            LocalGet(3),
            Numeric(NumOp::I32LtS),
            If(BlockType::Value(ValType::I32)),
            LocalGet(2),
            Else,
            LocalGet(3),
            End,
            End,
            LocalGet(1),
            Call(callee),
            Numeric(NumOp::I32Xor),
            LocalSet(1),
            LocalGet(1),
            BrIf(1),
        ]);
    }
    code.extend([End, End, LocalGet(1), End]);
    FuncBody::new(vec![(3, ValType::I32), (1, ValType::I64)], code)
}

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let mut m = Module::new();
    m.types
        .push(FuncType::new([ValType::I32, ValType::I32], [ValType::I32]));
    m.types.push(FuncType::new([ValType::I32], [ValType::I32]));
    m.memories.push(MemoryType::new(1, None));
    m.funcs.push(1);
    m.code
        .push(FuncBody::new(vec![], vec![Instr::LocalGet(0), Instr::End]));
    for _ in 0..n {
        m.funcs.push(0);
        m.code.push(body(0));
    }
    let mode = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "both".to_string());
    let features = Features::wasm2();
    if mode == "build" {
        std::hint::black_box(&m);
        return;
    }
    if mode == "validate" {
        for _ in 0..5 {
            wvm_validate::validate(std::hint::black_box(&m), &features).expect("valid");
        }
        return;
    }
    let instrs: usize = m.code.iter().map(|b| b.instrs.len()).sum();
    let bytes = wvm_binary::encode(&m);
    let rounds = 5;

    let t = Instant::now();
    for _ in 0..rounds {
        let d = wvm_binary::decode(&bytes, &features).expect("decodes");
        std::hint::black_box(&d);
    }
    let decode = t.elapsed() / rounds;

    let t = Instant::now();
    for _ in 0..rounds {
        wvm_validate::validate(std::hint::black_box(&m), &features).expect("valid");
    }
    let validate = t.elapsed() / rounds;

    println!(
        "{n} functions, {instrs} instructions, {} bytes",
        bytes.len()
    );
    println!(
        "decode:   {:>8.2} ms ({:.1} ns/instr)",
        decode.as_secs_f64() * 1e3,
        decode.as_secs_f64() * 1e9 / instrs as f64
    );
    println!(
        "validate: {:>8.2} ms ({:.1} ns/instr, {:.0} MB/s of code)",
        validate.as_secs_f64() * 1e3,
        validate.as_secs_f64() * 1e9 / instrs as f64,
        bytes.len() as f64 / validate.as_secs_f64() / 1e6
    );
}
