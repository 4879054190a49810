//! Decoder throughput on a large generated module. Run in release:
//! `cargo test --release -p wvm-binary --test decode_speed -- --ignored --nocapture`

use std::time::Instant;
use wvm_binary::instr::{BlockType, Instr, LoadOp, MemArg, NumOp};
use wvm_binary::{decode, encode, Features, ModuleBuilder, ValType};

fn big_module() -> Vec<u8> {
    let mut b = ModuleBuilder::new();
    b.memory(1, None);
    let ty = b.func_type([ValType::I32, ValType::I32], [ValType::I32]);
    let mut seed = 0x1234_5678u32;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    for _ in 0..2000 {
        let mut body = Vec::new();
        for _ in 0..200 {
            body.extend([
                Instr::LocalGet(0),
                Instr::I32Const(rnd() as i32),
                Instr::Numeric(NumOp::I32Add),
                Instr::Load(
                    LoadOp::I32Load,
                    MemArg {
                        align: 2,
                        offset: u64::from(rnd() % 4096),
                        memory: 0,
                    },
                ),
                Instr::Block(BlockType::Value(ValType::I32)),
                Instr::LocalGet(1),
                Instr::BrIf(0),
                Instr::End,
                Instr::LocalSet(1),
            ]);
        }
        body.extend([Instr::LocalGet(1), Instr::End]);
        b.func(ty, [ValType::I64], body);
    }
    encode(&b.finish())
}

#[test]
#[ignore]
fn decode_throughput() {
    let bytes = big_module();
    let f = Features::default();
    let m = decode(&bytes, &f).unwrap();
    let instrs: usize = m.code.iter().map(|b| b.instrs.len()).sum();
    // The machine is shared: report the fastest of several runs.
    let mut secs = f64::MAX;
    let runs: usize = std::env::var("DECODE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    for _ in 0..runs {
        let t = Instant::now();
        let m = decode(&bytes, &f).unwrap();
        secs = secs.min(t.elapsed().as_secs_f64());
        assert_eq!(m.code.len(), 2000);
    }
    println!(
        "{} bytes, {instrs} instructions: {:.2} ms per decode, {:.0} MB/s, {:.1} ns/instr",
        bytes.len(),
        secs * 1e3,
        bytes.len() as f64 / secs / 1e6,
        secs * 1e9 / instrs as f64
    );
}

#[test]
fn instr_is_small() {
    println!("size_of::<Instr>() = {}", std::mem::size_of::<Instr>());
    assert!(std::mem::size_of::<Instr>() <= 32);
}
