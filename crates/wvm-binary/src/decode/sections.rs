//! Decoding of the non-code standard sections.

use super::code::{const_expr, InstrCtx};
use super::types::{func_type, global_type, memory_type, ref_type, table_type};
use crate::error::DecodeError;
use crate::module::{
    DataMode, DataSegment, ElemItems, ElemMode, ElemSegment, Export, Global, Import, ImportDesc,
    Table,
};
use crate::reader::Reader;
use crate::types::{ExternKind, FuncType, MemoryType, RefType};

/// Reads a vector with `item` per element, pre-allocating at most what the input can hold.
fn vec_of<T>(
    r: &mut Reader,
    min_bytes: usize,
    mut item: impl FnMut(&mut Reader) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(r.cap(n, min_bytes));
    for _ in 0..n {
        v.push(item(r)?);
    }
    Ok(v)
}

pub fn type_section(r: &mut Reader) -> Result<Vec<FuncType>, DecodeError> {
    vec_of(r, 3, func_type)
}

pub fn import_section(r: &mut Reader, ctx: &mut InstrCtx) -> Result<Vec<Import>, DecodeError> {
    let f = ctx.features;
    vec_of(r, 4, |r| {
        let module = r.name()?;
        let name = r.name()?;
        let at = r.pos();
        let desc = match r.u8()? {
            0x00 => ImportDesc::Func(r.u32()?),
            0x01 => ImportDesc::Table(table_type(r, f)?),
            0x02 => ImportDesc::Memory(memory_type(r, f)?),
            0x03 => ImportDesc::Global(global_type(r)?),
            0x04 if f.exceptions => {
                let z = r.pos();
                if r.u8()? != 0 {
                    return Err(r.error(z, "zero byte expected"));
                }
                ImportDesc::Tag(r.u32()?)
            }
            _ => return Err(r.error(at, "malformed import kind")),
        };
        Ok(Import { module, name, desc })
    })
}

pub fn function_section(r: &mut Reader) -> Result<Vec<u32>, DecodeError> {
    vec_of(r, 1, |r| r.u32())
}

pub fn table_section(r: &mut Reader, ctx: &mut InstrCtx) -> Result<Vec<Table>, DecodeError> {
    vec_of(r, 3, |r| {
        if r.peek() == Some(0x40) && ctx.features.function_references {
            r.u8()?;
            let z = r.pos();
            if r.u8()? != 0 {
                return Err(r.error(z, "zero byte expected"));
            }
            let ty = table_type(r, ctx.features)?;
            let init = const_expr(r, ctx)?;
            return Ok(Table {
                ty,
                init: Some(init),
            });
        }
        Ok(Table {
            ty: table_type(r, ctx.features)?,
            init: None,
        })
    })
}

pub fn memory_section(r: &mut Reader, ctx: &InstrCtx) -> Result<Vec<MemoryType>, DecodeError> {
    vec_of(r, 2, |r| memory_type(r, ctx.features))
}

pub fn global_section(r: &mut Reader, ctx: &mut InstrCtx) -> Result<Vec<Global>, DecodeError> {
    vec_of(r, 4, |r| {
        let ty = global_type(r)?;
        let init = const_expr(r, ctx)?;
        Ok(Global { ty, init })
    })
}

pub fn export_section(r: &mut Reader, ctx: &InstrCtx) -> Result<Vec<Export>, DecodeError> {
    vec_of(r, 3, |r| {
        let name = r.name()?;
        let at = r.pos();
        let kind = match r.u8()? {
            0x00 => ExternKind::Func,
            0x01 => ExternKind::Table,
            0x02 => ExternKind::Memory,
            0x03 => ExternKind::Global,
            0x04 if ctx.features.exceptions => ExternKind::Tag,
            _ => return Err(r.error(at, "malformed export kind")),
        };
        let index = r.u32()?;
        Ok(Export { name, kind, index })
    })
}

fn elem_kind(r: &mut Reader) -> Result<RefType, DecodeError> {
    let at = r.pos();
    if r.u8()? != 0x00 {
        return Err(r.error(at, "malformed element kind"));
    }
    Ok(RefType::FUNCREF)
}

pub fn element_section(
    r: &mut Reader,
    ctx: &mut InstrCtx,
) -> Result<Vec<ElemSegment>, DecodeError> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(r.cap(n, 4));
    for _ in 0..n {
        let at = r.pos();
        let flags = r.u32()?;
        if flags > 7 {
            return Err(r.error(at, "malformed elements segment kind"));
        }
        let uses_exprs = flags & 4 != 0;
        let mode = if flags & 1 == 0 {
            let table = if flags & 2 != 0 { r.u32()? } else { 0 };
            let offset = const_expr(r, ctx)?;
            ElemMode::Active { table, offset }
        } else if flags & 2 == 0 {
            ElemMode::Passive
        } else {
            ElemMode::Declarative
        };
        // Flags 0 and 4 have no element kind / type: funcref is implied.
        let explicit_type = flags & 3 != 0;
        let ty = match (explicit_type, uses_exprs) {
            (false, _) => RefType::FUNCREF,
            (true, false) => elem_kind(r)?,
            (true, true) => ref_type(r)?,
        };
        let items = if uses_exprs {
            ElemItems::Exprs(vec_of(r, 2, |r| const_expr(r, ctx))?)
        } else {
            ElemItems::Funcs(vec_of(r, 1, |r| r.u32())?)
        };
        v.push(ElemSegment { mode, ty, items });
    }
    Ok(v)
}

pub fn data_section(r: &mut Reader, ctx: &mut InstrCtx) -> Result<Vec<DataSegment>, DecodeError> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(r.cap(n, 3));
    for _ in 0..n {
        let at = r.pos();
        let flags = r.u32()?;
        let mode = match flags {
            0 => DataMode::Active {
                memory: 0,
                offset: const_expr(r, ctx)?,
            },
            1 => DataMode::Passive,
            2 => {
                let memory = r.u32()?;
                DataMode::Active {
                    memory,
                    offset: const_expr(r, ctx)?,
                }
            }
            _ => return Err(r.error(at, "malformed data segment kind")),
        };
        let len = r.u32()? as usize;
        let init = r.bytes(len)?.to_vec();
        v.push(DataSegment { mode, init });
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Features;
    use crate::instr::Instr;
    use crate::module::ConstExpr;
    use crate::types::ValType;

    fn with_ctx<T>(b: &[u8], f: impl FnOnce(&mut Reader, &mut InstrCtx) -> T) -> T {
        let feats = Features::wasm2();
        let mut ctx = InstrCtx::new(&feats);
        let mut r = Reader::new(b);
        f(&mut r, &mut ctx)
    }

    #[test]
    fn types_and_functions() {
        let t = type_section(&mut Reader::new(&[1, 0x60, 1, 0x7e, 1, 0x7e])).unwrap();
        assert_eq!(t, vec![FuncType::new([ValType::I64], [ValType::I64])]);
        assert_eq!(
            function_section(&mut Reader::new(&[2, 0, 1])).unwrap(),
            vec![0, 1]
        );
        // A huge count on a tiny input fails without reserving memory for it.
        let e = function_section(&mut Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0])).unwrap_err();
        assert!(e.message.starts_with("unexpected end"));
    }

    #[test]
    fn imports_and_exports() {
        let b = [1, 1, b'm', 1, b'f', 0x00, 0x02];
        let i = with_ctx(&b, import_section).unwrap();
        assert_eq!(i[0].desc, ImportDesc::Func(2));
        assert_eq!((i[0].module.as_str(), i[0].name.as_str()), ("m", "f"));
        let b = [1, 0, 0, 0x04, 0x00];
        let e = with_ctx(&b, import_section).unwrap_err();
        assert_eq!(e.message, "malformed import kind");
        let b = [1, 1, 0xff, 0x00, 0x00];
        let e = with_ctx(&b, import_section).unwrap_err();
        assert_eq!(e.message, "malformed UTF-8 encoding");
        let b = [1, 1, b'e', 0x02, 0x00];
        let x = with_ctx(&b, |r, c| export_section(r, c)).unwrap();
        assert_eq!(
            x[0],
            Export {
                name: "e".into(),
                kind: ExternKind::Memory,
                index: 0
            }
        );
        let b = [1, 1, b'e', 0x05, 0x00];
        let e = with_ctx(&b, |r, c| export_section(r, c)).unwrap_err();
        assert_eq!(e.message, "malformed export kind");
    }

    #[test]
    fn globals_and_tables() {
        let b = [1, 0x7f, 0x01, 0x41, 0x05, 0x0b];
        let g = with_ctx(&b, global_section).unwrap();
        assert_eq!(g[0].init.instrs, vec![Instr::I32Const(5)]);
        assert_eq!(g[0].init.offset, 3);
        let b = [1, 0x70, 0x01, 0x01, 0x02];
        let t = with_ctx(&b, table_section).unwrap();
        assert_eq!(t[0].ty.limits.max, Some(2));
    }

    #[test]
    fn all_eight_element_encodings() {
        let off = [0x41, 0x00, 0x0b];
        let mut segs: Vec<Vec<u8>> = vec![[&[0u8][..], &off, &[1, 7]].concat()];
        segs.push(vec![1, 0x00, 1, 7]);
        segs.push([&[2u8, 1][..], &off, &[0x00, 1, 7]].concat());
        segs.push(vec![3, 0x00, 1, 7]);
        segs.push([&[4u8][..], &off, &[1, 0xd2, 7, 0x0b]].concat());
        segs.push(vec![5, 0x70, 1, 0xd0, 0x70, 0x0b]);
        segs.push([&[6u8, 1][..], &off, &[0x6f, 1, 0xd0, 0x6f, 0x0b]].concat());
        segs.push(vec![7, 0x70, 1, 0xd2, 7, 0x0b]);
        let mut b = vec![8u8];
        for s in &segs {
            b.extend_from_slice(s);
        }
        let e = with_ctx(&b, element_section).unwrap();
        assert_eq!(e.len(), 8);
        let active = |table| ElemMode::Active {
            table,
            offset: ConstExpr {
                instrs: vec![Instr::I32Const(0)],
                offset: 0,
            },
        };
        let strip = |m: &ElemMode| match m {
            ElemMode::Active { table, offset } => ElemMode::Active {
                table: *table,
                offset: ConstExpr::new(offset.instrs.clone()),
            },
            m => m.clone(),
        };
        assert_eq!(strip(&e[0].mode), active(0));
        assert_eq!(e[1].mode, ElemMode::Passive);
        assert_eq!(strip(&e[2].mode), active(1));
        assert_eq!(e[3].mode, ElemMode::Declarative);
        match &e[4].items {
            ElemItems::Exprs(x) => assert_eq!(x[0].instrs, vec![Instr::RefFunc(7)]),
            other => panic!("expected expressions, got {other:?}"),
        }
        assert_eq!(e[6].ty, RefType::EXTERNREF);
        assert_eq!(e[7].mode, ElemMode::Declarative);
        assert_eq!(e[0].items, ElemItems::Funcs(vec![7]));
        let e = with_ctx(&[1, 8], element_section).unwrap_err();
        assert_eq!(e.message, "malformed elements segment kind");
    }

    #[test]
    fn data_segments() {
        let b = [
            3, 0x00, 0x41, 0x00, 0x0b, 1, 0xaa, 0x01, 0, 0x02, 1, 0x41, 0, 0x0b, 2, 1, 2,
        ];
        let d = with_ctx(&b, data_section).unwrap();
        assert_eq!(d[0].init, vec![0xaa]);
        assert_eq!(d[1].mode, DataMode::Passive);
        assert!(matches!(d[2].mode, DataMode::Active { memory: 1, .. }));
        let e = with_ctx(&[1, 0x00, 0x41, 0x00, 0x0b, 7, 1, 2], |r, c| {
            data_section(r, c)
        })
        .unwrap_err();
        assert_eq!(e.message, "unexpected end of section or function");
        let e = with_ctx(&[1, 3], data_section).unwrap_err();
        assert_eq!(e.message, "malformed data segment kind");
    }
}
