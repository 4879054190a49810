//! Numeric instructions (constants are handled in the dispatch).

use wvm_binary::NumOp;

use super::{FuncValidator, Result, Ty};

/// The signature of a numeric operator in packed types: one or two parameters, one result.
#[derive(Clone, Copy)]
struct NumSig {
    /// `[first, second]`; `second` is unused for unary operators.
    params: [Ty; 2],
    binary: bool,
    result: Ty,
}

impl NumSig {
    const fn new(params: &[Ty], result: Ty) -> NumSig {
        match params {
            [a] => NumSig {
                params: [*a, Ty::UNKNOWN],
                binary: false,
                result,
            },
            [a, b] => NumSig {
                params: [*a, *b],
                binary: true,
                result,
            },
            _ => panic!("numeric operators take one or two operands"),
        }
    }
}

/// Builds `num_sig` from the shared operator table (compile-time constants per arm).
macro_rules! define_num_sig {
    ($(($prefix:expr, $code:expr, $name:ident, $text:expr, [$($p:ident),*], $r:ident))*) => {
        #[inline]
        fn num_sig(op: NumOp) -> NumSig {
            match op {
                $(NumOp::$name => {
                    const SIG: NumSig = NumSig::new(&[$(Ty::$p),*], Ty::$r);
                    SIG
                })*
            }
        }
    };
}
wvm_binary::for_each_numeric_op!(define_num_sig);

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

    #[inline]
    pub(super) fn visit_numeric(&mut self, op: NumOp) -> Result<()> {
        if !self.ctx.all_numeric_ops {
            self.numeric_enabled(op)?;
        }
        let sig = num_sig(op);
        if sig.binary {
            self.pop_ty(sig.params[1])?;
        }
        self.pop_ty(sig.params[0])?;
        self.push_ty(sig.result)
    }
}
