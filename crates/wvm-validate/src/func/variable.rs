//! Variable instructions: `local.*` and `global.*`.

use wvm_binary::ValType;

use super::{FuncValidator, Result};

impl FuncValidator<'_> {
    #[inline]
    fn local(&self, idx: u32) -> Result<ValType> {
        match self.local_type(idx) {
            Some(t) => Ok(t),
            None => Err(self.err(format!("unknown local {idx}"))),
        }
    }

    pub(super) fn visit_local_get(&mut self, idx: u32) -> Result<()> {
        let t = self.local(idx)?;
        self.push(t)
    }

    pub(super) fn visit_local_set(&mut self, idx: u32) -> Result<()> {
        let t = self.local(idx)?;
        self.pop(t).map(drop)
    }

    pub(super) fn visit_local_tee(&mut self, idx: u32) -> Result<()> {
        let t = self.local(idx)?;
        self.pop(t)?;
        self.push(t)
    }

    pub(super) fn visit_global_get(&mut self, idx: u32) -> Result<()> {
        match self.ctx.global_type(idx) {
            Some(g) => self.push(g.val),
            None => Err(self.err(format!("unknown global {idx}"))),
        }
    }

    pub(super) fn visit_global_set(&mut self, idx: u32) -> Result<()> {
        let Some(g) = self.ctx.global_type(idx) else {
            return Err(self.err(format!("unknown global {idx}")));
        };
        if !g.mutable {
            return Err(self.err("global is immutable"));
        }
        self.pop(g.val).map(drop)
    }
}
