//! Numeric instructions (constants are handled in the dispatch).

use wvm_binary::NumOp;

use super::{FuncValidator, Result};

impl FuncValidator<'_> {
    fn numeric_enabled(&self, op: NumOp) -> Result<()> {
        let f = &self.ctx.features;
        match op.opcode() {
            (0xfc, _) if !f.saturating_float_to_int => Err(self.err(format!(
                "{}: saturating float-to-int conversions are not enabled",
                op.name()
            ))),
            (0, 0xc0..=0xc4) if !f.sign_extension => Err(self.err(format!(
                "{}: sign-extension operators are not enabled",
                op.name()
            ))),
            _ => Ok(()),
        }
    }

    pub(super) fn visit_numeric(&mut self, op: NumOp) -> Result<()> {
        self.numeric_enabled(op)?;
        self.pop_slice(op.params())?;
        self.push(op.result())
    }
}
