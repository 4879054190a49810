//! The `differential` execution target: a `wasm-smith` module runs in wvm and in `wasmi` (the
//! oracle), and everything observable must agree.
//!
//! * **Generation** ([`generate`]): a `wasm-smith` module in the Wasm 2.0 feature set (SIMD
//!   when the first input byte says so), without imports. Memories are at most 1 MiB
//!   initially and both stores refuse growth beyond [`MEMORY_LIMIT`]; tables at most
//!   [`TABLE_LIMIT`] elements.
//! * **Termination** ([`instrument`]): `wasm-smith` 0.263 has no `ensure_termination`, so we
//!   add our own counter: a mutable `i32` global, exported as [`FUEL_EXPORT`], decremented on
//!   entry of every function and at the head of every loop; at zero the code executes
//!   `unreachable`. Both engines see the same instrumented binary, so running out is an
//!   ordinary, comparable trap, and the counter's value after each call is compared too (it
//!   checks that both engines took the same number of loop iterations and calls). The host
//!   resets the counter to the budget before each call. Engine fuel stays off in `wasmi`;
//!   wvm's fuel metering is switched on for some inputs (with an unlimited budget) to check
//!   that metering changes nothing.
//! * **Calls**: every exported function, in export order, once, with arguments drawn from the
//!   input (interesting values or arbitrary bits; zeros once the input is used up).
//! * **Compared**: compilation (both accept; `wasm-smith` modules are valid), instantiation
//!   (both succeed or both fail, and a trap in the start function has the same kind), per call
//!   the results or the trap kind and the fuel counter, and at the end every exported
//!   memory (size and bytes), global (value) and table (size, which entries are null).
//! * **Inconclusive** calls: a stack overflow (call depth / value stack limit) in either
//!   engine, or wvm running out of engine fuel. The engines' limits differ, so nothing after
//!   such a call is compared (the remaining calls are not made).
//! * **NaNs**: with `wasm-smith`'s `canonicalize_nans` (7 inputs in 8) float results are
//!   canonical; `wasm-smith` does not canonicalize the code that folds leftover stack values
//!   into globals through `i32.reinterpret_f32` / `i64.reinterpret_f64`, so [`instrument`]
//!   canonicalizes the operand of every reinterpretation in these modules, and integers and
//!   memories are compared bit for bit; wvm's own `canonicalize_nans` is switched on for half
//!   of them. Float values are always compared NaN-aware (any NaN equals any NaN, per lane
//!   for `v128`): the spec leaves the payload and sign of a NaN result open. Without
//!   `canonicalize_nans` NaN bits also flow legally into integers, memory and control flow:
//!   an integer or memory word that differs is accepted when both sides hold a NaN bit
//!   pattern of that width, and a divergence that remains is not reported as a failure but
//!   counted (`nan-sensitive`, the first ones printed) for review: those inputs exercise wvm's
//!   float code on raw NaNs, for crashes and for manual comparison.

use arbitrary::{Arbitrary, Result, Unstructured};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use wvm_binary::{
    BlockType, ConstExpr, Export, ExternKind, Features, Global, GlobalType, Instr, NumOp, ValType,
};

/// Name under which the termination counter is exported.
pub const FUEL_EXPORT: &str = "__wvm_fuzz_fuel";
/// Largest memory (bytes) either store lets a memory have.
pub const MEMORY_LIMIT: usize = 4 << 20;
/// Largest table either store lets a table have.
pub const TABLE_LIMIT: usize = 10_000;
/// Call depth limit of both engines (the counter bounds the depth far below it).
pub const MAX_CALL_DEPTH: usize = 10_000;

/// How one input is run.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// SIMD enabled in the generator and both engines.
    pub simd: bool,
    /// `wasm-smith` canonicalizes NaNs: compare bit for bit.
    pub canonical: bool,
    /// wvm runs with fuel metering on (unlimited budget).
    pub wvm_fuel: bool,
    /// wvm runs with `Config::canonicalize_nans`.
    pub wvm_canonicalize: bool,
    /// Counter value at instantiation and before each call.
    pub budget: i32,
}

/// A value as both engines can report it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum V {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    /// A reference: only null-ness can be compared across engines.
    Ref {
        null: bool,
    },
}

/// Trap kinds, the common vocabulary of both engines. wvm's `UndefinedElement` (index
/// outside the table in `call_indirect`) and `ElemSegmentOutOfBounds` map to `TableOob`
/// (`wasmi` says `TableOutOfBounds` for both), `DataSegmentOutOfBounds` to `MemoryOob`.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Unreachable,
    MemoryOob,
    TableOob,
    IndirectNull,
    DivByZero,
    IntOverflow,
    BadConversion,
    BadSignature,
    StackOverflow,
    OutOfFuel,
    /// Anything else (a host or usage error, an unknown trap): the message.
    Other(String),
}

impl Kind {
    fn inconclusive(&self) -> bool {
        matches!(self, Kind::StackOverflow | Kind::OutOfFuel)
    }
}

/// What one call did.
#[derive(Clone, Debug, PartialEq)]
pub enum CallOutcome {
    /// Returned these results; the counter was left at `fuel`.
    Returned { results: Vec<V>, fuel: Option<i32> },
    /// Trapped; the counter was left at `fuel`.
    Trapped { kind: Kind, fuel: Option<i32> },
}

/// Everything one engine did with a module.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `Module::new` failed.
    CompileError(String),
    /// Instantiation failed (a trap in the start function, a segment out of bounds, a limit).
    InstantiateError(Kind),
    /// Instantiated; the calls made and the final state of the exports.
    Ran {
        calls: Vec<(String, CallOutcome)>,
        memories: Vec<(String, Vec<u8>)>,
        globals: Vec<(String, V)>,
        /// Size and null-ness of every element.
        tables: Vec<(String, Vec<bool>)>,
    },
}

/// The exported functions to call and their arguments (same for both engines).
#[derive(Clone, Debug)]
pub struct Plan {
    pub calls: Vec<(String, Vec<V>)>,
}

/// A generated, instrumented module and how to run it.
pub struct Case {
    pub wasm: Vec<u8>,
    pub options: Options,
    pub plan: Plan,
}

/// The verdict on one case.
#[derive(Debug)]
pub enum Verdict {
    /// Everything compared agreed; `calls` calls were compared.
    Agree { calls: usize, traps: usize },
    /// An engine limit (stack, engine fuel) or an oracle limit made (part of) the
    /// comparison meaningless; `calls` calls were compared before.
    Inconclusive { calls: usize, why: String },
    /// A real disagreement.
    Diverge(String),
}

/// Makes a case from fuzz input; `None` when `wasm-smith` produced nothing usable.
pub fn generate(u: &mut Unstructured<'_>) -> Result<Option<Case>> {
    let flags: u8 = u.arbitrary()?;
    let options = Options {
        simd: flags & 1 != 0,
        canonical: flags & 14 != 0,
        wvm_fuel: flags & 16 != 0,
        // Not with SIMD: `wasm-smith` does not canonicalize NaNs in `v128` lanes, whose bits
        // reach integers freely (see docs/fuzzing.md).
        wvm_canonicalize: flags & 32 != 0 && flags & 14 != 0 && flags & 1 == 0,
        budget: 1 + i32::from(u.arbitrary::<u16>()? % 4096),
    };
    let mut c = wasm_smith::Config::arbitrary(u)?;
    crate::restrict_to_wasm2_no_simd(&mut c);
    c.simd_enabled = options.simd;
    c.canonicalize_nans = options.canonical;
    c.max_imports = 0;
    c.min_imports = 0;
    c.max_memory32_bytes = c.max_memory32_bytes.min(1 << 20);
    c.max_table_elements = c.max_table_elements.min(TABLE_LIMIT as u64);
    c.export_everything = u.arbitrary()?;
    let m = wasm_smith::Module::new(c, u)?;
    let bytes = m.to_bytes();
    let Some(wasm) = instrument(&bytes, options.budget, options.simd, options.canonical) else {
        return Ok(None);
    };
    let plan = plan(&wasm, options.simd, u)?;
    Ok(Some(Case {
        wasm,
        options,
        plan,
    }))
}

/// The feature set of the generated modules.
pub fn features(simd: bool) -> Features {
    Features {
        simd,
        ..Features::wasm2()
    }
}

/// The counter check: `if (global.get g == 0) unreachable; g -= 1`.
fn fuel_check(g: u32) -> [Instr; 9] {
    [
        Instr::GlobalGet(g),
        Instr::Numeric(NumOp::I32Eqz),
        Instr::If(BlockType::Empty),
        Instr::Unreachable,
        Instr::End,
        Instr::GlobalGet(g),
        Instr::I32Const(1),
        Instr::Numeric(NumOp::I32Sub),
        Instr::GlobalSet(g),
    ]
}

/// `[f] -> [i]` with a NaN replaced by the canonical NaN first; `a`, `b` are two scratch
/// locals of the float type. The condition reads `a`, the operand `b`, so that this is not
/// the `select` pattern `wasmi` miscompiles (see [`known_oracle_bug`]).
fn canonical_reinterpret(op: NumOp, a: u32, b: u32) -> [Instr; 9] {
    let (nan, ne) = if op == NumOp::I32ReinterpretF32 {
        (Instr::F32Const(0x7fc0_0000), NumOp::F32Ne)
    } else {
        (Instr::F64Const(0x7ff8_0000_0000_0000), NumOp::F64Ne)
    };
    [
        Instr::LocalTee(a),
        Instr::LocalSet(b),
        nan,
        Instr::LocalGet(b),
        Instr::LocalGet(a),
        Instr::LocalGet(a),
        Instr::Numeric(ne),
        Instr::Select,
        Instr::Numeric(op),
    ]
}

/// Adds the termination counter (see the module documentation). With `canonical`, also
/// canonicalizes the NaN operand of every `i32.reinterpret_f32` / `i64.reinterpret_f64`:
/// `wasm-smith`'s `canonicalize_nans` does not cover the code that folds leftover stack
/// values into globals, where NaN bits that the spec leaves open (e.g. of `f32.demote_f64`
/// of a non-canonical NaN) would otherwise become integers. `None` when the module does not
/// decode (the `roundtrip_text` target reports that) or already exports [`FUEL_EXPORT`].
pub fn instrument(bytes: &[u8], budget: i32, simd: bool, canonical: bool) -> Option<Vec<u8>> {
    let mut m = wvm_binary::decode(bytes, &features(simd)).ok()?;
    if m.exports.iter().any(|e| e.name == FUEL_EXPORT) {
        return None;
    }
    let imported_globals = m
        .imports
        .iter()
        .filter(|i| i.desc.kind() == ExternKind::Global)
        .count();
    let g = u32::try_from(imported_globals + m.globals.len()).ok()?;
    m.globals.push(Global {
        ty: GlobalType {
            val: ValType::I32,
            mutable: true,
        },
        init: ConstExpr {
            instrs: vec![Instr::I32Const(budget)],
            offset: 0,
        },
    });
    m.exports.push(Export {
        name: FUEL_EXPORT.to_string(),
        kind: ExternKind::Global,
        index: g,
    });
    let check = fuel_check(g);
    for (f, body) in m.funcs.iter().zip(m.code.iter_mut()) {
        let params = m.types.get(*f as usize).map_or(0, |t| t.params.len());
        let declared: u64 = body.locals.iter().map(|(n, _)| u64::from(*n)).sum();
        let first = u32::try_from(params as u64 + declared).ok()?;
        let reinterprets = canonical
            && body.instrs.iter().any(|i| {
                matches!(
                    i,
                    Instr::Numeric(NumOp::I32ReinterpretF32 | NumOp::I64ReinterpretF64)
                )
            });
        if reinterprets {
            body.locals.push((2, ValType::F32));
            body.locals.push((2, ValType::F64));
        }
        body.offsets.clear();
        let mut out = Vec::with_capacity(body.instrs.len() + check.len() * 2);
        out.extend(check.iter().cloned());
        for i in body.instrs.drain(..) {
            match i {
                Instr::Numeric(op @ NumOp::I32ReinterpretF32) if reinterprets => {
                    out.extend(canonical_reinterpret(op, first, first + 1));
                }
                Instr::Numeric(op @ NumOp::I64ReinterpretF64) if reinterprets => {
                    out.extend(canonical_reinterpret(op, first + 2, first + 3));
                }
                Instr::Loop(_) => {
                    out.push(i);
                    out.extend(check.iter().cloned());
                }
                _ => out.push(i),
            }
        }
        body.instrs = out;
    }
    Some(wvm_binary::encode(&m))
}

/// An argument of type `t`: an interesting value or arbitrary bits.
fn arg(t: ValType, u: &mut Unstructured<'_>) -> Result<V> {
    let pick: u8 = u.arbitrary()?;
    Ok(match t {
        ValType::I32 => V::I32(match pick % 8 {
            0 => 0,
            1 => 1,
            2 => -1,
            3 => i32::MIN,
            4 => i32::MAX,
            5 => i32::from(u.arbitrary::<u8>()?),
            _ => u.arbitrary()?,
        }),
        ValType::I64 => V::I64(match pick % 8 {
            0 => 0,
            1 => 1,
            2 => -1,
            3 => i64::MIN,
            4 => i64::MAX,
            5 => i64::from(u.arbitrary::<u8>()?),
            _ => u.arbitrary()?,
        }),
        ValType::F32 => V::F32(match pick % 8 {
            0 => 0,
            1 => 0x8000_0000,
            2 => 1.0f32.to_bits(),
            3 => f32::INFINITY.to_bits(),
            4 => f32::NAN.to_bits(),
            5 => (-1.5f32).to_bits(),
            _ => u.arbitrary()?,
        }),
        ValType::F64 => V::F64(match pick % 8 {
            0 => 0,
            1 => 0x8000_0000_0000_0000,
            2 => 1.0f64.to_bits(),
            3 => f64::NEG_INFINITY.to_bits(),
            4 => f64::NAN.to_bits(),
            5 => 4294967296.5f64.to_bits(),
            _ => u.arbitrary()?,
        }),
        ValType::V128 => V::V128(if pick.is_multiple_of(4) {
            0
        } else {
            u.arbitrary()?
        }),
        ValType::Ref(_) => V::Ref { null: true },
    })
}

/// The calls to make: every exported function in export order, with arguments.
pub fn plan(wasm: &[u8], simd: bool, u: &mut Unstructured<'_>) -> Result<Plan> {
    let mut calls = Vec::new();
    let Ok(m) = wvm_binary::decode(wasm, &features(simd)) else {
        return Ok(Plan { calls });
    };
    let imported_funcs: Vec<u32> = m
        .imports
        .iter()
        .filter_map(|i| match i.desc {
            wvm_binary::ImportDesc::Func(t) => Some(t),
            _ => None,
        })
        .collect();
    for e in &m.exports {
        if e.kind != ExternKind::Func {
            continue;
        }
        let idx = e.index as usize;
        let ty_idx = match imported_funcs.get(idx) {
            Some(t) => Some(*t),
            None => m.funcs.get(idx - imported_funcs.len()).copied(),
        };
        let Some(ty) = ty_idx.and_then(|t| m.types.get(t as usize)) else {
            continue;
        };
        let mut args = Vec::new();
        for p in ty.params.iter() {
            args.push(arg(*p, u)?);
        }
        calls.push((e.name.clone(), args));
    }
    Ok(Plan { calls })
}

/// True when `bits` (of `width` bytes, 4 or 8) is a NaN.
fn is_nan_bits(bits: u64, width: usize) -> bool {
    if width == 4 {
        f32::from_bits(bits as u32).is_nan()
    } else {
        f64::from_bits(bits).is_nan()
    }
}

/// Value equality: floats NaN-aware (any NaN equals any NaN; per `f32`/`f64` lane for
/// `v128`); integers bit for bit in canonical mode, otherwise also equal when both are NaN
/// bit patterns of their width (see the module docs).
pub fn same_value(a: &V, b: &V, canonical: bool) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (V::F32(x), V::F32(y)) => is_nan_bits(u64::from(*x), 4) && is_nan_bits(u64::from(*y), 4),
        (V::F64(x), V::F64(y)) => is_nan_bits(*x, 8) && is_nan_bits(*y, 8),
        (V::I32(x), V::I32(y)) if !canonical => {
            is_nan_bits(u64::from(*x as u32), 4) && is_nan_bits(u64::from(*y as u32), 4)
        }
        (V::I64(x), V::I64(y)) if !canonical => {
            is_nan_bits(*x as u64, 8) && is_nan_bits(*y as u64, 8)
        }
        (V::V128(x), V::V128(y)) => {
            let lanes_nan = |w: usize| {
                let (n, bits) = if w == 4 { (4, 32) } else { (2, 64) };
                (0..n).all(|i| {
                    let mask = if bits == 64 {
                        u64::MAX
                    } else {
                        u64::from(u32::MAX)
                    };
                    let xa = ((x >> (i * bits)) as u64) & mask;
                    let ya = ((y >> (i * bits)) as u64) & mask;
                    xa == ya || (is_nan_bits(xa, w) && is_nan_bits(ya, w))
                })
            };
            lanes_nan(4) || lanes_nan(8)
        }
        _ => false,
    }
}

/// Memory equality (same length; NaN-aware words in non-canonical mode). On a difference,
/// the first differing byte offset.
fn memory_diff(a: &[u8], b: &[u8], canonical: bool) -> Option<usize> {
    if a.len() != b.len() {
        return Some(a.len().min(b.len()));
    }
    let first = a.iter().zip(b).position(|(x, y)| x != y)?;
    if canonical {
        return Some(first);
    }
    // Every differing byte must lie in an aligned 4- or 8-byte word that is a NaN in both.
    let word = |m: &[u8], at: usize, w: usize| -> Option<u64> {
        let s = m.get(at..at + w)?;
        let mut buf = [0u8; 8];
        buf[..w].copy_from_slice(s);
        Some(u64::from_le_bytes(buf))
    };
    for i in first..a.len() {
        if a[i] == b[i] {
            continue;
        }
        let ok = [4usize, 8].iter().any(|&w| {
            let at = i - i % w;
            match (word(a, at, w), word(b, at, w)) {
                (Some(x), Some(y)) => is_nan_bits(x, w) && is_nan_bits(y, w),
                _ => false,
            }
        });
        if !ok {
            return Some(i);
        }
    }
    None
}

/// A short, readable description of a value list.
struct Vals<'a>(&'a [V]);

impl fmt::Display for Vals<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match v {
                V::I32(x) => write!(f, "i32:{x}")?,
                V::I64(x) => write!(f, "i64:{x}")?,
                V::F32(x) => write!(f, "f32:{x:#010x}")?,
                V::F64(x) => write!(f, "f64:{x:#018x}")?,
                V::V128(x) => write!(f, "v128:{x:#034x}")?,
                V::Ref { null } => write!(f, "ref:{}", if *null { "null" } else { "non-null" })?,
            }
        }
        f.write_str("]")
    }
}

/// Compares the outcomes of wvm (`ours`) and the oracle (`theirs`).
pub fn compare(ours: &Outcome, theirs: &Outcome, canonical: bool) -> Verdict {
    match (ours, theirs) {
        (_, Outcome::CompileError(e)) => Verdict::Inconclusive {
            calls: 0,
            why: format!("oracle rejects the module: {e}"),
        },
        (Outcome::CompileError(e), _) => {
            Verdict::Diverge(format!("wvm rejects a valid wasm-smith module: {e}"))
        }
        (Outcome::InstantiateError(a), Outcome::InstantiateError(b)) => {
            if a.inconclusive() || b.inconclusive() {
                Verdict::Inconclusive {
                    calls: 0,
                    why: format!("instantiation: wvm {a:?}, oracle {b:?}"),
                }
            } else if a == b {
                Verdict::Agree { calls: 0, traps: 1 }
            } else {
                Verdict::Diverge(format!(
                    "instantiation fails differently: wvm {a:?}, oracle {b:?}"
                ))
            }
        }
        (Outcome::InstantiateError(a), Outcome::Ran { .. }) if a.inconclusive() => {
            Verdict::Inconclusive {
                calls: 0,
                why: format!("wvm instantiation hit a limit: {a:?}"),
            }
        }
        (Outcome::Ran { .. }, Outcome::InstantiateError(b)) if b.inconclusive() => {
            Verdict::Inconclusive {
                calls: 0,
                why: format!("oracle instantiation hit a limit: {b:?}"),
            }
        }
        (Outcome::InstantiateError(a), Outcome::Ran { .. }) => Verdict::Diverge(format!(
            "wvm fails to instantiate ({a:?}), the oracle instantiates"
        )),
        (Outcome::Ran { .. }, Outcome::InstantiateError(b)) => {
            Verdict::Diverge(format!("wvm instantiates, the oracle fails ({b:?})"))
        }
        (
            Outcome::Ran {
                calls: ca,
                memories: ma,
                globals: ga,
                tables: ta,
            },
            Outcome::Ran {
                calls: cb,
                memories: mb,
                globals: gb,
                tables: tb,
            },
        ) => {
            let mut compared = 0;
            let mut traps = 0;
            for ((name, a), (_, b)) in ca.iter().zip(cb.iter()) {
                let limit = |o: &CallOutcome| match o {
                    CallOutcome::Trapped { kind, .. } if kind.inconclusive() => Some(kind.clone()),
                    _ => None,
                };
                if let Some(k) = limit(a).or_else(|| limit(b)) {
                    return Verdict::Inconclusive {
                        calls: compared,
                        why: format!("call {name:?}: {k:?}"),
                    };
                }
                let same = match (a, b) {
                    (
                        CallOutcome::Returned {
                            results: ra,
                            fuel: fa,
                        },
                        CallOutcome::Returned {
                            results: rb,
                            fuel: fb,
                        },
                    ) => {
                        fa == fb
                            && ra.len() == rb.len()
                            && ra.iter().zip(rb).all(|(x, y)| same_value(x, y, canonical))
                    }
                    (
                        CallOutcome::Trapped { kind: ka, fuel: fa },
                        CallOutcome::Trapped { kind: kb, fuel: fb },
                    ) => {
                        traps += 1;
                        ka == kb && fa == fb
                    }
                    _ => false,
                };
                if !same {
                    return Verdict::Diverge(format!(
                        "call {name:?}: wvm {}, oracle {}",
                        describe(a),
                        describe(b)
                    ));
                }
                compared += 1;
            }
            if ca.len() != cb.len() {
                return Verdict::Diverge(format!(
                    "wvm made {} calls, the oracle {}",
                    ca.len(),
                    cb.len()
                ));
            }
            if ma.len() != mb.len() || ga.len() != gb.len() || ta.len() != tb.len() {
                return Verdict::Diverge("different exports".to_string());
            }
            for ((name, a), (_, b)) in ma.iter().zip(mb) {
                if let Some(at) = memory_diff(a, b, canonical) {
                    return Verdict::Diverge(format!(
                        "memory {name:?} ({} vs {} bytes) differs at byte {at}: wvm {:?}, oracle {:?}",
                        a.len(),
                        b.len(),
                        a.get(at..(at + 8).min(a.len())),
                        b.get(at..(at + 8).min(b.len()))
                    ));
                }
            }
            for ((name, a), (_, b)) in ga.iter().zip(gb) {
                if !same_value(a, b, canonical) {
                    return Verdict::Diverge(format!(
                        "global {name:?}: wvm {}, oracle {}",
                        Vals(&[*a]),
                        Vals(&[*b])
                    ));
                }
            }
            for ((name, a), (_, b)) in ta.iter().zip(tb) {
                if a != b {
                    return Verdict::Diverge(format!(
                        "table {name:?}: wvm size {} ({} null), oracle size {} ({} null)",
                        a.len(),
                        a.iter().filter(|n| **n).count(),
                        b.len(),
                        b.iter().filter(|n| **n).count()
                    ));
                }
            }
            Verdict::Agree {
                calls: compared,
                traps,
            }
        }
    }
}

fn describe(o: &CallOutcome) -> String {
    match o {
        CallOutcome::Returned { results, fuel } => {
            format!("returned {} (counter {fuel:?})", Vals(results))
        }
        CallOutcome::Trapped { kind, fuel } => format!("trapped {kind:?} (counter {fuel:?})"),
    }
}

/// Runs a case in both engines and compares.
pub fn run_case(case: &Case) -> (Outcome, Outcome, Verdict) {
    let ours = crate::engines::run_wvm(&case.wasm, &case.options, &case.plan);
    let theirs = crate::engines::run_wasmi(&case.wasm, &case.options, &case.plan);
    let verdict = compare(&ours, &theirs, case.options.canonical);
    (ours, theirs, verdict)
}

/// Known bugs of the oracle (see `docs/fuzzing.md`): a divergence where `wasmi` is wrong by
/// the specification. Returns the bug's name, or `None` for a real divergence.
///
/// * `wasmi-select-eqz`: `wasmi` 2.0.0 picks the wrong operand of an `i32` `select` whose
///   condition is `i32.eqz` (or `i32.eq`/`i32.ne` with 0) of the same local that is also one
///   of the operands, e.g. `(select (i32.const 1) (local.get 0) (i32.eqz (local.get 0)))` with
///   local 0 = 7 gives 1 instead of 7. `wasm-smith` emits exactly this to guard divisors
///   against zero. Recognised by running the oracle again on the module with every `select`
///   condition passed through `i32.const 0; i32.xor` (the same value, but the oracle no longer
///   fuses the pattern): the divergence is this bug when wvm's outcome then agrees.
pub fn known_oracle_bug(case: &Case, ours: &Outcome, _theirs: &Outcome) -> Option<&'static str> {
    let shielded = shield_selects(&case.wasm, case.options.simd)?;
    let theirs = crate::engines::run_wasmi(&shielded, &case.options, &case.plan);
    match compare(ours, &theirs, case.options.canonical) {
        Verdict::Agree { .. } => Some("wasmi-select-eqz"),
        _ => None,
    }
}

/// The module with `i32.const 0; i32.xor` before every `select` (see [`known_oracle_bug`]);
/// `None` when it has no `select`.
pub fn shield_selects(wasm: &[u8], simd: bool) -> Option<Vec<u8>> {
    let mut m = wvm_binary::decode(wasm, &features(simd)).ok()?;
    let mut any = false;
    for body in &mut m.code {
        if !body
            .instrs
            .iter()
            .any(|i| matches!(i, Instr::Select | Instr::SelectTyped(_)))
        {
            continue;
        }
        any = true;
        body.offsets.clear();
        let mut out = Vec::with_capacity(body.instrs.len() + 16);
        for i in body.instrs.drain(..) {
            if matches!(i, Instr::Select | Instr::SelectTyped(_)) {
                out.push(Instr::I32Const(0));
                out.push(Instr::Numeric(NumOp::I32Xor));
            }
            out.push(i);
        }
        body.instrs = out;
    }
    any.then(|| wvm_binary::encode(&m))
}

/// Counters of the target, printed to stderr every 2^k cases from 1,024 on.
pub struct Stats {
    cases: AtomicU64,
    calls: AtomicU64,
    traps: AtomicU64,
    agree: AtomicU64,
    inconclusive: AtomicU64,
    oracle_rejects: AtomicU64,
    known: AtomicU64,
    nan_sensitive: AtomicU64,
}

impl Default for Stats {
    fn default() -> Self {
        Self::new()
    }
}

impl Stats {
    pub const fn new() -> Self {
        Stats {
            cases: AtomicU64::new(0),
            calls: AtomicU64::new(0),
            traps: AtomicU64::new(0),
            agree: AtomicU64::new(0),
            inconclusive: AtomicU64::new(0),
            oracle_rejects: AtomicU64::new(0),
            known: AtomicU64::new(0),
            nan_sensitive: AtomicU64::new(0),
        }
    }

    /// Counts one verdict; prints the totals when the case count is a power of two.
    pub fn record(&self, v: &Verdict) {
        let n = self.cases.fetch_add(1, Ordering::Relaxed) + 1;
        match v {
            Verdict::Agree { calls, traps } => {
                self.agree.fetch_add(1, Ordering::Relaxed);
                self.calls.fetch_add(*calls as u64, Ordering::Relaxed);
                self.traps.fetch_add(*traps as u64, Ordering::Relaxed);
            }
            Verdict::Inconclusive { calls, why } => {
                self.inconclusive.fetch_add(1, Ordering::Relaxed);
                self.calls.fetch_add(*calls as u64, Ordering::Relaxed);
                if why.starts_with("oracle rejects") {
                    self.oracle_rejects.fetch_add(1, Ordering::Relaxed);
                }
            }
            Verdict::Diverge(_) => {}
        }
        if n >= 1024 && n.is_power_of_two() {
            eprintln!("{}", self.summary());
        }
    }

    /// Counts a divergence filtered as a known oracle bug.
    pub fn record_known(&self, _bug: &str) {
        self.known.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a divergence of a non-canonical input (see the module docs); prints the
    /// first 20.
    pub fn record_nan_sensitive(&self, msg: &str) {
        if self.nan_sensitive.fetch_add(1, Ordering::Relaxed) < 20 {
            eprintln!("differential: nan-sensitive divergence (not a failure): {msg}");
        }
    }

    /// One line with all counters.
    pub fn summary(&self) -> String {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        format!(
            "differential: cases {} agree {} inconclusive {} (oracle rejects {}) known-oracle-bug {} nan-sensitive {} calls compared {} call traps {}",
            g(&self.cases),
            g(&self.agree),
            g(&self.inconclusive),
            g(&self.oracle_rejects),
            g(&self.known),
            g(&self.nan_sensitive),
            g(&self.calls),
            g(&self.traps)
        )
    }
}
