//! The operand stack's compact type: a [`ValType`] (or the unknown type of unreachable
//! code) packed into one `u64`, so that pushing, popping and comparing cost one word.

use wvm_binary::{HeapType, RefType, ValType};

/// A packed operand type.
///
/// Layout: bits 0..8 the kind (0 = unknown, then i32, i64, f32, f64, v128, ref); for
/// references bit 8 is the nullability, bits 16..24 the heap type and bits 32..64 the
/// type index of a concrete heap type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub(crate) struct Ty(u64);

const KIND_REF: u64 = 6;

impl Ty {
    /// The unknown type: the operand of a polymorphic (unreachable) stack.
    pub(crate) const UNKNOWN: Ty = Ty(0);
    pub(crate) const I32: Ty = Ty(1);
    pub(crate) const I64: Ty = Ty(2);
    pub(crate) const F32: Ty = Ty(3);
    pub(crate) const F64: Ty = Ty(4);
    pub(crate) const V128: Ty = Ty(5);

    #[inline]
    pub(crate) const fn from_val(t: ValType) -> Ty {
        match t {
            ValType::I32 => Ty::I32,
            ValType::I64 => Ty::I64,
            ValType::F32 => Ty::F32,
            ValType::F64 => Ty::F64,
            ValType::V128 => Ty::V128,
            ValType::Ref(r) => Ty::from_ref(r),
        }
    }

    #[inline]
    const fn from_ref(r: RefType) -> Ty {
        let (heap, idx): (u64, u64) = match r.heap {
            HeapType::Func => (0, 0),
            HeapType::Extern => (1, 0),
            HeapType::Concrete(i) => (2, i as u64),
            HeapType::Any => (3, 0),
            HeapType::Eq => (4, 0),
            HeapType::I31 => (5, 0),
            HeapType::Struct => (6, 0),
            HeapType::Array => (7, 0),
            HeapType::None => (8, 0),
            HeapType::NoFunc => (9, 0),
            HeapType::NoExtern => (10, 0),
            HeapType::Exn => (11, 0),
            HeapType::NoExn => (12, 0),
        };
        Ty(KIND_REF | ((r.nullable as u64) << 8) | (heap << 16) | (idx << 32))
    }

    /// The value type, or `None` for the unknown type.
    pub(crate) fn to_val(self) -> Option<ValType> {
        Some(match self.0 & 0xff {
            1 => ValType::I32,
            2 => ValType::I64,
            3 => ValType::F32,
            4 => ValType::F64,
            5 => ValType::V128,
            KIND_REF => {
                let heap = match (self.0 >> 16) & 0xff {
                    0 => HeapType::Func,
                    1 => HeapType::Extern,
                    2 => HeapType::Concrete((self.0 >> 32) as u32),
                    3 => HeapType::Any,
                    4 => HeapType::Eq,
                    5 => HeapType::I31,
                    6 => HeapType::Struct,
                    7 => HeapType::Array,
                    8 => HeapType::None,
                    9 => HeapType::NoFunc,
                    10 => HeapType::NoExtern,
                    11 => HeapType::Exn,
                    _ => HeapType::NoExn,
                };
                ValType::Ref(RefType {
                    nullable: (self.0 >> 8) & 1 == 1,
                    heap,
                })
            }
            _ => return None,
        })
    }

    #[inline]
    pub(crate) fn is_unknown(self) -> bool {
        self.0 == 0
    }

    #[inline]
    pub(crate) fn is_ref(self) -> bool {
        self.0 & 0xff == KIND_REF
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_kind() {
        let heaps = [
            HeapType::Func,
            HeapType::Extern,
            HeapType::Concrete(0),
            HeapType::Concrete(u32::MAX),
            HeapType::Any,
            HeapType::Eq,
            HeapType::I31,
            HeapType::Struct,
            HeapType::Array,
            HeapType::None,
            HeapType::NoFunc,
            HeapType::NoExtern,
            HeapType::Exn,
            HeapType::NoExn,
        ];
        let mut all = vec![
            ValType::I32,
            ValType::I64,
            ValType::F32,
            ValType::F64,
            ValType::V128,
        ];
        for h in heaps {
            for nullable in [true, false] {
                all.push(ValType::Ref(RefType { nullable, heap: h }));
            }
        }
        for (i, a) in all.iter().enumerate() {
            let t = Ty::from_val(*a);
            assert_eq!(t.to_val(), Some(*a));
            assert!(!t.is_unknown());
            assert_eq!(t.is_ref(), a.is_ref());
            for (j, b) in all.iter().enumerate() {
                assert_eq!(t == Ty::from_val(*b), i == j, "{a} vs {b}");
            }
        }
        assert_eq!(Ty::UNKNOWN.to_val(), None);
    }
}
