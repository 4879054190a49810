//! Module IR → `.wat` text (the seed's `repr`).
//!
//! The output is valid text format in the flat instruction form, with one indentation level
//! per open block. Every definition carries its index as a comment (`(func (;3;) ...`).
//! Function and local names from the `name` section become `$identifiers` where they are
//! valid and unique; all other references print as plain indices.
//!
//! Round trip: `wat::parse_str(print_module(m))`, decoded again, equals `m` up to what the
//! text format cannot express:
//! * local declarations are regrouped (the text format has no run-length grouping; `wat`
//!   merges adjacent locals of one type and drops empty groups);
//! * the data count section is implied (`wat` writes it exactly when a function uses
//!   `memory.init` or `data.drop`);
//! * byte offsets recorded by the decoder differ;
//! * binary version 0x0d (pre-release) cannot be written in text;
//! * alignments of 2^64 and above, page sizes of 2^32 and above and more than
//!   [`MAX_PRINTED_LOCALS`] locals in one function are not printed faithfully.
//!
//! Custom sections are printed as `(@custom ...)` annotations with their raw bytes and
//! placement, so they round-trip exactly. The `name` section is left out when the
//! `$identifiers` regenerate it exactly (see [`print_module`]); otherwise it is printed raw
//! too, and then `wat` does not synthesize another one from the identifiers.

mod instr;
pub mod lit;

use std::collections::HashMap;
use std::fmt::Write as _;

use wvm_binary::{
    ConstExpr, DataMode, ElemItems, ElemMode, FuncType, GlobalType, ImportDesc, IndexType, Instr,
    MemoryType, Module, TableType, ValType,
};

pub use instr::{instr_text, write_instr, Ids};

/// Functions declaring more locals than this are printed with a comment instead of the
/// excess locals (printing them would take unbounded memory).
pub const MAX_PRINTED_LOCALS: u64 = 1 << 20;

macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Prints `m` as a `.wat` module.
///
/// When the `$identifiers` alone make `wat` write back the module's `name` section byte for
/// byte (checked by parsing the text once), the raw `name` section is left out; otherwise it
/// is printed as a `(@custom "name" ...)` annotation so that nothing is lost.
pub fn print_module(m: &Module) -> String {
    let has_names = m.customs.iter().any(|c| c.name == NAME_SECTION);
    if has_names {
        let short = Printer::new(m, false).print();
        if names_regenerate(m, &short) {
            return short;
        }
    }
    Printer::new(m, true).print()
}

const NAME_SECTION: &str = "name";

/// Whether parsing `text` gives back exactly the custom sections of `m`.
fn names_regenerate(m: &Module, text: &str) -> bool {
    let Ok(bytes) = wat::parse_str(text) else {
        return false;
    };
    let features = wvm_binary::Features {
        simd: true,
        tail_call: true,
        multi_memory: true,
        memory64: true,
        extended_const: true,
        function_references: true,
        gc: true,
        exceptions: true,
        allow_legacy_version: true,
        ..wvm_binary::Features::wasm2()
    };
    match wvm_binary::decode(&bytes, &features) {
        Ok(again) => again.customs == m.customs,
        Err(_) => false,
    }
}

/// Names that may be used as `$identifiers`: valid and unique within their index space.
fn unique_ids<'a>(names: impl Iterator<Item = (u32, &'a str)>, limit: u64) -> HashMap<u32, String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    let mut all = Vec::new();
    for (idx, name) in names {
        if (idx as u64) < limit && lit::is_id(name) {
            *count.entry(name).or_default() += 1;
            all.push((idx, name));
        }
    }
    let mut seen_idx = HashMap::new();
    for (idx, name) in all {
        if count.get(name) == Some(&1) {
            seen_idx.entry(idx).or_insert_with(|| name.to_string());
        }
    }
    seen_idx
}

struct Printer<'a> {
    m: &'a Module,
    out: String,
    func_ids: HashMap<u32, String>,
    /// Local names per function index (the first entry wins).
    local_names: HashMap<u32, &'a [(u32, String)]>,
    /// Print the `name` custom section as raw bytes.
    dump_names: bool,
}

impl<'a> Printer<'a> {
    fn new(m: &'a Module, dump_names: bool) -> Self {
        let func_ids = match &m.names {
            Some(n) => unique_ids(
                n.functions.iter().map(|(i, s)| (*i, s.as_str())),
                m.num_funcs() as u64,
            ),
            None => HashMap::new(),
        };
        let mut local_names = HashMap::new();
        for (f, l) in m.names.iter().flat_map(|n| &n.locals) {
            local_names.entry(*f).or_insert(l.as_slice());
        }
        Printer {
            m,
            out: String::new(),
            func_ids,
            local_names,
            dump_names,
        }
    }

    fn print(mut self) -> String {
        let m = self.m;
        if m.version != 1 {
            w!(
                self.out,
                ";; binary version {:#x} cannot be expressed in the text format\n",
                m.version
            );
        }
        self.out.push_str("(module");
        if let Some(name) = m.names.as_ref().and_then(|n| n.module.as_deref()) {
            if lit::is_id(name) {
                w!(self.out, " ${name}");
            } else {
                w!(self.out, " (; name {} ;)", lit::comment_string(name));
            }
        }
        self.out.push('\n');
        for (i, t) in m.types.iter().enumerate() {
            w!(self.out, "  (type (;{i};) {t})\n");
        }
        self.imports();
        let first_func = m.num_imported_funcs();
        for (i, (ty, body)) in m.funcs.iter().zip(&m.code).enumerate() {
            self.func(first_func + i as u32, *ty, body);
        }
        // A function section without code (invalid, but decodable) still shows its types.
        for (i, ty) in m.funcs.iter().enumerate().skip(m.code.len()) {
            w!(
                self.out,
                "  (func (;{};) (type {ty}))\n",
                first_func + i as u32
            );
        }
        let first = m.num_imported_tables();
        for (i, t) in m.tables.iter().enumerate() {
            w!(
                self.out,
                "  (table (;{};) {}",
                first + i as u32,
                table_type(&t.ty)
            );
            if let Some(init) = &t.init {
                self.out.push(' ');
                self.const_instrs(init);
            }
            self.out.push_str(")\n");
        }
        let first = m.num_imported_memories();
        for (i, mt) in m.memories.iter().enumerate() {
            w!(
                self.out,
                "  (memory (;{};) {})\n",
                first + i as u32,
                memory_type(mt)
            );
        }
        let first = m.num_imported_globals();
        for (i, g) in m.globals.iter().enumerate() {
            w!(
                self.out,
                "  (global (;{};) {} ",
                first + i as u32,
                global_type(&g.ty)
            );
            self.const_instrs(&g.init);
            self.out.push_str(")\n");
        }
        for e in &m.exports {
            w!(self.out, "  (export {} ({} ", lit::string(&e.name), e.kind);
            if e.kind == wvm_binary::ExternKind::Func {
                self.func_idx(e.index);
            } else {
                w!(self.out, "{}", e.index);
            }
            self.out.push_str("))\n");
        }
        if let Some(s) = m.start {
            self.out.push_str("  (start ");
            self.func_idx(s);
            self.out.push_str(")\n");
        }
        self.elems();
        self.datas();
        self.customs();
        self.out.push_str(")\n");
        self.out
    }

    fn func_idx(&mut self, idx: u32) {
        match self.func_ids.get(&idx) {
            Some(name) => w!(self.out, "${name}"),
            None => w!(self.out, "{idx}"),
        }
    }

    /// `$id (;idx;)` after `func`; a name that cannot be an identifier becomes a comment.
    fn func_header(&mut self, idx: u32) {
        if let Some(name) = self.func_ids.get(&idx) {
            w!(self.out, " ${name}");
        }
        w!(self.out, " (;{idx};)");
        if !self.func_ids.contains_key(&idx) {
            if let Some(name) = self.m.func_name(idx) {
                w!(self.out, " (; name {} ;)", lit::comment_string(name));
            }
        }
    }

    fn imports(&mut self) {
        let (mut funcs, mut tables, mut mems, mut globals, mut tags) =
            (0u32, 0u32, 0u32, 0u32, 0u32);
        for imp in &self.m.imports {
            w!(
                self.out,
                "  (import {} {} (",
                lit::string(&imp.module),
                lit::string(&imp.name)
            );
            match &imp.desc {
                ImportDesc::Func(ty) => {
                    self.out.push_str("func");
                    self.func_header(funcs);
                    w!(self.out, " (type {ty})");
                    funcs += 1;
                }
                ImportDesc::Table(t) => {
                    w!(self.out, "table (;{tables};) {}", table_type(t));
                    tables += 1;
                }
                ImportDesc::Memory(mt) => {
                    w!(self.out, "memory (;{mems};) {}", memory_type(mt));
                    mems += 1;
                }
                ImportDesc::Global(g) => {
                    w!(self.out, "global (;{globals};) {}", global_type(g));
                    globals += 1;
                }
                ImportDesc::Tag(ty) => {
                    w!(self.out, "tag (;{tags};) (type {ty})");
                    tags += 1;
                }
            }
            self.out.push_str("))\n");
        }
    }

    fn func(&mut self, idx: u32, ty: u32, body: &wvm_binary::FuncBody) {
        let local_ids = self
            .local_names
            .get(&idx)
            .map(|l| {
                let params = self.m.types.get(ty as usize).map_or(0, |t| t.params.len());
                let limit = params as u64 + body.num_locals();
                unique_ids(l.iter().map(|(i, s)| (*i, s.as_str())), limit)
            })
            .unwrap_or_default();
        self.out.push_str("  (func");
        self.func_header(idx);
        w!(self.out, " (type {ty})");
        let mut next_local = 0u32;
        if let Some(ft) = self.m.types.get(ty as usize) {
            self.params_results(ft, &local_ids, &mut next_local);
        }
        self.out.push('\n');
        self.locals(&body.locals, &local_ids, next_local);
        let ids = Ids {
            funcs: Some(&self.func_ids),
            locals: Some(&local_ids),
        };
        // The final `end` closes the function itself and is implied by the `)`.
        let instrs = match body.instrs.split_last() {
            Some((Instr::End, rest)) => rest,
            _ => &body.instrs[..],
        };
        let mut depth = 2usize;
        for ins in instrs {
            if matches!(ins, Instr::End | Instr::Else) {
                depth = depth.saturating_sub(1).max(2);
            }
            for _ in 0..depth {
                self.out.push_str("  ");
            }
            write_instr(&mut self.out, ins, &ids);
            self.out.push('\n');
            if ins.opens_block() || matches!(ins, Instr::Else) {
                depth += 1;
            }
        }
        self.out.push_str("  )\n");
    }

    fn params_results(&mut self, ft: &FuncType, ids: &HashMap<u32, String>, next: &mut u32) {
        let mut grouped = false;
        for p in ft.params.iter() {
            match ids.get(next) {
                Some(name) => {
                    if grouped {
                        self.out.push(')');
                        grouped = false;
                    }
                    w!(self.out, " (param ${name} {p})");
                }
                None => {
                    if !grouped {
                        self.out.push_str(" (param");
                        grouped = true;
                    }
                    w!(self.out, " {p}");
                }
            }
            *next += 1;
        }
        if grouped {
            self.out.push(')');
        }
        if !ft.results.is_empty() {
            self.out.push_str(" (result");
            for r in ft.results.iter() {
                w!(self.out, " {r}");
            }
            self.out.push(')');
        }
    }

    fn locals(&mut self, locals: &[(u32, ValType)], ids: &HashMap<u32, String>, mut next: u32) {
        let mut printed = 0u64;
        for (n, t) in locals {
            if printed + *n as u64 > MAX_PRINTED_LOCALS {
                w!(self.out, "    (; {n} locals of type {t} not printed ;)\n");
                continue;
            }
            printed += *n as u64;
            // Named locals get their own `(local $x t)`, runs of unnamed ones share one.
            let mut parts: Vec<String> = Vec::new();
            let mut unnamed = 0u32;
            let flush = |parts: &mut Vec<String>, unnamed: &mut u32| {
                if *unnamed > 0 {
                    let tys = vec![t.to_string(); *unnamed as usize];
                    parts.push(format!("(local {})", tys.join(" ")));
                    *unnamed = 0;
                }
            };
            for _ in 0..*n {
                match ids.get(&next) {
                    Some(name) => {
                        flush(&mut parts, &mut unnamed);
                        parts.push(format!("(local ${name} {t})"));
                    }
                    None => unnamed += 1,
                }
                next = next.wrapping_add(1);
            }
            flush(&mut parts, &mut unnamed);
            if !parts.is_empty() {
                w!(self.out, "    {}\n", parts.join(" "));
            }
        }
    }

    /// A constant expression as flat instructions on one line.
    fn const_instrs(&mut self, e: &ConstExpr) {
        let ids = Ids {
            funcs: Some(&self.func_ids),
            locals: None,
        };
        for (i, ins) in e.instrs.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            write_instr(&mut self.out, ins, &ids);
        }
    }

    /// `(instr)` for a one-instruction expression, `(offset i1 i2 ...)` otherwise.
    fn offset_expr(&mut self, e: &ConstExpr) {
        if e.instrs.len() == 1 {
            self.out.push('(');
        } else {
            self.out.push_str("(offset");
            if !e.instrs.is_empty() {
                self.out.push(' ');
            }
        }
        self.const_instrs(e);
        self.out.push(')');
    }

    fn elems(&mut self) {
        for (i, seg) in self.m.elements.iter().enumerate() {
            w!(self.out, "  (elem (;{i};)");
            match &seg.mode {
                ElemMode::Passive => {}
                ElemMode::Declarative => self.out.push_str(" declare"),
                ElemMode::Active { table, offset } => {
                    if *table != 0 {
                        w!(self.out, " (table {table})");
                    }
                    self.out.push(' ');
                    self.offset_expr(offset);
                }
            }
            match &seg.items {
                ElemItems::Funcs(funcs) => {
                    self.out.push_str(" func");
                    for f in funcs {
                        self.out.push(' ');
                        self.func_idx(*f);
                    }
                }
                ElemItems::Exprs(exprs) => {
                    w!(self.out, " {}", seg.ty);
                    for e in exprs {
                        self.out.push_str(" (item ");
                        self.const_instrs(e);
                        self.out.push(')');
                    }
                }
            }
            self.out.push_str(")\n");
        }
    }

    fn datas(&mut self) {
        const CHUNK: usize = 32;
        for (i, seg) in self.m.data.iter().enumerate() {
            w!(self.out, "  (data (;{i};)");
            if let DataMode::Active { memory, offset } = &seg.mode {
                if *memory != 0 {
                    w!(self.out, " (memory {memory})");
                }
                self.out.push(' ');
                self.offset_expr(offset);
            }
            if seg.init.len() <= CHUNK {
                self.out.push(' ');
                lit::write_bytes(&mut self.out, &seg.init);
            } else {
                for chunk in seg.init.chunks(CHUNK) {
                    self.out.push_str("\n    ");
                    lit::write_bytes(&mut self.out, chunk);
                }
            }
            self.out.push_str(")\n");
        }
    }

    fn customs(&mut self) {
        for c in &self.m.customs {
            if !self.dump_names && c.name == NAME_SECTION {
                continue;
            }
            let place = match c.after_section {
                0 => "before first",
                1 => "after type",
                2 => "after import",
                3 => "after func",
                4 => "after table",
                5 => "after memory",
                6 => "after global",
                7 => "after export",
                8 => "after start",
                9 => "after elem",
                10 => "after code",
                11 => "after data",
                // The data count section sits between elem and code.
                12 => "before code",
                13 => "after tag",
                _ => "after last",
            };
            w!(self.out, "  (@custom {} ({place})", lit::string(&c.name));
            for chunk in c.data.chunks(32) {
                self.out.push_str("\n    ");
                lit::write_bytes(&mut self.out, chunk);
            }
            self.out.push_str(")\n");
        }
    }
}

fn index_prefix(i: IndexType) -> &'static str {
    match i {
        IndexType::I32 => "",
        IndexType::I64 => "i64 ",
    }
}

fn table_type(t: &TableType) -> String {
    let mut s = format!("{}{}", index_prefix(t.index), t.limits.min);
    if let Some(max) = t.limits.max {
        w!(s, " {max}");
    }
    w!(s, " {}", t.elem);
    s
}

fn memory_type(mt: &MemoryType) -> String {
    let mut s = format!("{}{}", index_prefix(mt.index), mt.limits.min);
    if let Some(max) = mt.limits.max {
        w!(s, " {max}");
    }
    if mt.shared {
        s.push_str(" shared");
    }
    if let Some(l) = mt.page_size_log2 {
        match 1u32.checked_shl(l) {
            Some(size) => w!(s, " (pagesize {size})"),
            None => w!(s, " (pagesize 2**{l})"),
        }
    }
    s
}

fn global_type(g: &GlobalType) -> String {
    if g.mutable {
        format!("(mut {})", g.val)
    } else {
        g.val.to_string()
    }
}

#[cfg(test)]
mod tests;
