//! SIMD (128-bit vector) instructions. Rejected unless `Features::simd` is on.

use wvm_binary::simd::{SimdLaneOp, SimdMemLaneOp, SimdMemOp, SimdOp};
use wvm_binary::{MemArg, ValType};

use super::{FuncValidator, Result};
use crate::module::SIMD_DISABLED;

impl FuncValidator<'_> {
    #[inline]
    fn simd_enabled(&self) -> Result<()> {
        if self.ctx.features.simd {
            Ok(())
        } else {
            Err(self.err(SIMD_DISABLED))
        }
    }

    pub(super) fn visit_v128_const(&mut self) -> Result<()> {
        self.simd_enabled()?;
        self.push(ValType::V128)
    }

    pub(super) fn visit_i8x16_shuffle(&mut self, lanes: &[u8; 16]) -> Result<()> {
        self.simd_enabled()?;
        if lanes.iter().any(|l| *l >= 32) {
            return Err(self.err("invalid lane index"));
        }
        self.pop(ValType::V128)?;
        self.pop(ValType::V128)?;
        self.push(ValType::V128)
    }

    pub(super) fn visit_simd(&mut self, op: SimdOp) -> Result<()> {
        self.simd_enabled()?;
        self.pop_slice(op.params())?;
        self.push(op.result())
    }

    pub(super) fn visit_simd_mem(&mut self, op: SimdMemOp, m: &MemArg) -> Result<()> {
        self.simd_enabled()?;
        let addr = self.check_memarg(m, op.natural_align())?;
        if op.is_store() {
            self.pop(ValType::V128)?;
            self.pop(addr)
        } else {
            self.pop(addr)?;
            self.push(ValType::V128)
        }
    }

    pub(super) fn visit_simd_lane(&mut self, op: SimdLaneOp, lane: u8) -> Result<()> {
        self.simd_enabled()?;
        if lane >= op.lanes() {
            return Err(self.err("invalid lane index"));
        }
        self.pop_slice(op.params())?;
        self.push(op.result())
    }

    pub(super) fn visit_simd_mem_lane(
        &mut self,
        op: SimdMemLaneOp,
        m: &MemArg,
        lane: u8,
    ) -> Result<()> {
        self.simd_enabled()?;
        let addr = self.check_memarg(m, op.natural_align())?;
        let lanes = 16 / op.bytes().max(1);
        if u32::from(lane) >= lanes {
            return Err(self.err("invalid lane index"));
        }
        self.pop(ValType::V128)?;
        self.pop(addr)?;
        if op.is_store() {
            Ok(())
        } else {
            self.push(ValType::V128)
        }
    }
}
