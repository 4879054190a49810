//! WebAssembly validation for wvm: the specification's validation algorithm (Wasm 2.0,
//! appendix "Validation Algorithm") over the module IR of [`wvm_binary`].
//!
//! * [`validate`] checks a whole module.
//! * For one walk over each function body shared with a translator:
//!   [`ModuleValidator::new`] checks everything but function bodies, then
//!   [`ModuleValidator::func_validator`] gives a [`FuncValidator`] that takes the body's
//!   instructions one at a time ([`FuncValidator::visit`]) and answers cheap questions about
//!   the operand and control stacks between them.
//!
//! Error messages follow the official spec testsuite ("type mismatch", "unknown local 3",
//! "alignment must not be larger than natural", ...).

mod error;
mod func;
mod module;

pub use error::ValidationError;
pub use func::{FrameKind, FuncValidator, FuncValidatorAllocations};
pub use module::{ModuleValidator, MAX_FUNC_PARAMS, MAX_FUNC_RESULTS};

use wvm_binary::{Features, Module};

/// Validates a whole module.
pub fn validate(module: &Module, features: &Features) -> Result<(), ValidationError> {
    let mv = ModuleValidator::new(module, features)?;
    let mut allocs = FuncValidatorAllocations::default();
    for (i, body) in module.code.iter().enumerate() {
        let mut fv = mv.func_validator_with(i, allocs)?;
        if body.offsets.len() == body.instrs.len() {
            for (instr, offset) in body.instrs.iter().zip(&body.offsets) {
                fv.visit(instr, *offset as usize)?;
            }
        } else {
            // Built in code: no per-instruction offsets; report the body's.
            for instr in &body.instrs {
                fv.visit(instr, body.offset)?;
            }
        }
        let (r, a) = fv.finish_reuse();
        r?;
        allocs = a;
    }
    Ok(())
}
