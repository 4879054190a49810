//! Memory instructions: loads, stores, `memory.*` and `data.drop`.

use wvm_binary::{IndexType, LoadOp, MemArg, MemoryType, StoreOp, ValType};

use super::{FuncValidator, Result};
use crate::module::index_val_type;

impl FuncValidator<'_> {
    pub(crate) fn memory(&self, idx: u32) -> Result<MemoryType> {
        match self.ctx.memory_type(idx) {
            Some(m) => Ok(m),
            None => Err(self.err(format!("unknown memory {idx}"))),
        }
    }

    /// Checks a memory argument; returns the address type of its memory.
    pub(crate) fn check_memarg(&self, m: &MemArg, natural_align: u32) -> Result<ValType> {
        let mt = self.memory(m.memory)?;
        if m.align > natural_align {
            return Err(self.err("alignment must not be larger than natural"));
        }
        if mt.index == IndexType::I32 && m.offset > u64::from(u32::MAX) {
            return Err(self.err("offset out of range"));
        }
        Ok(index_val_type(mt.index))
    }

    fn bulk_memory_enabled(&self) -> Result<()> {
        if self.ctx.features.bulk_memory {
            Ok(())
        } else {
            Err(self.err("bulk memory support is not enabled"))
        }
    }

    pub(super) fn visit_load(&mut self, op: LoadOp, m: &MemArg) -> Result<()> {
        let addr = self.check_memarg(m, op.natural_align())?;
        self.pop(addr)?;
        self.push(op.val_type())
    }

    pub(super) fn visit_store(&mut self, op: StoreOp, m: &MemArg) -> Result<()> {
        let addr = self.check_memarg(m, op.natural_align())?;
        self.pop(op.val_type())?;
        self.pop(addr)
    }

    pub(super) fn visit_memory_size(&mut self, mem: u32) -> Result<()> {
        let mt = self.memory(mem)?;
        self.push(index_val_type(mt.index))
    }

    pub(super) fn visit_memory_grow(&mut self, mem: u32) -> Result<()> {
        let t = index_val_type(self.memory(mem)?.index);
        self.pop(t)?;
        self.push(t)
    }

    fn data_segment(&self, data: u32) -> Result<()> {
        let Some(count) = self.ctx.module.data_count else {
            return Err(self.err("data count section required"));
        };
        if data >= count {
            return Err(self.err(format!("unknown data segment {data}")));
        }
        Ok(())
    }

    pub(super) fn visit_memory_init(&mut self, data: u32, mem: u32) -> Result<()> {
        self.bulk_memory_enabled()?;
        let t = index_val_type(self.memory(mem)?.index);
        self.data_segment(data)?;
        self.pop(ValType::I32)?;
        self.pop(ValType::I32)?;
        self.pop(t)
    }

    pub(super) fn visit_data_drop(&mut self, data: u32) -> Result<()> {
        self.bulk_memory_enabled()?;
        self.data_segment(data)
    }

    pub(super) fn visit_memory_copy(&mut self, dst: u32, src: u32) -> Result<()> {
        self.bulk_memory_enabled()?;
        let dst_t = self.memory(dst)?.index;
        let src_t = self.memory(src)?.index;
        let n = if dst_t == IndexType::I64 && src_t == IndexType::I64 {
            ValType::I64
        } else {
            ValType::I32
        };
        self.pop(n)?;
        self.pop(index_val_type(src_t))?;
        self.pop(index_val_type(dst_t))
    }

    pub(super) fn visit_memory_fill(&mut self, mem: u32) -> Result<()> {
        self.bulk_memory_enabled()?;
        let t = index_val_type(self.memory(mem)?.index);
        self.pop(t)?;
        self.pop(ValType::I32)?;
        self.pop(t)
    }
}
