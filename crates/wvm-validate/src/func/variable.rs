//! Variable instructions: `local.*` and `global.*`.

use super::{FuncValidator, Result, Ty};

impl FuncValidator<'_> {
    #[inline]
    fn local(&self, idx: u32) -> Result<Ty> {
        match self.local_ty(idx) {
            Some(t) => Ok(t),
            None => Err(self.err(format!("unknown local {idx}"))),
        }
    }

    pub(super) fn visit_local_get(&mut self, idx: u32) -> Result<()> {
        let t = self.local(idx)?;
        self.push_ty(t)
    }

    pub(super) fn visit_local_set(&mut self, idx: u32) -> Result<()> {
        let t = self.local(idx)?;
        self.pop_ty(t)
    }

    pub(super) fn visit_local_tee(&mut self, idx: u32) -> Result<()> {
        let t = self.local(idx)?;
        self.pop_ty(t)?;
        self.push_ty(t)
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
        self.pop(g.val)
    }
}
