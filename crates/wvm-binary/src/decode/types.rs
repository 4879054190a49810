//! Decoding of value, reference, block, function, table, memory and global types.

use crate::error::DecodeError;
use crate::features::Features;
use crate::instr::BlockType;
use crate::reader::Reader;
use crate::types::{
    FuncType, GlobalType, HeapType, IndexType, Limits, MemoryType, RefType, TableType, ValType,
};

/// The value type for a one-byte type code, if it is one.
#[inline]
pub fn val_type_of(b: u8) -> Option<ValType> {
    Some(match b {
        0x7f => ValType::I32,
        0x7e => ValType::I64,
        0x7d => ValType::F32,
        0x7c => ValType::F64,
        0x7b => ValType::V128,
        0x70 => ValType::FUNCREF,
        0x6f => ValType::EXTERNREF,
        _ => return None,
    })
}

pub fn val_type(r: &mut Reader) -> Result<ValType, DecodeError> {
    let at = r.pos();
    let b = r.u8()?;
    val_type_of(b).ok_or_else(|| r.error(at, "malformed value type"))
}

pub fn ref_type(r: &mut Reader) -> Result<RefType, DecodeError> {
    let at = r.pos();
    match r.u8()? {
        0x70 => Ok(RefType::FUNCREF),
        0x6f => Ok(RefType::EXTERNREF),
        _ => Err(r.error(at, "malformed reference type")),
    }
}

/// The heap type of `ref.null`.
pub fn heap_type(r: &mut Reader) -> Result<HeapType, DecodeError> {
    let at = r.pos();
    match r.u8()? {
        0x70 => Ok(HeapType::Func),
        0x6f => Ok(HeapType::Extern),
        _ => Err(r.error(at, "malformed reference type")),
    }
}

pub fn block_type(r: &mut Reader) -> Result<BlockType, DecodeError> {
    let at = r.pos();
    match r.peek() {
        Some(0x40) => {
            r.u8()?;
            Ok(BlockType::Empty)
        }
        Some(b) if b & 0xc0 == 0x40 => {
            // A one-byte negative s33: a value type code.
            r.u8()?;
            val_type_of(b)
                .map(BlockType::Value)
                .ok_or_else(|| r.error(at, "malformed value type"))
        }
        _ => {
            let v = r.i33()?;
            if v < 0 {
                return Err(r.error(at, "malformed value type"));
            }
            Ok(BlockType::Func(v as u32))
        }
    }
}

pub fn func_type(r: &mut Reader) -> Result<FuncType, DecodeError> {
    let at = r.pos();
    match r.u8()? {
        0x60 => {}
        // The form byte is a one-byte signed LEB128 in the reference decoder.
        b if b & 0x80 != 0 => return Err(r.error(at, "integer representation too long")),
        _ => return Err(r.error(at, "malformed function type")),
    }
    let params = val_types(r)?;
    let results = val_types(r)?;
    Ok(FuncType {
        params: params.into_boxed_slice(),
        results: results.into_boxed_slice(),
    })
}

fn val_types(r: &mut Reader) -> Result<Vec<ValType>, DecodeError> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(r.cap(n, 1));
    for _ in 0..n {
        v.push(val_type(r)?);
    }
    Ok(v)
}

/// The limits flags byte: one LEB128 byte whose allowed bits depend on the features.
fn limits_flags(r: &mut Reader, allowed: u8) -> Result<u8, DecodeError> {
    let at = r.pos();
    let b = r.u8()?;
    if b & 0x80 != 0 {
        return Err(r.error(at, "integer representation too long"));
    }
    if b & !allowed != 0 {
        return Err(r.error(at, "integer too large"));
    }
    Ok(b)
}

fn limits(r: &mut Reader, flags: u8, wide: bool) -> Result<Limits, DecodeError> {
    let read = |r: &mut Reader| -> Result<u64, DecodeError> {
        if wide {
            r.u64()
        } else {
            r.u32().map(u64::from)
        }
    };
    let min = read(r)?;
    let max = if flags & 1 != 0 { Some(read(r)?) } else { None };
    Ok(Limits { min, max })
}

pub fn table_type(r: &mut Reader, f: &Features) -> Result<TableType, DecodeError> {
    let elem = ref_type(r)?;
    let allowed = if f.memory64 { 0x05 } else { 0x01 };
    let flags = limits_flags(r, allowed)?;
    let wide = flags & 0x04 != 0;
    let limits = limits(r, flags, wide)?;
    Ok(TableType {
        elem,
        limits,
        index: if wide { IndexType::I64 } else { IndexType::I32 },
    })
}

pub fn memory_type(r: &mut Reader, f: &Features) -> Result<MemoryType, DecodeError> {
    let allowed = if f.memory64 { 0x05 } else { 0x01 };
    let flags = limits_flags(r, allowed)?;
    let wide = flags & 0x04 != 0;
    let limits = limits(r, flags, wide)?;
    Ok(MemoryType {
        limits,
        index: if wide { IndexType::I64 } else { IndexType::I32 },
        shared: false,
        page_size_log2: None,
    })
}

pub fn global_type(r: &mut Reader) -> Result<GlobalType, DecodeError> {
    let val = val_type(r)?;
    let at = r.pos();
    let mutable = match r.u8()? {
        0 => false,
        1 => true,
        _ => return Err(r.error(at, "malformed mutability")),
    };
    Ok(GlobalType { val, mutable })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg<T: core::fmt::Debug>(res: Result<T, DecodeError>) -> String {
        res.unwrap_err().message
    }

    #[test]
    fn value_and_reference_types() {
        assert_eq!(val_type(&mut Reader::new(&[0x7b])).unwrap(), ValType::V128);
        assert_eq!(
            val_type(&mut Reader::new(&[0x6f])).unwrap(),
            ValType::EXTERNREF
        );
        assert_eq!(
            msg(val_type(&mut Reader::new(&[0x7a]))),
            "malformed value type"
        );
        assert_eq!(
            msg(ref_type(&mut Reader::new(&[0x7f]))),
            "malformed reference type"
        );
        assert_eq!(
            msg(heap_type(&mut Reader::new(&[0x00]))),
            "malformed reference type"
        );
    }

    #[test]
    fn block_types() {
        let bt = |b: &[u8]| block_type(&mut Reader::new(b));
        assert_eq!(bt(&[0x40]).unwrap(), BlockType::Empty);
        assert_eq!(bt(&[0x7e]).unwrap(), BlockType::Value(ValType::I64));
        assert_eq!(bt(&[0x03]).unwrap(), BlockType::Func(3));
        assert_eq!(bt(&[0x80, 0x01]).unwrap(), BlockType::Func(128));
        assert_eq!(msg(bt(&[0x41])), "malformed value type");
        assert_eq!(msg(bt(&[0xff, 0x7f])), "malformed value type");
    }

    #[test]
    fn limits_and_types() {
        let f = Features::wasm2();
        let m = memory_type(&mut Reader::new(&[0x01, 0x01, 0x02]), &f).unwrap();
        assert_eq!(
            m.limits,
            Limits {
                min: 1,
                max: Some(2)
            }
        );
        assert_eq!(
            msg(memory_type(&mut Reader::new(&[0x02, 0x00]), &f)),
            "integer too large"
        );
        assert_eq!(
            msg(memory_type(&mut Reader::new(&[0x81, 0x00]), &f)),
            "integer representation too long"
        );
        let t = table_type(&mut Reader::new(&[0x70, 0x00, 0x05]), &f).unwrap();
        assert_eq!(t, TableType::new(RefType::FUNCREF, 5, None));
        assert_eq!(
            msg(table_type(&mut Reader::new(&[0x70, 0x08, 0x00]), &f)),
            "integer too large"
        );
        assert_eq!(
            msg(global_type(&mut Reader::new(&[0x7f, 0x02]))),
            "malformed mutability"
        );
        let g = global_type(&mut Reader::new(&[0x7d, 0x01])).unwrap();
        assert_eq!(
            g,
            GlobalType {
                val: ValType::F32,
                mutable: true
            }
        );
        let ft = func_type(&mut Reader::new(&[0x60, 0x01, 0x7f, 0x00])).unwrap();
        assert_eq!(ft, FuncType::new([ValType::I32], []));
    }
}
