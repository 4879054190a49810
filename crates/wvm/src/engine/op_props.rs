//! Properties of ops decided from the op list alone, as macros, so that they are constants
//! wherever the variant is known (the threaded backend's handlers use them in `const`s).

/// `true` if the field list contains `target` (the op branches).
macro_rules! has_target {
    () => { false };
    (target $($rest:ident)*) => { true };
    ($other:ident $($rest:ident)*) => { has_target!($($rest)*) };
}

/// Whether the threaded backend checks the native stack after op `$name` with fields
/// `$field...` (see [`Op::checks_stack`](super::ops::Op::checks_stack)).
macro_rules! checks_stack {
    ($name:ident; $($field:ident)*) => {
        has_target!($($field)*) || checks_stack_by_name!($name)
    };
}

/// The ops without a `target` that check the stack: the other ops that move `pc` elsewhere
/// than the next op (calls, returns, `br_table`), the metering ops and `stack_guard`.
macro_rules! checks_stack_by_name {
    (BrTable) => {
        true
    };
    (Return) => {
        true
    };
    (ReturnSlot) => {
        true
    };
    (ReturnSlotAcc) => {
        true
    };
    (Call) => {
        true
    };
    (CallInternal) => {
        true
    };
    (CallIndirect) => {
        true
    };
    (ConsumeFuel) => {
        true
    };
    (CheckInterrupt) => {
        true
    };
    (StackGuard) => {
        true
    };
    ($other:ident) => {
        false
    };
}
