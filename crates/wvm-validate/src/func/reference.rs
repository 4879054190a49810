//! Reference instructions: `ref.null`, `ref.is_null`, `ref.func`.

use wvm_binary::{HeapType, RefType, ValType};

use super::{FuncValidator, Result};
use crate::module::heap_type_error;

impl FuncValidator<'_> {
    fn references_enabled(&self) -> Result<()> {
        if self.ctx.features.reference_types {
            Ok(())
        } else {
            Err(self.err("reference types support is not enabled"))
        }
    }

    pub(super) fn visit_ref_null(&mut self, h: HeapType) -> Result<()> {
        self.references_enabled()?;
        if let Some(m) = heap_type_error(&self.ctx.features, self.ctx.module.types.len(), h) {
            return Err(self.err(m));
        }
        self.push(ValType::Ref(RefType {
            nullable: true,
            heap: h,
        }))
    }

    pub(super) fn visit_ref_is_null(&mut self) -> Result<()> {
        self.references_enabled()?;
        let t = self.pop_any()?;
        if t.is_ref() || t.is_unknown() {
            self.push(ValType::I32)
        } else {
            Err(self.type_mismatch())
        }
    }

    pub(super) fn visit_ref_func(&mut self, f: u32) -> Result<()> {
        self.references_enabled()?;
        let Some(ti) = self.ctx.func_type_idx(f) else {
            return Err(self.err(format!("unknown function {f}")));
        };
        if !self.ctx.is_declared_func(f) {
            return Err(self.err("undeclared function reference"));
        }
        let f = &self.ctx.features;
        if f.function_references || f.gc {
            self.push(ValType::Ref(RefType {
                nullable: false,
                heap: HeapType::Concrete(ti),
            }))
        } else {
            self.push(ValType::FUNCREF)
        }
    }
}
