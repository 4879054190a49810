//! Text names of the instructions and types that have no table in `wvm-binary`.
//!
//! Numeric, load/store and SIMD operator names come from the `wvm-binary` tables
//! (`NumOp::name()` and friends); the few keywords below are written here once and shared by
//! the printer, the listing and the legacy-spelling translator.

pub const UNREACHABLE: &str = "unreachable";
pub const NOP: &str = "nop";
pub const BLOCK: &str = "block";
pub const LOOP: &str = "loop";
pub const IF: &str = "if";
pub const ELSE: &str = "else";
pub const END: &str = "end";
pub const BR: &str = "br";
pub const BR_IF: &str = "br_if";
pub const BR_TABLE: &str = "br_table";
pub const RETURN: &str = "return";
pub const CALL: &str = "call";
pub const CALL_INDIRECT: &str = "call_indirect";
pub const RETURN_CALL: &str = "return_call";
pub const RETURN_CALL_INDIRECT: &str = "return_call_indirect";
pub const DROP: &str = "drop";
pub const SELECT: &str = "select";
pub const LOCAL_GET: &str = "local.get";
pub const LOCAL_SET: &str = "local.set";
pub const LOCAL_TEE: &str = "local.tee";
pub const GLOBAL_GET: &str = "global.get";
pub const GLOBAL_SET: &str = "global.set";
pub const TABLE_GET: &str = "table.get";
pub const TABLE_SET: &str = "table.set";
pub const TABLE_INIT: &str = "table.init";
pub const ELEM_DROP: &str = "elem.drop";
pub const TABLE_COPY: &str = "table.copy";
pub const TABLE_GROW: &str = "table.grow";
pub const TABLE_SIZE: &str = "table.size";
pub const TABLE_FILL: &str = "table.fill";
pub const MEMORY_SIZE: &str = "memory.size";
pub const MEMORY_GROW: &str = "memory.grow";
pub const MEMORY_INIT: &str = "memory.init";
pub const DATA_DROP: &str = "data.drop";
pub const MEMORY_COPY: &str = "memory.copy";
pub const MEMORY_FILL: &str = "memory.fill";
pub const I32_CONST: &str = "i32.const";
pub const I64_CONST: &str = "i64.const";
pub const F32_CONST: &str = "f32.const";
pub const F64_CONST: &str = "f64.const";
pub const V128_CONST: &str = "v128.const";
pub const I8X16_SHUFFLE: &str = "i8x16.shuffle";
pub const REF_NULL: &str = "ref.null";
pub const REF_IS_NULL: &str = "ref.is_null";
pub const REF_FUNC: &str = "ref.func";
