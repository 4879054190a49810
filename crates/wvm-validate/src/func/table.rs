//! Table instructions: `table.*` and `elem.drop`.

use wvm_binary::{IndexType, RefType, TableType, ValType};

use super::{FuncValidator, Result};
use crate::module::index_val_type;

impl FuncValidator<'_> {
    fn table(&self, idx: u32) -> Result<TableType> {
        match self.ctx.table_type(idx) {
            Some(t) => Ok(t),
            None => Err(self.err(format!("unknown table {idx}"))),
        }
    }

    fn elem_segment(&self, idx: u32) -> Result<RefType> {
        match self.ctx.module.elements.get(idx as usize) {
            Some(e) => Ok(e.ty),
            None => Err(self.err(format!("unknown elem segment {idx}"))),
        }
    }

    fn table_ops_enabled(&self) -> Result<()> {
        if self.ctx.features.reference_types {
            Ok(())
        } else {
            Err(self.err("reference types support is not enabled"))
        }
    }

    fn bulk_enabled(&self) -> Result<()> {
        let f = &self.ctx.features;
        if f.bulk_memory || f.reference_types {
            Ok(())
        } else {
            Err(self.err("bulk memory support is not enabled"))
        }
    }

    pub(super) fn visit_table_get(&mut self, t: u32) -> Result<()> {
        self.table_ops_enabled()?;
        let tt = self.table(t)?;
        self.pop(index_val_type(tt.index))?;
        self.push(ValType::Ref(tt.elem))
    }

    pub(super) fn visit_table_set(&mut self, t: u32) -> Result<()> {
        self.table_ops_enabled()?;
        let tt = self.table(t)?;
        self.pop(ValType::Ref(tt.elem))?;
        self.pop(index_val_type(tt.index))
    }

    pub(super) fn visit_table_size(&mut self, t: u32) -> Result<()> {
        self.table_ops_enabled()?;
        let tt = self.table(t)?;
        self.push(index_val_type(tt.index))
    }

    pub(super) fn visit_table_grow(&mut self, t: u32) -> Result<()> {
        self.table_ops_enabled()?;
        let tt = self.table(t)?;
        let it = index_val_type(tt.index);
        self.pop(it)?;
        self.pop(ValType::Ref(tt.elem))?;
        self.push(it)
    }

    pub(super) fn visit_table_fill(&mut self, t: u32) -> Result<()> {
        self.table_ops_enabled()?;
        let tt = self.table(t)?;
        let it = index_val_type(tt.index);
        self.pop(it)?;
        self.pop(ValType::Ref(tt.elem))?;
        self.pop(it)
    }

    pub(super) fn visit_table_copy(&mut self, dst: u32, src: u32) -> Result<()> {
        self.bulk_enabled()?;
        let d = self.table(dst)?;
        let s = self.table(src)?;
        if !self.ctx.ref_matches(s.elem, d.elem) {
            return Err(self.type_mismatch());
        }
        let n = if d.index == IndexType::I64 && s.index == IndexType::I64 {
            ValType::I64
        } else {
            ValType::I32
        };
        self.pop(n)?;
        self.pop(index_val_type(s.index))?;
        self.pop(index_val_type(d.index))
    }

    pub(super) fn visit_table_init(&mut self, elem: u32, table: u32) -> Result<()> {
        self.bulk_enabled()?;
        let tt = self.table(table)?;
        let et = self.elem_segment(elem)?;
        if !self.ctx.ref_matches(et, tt.elem) {
            return Err(self.type_mismatch());
        }
        self.pop(ValType::I32)?;
        self.pop(ValType::I32)?;
        self.pop(index_val_type(tt.index))
    }

    pub(super) fn visit_elem_drop(&mut self, elem: u32) -> Result<()> {
        self.bulk_enabled()?;
        self.elem_segment(elem).map(drop)
    }
}
