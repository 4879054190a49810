//! The SIMD (0xFD prefix) operator tables.
//!
//! Like the scalar numeric operators, each SIMD operator is listed once with its opcode,
//! text name and signature; every consumer (decoder, encoder, validator, printer, engine)
//! is generated from or reads these lists.

use crate::types::ValType;

/// `(opcode, Variant, "text.name", [param types], result type)` for SIMD operators without
/// immediates.
#[macro_export]
macro_rules! for_each_simd_op {
    ($m:ident) => {
        $m! {
            (0x0e, I8x16Swizzle, "i8x16.swizzle", [V128, V128], V128)
            (0x0f, I8x16Splat, "i8x16.splat", [I32], V128)
            // TODO(decoder): complete the full Wasm 2.0 SIMD operator list.
        }
    };
}

/// `(opcode, Variant, "text.name", bytes accessed, is_store)` for SIMD loads and stores with a
/// memarg.
#[macro_export]
macro_rules! for_each_simd_mem_op {
    ($m:ident) => {
        $m! {
            (0x00, V128Load, "v128.load", 16, false)
            (0x0b, V128Store, "v128.store", 16, true)
            // TODO(decoder): complete.
        }
    };
}

/// `(opcode, Variant, "text.name", lane count, [param types], result type)` for lane ops.
#[macro_export]
macro_rules! for_each_simd_lane_op {
    ($m:ident) => {
        $m! {
            (0x15, I8x16ExtractLaneS, "i8x16.extract_lane_s", 16, [V128], I32)
            // TODO(decoder): complete.
        }
    };
}

/// `(opcode, Variant, "text.name", bytes accessed, is_store)` for `v128.loadN_lane` /
/// `v128.storeN_lane` (memarg plus lane index).
#[macro_export]
macro_rules! for_each_simd_mem_lane_op {
    ($m:ident) => {
        $m! {
            (0x54, V128Load8Lane, "v128.load8_lane", 1, false)
            // TODO(decoder): complete.
        }
    };
}

macro_rules! define_simd_op {
    ($(($code:expr, $name:ident, $text:expr, [$($p:ident),*], $r:ident))*) => {
        /// A SIMD operator without immediates.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum SimdOp { $($name,)* }
        impl SimdOp {
            pub const ALL: &'static [SimdOp] = &[$(SimdOp::$name,)*];
            pub fn opcode(self) -> u32 { match self { $(SimdOp::$name => $code,)* } }
            pub fn from_opcode(code: u32) -> Option<SimdOp> {
                match code { $($code => Some(SimdOp::$name),)* _ => None }
            }
            pub fn name(self) -> &'static str { match self { $(SimdOp::$name => $text,)* } }
            pub fn from_name(name: &str) -> Option<SimdOp> {
                match name { $($text => Some(SimdOp::$name),)* _ => None }
            }
            pub fn params(self) -> &'static [ValType] {
                match self { $(SimdOp::$name => &[$(ValType::$p),*],)* }
            }
            pub fn result(self) -> ValType { match self { $(SimdOp::$name => ValType::$r,)* } }
        }
    };
}
for_each_simd_op!(define_simd_op);

macro_rules! define_simd_mem_op {
    ($enum:ident, $doc:expr, $(($code:expr, $name:ident, $text:expr, $bytes:expr, $store:expr))*) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $enum { $($name,)* }
        impl $enum {
            pub const ALL: &'static [$enum] = &[$($enum::$name,)*];
            pub fn opcode(self) -> u32 { match self { $($enum::$name => $code,)* } }
            pub fn from_opcode(code: u32) -> Option<$enum> {
                match code { $($code => Some($enum::$name),)* _ => None }
            }
            pub fn name(self) -> &'static str { match self { $($enum::$name => $text,)* } }
            pub fn from_name(name: &str) -> Option<$enum> {
                match name { $($text => Some($enum::$name),)* _ => None }
            }
            /// Bytes of memory accessed; the largest valid alignment is its log2.
            pub fn bytes(self) -> u32 { match self { $($enum::$name => $bytes,)* } }
            pub fn natural_align(self) -> u32 { self.bytes().trailing_zeros() }
            pub fn is_store(self) -> bool { match self { $($enum::$name => $store,)* } }
        }
    };
}
macro_rules! define_simd_mem {
    ($($t:tt)*) => { define_simd_mem_op!(SimdMemOp, "A SIMD load or store.", $($t)*); };
}
macro_rules! define_simd_mem_lane {
    ($($t:tt)*) => {
        define_simd_mem_op!(SimdMemLaneOp, "A SIMD lane load or store.", $($t)*);
    };
}
for_each_simd_mem_op!(define_simd_mem);
for_each_simd_mem_lane_op!(define_simd_mem_lane);

macro_rules! define_simd_lane_op {
    ($(($code:expr, $name:ident, $text:expr, $lanes:expr, [$($p:ident),*], $r:ident))*) => {
        /// A SIMD lane extract or replace (lane index immediate).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum SimdLaneOp { $($name,)* }
        impl SimdLaneOp {
            pub const ALL: &'static [SimdLaneOp] = &[$(SimdLaneOp::$name,)*];
            pub fn opcode(self) -> u32 { match self { $(SimdLaneOp::$name => $code,)* } }
            pub fn from_opcode(code: u32) -> Option<SimdLaneOp> {
                match code { $($code => Some(SimdLaneOp::$name),)* _ => None }
            }
            pub fn name(self) -> &'static str { match self { $(SimdLaneOp::$name => $text,)* } }
            pub fn from_name(name: &str) -> Option<SimdLaneOp> {
                match name { $($text => Some(SimdLaneOp::$name),)* _ => None }
            }
            /// Number of lanes: valid lane indices are `0..lanes`.
            pub fn lanes(self) -> u8 { match self { $(SimdLaneOp::$name => $lanes,)* } }
            pub fn params(self) -> &'static [ValType] {
                match self { $(SimdLaneOp::$name => &[$(ValType::$p),*],)* }
            }
            pub fn result(self) -> ValType { match self { $(SimdLaneOp::$name => ValType::$r,)* } }
        }
    };
}
for_each_simd_lane_op!(define_simd_lane_op);
