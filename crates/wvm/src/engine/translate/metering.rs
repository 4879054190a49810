//! Opt-in instrumentation: fuel charges (`ConsumeFuel`), interrupt checks (`CheckInterrupt`)
//! and NaN canonicalization (`CanonF32`/`CanonF64`, and `CanonF32x4`/`CanonF64x2` for SIMD
//! float lanes). With all three off (the default) the translator emits none of these ops. The fuel schedule is documented in `docs/fuel.md`.

use super::{ModuleCtx, Operand, Translator};
use crate::config::Config;
use crate::engine::execute::metering::BULK_UNITS_PER_FUEL_LOG2;
use crate::engine::ops::{Op, Slot, V128Slot};
use crate::error::Error;
use wvm_binary::simd::SimdOp;
use wvm_binary::{Instr, NumOp, ValType};

/// Which instrumentation the engine wants, and the charge being accumulated.
#[derive(Debug, Default)]
pub(super) struct Meter {
    fuel: bool,
    interrupt: bool,
    canon_nans: bool,
    /// The `ConsumeFuel` op that pays for the code being translated.
    fuel_op: Option<usize>,
}

impl Meter {
    pub(super) fn on(&self) -> bool {
        self.fuel || self.interrupt || self.canon_nans
    }
}

/// Fuel charged for a wasm instruction (see `docs/fuel.md`).
fn cost(instr: &Instr) -> u64 {
    match instr {
        // Structure markers: the instructions inside are charged.
        Instr::End | Instr::Else => 0,
        _ => 1,
    }
}

/// Bulk memory and table operations, which also pay per unit of their length operand.
fn is_bulk(instr: &Instr) -> bool {
    matches!(
        instr,
        Instr::MemoryFill(_)
            | Instr::MemoryCopy { .. }
            | Instr::MemoryInit { .. }
            | Instr::TableFill(_)
            | Instr::TableCopy { .. }
            | Instr::TableInit { .. }
    )
}

/// Fuel charged on entry to every function (on top of its first block).
const CALL_COST: u64 = 1;

/// Float ops whose NaN results depend on the hardware (arithmetic, rounding, conversions
/// between float types); sign manipulation and reinterpretation are bit-exact already.
fn needs_canon(op: NumOp) -> Option<ValType> {
    use NumOp::*;
    let r = op.result();
    if !matches!(r, ValType::F32 | ValType::F64) {
        return None;
    }
    match op {
        F32Abs | F32Neg | F32Copysign | F64Abs | F64Neg | F64Copysign => None,
        F32ReinterpretI32 | F64ReinterpretI64 => None,
        F32ConvertI32S | F32ConvertI32U | F32ConvertI64S | F32ConvertI64U => None,
        F64ConvertI32S | F64ConvertI32U | F64ConvertI64S | F64ConvertI64U => None,
        _ => Some(r),
    }
}

/// The lane type (`F32` for f32x4, `F64` for f64x2) of SIMD float ops whose NaN lanes may
/// carry a hardware-dependent payload, as for the scalar ops in [`needs_canon`]. Bit-exact
/// ones are left alone: `abs`, `neg`, `pmin`/`pmax` (which return one operand unchanged),
/// splats, lane replacement, int→float conversions and everything bitwise.
fn simd_needs_canon(op: SimdOp) -> Option<ValType> {
    use SimdOp::*;
    match op {
        F32x4Add | F32x4Sub | F32x4Mul | F32x4Div | F32x4Sqrt | F32x4Min | F32x4Max | F32x4Ceil
        | F32x4Floor | F32x4Trunc | F32x4Nearest | F32x4DemoteF64x2Zero => Some(ValType::F32),
        F64x2Add | F64x2Sub | F64x2Mul | F64x2Div | F64x2Sqrt | F64x2Min | F64x2Max | F64x2Ceil
        | F64x2Floor | F64x2Trunc | F64x2Nearest | F64x2PromoteLowF32x4 => Some(ValType::F64),
        _ => None,
    }
}

impl Translator {
    /// A translator for an engine with `config`.
    pub(crate) fn for_config(config: &Config) -> Self {
        Translator {
            meter: Meter {
                fuel: config.consume_fuel,
                interrupt: config.interruptible,
                canon_nans: config.canonicalize_nans,
                fuel_op: None,
            },
            ..Translator::default()
        }
    }

    /// Emits the function entry's interrupt check and fuel charge.
    pub(super) fn meter_entry(&mut self) {
        self.meter.fuel_op = None;
        if self.meter.interrupt {
            self.emit(Op::CheckInterrupt {});
        }
        if self.meter.fuel {
            self.fuel_point();
            self.charge(CALL_COST);
        }
    }

    /// Starts a new basic block's charge (a `ConsumeFuel` op whose amount grows as
    /// instructions are translated).
    fn fuel_point(&mut self) {
        if !self.meter.fuel {
            return;
        }
        // A charge of 0 that is the last op (e.g. the `end` of a block right before the `end`
        // of the enclosing one) can pay for the new block instead: whatever lands on it would
        // run it and then the new charge, which is the same.
        if let Some(i) = self.meter.fuel_op {
            if i + 1 == self.ops.len() && matches!(self.ops[i], Op::ConsumeFuel { amount: 0 }) {
                return;
            }
        }
        let at = self.emit(Op::ConsumeFuel { amount: 0 });
        self.meter.fuel_op = Some(at);
    }

    fn charge(&mut self, n: u64) {
        if let Some(Op::ConsumeFuel { amount }) =
            self.meter.fuel_op.and_then(|i| self.ops.get_mut(i))
        {
            *amount = amount.saturating_add(n);
        }
    }

    /// Charges the length operand (top of the stack) of a bulk operation: statically for a
    /// constant, with a `ConsumeFuelBytes` op before the operation otherwise.
    fn charge_bulk_length(&mut self) {
        let h = self.stack.len().saturating_sub(1);
        let len = match self.stack.last() {
            Some(Operand::Const(c)) => {
                let n = (*c as u32 as u64) >> BULK_UNITS_PER_FUEL_LOG2;
                self.charge(n);
                return;
            }
            Some(Operand::Local(l)) => Slot(*l),
            Some(Operand::Temp) => self.slot_at(h),
            None => return,
        };
        self.emit(Op::ConsumeFuelBytes { len });
    }

    /// Code became reachable again at a label (`else`/`end` after unreachable code).
    pub(super) fn meter_landing(&mut self) {
        self.fuel_point();
    }

    /// Translates a reachable instruction with instrumentation around it.
    pub(super) fn visit_metered(
        &mut self,
        ctx: &ModuleCtx<'_>,
        instr: &Instr,
    ) -> Result<(), Error> {
        self.charge(cost(instr));
        if self.meter.fuel && is_bulk(instr) {
            self.charge_bulk_length();
        }
        self.visit_reachable(ctx, instr)?;
        if !self.reachable {
            return Ok(());
        }
        match instr {
            Instr::Loop(_) => {
                // Back edges land here: check for interrupts, then charge the body.
                if self.meter.interrupt {
                    self.emit(Op::CheckInterrupt {});
                }
                self.fuel_point();
            }
            // Only where control can land from elsewhere or is conditional: not after `block`
            // (nothing jumps to a block's start) nor after calls (the code after a call is
            // paid with the code before it, like the rest of a block after a `br_if`).
            Instr::If(_) | Instr::Else | Instr::End => self.fuel_point(),
            Instr::Simd(op) if self.meter.canon_nans => {
                let len = self.stack.len();
                if let (Some(ty), Some([Operand::Temp, Operand::Temp])) =
                    (simd_needs_canon(*op), self.stack.get(len.wrapping_sub(2)..))
                {
                    let reg = V128Slot(self.slot_at(len - 2).0);
                    self.emit(if ty == ValType::F32 {
                        Op::CanonF32x4 { reg }
                    } else {
                        Op::CanonF64x2 { reg }
                    });
                }
            }
            Instr::Numeric(op) if self.meter.canon_nans => {
                if let (Some(ty), Some(Operand::Temp)) = (needs_canon(*op), self.stack.last()) {
                    let reg = self.slot_at(self.stack.len() - 1);
                    self.emit(if ty == ValType::F32 {
                        Op::CanonF32 { reg }
                    } else {
                        Op::CanonF64 { reg }
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }
}
