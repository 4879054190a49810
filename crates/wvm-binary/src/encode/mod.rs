//! [`Module`] → binary (the seed's `emit`): canonical LEB128, sections in the standard order,
//! custom sections where the decoder found them.

mod instr;
mod types;
pub(crate) mod writer;

use crate::decode::encode_names;
use crate::module::{DataMode, ElemItems, ElemMode, ImportDesc, Module};
use crate::types::{ExternKind, RefType};
use writer::Writer;

/// Standard section ids in the order they must appear.
const ORDER: [u8; 12] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];

/// Encodes a module.
pub fn encode(m: &Module) -> Vec<u8> {
    let mut w = Writer::new();
    w.bytes(b"\0asm");
    w.bytes(&m.version.to_le_bytes());
    let has_raw_names = m.customs.iter().any(|c| c.name == "name");
    emit_customs(&mut w, m, 0);
    for id in ORDER {
        // Keep an empty vector section when a custom section was recorded after it.
        let forced = id != 8 && id != 12 && m.customs.iter().any(|c| c.after_section == id);
        let mut s = Writer::new();
        if section(&mut s, m, id) || forced {
            w.byte(id);
            w.sized(&s.into_bytes());
        }
        emit_customs(&mut w, m, id);
    }
    if let (Some(names), false) = (&m.names, has_raw_names) {
        let mut s = Writer::new();
        s.name("name");
        s.bytes(&encode_names(names));
        w.byte(0);
        w.sized(&s.into_bytes());
    }
    w.into_bytes()
}

fn emit_customs(w: &mut Writer, m: &Module, after: u8) {
    for c in m.customs.iter().filter(|c| c.after_section == after) {
        let mut s = Writer::new();
        s.name(&c.name);
        s.bytes(&c.data);
        w.byte(0);
        w.sized(&s.into_bytes());
    }
}

/// Writes the contents of section `id` into `s`; false if the module has nothing for it.
fn section(s: &mut Writer, m: &Module, id: u8) -> bool {
    match id {
        1 => {
            vec(s, &m.types, types::func_type);
            !m.types.is_empty()
        }
        2 => {
            vec(s, &m.imports, |w, i| {
                w.name(&i.module);
                w.name(&i.name);
                match &i.desc {
                    ImportDesc::Func(t) => {
                        w.byte(0);
                        w.u32(*t);
                    }
                    ImportDesc::Table(t) => {
                        w.byte(1);
                        types::table_type(w, t);
                    }
                    ImportDesc::Memory(t) => {
                        w.byte(2);
                        types::memory_type(w, t);
                    }
                    ImportDesc::Global(t) => {
                        w.byte(3);
                        types::global_type(w, t);
                    }
                    ImportDesc::Tag(t) => {
                        w.byte(4);
                        w.byte(0);
                        w.u32(*t);
                    }
                }
            });
            !m.imports.is_empty()
        }
        3 => {
            vec(s, &m.funcs, |w, t| w.u32(*t));
            !m.funcs.is_empty()
        }
        4 => {
            vec(s, &m.tables, |w, t| match &t.init {
                None => types::table_type(w, &t.ty),
                Some(e) => {
                    w.byte(0x40);
                    w.byte(0x00);
                    types::table_type(w, &t.ty);
                    instr::const_expr(w, e);
                }
            });
            !m.tables.is_empty()
        }
        5 => {
            vec(s, &m.memories, types::memory_type);
            !m.memories.is_empty()
        }
        6 => {
            vec(s, &m.globals, |w, g| {
                types::global_type(w, &g.ty);
                instr::const_expr(w, &g.init);
            });
            !m.globals.is_empty()
        }
        7 => {
            vec(s, &m.exports, |w, e| {
                w.name(&e.name);
                w.byte(match e.kind {
                    ExternKind::Func => 0,
                    ExternKind::Table => 1,
                    ExternKind::Memory => 2,
                    ExternKind::Global => 3,
                    ExternKind::Tag => 4,
                });
                w.u32(e.index);
            });
            !m.exports.is_empty()
        }
        8 => match m.start {
            Some(f) => {
                s.u32(f);
                true
            }
            None => false,
        },
        9 => {
            vec(s, &m.elements, elem_segment);
            !m.elements.is_empty()
        }
        12 => match m.data_count {
            Some(n) => {
                s.u32(n);
                true
            }
            None => false,
        },
        10 => {
            vec(s, &m.code, |w, body| {
                let mut b = Writer::new();
                vec(&mut b, &body.locals, |w, (n, t)| {
                    w.u32(*n);
                    types::val_type(w, *t);
                });
                for i in &body.instrs {
                    instr::instr(&mut b, i);
                }
                w.sized(&b.into_bytes());
            });
            !m.code.is_empty()
        }
        11 => {
            vec(s, &m.data, |w, d| {
                match &d.mode {
                    DataMode::Active { memory: 0, offset } => {
                        w.byte(0);
                        instr::const_expr(w, offset);
                    }
                    DataMode::Passive => w.byte(1),
                    DataMode::Active { memory, offset } => {
                        w.byte(2);
                        w.u32(*memory);
                        instr::const_expr(w, offset);
                    }
                }
                w.sized(&d.init);
            });
            !m.data.is_empty()
        }
        _ => false,
    }
}

fn vec<T>(w: &mut Writer, items: &[T], mut f: impl FnMut(&mut Writer, &T)) {
    w.u32(items.len() as u32);
    for i in items {
        f(w, i);
    }
}

/// Picks the shortest of the eight element segment encodings that represents `e`.
fn elem_segment(w: &mut Writer, e: &crate::module::ElemSegment) {
    let funcref = e.ty == RefType::FUNCREF;
    // Function indices can only be written with the funcref `elemkind`.
    let as_funcs = matches!(e.items, ElemItems::Funcs(_)) && funcref;
    let exprs_bit = if as_funcs { 0 } else { 4 };
    match &e.mode {
        ElemMode::Active { table, offset } => {
            if *table == 0 && funcref {
                w.byte(exprs_bit);
                instr::const_expr(w, offset);
            } else {
                w.byte(exprs_bit | 2);
                w.u32(*table);
                instr::const_expr(w, offset);
                elem_type(w, e, as_funcs);
            }
        }
        ElemMode::Passive => {
            w.byte(exprs_bit | 1);
            elem_type(w, e, as_funcs);
        }
        ElemMode::Declarative => {
            w.byte(exprs_bit | 3);
            elem_type(w, e, as_funcs);
        }
    }
    match &e.items {
        ElemItems::Funcs(fs) if as_funcs => vec(w, fs, |w, f| w.u32(*f)),
        ElemItems::Funcs(fs) => vec(w, fs, |w, f| {
            instr::instr(w, &crate::instr::Instr::RefFunc(*f));
            w.byte(0x0b);
        }),
        ElemItems::Exprs(es) => vec(w, es, instr::const_expr),
    }
}

fn elem_type(w: &mut Writer, e: &crate::module::ElemSegment, as_funcs: bool) {
    if as_funcs {
        w.byte(0x00);
    } else {
        types::ref_type(w, e.ty);
    }
}

#[cfg(test)]
mod tests;
