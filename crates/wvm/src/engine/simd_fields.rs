//! Op fields of the SIMD ops: v128 slots (two cells) and the SIMD operator immediates.

use super::Field;
use core::fmt;
use wvm_binary::simd::{SimdLaneOp, SimdMemLaneOp, SimdMemOp, SimdOp};

/// The first of the two cells holding a `v128` (low half first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct V128Slot(pub u32);

/// The first of six consecutive cells: three `v128` operands (or a scalar and a `v128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct V128Args3(pub u32);

impl Field for V128Slot {
    fn remap(&mut self, f: &dyn Fn(u32) -> u32) {
        self.0 = f(self.0);
    }
    fn cells(self) -> Option<(u32, u32)> {
        Some((self.0, 2))
    }
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl Field for V128Args3 {
    fn remap(&mut self, f: &dyn Fn(u32) -> u32) {
        self.0 = f(self.0);
    }
    fn cells(self) -> Option<(u32, u32)> {
        Some((self.0, 6))
    }
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}..{}", self.0, self.0 as u64 + 6)
    }
}

macro_rules! named_field {
    ($($t:ty)*) => { $(impl Field for $t {
        fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.name()) }
    })* };
}
named_field!(SimdOp SimdLaneOp SimdMemOp SimdMemLaneOp);
