//! The internal instruction set ("ops") the translator produces and the executor runs.
//!
//! Every op is listed once in `for_each_op!` (`engine/op_list.rs`); this file derives from
//! that list the [`Op`] enum, its disassembly and a few structural queries the translator
//! needs (which slot an op writes, which branch offset it carries). The executor's dispatch
//! is derived from the same list in `execute/mod.rs`.
//!
//! Naming: `i32_add` reads two slots, `i32_add_imm` a slot and an immediate; `br_if_i32_lt_s`
//! is a compare fused with a conditional branch.

use crate::error::TrapCode;
use core::fmt;
pub use simd_fields::{V128Args3, V128Slot};
use wvm_binary::simd::{SimdLaneOp, SimdMemLaneOp, SimdMemOp, SimdOp};

#[path = "simd_fields.rs"]
mod simd_fields;

/// A frame cell index: the frame is `[params | locals | temporaries]`, 8 bytes per cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot(pub u32);

/// An operand read from the executor's accumulator (the value the previous op wrote), not
/// from a frame cell: the op variants named `*_acc` have such a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Acc;

impl Field for Acc {
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("acc")
    }
}

/// A frame cell index below 65536, for ops that pack several slots (`copy2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot16(pub u16);

impl From<Slot16> for Slot {
    #[inline(always)]
    fn from(s: Slot16) -> Slot {
        Slot(s.0 as u32)
    }
}

impl Field for Slot16 {
    /// Never called in practice: ops with these fields are made after the final slot
    /// layout (`translate/fuse.rs`). A slot that no longer fits becomes `u16::MAX`, which
    /// `CompiledFunc::verify` then finds outside the frame (an error, not a wrong access).
    fn remap(&mut self, f: &dyn Fn(u32) -> u32) {
        self.0 = u16::try_from(f(self.0 as u32)).unwrap_or(u16::MAX);
    }
    fn cells(self) -> Option<(u32, u32)> {
        Some((self.0 as u32, 1))
    }
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// The first of two consecutive operand slots (bulk operations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Args2(pub u32);

/// The first of three consecutive operand slots (bulk operations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Args3(pub u32);

/// An op field: how it prints and which frame cells it needs.
pub(crate) trait Field: Copy {
    /// Number of cells from `self` on that must lie inside the frame, and the first one.
    fn cells(self) -> Option<(u32, u32)> {
        None
    }
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    /// Renumbers frame cells (the translator's final slot layout pass).
    fn remap(&mut self, _f: &dyn Fn(u32) -> u32) {}
}

impl Field for Slot {
    fn remap(&mut self, f: &dyn Fn(u32) -> u32) {
        self.0 = f(self.0);
    }
    fn cells(self) -> Option<(u32, u32)> {
        Some((self.0, 1))
    }
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}
impl Field for Args2 {
    fn remap(&mut self, f: &dyn Fn(u32) -> u32) {
        self.0 = f(self.0);
    }
    fn cells(self) -> Option<(u32, u32)> {
        Some((self.0, 2))
    }
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}..{}", self.0, self.0 as u64 + 2)
    }
}
impl Field for Args3 {
    fn remap(&mut self, f: &dyn Fn(u32) -> u32) {
        self.0 = f(self.0);
    }
    fn cells(self) -> Option<(u32, u32)> {
        Some((self.0, 3))
    }
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}..{}", self.0, self.0 as u64 + 3)
    }
}
impl Field for TrapCode {
    fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.message())
    }
}
macro_rules! plain_field {
    ($($t:ty)*) => { $(impl Field for $t {
        fn show(self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{}", self) }
    })* };
}
plain_field!(u32 i32 u64 u8);

/// `Some(dst)` if the field list contains `dst`. Each field is passed twice: once to match
/// the name literally, once as the binding to return (macro hygiene).
macro_rules! find_dst {
    () => { None };
    (dst $v:ident $($rest:ident)*) => { Some($v) };
    ($other:ident $v:ident $($rest:ident)*) => { { let _ = $v; find_dst!($($rest)*) } };
}

/// `Some(target)` if the field list contains `target` (fields passed twice, as above).
macro_rules! find_target {
    () => { None };
    (target $v:ident $($rest:ident)*) => { Some($v) };
    ($other:ident $v:ident $($rest:ident)*) => { { let _ = $v; find_target!($($rest)*) } };
}

macro_rules! define_ops {
    ($(($name:ident, $snake:ident, $doc:literal, { $($field:ident : $fty:ty),* }))*) => {
        /// One internal op. Its fields are described by the op's doc line (see the naming
        /// conventions at the top of this module).
        #[allow(missing_docs)]
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Op {
            $(
                #[doc = $doc]
                $name { $($field: $fty),* },
            )*
        }

        impl Op {
            /// Number of distinct ops (variants of [`Op`]).
            #[allow(dead_code)]
            pub(crate) const COUNT: usize = [$(stringify!($snake)),*].len();

            /// The op's position in the op list, below [`Op::COUNT`] (the threaded dispatch
            /// indexes its handler table with it). Compiles to a load of the discriminant.
            #[allow(dead_code)]
            #[inline(always)]
            pub(crate) fn tag(&self) -> usize {
                #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
                #[repr(u16)]
                enum Tag { $($name,)* }
                match self { $(Op::$name { .. } => Tag::$name as usize,)* }
            }

            /// The op's name as the disassembler prints it.
            pub fn name(&self) -> &'static str {
                match self { $(Op::$name { .. } => stringify!($snake),)* }
            }

            /// The slot this op writes as its single result, if it has one the translator may
            /// retarget.
            #[allow(unused_variables)]
            pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
                match self { $(Op::$name { $($field),* } => find_dst!($($field $field)*),)* }
            }

            /// True for the ops after which the threaded backend checks the native stack
            /// before dispatching (see `execute/threaded.rs`): every op that can move `pc`
            /// anywhere but to the next op (branches, calls, returns), the metering ops and
            /// [`Op::StackGuard`], which the translator places so that runs of ops without a
            /// check stay short (see [`STACK_GUARD_SPAN`]). Any loop or recursion therefore
            /// passes a check on every round. The list is in `op_props.rs`.
            #[inline]
            pub(crate) fn checks_stack(&self) -> bool {
                match self { $(Op::$name { .. } => checks_stack!($name; $($field)*),)* }
            }

            /// True if the op is a branch (has a `target`): a cheap test (a table lookup)
            /// before [`Op::target_mut`].
            #[inline(always)]
            pub(crate) fn has_target(&self) -> bool {
                const HAS_TARGET: [bool; Op::COUNT] = [$(has_target!($($field)*),)*];
                HAS_TARGET[self.tag()]
            }

            /// The branch offset of this op, if it is a branch.
            #[allow(unused_variables)]
            pub(crate) fn target_mut(&mut self) -> Option<&mut i32> {
                match self { $(Op::$name { $($field),* } => find_target!($($field $field)*),)* }
            }

            /// Renumbers every frame cell the op refers to.
            pub(crate) fn remap_slots(&mut self, f: &dyn Fn(u32) -> u32) {
                match self {
                    $(Op::$name { $($field),* } => {
                        $( Field::remap($field, f); )*
                    })*
                }
            }

            /// Every frame-cell range the op reads or writes, as `(first, count)`.
            pub(crate) fn for_each_cells(&self, mut f: impl FnMut(u32, u32)) {
                match *self {
                    $(Op::$name { $($field),* } => {
                        $( if let Some((s, n)) = Field::cells($field) { f(s, n) } )*
                    })*
                }
            }
        }

        impl fmt::Display for Op {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match *self {
                    $(Op::$name { $($field),* } => {
                        f.write_str(stringify!($snake))?;
                        $(
                            write!(f, " {}=", stringify!($field))?;
                            Field::show($field, f)?;
                        )*
                        Ok(())
                    })*
                }
            }
        }
    };
}
for_each_op!(define_ops);

/// One op as a compiled function stores it.
///
/// With the threaded dispatch backend each op carries the address of its handler in front of
/// its fields (direct threading): dispatching the next op is then one load-and-jump through
/// `pc`, with no tag load and no handler table lookup. The portable backend matches on the op
/// itself and stores nothing else.
///
/// A branch's `target` is stored in bytes (ops times [`CompiledOp::SIZE`]), so that a taken
/// branch adds it to `pc` without a multiplication; [`CompiledOp::op`] gives the op as the
/// translator made it, with `target` in ops.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct CompiledOp {
    #[cfg(all(wvm_threaded, not(miri)))]
    pub(crate) handler: crate::engine::execute::Handler,
    /// The op, its `target` (if any) in bytes.
    pub(crate) op: Op,
}

impl CompiledOp {
    /// Size in bytes of one compiled op: the unit of the stored branch offsets.
    pub(crate) const SIZE: i32 = core::mem::size_of::<CompiledOp>() as i32;

    /// `op` with its handler and its branch offset in bytes; `None` if that offset does
    /// not fit in an `i32` (a branch over more than about 89 million ops).
    #[inline]
    pub(crate) fn new(mut op: Op) -> Option<CompiledOp> {
        if op.has_target() {
            if let Some(t) = op.target_mut() {
                *t = t.checked_mul(Self::SIZE)?;
            }
        }
        Some(CompiledOp {
            #[cfg(all(wvm_threaded, not(miri)))]
            handler: crate::engine::execute::handler_of(&op),
            op,
        })
    }

    /// The op as the translator made it (branch offset in ops).
    pub(crate) fn op(&self) -> Op {
        let mut op = self.op;
        if op.has_target() {
            if let Some(t) = op.target_mut() {
                *t /= Self::SIZE;
            }
        }
        op
    }
}

impl fmt::Debug for CompiledOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.op(), f)
    }
}

/// How many ops the translator lets pass without one that [checks the native
/// stack](Op::checks_stack): once a run reaches this length it puts a `stack_guard` before
/// the next instruction's ops, so no run is longer than this plus one instruction's ops.
pub(crate) const STACK_GUARD_SPAN: usize = 256;

impl Op {
    /// True for ops after which execution never falls through to the next op.
    pub(crate) fn is_terminal(&self) -> bool {
        matches!(
            self,
            Op::Return {}
                | Op::ReturnSlot { .. }
                | Op::ReturnSlotAcc { .. }
                | Op::Br { .. }
                | Op::CopyBr { .. }
                | Op::Copy2Br { .. }
                | Op::Trap { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_is_at_most_16_bytes() {
        assert!(
            core::mem::size_of::<Op>() <= 16,
            "{}",
            core::mem::size_of::<Op>()
        );
    }

    #[test]
    fn a_compiled_op_is_the_op_plus_at_most_a_handler_address() {
        let size = core::mem::size_of::<CompiledOp>();
        assert!(size <= 16 + core::mem::size_of::<usize>(), "{size}");
        let op = Op::I32Add {
            dst: Slot(3),
            lhs: Slot(1),
            rhs: Slot(2),
        };
        assert_eq!(CompiledOp::new(op).map(|c| c.op()), Some(op));
        // Branch offsets are stored in bytes and read back in ops.
        let br = Op::BrIfEqz {
            cond: Slot(0),
            target: -3,
        };
        let c = CompiledOp::new(br).unwrap();
        assert_eq!(
            c.op,
            Op::BrIfEqz {
                cond: Slot(0),
                target: -3 * CompiledOp::SIZE
            }
        );
        assert_eq!(c.op(), br);
        assert!(CompiledOp::new(Op::Br {
            target: i32::MAX / 2
        })
        .is_none());
    }

    #[test]
    fn dst_and_target_are_found() {
        let mut op = Op::I32Add {
            dst: Slot(3),
            lhs: Slot(1),
            rhs: Slot(2),
        };
        *op.dst_mut().unwrap() = Slot(7);
        assert_eq!(
            op,
            Op::I32Add {
                dst: Slot(7),
                lhs: Slot(1),
                rhs: Slot(2)
            }
        );
        assert!(op.target_mut().is_none());
        let mut br = Op::BrIfI32LtSImm {
            lhs: Slot(0),
            imm: 5,
            target: 1,
        };
        *br.target_mut().unwrap() = -4;
        assert_eq!(br.to_string(), "br_if_i32_lt_s_imm lhs=s0 imm=5 target=-4");
        assert!(br.dst_mut().is_none());
        let mut sel = Op::Select {
            acc: Slot(0),
            b: Slot(1),
            cond: Slot(2),
        };
        assert!(sel.dst_mut().is_none(), "select's result is also an input");
        let mut cells = Vec::new();
        Op::MemoryFill {
            args: Args3(4),
            mem: 0,
        }
        .for_each_cells(|s, n| cells.push((s, n)));
        assert_eq!(cells, vec![(4, 3)]);
    }
}
