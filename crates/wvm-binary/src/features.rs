//! Switches for WebAssembly proposals and format options, shared by decoder and validator.

/// Which WebAssembly features a module may use.
///
/// The default is the Wasm 2.0 feature set that wvm implements today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    pub mutable_global: bool,
    pub saturating_float_to_int: bool,
    pub sign_extension: bool,
    pub multi_value: bool,
    pub bulk_memory: bool,
    pub reference_types: bool,
    /// Fixed-width SIMD. Decoded always; validated only when this is on.
    pub simd: bool,
    pub tail_call: bool,
    pub multi_memory: bool,
    pub memory64: bool,
    pub extended_const: bool,
    pub function_references: bool,
    pub gc: bool,
    pub exceptions: bool,
    /// Accept binary version 0x0d (a pre-release of the format, as in the seed's JS example).
    pub allow_legacy_version: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features::wasm2()
    }
}

impl Features {
    /// Exactly Wasm 1.0 (MVP).
    pub fn wasm1() -> Self {
        Features {
            mutable_global: true,
            saturating_float_to_int: false,
            sign_extension: false,
            multi_value: false,
            bulk_memory: false,
            reference_types: false,
            simd: false,
            tail_call: false,
            multi_memory: false,
            memory64: false,
            extended_const: false,
            function_references: false,
            gc: false,
            exceptions: false,
            allow_legacy_version: false,
        }
    }

    /// Wasm 2.0 (SIMD is switched on separately once the engine runs it).
    pub fn wasm2() -> Self {
        Features {
            saturating_float_to_int: true,
            sign_extension: true,
            multi_value: true,
            bulk_memory: true,
            reference_types: true,
            ..Features::wasm1()
        }
    }
}
