//! The WebAssembly instruction set as plain Rust data (the seed's wasm-util `ast`).
//!
//! Instructions without immediates that only compute on values (numeric, comparison and
//! conversion operators) are listed once in
//! [`for_each_numeric_op!`](crate::for_each_numeric_op), together with their binary opcode,
//! text name and signature. The decoder, encoder, validator, printer and the engine's
//! translator all read that one table; none of them repeats an opcode or a name. Loads and
//! stores likewise come from [`for_each_load_op!`](crate::for_each_load_op) /
//! [`for_each_store_op!`](crate::for_each_store_op).

use crate::types::{HeapType, ValType};

/// Lists every numeric operator (no immediates) as
/// `(prefix, opcode, Variant, "text.name", [param types], result type)`.
/// `prefix` is `0` for single-byte opcodes and `0xFC` for the saturating truncations.
#[macro_export]
macro_rules! for_each_numeric_op {
    ($m:ident) => {
        $m! {
            (0, 0x45, I32Eqz, "i32.eqz", [I32], I32)
            (0, 0x46, I32Eq, "i32.eq", [I32, I32], I32)
            (0, 0x47, I32Ne, "i32.ne", [I32, I32], I32)
            (0, 0x48, I32LtS, "i32.lt_s", [I32, I32], I32)
            (0, 0x49, I32LtU, "i32.lt_u", [I32, I32], I32)
            (0, 0x4a, I32GtS, "i32.gt_s", [I32, I32], I32)
            (0, 0x4b, I32GtU, "i32.gt_u", [I32, I32], I32)
            (0, 0x4c, I32LeS, "i32.le_s", [I32, I32], I32)
            (0, 0x4d, I32LeU, "i32.le_u", [I32, I32], I32)
            (0, 0x4e, I32GeS, "i32.ge_s", [I32, I32], I32)
            (0, 0x4f, I32GeU, "i32.ge_u", [I32, I32], I32)
            (0, 0x50, I64Eqz, "i64.eqz", [I64], I32)
            (0, 0x51, I64Eq, "i64.eq", [I64, I64], I32)
            (0, 0x52, I64Ne, "i64.ne", [I64, I64], I32)
            (0, 0x53, I64LtS, "i64.lt_s", [I64, I64], I32)
            (0, 0x54, I64LtU, "i64.lt_u", [I64, I64], I32)
            (0, 0x55, I64GtS, "i64.gt_s", [I64, I64], I32)
            (0, 0x56, I64GtU, "i64.gt_u", [I64, I64], I32)
            (0, 0x57, I64LeS, "i64.le_s", [I64, I64], I32)
            (0, 0x58, I64LeU, "i64.le_u", [I64, I64], I32)
            (0, 0x59, I64GeS, "i64.ge_s", [I64, I64], I32)
            (0, 0x5a, I64GeU, "i64.ge_u", [I64, I64], I32)
            (0, 0x5b, F32Eq, "f32.eq", [F32, F32], I32)
            (0, 0x5c, F32Ne, "f32.ne", [F32, F32], I32)
            (0, 0x5d, F32Lt, "f32.lt", [F32, F32], I32)
            (0, 0x5e, F32Gt, "f32.gt", [F32, F32], I32)
            (0, 0x5f, F32Le, "f32.le", [F32, F32], I32)
            (0, 0x60, F32Ge, "f32.ge", [F32, F32], I32)
            (0, 0x61, F64Eq, "f64.eq", [F64, F64], I32)
            (0, 0x62, F64Ne, "f64.ne", [F64, F64], I32)
            (0, 0x63, F64Lt, "f64.lt", [F64, F64], I32)
            (0, 0x64, F64Gt, "f64.gt", [F64, F64], I32)
            (0, 0x65, F64Le, "f64.le", [F64, F64], I32)
            (0, 0x66, F64Ge, "f64.ge", [F64, F64], I32)
            (0, 0x67, I32Clz, "i32.clz", [I32], I32)
            (0, 0x68, I32Ctz, "i32.ctz", [I32], I32)
            (0, 0x69, I32Popcnt, "i32.popcnt", [I32], I32)
            (0, 0x6a, I32Add, "i32.add", [I32, I32], I32)
            (0, 0x6b, I32Sub, "i32.sub", [I32, I32], I32)
            (0, 0x6c, I32Mul, "i32.mul", [I32, I32], I32)
            (0, 0x6d, I32DivS, "i32.div_s", [I32, I32], I32)
            (0, 0x6e, I32DivU, "i32.div_u", [I32, I32], I32)
            (0, 0x6f, I32RemS, "i32.rem_s", [I32, I32], I32)
            (0, 0x70, I32RemU, "i32.rem_u", [I32, I32], I32)
            (0, 0x71, I32And, "i32.and", [I32, I32], I32)
            (0, 0x72, I32Or, "i32.or", [I32, I32], I32)
            (0, 0x73, I32Xor, "i32.xor", [I32, I32], I32)
            (0, 0x74, I32Shl, "i32.shl", [I32, I32], I32)
            (0, 0x75, I32ShrS, "i32.shr_s", [I32, I32], I32)
            (0, 0x76, I32ShrU, "i32.shr_u", [I32, I32], I32)
            (0, 0x77, I32Rotl, "i32.rotl", [I32, I32], I32)
            (0, 0x78, I32Rotr, "i32.rotr", [I32, I32], I32)
            (0, 0x79, I64Clz, "i64.clz", [I64], I64)
            (0, 0x7a, I64Ctz, "i64.ctz", [I64], I64)
            (0, 0x7b, I64Popcnt, "i64.popcnt", [I64], I64)
            (0, 0x7c, I64Add, "i64.add", [I64, I64], I64)
            (0, 0x7d, I64Sub, "i64.sub", [I64, I64], I64)
            (0, 0x7e, I64Mul, "i64.mul", [I64, I64], I64)
            (0, 0x7f, I64DivS, "i64.div_s", [I64, I64], I64)
            (0, 0x80, I64DivU, "i64.div_u", [I64, I64], I64)
            (0, 0x81, I64RemS, "i64.rem_s", [I64, I64], I64)
            (0, 0x82, I64RemU, "i64.rem_u", [I64, I64], I64)
            (0, 0x83, I64And, "i64.and", [I64, I64], I64)
            (0, 0x84, I64Or, "i64.or", [I64, I64], I64)
            (0, 0x85, I64Xor, "i64.xor", [I64, I64], I64)
            (0, 0x86, I64Shl, "i64.shl", [I64, I64], I64)
            (0, 0x87, I64ShrS, "i64.shr_s", [I64, I64], I64)
            (0, 0x88, I64ShrU, "i64.shr_u", [I64, I64], I64)
            (0, 0x89, I64Rotl, "i64.rotl", [I64, I64], I64)
            (0, 0x8a, I64Rotr, "i64.rotr", [I64, I64], I64)
            (0, 0x8b, F32Abs, "f32.abs", [F32], F32)
            (0, 0x8c, F32Neg, "f32.neg", [F32], F32)
            (0, 0x8d, F32Ceil, "f32.ceil", [F32], F32)
            (0, 0x8e, F32Floor, "f32.floor", [F32], F32)
            (0, 0x8f, F32Trunc, "f32.trunc", [F32], F32)
            (0, 0x90, F32Nearest, "f32.nearest", [F32], F32)
            (0, 0x91, F32Sqrt, "f32.sqrt", [F32], F32)
            (0, 0x92, F32Add, "f32.add", [F32, F32], F32)
            (0, 0x93, F32Sub, "f32.sub", [F32, F32], F32)
            (0, 0x94, F32Mul, "f32.mul", [F32, F32], F32)
            (0, 0x95, F32Div, "f32.div", [F32, F32], F32)
            (0, 0x96, F32Min, "f32.min", [F32, F32], F32)
            (0, 0x97, F32Max, "f32.max", [F32, F32], F32)
            (0, 0x98, F32Copysign, "f32.copysign", [F32, F32], F32)
            (0, 0x99, F64Abs, "f64.abs", [F64], F64)
            (0, 0x9a, F64Neg, "f64.neg", [F64], F64)
            (0, 0x9b, F64Ceil, "f64.ceil", [F64], F64)
            (0, 0x9c, F64Floor, "f64.floor", [F64], F64)
            (0, 0x9d, F64Trunc, "f64.trunc", [F64], F64)
            (0, 0x9e, F64Nearest, "f64.nearest", [F64], F64)
            (0, 0x9f, F64Sqrt, "f64.sqrt", [F64], F64)
            (0, 0xa0, F64Add, "f64.add", [F64, F64], F64)
            (0, 0xa1, F64Sub, "f64.sub", [F64, F64], F64)
            (0, 0xa2, F64Mul, "f64.mul", [F64, F64], F64)
            (0, 0xa3, F64Div, "f64.div", [F64, F64], F64)
            (0, 0xa4, F64Min, "f64.min", [F64, F64], F64)
            (0, 0xa5, F64Max, "f64.max", [F64, F64], F64)
            (0, 0xa6, F64Copysign, "f64.copysign", [F64, F64], F64)
            (0, 0xa7, I32WrapI64, "i32.wrap_i64", [I64], I32)
            (0, 0xa8, I32TruncF32S, "i32.trunc_f32_s", [F32], I32)
            (0, 0xa9, I32TruncF32U, "i32.trunc_f32_u", [F32], I32)
            (0, 0xaa, I32TruncF64S, "i32.trunc_f64_s", [F64], I32)
            (0, 0xab, I32TruncF64U, "i32.trunc_f64_u", [F64], I32)
            (0, 0xac, I64ExtendI32S, "i64.extend_i32_s", [I32], I64)
            (0, 0xad, I64ExtendI32U, "i64.extend_i32_u", [I32], I64)
            (0, 0xae, I64TruncF32S, "i64.trunc_f32_s", [F32], I64)
            (0, 0xaf, I64TruncF32U, "i64.trunc_f32_u", [F32], I64)
            (0, 0xb0, I64TruncF64S, "i64.trunc_f64_s", [F64], I64)
            (0, 0xb1, I64TruncF64U, "i64.trunc_f64_u", [F64], I64)
            (0, 0xb2, F32ConvertI32S, "f32.convert_i32_s", [I32], F32)
            (0, 0xb3, F32ConvertI32U, "f32.convert_i32_u", [I32], F32)
            (0, 0xb4, F32ConvertI64S, "f32.convert_i64_s", [I64], F32)
            (0, 0xb5, F32ConvertI64U, "f32.convert_i64_u", [I64], F32)
            (0, 0xb6, F32DemoteF64, "f32.demote_f64", [F64], F32)
            (0, 0xb7, F64ConvertI32S, "f64.convert_i32_s", [I32], F64)
            (0, 0xb8, F64ConvertI32U, "f64.convert_i32_u", [I32], F64)
            (0, 0xb9, F64ConvertI64S, "f64.convert_i64_s", [I64], F64)
            (0, 0xba, F64ConvertI64U, "f64.convert_i64_u", [I64], F64)
            (0, 0xbb, F64PromoteF32, "f64.promote_f32", [F32], F64)
            (0, 0xbc, I32ReinterpretF32, "i32.reinterpret_f32", [F32], I32)
            (0, 0xbd, I64ReinterpretF64, "i64.reinterpret_f64", [F64], I64)
            (0, 0xbe, F32ReinterpretI32, "f32.reinterpret_i32", [I32], F32)
            (0, 0xbf, F64ReinterpretI64, "f64.reinterpret_i64", [I64], F64)
            (0, 0xc0, I32Extend8S, "i32.extend8_s", [I32], I32)
            (0, 0xc1, I32Extend16S, "i32.extend16_s", [I32], I32)
            (0, 0xc2, I64Extend8S, "i64.extend8_s", [I64], I64)
            (0, 0xc3, I64Extend16S, "i64.extend16_s", [I64], I64)
            (0, 0xc4, I64Extend32S, "i64.extend32_s", [I64], I64)
            (0xfc, 0x00, I32TruncSatF32S, "i32.trunc_sat_f32_s", [F32], I32)
            (0xfc, 0x01, I32TruncSatF32U, "i32.trunc_sat_f32_u", [F32], I32)
            (0xfc, 0x02, I32TruncSatF64S, "i32.trunc_sat_f64_s", [F64], I32)
            (0xfc, 0x03, I32TruncSatF64U, "i32.trunc_sat_f64_u", [F64], I32)
            (0xfc, 0x04, I64TruncSatF32S, "i64.trunc_sat_f32_s", [F32], I64)
            (0xfc, 0x05, I64TruncSatF32U, "i64.trunc_sat_f32_u", [F32], I64)
            (0xfc, 0x06, I64TruncSatF64S, "i64.trunc_sat_f64_s", [F64], I64)
            (0xfc, 0x07, I64TruncSatF64U, "i64.trunc_sat_f64_u", [F64], I64)
        }
    };
}

/// Lists every scalar load as `(opcode, Variant, "text.name", result type, bytes accessed)`.
#[macro_export]
macro_rules! for_each_load_op {
    ($m:ident) => {
        $m! {
            (0x28, I32Load, "i32.load", I32, 4)
            (0x29, I64Load, "i64.load", I64, 8)
            (0x2a, F32Load, "f32.load", F32, 4)
            (0x2b, F64Load, "f64.load", F64, 8)
            (0x2c, I32Load8S, "i32.load8_s", I32, 1)
            (0x2d, I32Load8U, "i32.load8_u", I32, 1)
            (0x2e, I32Load16S, "i32.load16_s", I32, 2)
            (0x2f, I32Load16U, "i32.load16_u", I32, 2)
            (0x30, I64Load8S, "i64.load8_s", I64, 1)
            (0x31, I64Load8U, "i64.load8_u", I64, 1)
            (0x32, I64Load16S, "i64.load16_s", I64, 2)
            (0x33, I64Load16U, "i64.load16_u", I64, 2)
            (0x34, I64Load32S, "i64.load32_s", I64, 4)
            (0x35, I64Load32U, "i64.load32_u", I64, 4)
        }
    };
}

/// Lists every scalar store as `(opcode, Variant, "text.name", value type, bytes accessed)`.
#[macro_export]
macro_rules! for_each_store_op {
    ($m:ident) => {
        $m! {
            (0x36, I32Store, "i32.store", I32, 4)
            (0x37, I64Store, "i64.store", I64, 8)
            (0x38, F32Store, "f32.store", F32, 4)
            (0x39, F64Store, "f64.store", F64, 8)
            (0x3a, I32Store8, "i32.store8", I32, 1)
            (0x3b, I32Store16, "i32.store16", I32, 2)
            (0x3c, I64Store8, "i64.store8", I64, 1)
            (0x3d, I64Store16, "i64.store16", I64, 2)
            (0x3e, I64Store32, "i64.store32", I64, 4)
        }
    };
}

macro_rules! define_numeric_op {
    ($(($prefix:expr, $code:expr, $name:ident, $text:expr, [$($p:ident),*], $r:ident))*) => {
        /// A numeric operator: no immediates, fixed signature.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum NumOp { $($name,)* }

        impl NumOp {
            /// Every numeric operator, in opcode order.
            pub const ALL: &'static [NumOp] = &[$(NumOp::$name,)*];

            /// `(prefix, opcode)`: prefix is 0 for one-byte opcodes, else `0xFC`.
            pub fn opcode(self) -> (u8, u32) {
                match self { $(NumOp::$name => ($prefix, $code),)* }
            }

            /// Looks an operator up by `(prefix, opcode)`.
            pub fn from_opcode(prefix: u8, code: u32) -> Option<NumOp> {
                match (prefix, code) { $(($prefix, $code) => Some(NumOp::$name),)* _ => None }
            }

            /// The text-format name, e.g. `"i32.add"`.
            pub fn name(self) -> &'static str {
                match self { $(NumOp::$name => $text,)* }
            }

            pub fn from_name(name: &str) -> Option<NumOp> {
                match name { $($text => Some(NumOp::$name),)* _ => None }
            }

            /// Parameter types (one or two).
            pub fn params(self) -> &'static [ValType] {
                match self { $(NumOp::$name => &[$(ValType::$p),*],)* }
            }

            pub fn result(self) -> ValType {
                match self { $(NumOp::$name => ValType::$r,)* }
            }
        }
    };
}
for_each_numeric_op!(define_numeric_op);

macro_rules! define_mem_op {
    ($enum:ident, $doc:expr, $(($code:expr, $name:ident, $text:expr, $ty:ident, $bytes:expr))*) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $enum { $($name,)* }

        impl $enum {
            pub const ALL: &'static [$enum] = &[$($enum::$name,)*];

            pub fn opcode(self) -> u8 {
                match self { $($enum::$name => $code,)* }
            }

            pub fn from_opcode(code: u8) -> Option<$enum> {
                match code { $($code => Some($enum::$name),)* _ => None }
            }

            pub fn name(self) -> &'static str {
                match self { $($enum::$name => $text,)* }
            }

            pub fn from_name(name: &str) -> Option<$enum> {
                match name { $($text => Some($enum::$name),)* _ => None }
            }

            /// The value type loaded or stored.
            pub fn val_type(self) -> ValType {
                match self { $($enum::$name => ValType::$ty,)* }
            }

            /// Bytes of memory accessed; the natural alignment is its log2.
            pub fn bytes(self) -> u32 {
                match self { $($enum::$name => $bytes,)* }
            }

            /// log2 of the natural alignment: the largest valid alignment immediate.
            pub fn natural_align(self) -> u32 {
                self.bytes().trailing_zeros()
            }
        }
    };
}
macro_rules! define_load_op {
    ($($t:tt)*) => { define_mem_op!(LoadOp, "A scalar load.", $($t)*); };
}
macro_rules! define_store_op {
    ($($t:tt)*) => { define_mem_op!(StoreOp, "A scalar store.", $($t)*); };
}
for_each_load_op!(define_load_op);
for_each_store_op!(define_store_op);

/// Immediates of a memory access: alignment (log2), offset and memory index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct MemArg {
    /// log2 of the alignment hint.
    pub align: u32,
    /// Constant offset added to the dynamic address (u64 so memory64 fits).
    pub offset: u64,
    /// Memory index (multi-memory); 0 in Wasm 2.0.
    pub memory: u32,
}

/// The type of a block, loop or if.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum BlockType {
    /// `[] -> []`
    #[default]
    Empty,
    /// `[] -> [t]`
    Value(ValType),
    /// A function type from the type section: `params -> results` (multi-value).
    Func(u32),
}

/// The targets of a `br_table`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrTable {
    pub targets: Box<[u32]>,
    pub default: u32,
}

/// One WebAssembly instruction with its immediates.
///
/// Structured control (`block`/`loop`/`if`/`else`/`end`) stays flat, exactly as in the binary
/// format, so a function body is a `Vec<Instr>` ending in `End`.
#[derive(Clone, Debug, PartialEq)]
pub enum Instr {
    // Control.
    Unreachable,
    Nop,
    Block(BlockType),
    Loop(BlockType),
    If(BlockType),
    Else,
    End,
    Br(u32),
    BrIf(u32),
    BrTable(Box<BrTable>),
    Return,
    Call(u32),
    CallIndirect {
        type_idx: u32,
        table: u32,
    },
    /// Tail calls (Wasm 3.0).
    ReturnCall(u32),
    ReturnCallIndirect {
        type_idx: u32,
        table: u32,
    },

    // Parametric.
    Drop,
    Select,
    /// `select (result t)`; the binary format allows a vector, Wasm 2.0 requires length 1.
    SelectTyped(Box<[ValType]>),

    // Variables.
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    GlobalGet(u32),
    GlobalSet(u32),

    // Tables.
    TableGet(u32),
    TableSet(u32),
    TableInit {
        elem: u32,
        table: u32,
    },
    ElemDrop(u32),
    TableCopy {
        dst: u32,
        src: u32,
    },
    TableGrow(u32),
    TableSize(u32),
    TableFill(u32),

    // Memory.
    Load(LoadOp, MemArg),
    Store(StoreOp, MemArg),
    MemorySize(u32),
    MemoryGrow(u32),
    MemoryInit {
        data: u32,
        memory: u32,
    },
    DataDrop(u32),
    MemoryCopy {
        dst: u32,
        src: u32,
    },
    MemoryFill(u32),

    // Constants and numeric operators. Floats are kept as bit patterns so NaN payloads
    // survive decoding, encoding and printing unchanged.
    I32Const(i32),
    I64Const(i64),
    F32Const(u32),
    F64Const(u64),
    Numeric(NumOp),

    // References.
    RefNull(HeapType),
    RefIsNull,
    RefFunc(u32),

    // SIMD (prefix 0xFD). See [`crate::simd`].
    V128Const([u8; 16]),
    I8x16Shuffle([u8; 16]),
    /// SIMD operators without immediates.
    Simd(crate::simd::SimdOp),
    /// SIMD loads and stores (`v128.load`, `v128.load8x8_s`, `v128.load32_splat`, ...).
    SimdMem(crate::simd::SimdMemOp, MemArg),
    /// Lane extract / replace with a lane index.
    SimdLane(crate::simd::SimdLaneOp, u8),
    /// `v128.loadN_lane` / `v128.storeN_lane`.
    SimdMemLane(crate::simd::SimdMemLaneOp, MemArg, u8),
}

impl Instr {
    /// True for instructions that open a structured block (`block`, `loop`, `if`).
    pub fn opens_block(&self) -> bool {
        matches!(self, Instr::Block(_) | Instr::Loop(_) | Instr::If(_))
    }
}
