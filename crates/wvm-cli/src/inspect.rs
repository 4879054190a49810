//! `wvm inspect`: a readable report of a module's sections and contents.

use std::fmt::Write;

use wvm_binary::{
    ConstExpr, DataMode, ElemItems, ElemMode, ExternKind, ImportDesc, Instr, Limits, Module,
};

/// One section header found by scanning the binary.
#[derive(Debug, PartialEq, Eq)]
pub struct SectionInfo {
    pub id: u8,
    /// Offset of the section's id byte.
    pub offset: usize,
    /// Size of the contents (after the size field).
    pub size: usize,
    /// Name of a custom section.
    pub custom_name: Option<String>,
}

fn read_leb_u32(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut result: u64 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        result |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return u32::try_from(result).ok();
        }
    }
    None
}

/// Lists the sections of a binary (which must already have decoded successfully).
pub fn sections(bytes: &[u8]) -> Vec<SectionInfo> {
    let mut out = Vec::new();
    let mut pos = 8;
    while pos < bytes.len() {
        let offset = pos;
        let Some(&id) = bytes.get(pos) else { break };
        pos += 1;
        let Some(size) = read_leb_u32(bytes, &mut pos) else {
            break;
        };
        let size = size as usize;
        let start = pos;
        let custom_name = if id == 0 {
            let mut p = pos;
            read_leb_u32(bytes, &mut p).and_then(|n| {
                let end = p.checked_add(n as usize)?;
                bytes
                    .get(p..end)
                    .map(|b| String::from_utf8_lossy(b).into_owned())
            })
        } else {
            None
        };
        out.push(SectionInfo {
            id,
            offset,
            size,
            custom_name,
        });
        match start.checked_add(size) {
            Some(next) if next <= bytes.len() => pos = next,
            _ => break,
        }
    }
    out
}

pub fn section_name(id: u8) -> &'static str {
    match id {
        0 => "custom",
        1 => "type",
        2 => "import",
        3 => "function",
        4 => "table",
        5 => "memory",
        6 => "global",
        7 => "export",
        8 => "start",
        9 => "element",
        10 => "code",
        11 => "data",
        12 => "datacount",
        13 => "tag",
        _ => "unknown",
    }
}

fn limits(l: &Limits) -> String {
    match l.max {
        Some(max) => format!("min {} max {}", l.min, max),
        None => format!("min {}", l.min),
    }
}

/// A constant expression in text form when it is short, e.g. `(i32.const 4)`.
pub fn const_expr(e: &ConstExpr) -> String {
    let parts: Vec<String> = e
        .instrs
        .iter()
        .map(|i| match i {
            Instr::I32Const(v) => format!("(i32.const {v})"),
            Instr::I64Const(v) => format!("(i64.const {v})"),
            Instr::F32Const(b) => format!("(f32.const {})", f32::from_bits(*b)),
            Instr::F64Const(b) => format!("(f64.const {})", f64::from_bits(*b)),
            Instr::GlobalGet(g) => format!("(global.get {g})"),
            Instr::RefFunc(f) => format!("(ref.func {f})"),
            Instr::RefNull(h) => format!("(ref.null {h})"),
            other => format!("{other:?}"),
        })
        .collect();
    parts.join(" ")
}

fn exports_of(m: &Module, kind: ExternKind, index: u32) -> String {
    let names: Vec<String> = m
        .exports
        .iter()
        .filter(|e| e.kind == kind && e.index == index)
        .map(|e| format!("{:?}", e.name))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(", exported as {}", names.join(", "))
    }
}

/// `  "text..."` when the first bytes are printable ASCII (strings in data segments).
fn text_preview(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(32)];
    let printable = head
        .iter()
        .filter(|b| b.is_ascii_graphic() || **b == b' ')
        .count();
    if head.is_empty() || printable * 4 < head.len() * 3 {
        return String::new();
    }
    let text: String = head
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        })
        .collect();
    let more = if bytes.len() > head.len() { "..." } else { "" };
    format!("  {text:?}{more}")
}

/// The whole report.
pub fn report(file: &str, bytes: &[u8], m: &Module) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{file}: WebAssembly module, binary version {:#x}, {} bytes",
        m.version,
        bytes.len()
    );
    let secs = sections(bytes);
    let _ = writeln!(s, "\nsections ({}):", secs.len());
    for sec in &secs {
        let name = match &sec.custom_name {
            Some(n) => format!("custom {n:?}"),
            None => section_name(sec.id).to_string(),
        };
        let _ = writeln!(
            s,
            "  {name:<12} id {:>2}  at {:#07x}  size {} bytes",
            sec.id, sec.offset, sec.size
        );
    }
    if let Some(n) = m.names.as_ref().and_then(|n| n.module.as_ref()) {
        let _ = writeln!(s, "\nmodule name: {n:?}");
    }

    let _ = writeln!(s, "\ntypes ({}):", m.types.len());
    for (i, t) in m.types.iter().enumerate() {
        let _ = writeln!(s, "  type {i}: {t}");
    }

    let _ = writeln!(s, "\nimports ({}):", m.imports.len());
    for imp in &m.imports {
        let what = match &imp.desc {
            ImportDesc::Func(t) => match m.types.get(*t as usize) {
                Some(ft) => format!("func type {t} {ft}"),
                None => format!("func type {t}"),
            },
            ImportDesc::Table(t) => format!("table {} {}", t.elem, limits(&t.limits)),
            ImportDesc::Memory(mt) => format!("memory {} pages", limits(&mt.limits)),
            ImportDesc::Global(g) => {
                format!("global {}{}", if g.mutable { "mut " } else { "" }, g.val)
            }
            ImportDesc::Tag(t) => format!("tag type {t}"),
        };
        let _ = writeln!(s, "  {:?} {:?}: {what}", imp.module, imp.name);
    }

    let imported = m.num_imported_funcs();
    let _ = writeln!(
        s,
        "\nfunctions ({} imported, {} defined):",
        imported,
        m.funcs.len()
    );
    for idx in 0..m.num_funcs() {
        let sig = m
            .func_type(idx)
            .map_or_else(|| "(unknown type)".to_string(), |t| t.to_string());
        let name = m
            .func_name(idx)
            .map(|n| format!(" ${n}"))
            .unwrap_or_default();
        let body = if idx >= imported {
            m.code
                .get((idx - imported) as usize)
                .map(|b| {
                    format!(
                        ", {} locals, {} instructions",
                        b.num_locals(),
                        b.instrs.len()
                    )
                })
                .unwrap_or_default()
        } else {
            " (imported)".to_string()
        };
        let _ = writeln!(
            s,
            "  func {idx}{name}: {sig}{body}{}",
            exports_of(m, ExternKind::Func, idx)
        );
    }

    let _ = writeln!(s, "\ntables ({}):", m.num_tables());
    for idx in 0..m.num_tables() {
        if let Some(t) = m.table_type(idx) {
            let _ = writeln!(
                s,
                "  table {idx}: {} {}{}",
                t.elem,
                limits(&t.limits),
                exports_of(m, ExternKind::Table, idx)
            );
        }
    }

    let _ = writeln!(s, "\nmemories ({}):", m.num_memories());
    for idx in 0..m.num_memories() {
        if let Some(mt) = m.memory_type(idx) {
            let _ = writeln!(
                s,
                "  memory {idx}: {} pages of {} bytes{}{}",
                limits(&mt.limits),
                mt.page_size(),
                if mt.shared { " shared" } else { "" },
                exports_of(m, ExternKind::Memory, idx)
            );
        }
    }

    let _ = writeln!(s, "\nglobals ({}):", m.num_globals());
    let gimported = m.num_imported_globals();
    for idx in 0..m.num_globals() {
        if let Some(g) = m.global_type(idx) {
            let init = if idx >= gimported {
                m.globals
                    .get((idx - gimported) as usize)
                    .map(|g| format!(" = {}", const_expr(&g.init)))
                    .unwrap_or_default()
            } else {
                " (imported)".to_string()
            };
            let _ = writeln!(
                s,
                "  global {idx}: {}{}{init}{}",
                if g.mutable { "mut " } else { "" },
                g.val,
                exports_of(m, ExternKind::Global, idx)
            );
        }
    }

    let _ = writeln!(s, "\nexports ({}):", m.exports.len());
    for e in &m.exports {
        let _ = writeln!(s, "  {:?}: {} {}", e.name, e.kind, e.index);
    }

    match m.start {
        Some(f) => {
            let name = m.func_name(f).map(|n| format!(" ${n}")).unwrap_or_default();
            let _ = writeln!(s, "\nstart: func {f}{name}");
        }
        None => {
            let _ = writeln!(s, "\nstart: none");
        }
    }

    let _ = writeln!(s, "\nelement segments ({}):", m.elements.len());
    for (i, e) in m.elements.iter().enumerate() {
        let mode = match &e.mode {
            ElemMode::Passive => "passive".to_string(),
            ElemMode::Declarative => "declarative".to_string(),
            ElemMode::Active { table, offset } => {
                format!("active table {table} offset {}", const_expr(offset))
            }
        };
        let items = match &e.items {
            ElemItems::Funcs(f) => {
                let list: Vec<String> = f.iter().take(16).map(|x| x.to_string()).collect();
                let more = if f.len() > 16 { " ..." } else { "" };
                format!("funcs [{}{more}]", list.join(" "))
            }
            ElemItems::Exprs(x) => format!("{} expressions", x.len()),
        };
        let _ = writeln!(
            s,
            "  elem {i}: {mode}, {}, {} items: {items}",
            e.ty,
            e.items.len()
        );
    }

    let _ = writeln!(s, "\ndata segments ({}):", m.data.len());
    for (i, d) in m.data.iter().enumerate() {
        let mode = match &d.mode {
            DataMode::Passive => "passive".to_string(),
            DataMode::Active { memory, offset } => {
                format!("active memory {memory} offset {}", const_expr(offset))
            }
        };
        let preview: Vec<String> = d.init.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let more = if d.init.len() > 16 { " ..." } else { "" };
        let _ = writeln!(
            s,
            "  data {i}: {mode}, {} bytes: {}{more}{}",
            d.init.len(),
            preview.join(" "),
            text_preview(&d.init)
        );
    }
    if let Some(n) = m.data_count {
        let _ = writeln!(s, "\ndata count: {n}");
    }
    if !m.customs.is_empty() {
        let _ = writeln!(s, "\ncustom sections ({}):", m.customs.len());
        for c in &m.customs {
            let _ = writeln!(s, "  {:?}: {} bytes", c.name, c.data.len());
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_section_headers() {
        // magic, version, type section (1 type: () -> ()), custom section "hi" with 1 byte.
        let bytes = [
            0, b'a', b's', b'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 0, 4, 2, b'h', b'i', 7,
        ];
        let s = sections(&bytes);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].id, s[0].offset, s[0].size), (1, 8, 4));
        assert_eq!(s[1].custom_name.as_deref(), Some("hi"));
        assert_eq!(s[1].size, 4);
        // A truncated section stops the scan instead of reading past the end.
        assert_eq!(sections(&bytes[..10]).len(), 1);
        assert_eq!(
            sections(&[0, b'a', b's', b'm', 1, 0, 0, 0, 1, 0xff]).len(),
            0
        );
    }
}
